import { MAX_SCALE, MIN_SCALE, lowerBoundariesInto } from './exponential-mapping.js';

/** Consecutive bucket boundaries of one scale: `values[i − start] = lowerBoundary(i, scale)`. */
export interface BoundaryRun {
  readonly start: number;
  readonly values: Float64Array;
}

/** Widest run kept per scale (boundaries): 32 KiB; a request that would widen it further replaces it. */
const MAX_CACHED_BOUNDARIES = 4096;

/** Per scale (index `scale − MIN_SCALE`), the run computed last. */
const runs: Array<BoundaryRun | undefined> = new Array<BoundaryRun | undefined>(MAX_SCALE - MIN_SCALE + 1);

/**
 * The boundaries `lowerBoundary(i, scale)` for every `i` in `[low, high]`, from a small per-scale cache: readers that
 * walk buckets by index (the drift tests on sketches) share one computation across features and evaluations, since
 * the features of a model mostly sit at a handful of scales and magnitudes. Values are those of `lowerBoundariesInto`
 * (so exactly those of `lowerBoundary`). A request outside the cached run computes the union of both when it spans at
 * most {@link MAX_CACHED_BOUNDARIES}, else the request alone. The result is read-only; a later call may replace the cached run, but never changes a run it returned.
 * Cost: O(1) on a hit, O(high − low) on a miss; memory at most 32 KiB per scale.
 */
export function boundariesCovering(scale: number, low: number, high: number): BoundaryRun {
  const slot = scale - MIN_SCALE;
  const run = runs[slot];
  if (run && low >= run.start && high < run.start + run.values.length) return run;
  let start = low;
  let end = high;
  if (run && Math.max(high, run.start + run.values.length - 1) - Math.min(low, run.start) < MAX_CACHED_BOUNDARIES) {
    start = Math.min(low, run.start);
    end = Math.max(high, run.start + run.values.length - 1);
  }
  const values = new Float64Array(end - start + 1);
  lowerBoundariesInto(values, start, end - start, scale);
  const next = { start, values };
  runs[slot] = next;
  return next;
}
