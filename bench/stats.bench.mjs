// @driftwatch/stats micro-benchmarks, against the built package.
// Run: `npx tsc --build && node --expose-gc bench/run.mjs stats` (or `npm run bench stats`).
//
// The file is a list of suites; each suite's cases run interleaved and are reported against its baseline.
// To add cases, append a suite to `suites` below (keep one concern per suite).
import {
  CategoryCounts,
  ExponentialHistogram,
  histogramCdf,
  histogramQuantile,
  rebinHistogram,
} from '@driftwatch/stats';
import { consume, report, runCases } from './harness.mjs';

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
];

for (const suite of suites) report(suite.title, runCases(suite.cases), suite.options);
