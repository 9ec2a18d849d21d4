// Shared micro-benchmark harness: every case of a suite runs in the same process, interleaved in rounds,
// so figures are side by side and reported as ratios against the suite's baseline case.
import { performance } from 'node:perf_hooks';

/**
 * @typedef {object} BenchCase
 * @property {string} name
 * @property {(iterations: number) => void} run   runs the operation `iterations` times
 * @property {number} [opsPerIteration]            e.g. values per call, to report per-value cost too
 */

/**
 * Runs the cases in interleaved rounds and returns the median nanoseconds per iteration of each.
 * @param {BenchCase[]} cases
 * @param {{ rounds?: number, minRoundMillis?: number }} [options]
 */
export function runCases(cases, options = {}) {
  const rounds = options.rounds ?? 7;
  const minRoundMillis = options.minRoundMillis ?? 150;
  const iterations = cases.map((c) => calibrate(c, minRoundMillis));
  /** @type {number[][]} */
  const samples = cases.map(() => []);
  for (let r = 0; r < rounds; r++) {
    cases.forEach((c, i) => {
      const n = iterations[i] ?? 1;
      const t0 = performance.now();
      c.run(n);
      samples[i]?.push(((performance.now() - t0) * 1e6) / n);
    });
  }
  return cases.map((c, i) => ({ name: c.name, nsPerIteration: median(samples[i] ?? []), opsPerIteration: c.opsPerIteration ?? 1 }));
}

/** @param {BenchCase} c @param {number} minRoundMillis */
function calibrate(c, minRoundMillis) {
  let n = 1;
  for (;;) {
    const t0 = performance.now();
    c.run(n);
    const elapsed = performance.now() - t0;
    if (elapsed >= minRoundMillis / 4 || n >= 1 << 30) return Math.max(1, Math.round((n * minRoundMillis) / Math.max(elapsed, 1e-3)));
    n *= 4;
  }
}

/** @param {number[]} xs */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
}

/** Formats nanoseconds with a readable unit. @param {number} ns */
export function formatNs(ns) {
  if (ns < 1e3) return `${ns.toFixed(1)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(2)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(2)} ms`;
  return `${(ns / 1e9).toFixed(2)} s`;
}

/**
 * Prints a suite's results as a table with ratios against the baseline (the first result unless named).
 * @param {string} title
 * @param {{ name: string, nsPerIteration: number, opsPerIteration: number }[]} results
 * @param {{ baseline?: string, goals?: Record<string, string> }} [options]
 */
export function report(title, results, options = {}) {
  const base = results.find((r) => r.name === options.baseline) ?? results[0];
  console.log(`\n## ${title}`);
  console.log('| case | per iteration | per op | ratio vs ' + (base?.name ?? '-') + ' | goal |');
  console.log('|---|---|---|---|---|');
  for (const r of results) {
    const ratio = base ? r.nsPerIteration / base.nsPerIteration : NaN;
    console.log(`| ${r.name} | ${formatNs(r.nsPerIteration)} | ${formatNs(r.nsPerIteration / r.opsPerIteration)} | ${ratio.toFixed(2)}× | ${options.goals?.[r.name] ?? ''} |`);
  }
}

/** Keeps a value alive so the optimiser cannot drop the work that produced it. */
export let sink = 0;
/** @param {number} x */
export function consume(x) {
  sink = (sink + x) | 0;
}
