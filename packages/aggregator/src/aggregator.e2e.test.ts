// End to end: the real SDK (`monitor()` with the official OTLP exporters, protobuf and JSON) sends to a running
// aggregator; /metrics is fetched, parsed and checked with promtool; the drift scores on it equal the stats package's
// exact tests on the very same raw samples, within the sketch tolerances of
// packages/stats/src/sketch-drift/README.md (issue 2's targets, which that README measured to hold for smooth data of
// ≥ 5000 values a side):
//   KS D: 0.01 absolute · PSI, Jensen–Shannon, Hellinger: 5 % relative (same Sturges edges) · Wasserstein: 2 % relative
//   · categories (≤ 50 distinct, kept exactly): 1e-9 relative.
// The numeric features are truncated normals (both sides on the same support) so that no Sturges bin of the raw
// data is empty — the README's condition for the PSI target.
import { spawnSync } from 'node:child_process';
import { monitor, buildReference } from '@driftwatch/instrument';
import type { ExportProtocol } from '@driftwatch/instrument';
import { detectDrift, hellinger, jensenShannon, ksTest, psi, wassersteinNormed, chiSquareTest, binSamples } from '@driftwatch/stats';
import type { DriftResult, FeatureSchema } from '@driftwatch/stats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binaryForTest } from '../../../test/support/find-binary.js';
import { createAggregator, type Aggregator } from './aggregator.js';
import { parsePrometheusText, type PromExposition } from './testing/prometheus-text.test-support.js';

const N = 5000;
const MISSING_EVERY = 50; // every 50th current row has no `age`: a missing ratio of exactly 2 %
const PROMTOOL = binaryForTest(['promtool']);

/** Deterministic uniform numbers in [0, 1) (LCG). */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** Normal(mean, sd) truncated to [lo, hi] by rejection (Box–Muller). */
function truncatedNormal(random: () => number, mean: number, sd: number, lo: number, hi: number): () => number {
  return () => {
    for (;;) {
      const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      const x = mean + sd * z;
      if (x >= lo && x <= hi) return x;
    }
  };
}

const PLANS = ['free', 'basic', 'pro', 'team', 'enterprise'] as const;
function categorical(random: () => number, weights: readonly number[]): () => string {
  const total = weights.reduce((a, b) => a + b, 0);
  return () => {
    let u = random() * total;
    for (let i = 0; i < weights.length; i++) {
      u -= weights[i] as number;
      if (u < 0) return PLANS[i] as string;
    }
    return PLANS[PLANS.length - 1] as string;
  };
}

interface Row {
  age?: number;
  balance: number;
  tenure: number;
  plan: string;
}

function rows(seed: number, drifted: boolean): Row[] {
  const random = seeded(seed);
  const age = truncatedNormal(random, drifted ? 43 : 40, 10, 20, 60); // mean shift 0.3 σ
  const balance = truncatedNormal(random, 1000, drifted ? 360 : 300, 400, 1600); // scale × 1.2
  const tenure = truncatedNormal(random, 30, 12, 0, 60); // no drift
  const plan = categorical(random, drifted ? [30, 30, 20, 12, 8] : [40, 30, 15, 10, 5]);
  return Array.from({ length: N }, () => ({ age: age(), balance: balance(), tenure: tenure(), plan: plan() }));
}

/** The model: a logistic score of the features (its output distribution drifts with them). */
function score(row: Readonly<Row>): number {
  const z = ((row.age ?? 40) - 40) / 10 + (row.balance - 1000) / 600 - (row.tenure - 30) / 24 + (row.plan === 'enterprise' ? 0.5 : 0);
  return 1 / (1 + Math.exp(-z));
}

const SCHEMA: FeatureSchema = { age: 'numeric', balance: 'numeric', tenure: 'numeric', plan: 'categorical' };
const NUMERIC = ['age', 'balance', 'tenure'] as const;
const reference = rows(1, false);
const current = rows(2, true).map((r, i) => {
  if (i % MISSING_EVERY !== 0) return r;
  const { age: _dropped, ...rest } = r;
  return rest;
});
const column = (data: readonly Row[], name: (typeof NUMERIC)[number]): number[] => data.flatMap((r) => (r[name] === undefined ? [] : [r[name]]));
const plans = (data: readonly Row[]): string[] => data.map((r) => r.plan);

/** Relative difference |a − b| / |b|. */
const relative = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

async function metricsOf(agg: Aggregator): Promise<{ text: string; parsed: PromExposition; contentType: string }> {
  const res = await fetch(`http://127.0.0.1:${agg.httpPort}/metrics`);
  expect(res.status).toBe(200);
  const text = await res.text();
  return { text, parsed: parsePrometheusText(text), contentType: res.headers.get('content-type') ?? '' };
}

/** Polls /metrics until `ready` holds (the aggregator's own evaluation timer publishes the numbers). */
async function waitForMetrics(agg: Aggregator, ready: (m: PromExposition) => boolean): Promise<{ text: string; parsed: PromExposition; contentType: string }> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const m = await metricsOf(agg);
    if (ready(m.parsed)) return m;
    if (Date.now() > deadline) throw new Error(`timed out waiting for /metrics:\n${m.text.slice(0, 4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.each<ExportProtocol>(['http/protobuf', 'http/json'])('end to end over OTLP %s: monitor() → aggregator → /metrics', (protocol) => {
  const model = 'churn';
  const version = protocol === 'http/json' ? 'json-1' : 'proto-1';
  let agg: Aggregator;
  let exposition: { text: string; parsed: PromExposition; contentType: string };
  const warnings: string[] = [];

  beforeAll(async () => {
    agg = createAggregator(
      {
        otlpPort: 0,
        httpPort: 0,
        dataDir: ':memory:',
        evaluationInterval: '200ms',
        drift: { methods: ['psi', 'ks', 'jensenshannon', 'hellinger', 'wasserstein'], features: { plan: { method: 'chisquare' } } },
      },
      { logger: { info: () => {}, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) } },
    );
    await agg.start();

    // the reference, built by the SDK from the same kind of rows, uploaded over the API as a user would
    const profile = buildReference(
      reference.map((r) => ({ ...r, score: score(r) })),
      SCHEMA,
      { model, version, outputs: { score: 'numeric' } },
    );
    const put = await fetch(`http://127.0.0.1:${agg.httpPort}/api/v1/models/${model}/versions/${version}/reference`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(profile),
    });
    expect(put.status, await put.clone().text()).toBe(200);

    const predict = monitor((row: Row) => score(row), {
      model,
      version,
      features: SCHEMA,
      output: 'probability',
      endpoint: `http://127.0.0.1:${agg.otlpPort}`,
      protocol,
      exportIntervalMillis: 60_000,
      resource: { 'service.name': 'churn-api', 'service.instance.id': `e2e-${protocol}` },
      logger: { info: () => {}, warn: (m: string) => warnings.push(`sdk: ${m}`) },
    });
    for (const row of current) predict(row);
    await predict.shutdown(); // flushes: one cumulative export with everything
    expect(predict.health().export).toMatchObject({ failed: 0 });

    exposition = await waitForMetrics(agg, (m) => m.find('driftwatch_feature_samples', { model, version, feature: 'balance', window: '1h' })[0]?.value === N);
  });

  afterAll(async () => {
    await agg?.stop();
  });

  it('/metrics is a valid exposition that passes promtool check metrics', () => {
    expect(exposition.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    if (PROMTOOL === undefined) return; // locally without promtool; DRIFTWATCH_E2E_REQUIRED=1 turns this into a failure
    const r = spawnSync(PROMTOOL, ['check', 'metrics'], { input: exposition.text, encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });

  it('counts every prediction, sample and missing value exactly', () => {
    const m = exposition.parsed;
    expect(m.value('driftwatch_predictions_total', { model, version, role: 'primary' })).toBe(N);
    for (const window of ['1h', '24h']) {
      expect(m.value('driftwatch_feature_samples', { model, version, feature: 'age', window })).toBe(N - N / MISSING_EVERY);
      expect(m.value('driftwatch_feature_samples', { model, version, feature: 'balance', window })).toBe(N);
      expect(m.value('driftwatch_feature_samples', { model, version, feature: 'plan', window })).toBe(N);
      expect(m.value('driftwatch_feature_missing_ratio', { model, version, feature: 'age', window })).toBe(1 / MISSING_EVERY);
      expect(m.value('driftwatch_feature_missing_ratio', { model, version, feature: 'balance', window })).toBe(0);
    }
    expect(m.value('driftwatch_reference_info', { model, version, source: 'sdk' })).toBe(1);
    expect(m.value('driftwatch_model_last_seen_timestamp_seconds', { model, version })).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(m.find('driftwatch_ingest_points_total', { result: 'rejected' })).toEqual([]);
  });

  it('numeric feature drift equals the exact tests on the raw samples within the sketch tolerances', () => {
    const m = exposition.parsed;
    for (const feature of NUMERIC) {
      const ref = column(reference, feature);
      const cur = column(current, feature);
      // precondition of the PSI target: no raw Sturges bin is empty on either side
      const bins = binSamples('psi', ref, cur);
      expect(Math.min(...bins.reference, ...bins.current), `${feature}: an empty raw bin`).toBeGreaterThan(0);
      const exact: Record<string, DriftResult> = {
        ks: ksTest(ref, cur),
        psi: psi(ref, cur),
        jensenshannon: jensenShannon(ref, cur),
        hellinger: hellinger(ref, cur),
        wasserstein: wassersteinNormed(ref, cur),
      };
      for (const window of ['1h', '24h']) {
        const at = (method: string): number => m.value('driftwatch_feature_drift_score', { model, version, feature, method, window });
        const where = `${feature} ${window}`;
        expect(Math.abs(at('ks') - exact.ks!.statistic), `${where} ks (0.01 absolute)`).toBeLessThanOrEqual(0.01);
        expect(exact.ks!.statistic - at('ks'), `${where} ks: D̂ ≤ D`).toBeGreaterThanOrEqual(-1e-12);
        if (feature === 'tenure') {
          // no drift: the distances are tiny, where relative tolerances say nothing; KS holds in absolute terms
          for (const method of ['psi', 'jensenshannon', 'hellinger', 'wasserstein']) expect(at(method), `${where} ${method}`).toBeLessThan(0.05);
          continue;
        }
        expect(relative(at('psi'), exact.psi!.statistic), `${where} psi (5 % relative)`).toBeLessThanOrEqual(0.05);
        expect(relative(at('jensenshannon'), exact.jensenshannon!.statistic), `${where} jensenshannon (5 % relative)`).toBeLessThanOrEqual(0.05);
        expect(relative(at('hellinger'), exact.hellinger!.statistic), `${where} hellinger (5 % relative)`).toBeLessThanOrEqual(0.05);
        expect(relative(at('wasserstein'), exact.wasserstein!.statistic), `${where} wasserstein (2 % relative)`).toBeLessThanOrEqual(0.02);
        // KS has a p-value on /metrics; nothing is published for the distances
        const p = m.value('driftwatch_feature_drift_pvalue', { model, version, feature, method: 'ks', window });
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
        expect(m.find('driftwatch_feature_drift_pvalue', { model, version, feature, method: 'psi', window })).toEqual([]);
      }
    }
  });

  it('the primary verdict is the exact detectDrift verdict (Wasserstein ≥ 0.1 for a reference of more than 1000 rows)', () => {
    const m = exposition.parsed;
    for (const feature of NUMERIC) {
      const exact = detectDrift(column(reference, feature), column(current, feature));
      expect(exact.method).toBe('wasserstein');
      // verdicts can only be compared where the exact value is clearly away from the threshold (more than 2 %)
      expect(relative(exact.statistic, exact.threshold)).toBeGreaterThan(0.02);
      for (const window of ['1h', '24h']) expect(m.value('driftwatch_feature_drift_detected', { model, version, feature, window }), feature).toBe(exact.drifted ? 1 : 0);
    }
    // age (0.3 σ shift) and balance (× 1.2 scale) drift, tenure does not
    expect(m.value('driftwatch_feature_drift_detected', { model, version, feature: 'age', window: '1h' })).toBe(1);
    expect(m.value('driftwatch_feature_drift_detected', { model, version, feature: 'tenure', window: '1h' })).toBe(0);
  });

  it('categorical drift equals the exact tests to 1e-9 (categories are kept exactly)', () => {
    const m = exposition.parsed;
    const ref = plans(reference);
    const cur = plans(current);
    const exact: Record<string, DriftResult> = { chisquare: chiSquareTest(ref, cur), psi: psi(ref, cur), jensenshannon: jensenShannon(ref, cur), hellinger: hellinger(ref, cur) };
    for (const window of ['1h', '24h']) {
      for (const [method, r] of Object.entries(exact)) {
        expect(relative(m.value('driftwatch_feature_drift_score', { model, version, feature: 'plan', method, window }), r.statistic), `plan ${method}`).toBeLessThan(1e-9);
      }
      const p = m.value('driftwatch_feature_drift_pvalue', { model, version, feature: 'plan', method: 'chisquare', window });
      expect(Math.abs(p - (exact.chisquare!.pValue as number))).toBeLessThan(1e-9);
      expect(m.value('driftwatch_feature_drift_detected', { model, version, feature: 'plan', window })).toBe(exact.chisquare!.drifted ? 1 : 0);
      // ks and wasserstein do not apply to categories: no sample, and the failure is reported once
      expect(m.find('driftwatch_feature_drift_score', { model, version, feature: 'plan', method: 'ks', window })).toEqual([]);
    }
    expect(warnings.some((w) => w.includes(`${model}/${version}/plan/ks`))).toBe(true);
  });

  it('dataset drift share and prediction drift follow from the same verdicts and exact values', () => {
    const m = exposition.parsed;
    const verdicts = [...NUMERIC.map((f) => detectDrift(column(reference, f), column(current, f)).drifted), chiSquareTest(plans(reference), plans(current)).drifted];
    const share = verdicts.filter(Boolean).length / verdicts.length;
    const refScores = reference.map(score);
    const curScores = current.map(score);
    const exactOutput = detectDrift(refScores, curScores);
    expect(exactOutput.method).toBe('wasserstein');
    for (const window of ['1h', '24h']) {
      expect(m.value('driftwatch_model_drift_share', { model, version, window })).toBe(share);
      expect(m.value('driftwatch_model_dataset_drift', { model, version, window })).toBe(share >= 0.5 ? 1 : 0);
      const s = m.value('driftwatch_prediction_drift_score', { model, version, output: 'score', method: 'wasserstein', window });
      expect(relative(s, exactOutput.statistic), 'score wasserstein (2 % relative)').toBeLessThanOrEqual(0.02);
    }
  });

  it('the drift API serves the same numbers as /metrics', async () => {
    const res = await fetch(`http://127.0.0.1:${agg.httpPort}/api/v1/models/${model}/drift?version=${version}&window=1h`);
    expect(res.status).toBe(200);
    const text = JSON.stringify(await res.json());
    const fromMetrics = exposition.parsed.value('driftwatch_feature_drift_score', { model, version, feature: 'balance', method: 'psi', window: '1h' });
    expect(text).toContain(String(fromMetrics));
  });
});
