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
 * A fixed loop (64 `Math.log` and multiply-adds per iteration, over a 32 KiB table) that no change to driftwatch
 * touches: its time moves only with the machine. On a VM that shares its host the same code runs up to ~1.6× slower
 * for seconds at a time (bench/stats' drift case read 4.3 µs in one round and 7.3 µs in the next, this loop 0.50 and
 * 0.80 µs), so every case's time is also given in units of this loop, timed just before it in the same round: those
 * ratios compare runs taken in different states of the machine.
 */
const machineTable = new Float64Array(4096).map((_, i) => 1 + i * 0.37);
const MACHINE_CHECK_ITERATIONS = 4000;

function machineCheck() {
  let a = 0;
  for (let k = 0; k < MACHINE_CHECK_ITERATIONS; k++) {
    for (let i = 0; i < 64; i++) a += Math.log(machineTable[(k * 64 + i) & 4095]) * machineTable[i];
  }
  consume(a);
}

/** Nanoseconds per iteration of {@link machineCheck}'s loop, timed once. */
function timeMachineCheck() {
  const t0 = performance.now();
  machineCheck();
  return ((performance.now() - t0) * 1e6) / MACHINE_CHECK_ITERATIONS;
}

/**
 * Runs the cases in interleaved rounds and returns the median nanoseconds per iteration of each, with the median
 * of its per-round ratio to the machine check timed just before it (`perMachineCheck`) and the machine check's own
 * median over the run (`machineCheckNs`).
 * @param {BenchCase[]} cases
 * @param {{ rounds?: number, minRoundMillis?: number }} [options]
 */
export function runCases(cases, options = {}) {
  const rounds = options.rounds ?? 7;
  const minRoundMillis = options.minRoundMillis ?? 150;
  for (let w = 0; w < 5; w++) timeMachineCheck(); // compiled before it is used as a yardstick
  const iterations = cases.map((c) => calibrate(c, minRoundMillis));
  /** @type {number[][]} */
  const samples = cases.map(() => []);
  /** @type {number[][]} */
  const ratios = cases.map(() => []);
  /** @type {number[]} */
  const checks = [];
  for (let r = 0; r < rounds; r++) {
    cases.forEach((c, i) => {
      const n = iterations[i] ?? 1;
      const check = timeMachineCheck();
      const t0 = performance.now();
      c.run(n);
      const ns = ((performance.now() - t0) * 1e6) / n;
      samples[i]?.push(ns);
      ratios[i]?.push(ns / check);
      checks.push(check);
    });
  }
  const machineCheckNs = median(checks);
  return cases.map((c, i) => ({
    name: c.name,
    nsPerIteration: median(samples[i] ?? []),
    opsPerIteration: c.opsPerIteration ?? 1,
    perMachineCheck: median(ratios[i] ?? []),
    machineCheckNs,
    machineCheckRangeNs: [Math.min(...checks), Math.max(...checks)],
  }));
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
 * Prints a suite's results as a table with ratios against the baseline (the first result unless named), each case
 * also in machine-check units, and the machine check's median and range over the run.
 * @param {string} title
 * @param {{ name: string, nsPerIteration: number, opsPerIteration: number, perMachineCheck?: number, machineCheckNs?: number, machineCheckRangeNs?: number[] }[]} results
 * @param {{ baseline?: string, goals?: Record<string, string> }} [options]
 */
export function report(title, results, options = {}) {
  const base = results.find((r) => r.name === options.baseline) ?? results[0];
  console.log(`\n## ${title}`);
  console.log('| case | per iteration | per op | ratio vs ' + (base?.name ?? '-') + ' | machine checks | goal |');
  console.log('|---|---|---|---|---|---|');
  for (const r of results) {
    const ratio = base ? r.nsPerIteration / base.nsPerIteration : NaN;
    const ratioText = ratio > 0 && ratio < 0.01 ? `1/${Math.round(1 / ratio).toLocaleString('en-US')}` : `${ratio.toFixed(2)}×`;
    const checks = r.perMachineCheck === undefined ? '' : `${r.perMachineCheck.toFixed(r.perMachineCheck < 10 ? 2 : 1)}`;
    console.log(`| ${r.name} | ${formatNs(r.nsPerIteration)} | ${formatNs(r.nsPerIteration / r.opsPerIteration)} | ${ratioText} | ${checks} | ${options.goals?.[r.name] ?? ''} |`);
  }
  const check = results[0];
  if (check?.machineCheckNs !== undefined) {
    const [lo, hi] = check.machineCheckRangeNs ?? [NaN, NaN];
    console.log(
      `machine check (a fixed loop of 64 Math.log, timed before every case in every round): ${formatNs(check.machineCheckNs)} median, ` +
        `${formatNs(lo ?? NaN)}–${formatNs(hi ?? NaN)} over the run; "machine checks" = a case's time in units of it (median of its rounds)`,
    );
  }
}

/**
 * A case's time per iteration had the whole run gone at the speed of its fastest machine check (its machine-check
 * units × that check). On this project's VM the check reads ~0.50 µs in its normal state and ~0.80 µs in a slow
 * phase: the figure stands for the normal state only when the run's fastest check was taken in it.
 * @param {{ perMachineCheck?: number, machineCheckRangeNs?: number[] }} result
 */
export function atFastestMachineCheck(result) {
  const fastest = result.machineCheckRangeNs?.[0];
  return result.perMachineCheck === undefined || fastest === undefined ? NaN : result.perMachineCheck * fastest;
}

/** Keeps a value alive so the optimiser cannot drop the work that produced it. */
export let sink = 0;
/** @param {number} x */
export function consume(x) {
  sink = (sink + x) | 0;
}
