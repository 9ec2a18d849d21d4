#!/usr/bin/env node
// How often the canary analysis fails a candidate exactly as good as the champion, over the measurements of one
// rollout: the figures in docs/rollout.md ("alpha holds per measurement"). Seeded; run after `npm run build`:
//   node scripts/simulations/false-rollbacks.mjs [runs]
// The churn model's confusion rates (recall 0.55, precision 0.64, 25 % positives) on both sides; 1500 primary labels
// at the start, 4 more primary labels per canary label after; accuracy, precision, recall and F1 (ROC AUC left out)
// judged as judgeCanary judges them: loss > max_degradation and Fisher p < alpha / 5 (five metrics compared).
import { fisherExactGreater } from '../../packages/lifecycle/dist/index.js';
import { seededRandom } from '../../packages/stats/dist/drift/seeded-random.js';

const runs = Number(process.argv[2] ?? 20000);
const ALPHA = 0.05;
const METRICS = 5;
const MAX_DEGRADATION = 0.02;
const positives = 0.2484;
const recall = 0.55;
const precision = 0.643;
const pTP = positives * recall;
const pFN = positives * (1 - recall);
const pFP = pTP / precision - pTP;

const uniform = seededRandom(20261203);

function draw(n, into) {
  for (let i = 0; i < n; i++) {
    const u = uniform();
    if (u < pTP) into.tp++;
    else if (u < pTP + pFN) into.fn++;
    else if (u < pTP + pFN + pFP) into.fp++;
    else into.tn++;
  }
  return into;
}

/** [value, effective sample] per metric, as performance-samples.ts counts them. */
function metrics(c) {
  const n = c.tp + c.fn + c.fp + c.tn;
  return [
    [(c.tp + c.tn) / n, n],
    [c.tp / (c.tp + c.fp), c.tp + c.fp],
    [c.tp / (c.tp + c.fn), c.tp + c.fn],
    [(2 * c.tp) / (2 * c.tp + c.fp + c.fn), c.tp + (c.fp + c.fn) / 2],
  ];
}

function falseRollbackRate(labelsPerMeasurement) {
  let failed = 0;
  for (let r = 0; r < runs; r++) {
    const canary = { tp: 0, fn: 0, fp: 0, tn: 0 };
    const primary = draw(1500, { tp: 0, fn: 0, fp: 0, tn: 0 });
    let rolledBack = false;
    for (const labels of labelsPerMeasurement) {
      draw(labels, canary);
      draw(4 * labels, primary);
      const c = metrics(canary);
      const p = metrics(primary);
      for (let k = 0; k < c.length && !rolledBack; k++) {
        const [vc, nc] = c[k];
        const [vp, np] = p[k];
        if (!(Math.round(nc) >= 1) || !(vp - vc > MAX_DEGRADATION)) continue;
        if (fisherExactGreater(vp * np, np, vc * nc, nc).pValue < ALPHA / METRICS) rolledBack = true;
      }
      if (rolledBack) break;
    }
    if (rolledBack) failed++;
  }
  return failed / runs;
}

const plans = [
  ['1 measurement from 60 labels', [60]],
  ['3 measurements (the demo tests)', [60, 50, 70]],
  ['6 measurements (the demo)', [60, 30, 30, 40, 40, 50]],
  ['9 measurements (the defaults: 3 per step)', [200, 100, 100, 150, 150, 150, 200, 200, 200]],
];
console.log(`false rollbacks of an equal candidate, ${runs} seeded rollouts each, alpha ${ALPHA}:`);
for (const [name, plan] of plans) console.log(`  ${name}: ${(100 * falseRollbackRate(plan)).toFixed(1)} %`);
