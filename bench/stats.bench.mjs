// @driftwatch/stats micro-benchmarks, against the built package.
// Run: `npx tsc --build && node --expose-gc bench/run.mjs stats` (or `npm run bench stats`).
//
// The file is a list of suites; each suite's cases run interleaved and are reported against its baseline.
// To add cases, append a suite to `suites` below (keep one concern per suite).
import {
  CategoryCounts,
  ExponentialHistogram,
  driftFromSketches,
  driftSuiteFromSketches,
  histogramCdf,
  histogramQuantile,
  jensenShannon,
  ksTest,
  prepareSketch,
  psi,
  rebinHistogram,
  wassersteinNormed,
} from '@driftwatch/stats';
import { atFastestMachineCheck, consume, formatNs, report, runCases } from './harness.mjs';

/** Deterministic pseudo-random numbers in [0, 1). */
function seeded(seed) {
  let state = seed >>> 0;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const VALUES_PER_ITERATION = 10_000;
const random = seeded(42);
/** Mixed-sign values over ~6 orders of magnitude (with a few exact zeros), as features look. */
const values = new Float64Array(VALUES_PER_ITERATION);
for (let i = 0; i < values.length; i++) {
  values[i] = i % 97 === 0 ? 0 : (random() - 0.3) * 10 ** Math.floor(random() * 6 - 2);
}
const categories = Array.from({ length: VALUES_PER_ITERATION }, () => `plan-${Math.floor(random() * 40)}`);

/** A histogram whose positive and negative ranges each use all 160 buckets. */
function fullHistogram(seed) {
  const r = seeded(seed);
  const h = new ExponentialHistogram();
  for (let i = 0; i < 50_000; i++) h.record((r() < 0.5 ? -1 : 1) * 10 ** (r() * 11.8 - 5.9));
  return h;
}

const recordInto = new ExponentialHistogram();
recordInto.recordMany(values); // settle the scale so the timed loop is the steady state
const countsInto = new CategoryCounts();
const left = fullHistogram(1);
const right = fullHistogram(2);
const mergeInto = left.clone();
const leftData = left.toData();
const quartiles = [-Infinity, histogramQuantile(left, 0.25), histogramQuantile(left, 0.5), histogramQuantile(left, 0.75), Infinity];

// one feature, as the aggregator sees it: a reference profile's sketch and a window's sketch of 100k values each
const normal = (() => {
  const r = seeded(7);
  return () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
})();
const RAW_N = 100_000;
const rawReference = Array.from({ length: RAW_N }, () => 70 + 30 * normal());
const rawCurrent = Array.from({ length: RAW_N }, () => 80 + 33 * normal());
const sketchOf = (xs) => {
  const histogram = new ExponentialHistogram();
  histogram.recordMany(xs);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  return { kind: 'numeric', histogram, uniqueCount: new Set(xs).size, std };
};
const referenceSketch = sketchOf(rawReference);
const currentSketch = sketchOf(rawCurrent);
const preparedReference = prepareSketch(referenceSketch);
const FOUR = ['psi', 'ks', 'jensenshannon', 'wasserstein'];

/** @type {{ title: string, cases: import('./harness.mjs').BenchCase[], options?: { baseline?: string, goals?: Record<string, string> } }[]} */
const suites = [
  {
    title: 'stats: recording into sketches (per value)',
    cases: [
      {
        name: 'Math.log2 bucket index only',
        opsPerIteration: VALUES_PER_ITERATION,
        run(n) {
          const factor = 2 ** recordInto.scale;
          let acc = 0;
          for (let k = 0; k < n; k++) {
            for (let i = 0; i < values.length; i++) {
              const v = values[i];
              if (v !== 0) acc += Math.ceil(Math.log2(v < 0 ? -v : v) * factor) - 1;
            }
          }
          consume(acc);
        },
      },
      {
        name: 'record 1 value (ExponentialHistogram)',
        opsPerIteration: VALUES_PER_ITERATION,
        run(n) {
          for (let k = 0; k < n; k++) for (let i = 0; i < values.length; i++) recordInto.record(values[i]);
          consume(recordInto.count);
        },
      },
      {
        name: 'record 1 category (CategoryCounts, 40 distinct)',
        opsPerIteration: VALUES_PER_ITERATION,
        run(n) {
          for (let k = 0; k < n; k++) for (let i = 0; i < categories.length; i++) countsInto.record(categories[i]);
          consume(countsInto.total);
        },
      },
    ],
    options: { baseline: 'Math.log2 bucket index only', goals: { 'record 1 value (ExponentialHistogram)': '≤ 25 ns/value' } },
  },
  {
    title: 'stats: merging and reading 160-bucket histograms (per call)',
    cases: [
      {
        name: 'merge two 160-bucket histograms',
        run(n) {
          for (let k = 0; k < n; k++) mergeInto.merge(right);
          consume(mergeInto.count);
        },
      },
      {
        name: 'merge 160-bucket plain data (validated)',
        run(n) {
          for (let k = 0; k < n; k++) mergeInto.merge(leftData);
          consume(mergeInto.count);
        },
      },
      {
        name: 'histogramQuantile (p99)',
        run(n) {
          let acc = 0;
          for (let k = 0; k < n; k++) acc += histogramQuantile(left, 0.99);
          consume(acc);
        },
      },
      {
        name: 'histogramCdf',
        run(n) {
          let acc = 0;
          for (let k = 0; k < n; k++) acc += histogramCdf(left, 1);
          consume(acc * 1000);
        },
      },
      {
        name: 'rebinHistogram onto 4 quartile bins',
        run(n) {
          let acc = 0;
          for (let k = 0; k < n; k++) acc += rebinHistogram(left, quartiles)[0];
          consume(acc);
        },
      },
    ],
    options: { baseline: 'merge two 160-bucket histograms' },
  },
  {
    title: 'stats: drift of one numeric feature, PSI + KS + JS + Wasserstein together (per feature)',
    cases: [
      {
        name: 'sketches as the aggregator evaluates them (reference cached, one driftSuiteFromSketches)',
        run(n) {
          let acc = 0;
          for (let k = 0; k < n; k++) for (const r of driftSuiteFromSketches(FOUR, preparedReference, currentSketch)) acc += r.statistic;
          consume(acc * 1000);
        },
      },
      {
        name: 'sketches, one driftFromSketches per test (reference cached, current prepared once)',
        run(n) {
          let acc = 0;
          for (let k = 0; k < n; k++) {
            const current = prepareSketch(currentSketch, 'detectDrift', 'current');
            for (const m of FOUR) acc += driftFromSketches(m, preparedReference, current).statistic;
          }
          consume(acc * 1000);
        },
      },
      {
        name: 'sketches (reference prepared once, current prepared by each test)',
        run(n) {
          let acc = 0;
          for (let k = 0; k < n; k++) for (const m of FOUR) acc += driftFromSketches(m, preparedReference, currentSketch).statistic;
          consume(acc * 1000);
        },
      },
      {
        name: 'sketches (both prepared per call)',
        run(n) {
          let acc = 0;
          for (let k = 0; k < n; k++) for (const m of FOUR) acc += driftFromSketches(m, referenceSketch, currentSketch).statistic;
          consume(acc * 1000);
        },
      },
      {
        name: 'raw samples, 100k values a side',
        run(n) {
          let acc = 0;
          for (let k = 0; k < n; k++) {
            acc += psi(rawReference, rawCurrent).statistic + ksTest(rawReference, rawCurrent).statistic;
            acc += jensenShannon(rawReference, rawCurrent).statistic + wassersteinNormed(rawReference, rawCurrent).statistic;
          }
          consume(acc * 1000);
        },
      },
    ],
    options: { baseline: 'raw samples, 100k values a side', goals: { 'sketches as the aggregator evaluates them (reference cached, one driftSuiteFromSketches)': '≤ 5 µs' } },
  },
];

/** The goals of bench/stats, by suite (its index in `suites`) and case name: the limit in nanoseconds per op. */
const GOALS = [
  { suite: 0, name: 'record 1 value (ExponentialHistogram)', limitNs: 25, what: 'record per value' },
  { suite: 2, name: 'sketches as the aggregator evaluates them (reference cached, one driftSuiteFromSketches)', limitNs: 5000, what: 'drift on sketches, four tests, one feature' },
];
const allResults = suites.map((suite) => {
  const results = runCases(suite.cases);
  report(suite.title, results, suite.options);
  return results;
});
console.log('');
for (const goal of GOALS) {
  const r = allResults[goal.suite]?.find((x) => x.name === goal.name);
  if (!r) throw new Error(`bench/stats: no case '${goal.name}' in suite ${goal.suite}`);
  const perOp = r.nsPerIteration / r.opsPerIteration;
  const fastest = atFastestMachineCheck(r) / r.opsPerIteration;
  console.log(
    `${goal.what}: ${formatNs(perOp)} (goal ≤ ${formatNs(goal.limitNs)}) → ${perOp <= goal.limitNs ? 'met' : 'MISSED'}; ` +
      `${formatNs(fastest)} had the run gone at its fastest machine check (${formatNs(r.machineCheckRangeNs[0])}) → ${fastest <= goal.limitNs ? 'met' : 'MISSED'}`,
  );
}
