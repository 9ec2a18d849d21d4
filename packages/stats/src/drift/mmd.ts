import type { DriftResult } from '../types.js';
import type { DriftTest } from './drift-test.js';
import { makeResult } from './drift-test.js';
import { seededRandom, shuffleInPlace } from './seeded-random.js';
import { resolveThreshold } from './validate.js';

export interface MmdOptions {
  /** Number of label permutations for the p-value (default 100). */
  readonly permutations?: number;
  /** Seed of the permutation generator (default 0): same inputs and seed give the same p-value. */
  readonly seed?: number;
  /** Drift when p < threshold (default 0.05). */
  readonly threshold?: number;
}

export const DEFAULT_MMD_PERMUTATIONS = 100;

/** Validates a set of vectors: at least 2, all of one dimension ≥ 1, finite entries. Returns the dimension. */
function assertVectors(role: 'reference' | 'current', vectors: readonly (readonly number[])[], dimension?: number): number {
  if (!Array.isArray(vectors)) throw new Error(`mmdTest: ${role} must be an array of vectors`);
  if (vectors.length < 2) throw new Error(`mmdTest requires at least 2 data points in ${role}, got ${vectors.length}`);
  const d = dimension ?? (Array.isArray(vectors[0]) ? vectors[0].length : 0);
  if (d < 1) throw new Error(`mmdTest: ${role} vector 0 must be a non-empty array of numbers`);
  vectors.forEach((v, i) => {
    if (!Array.isArray(v)) throw new Error(`mmdTest: ${role} vector ${i} is not an array`);
    if (v.length !== d) throw new Error(`mmdTest: ${role} vector ${i} has length ${v.length}, expected ${d}`);
    for (let k = 0; k < d; k++) {
      const x = v[k];
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new Error(`mmdTest: ${role} vector ${i} contains ${String(x)} at index ${k}`);
    }
  });
  return d;
}

/** numpy `median` of a numeric array (mean of the two middle values for even length); sorts `values` in place. */
function medianInPlace(values: Float64Array): number {
  values.sort();
  const n = values.length;
  const mid = n >> 1;
  return n % 2 ? (values[mid] as number) : ((values[mid - 1] as number) + (values[mid] as number)) / 2;
}

/**
 * Pooled RBF kernel matrix k(zᵢ, zⱼ) = exp(−‖zᵢ − zⱼ‖² / (2σ²)) with the median heuristic σ = median of the pairwise
 * Euclidean distances of the pooled sample (σ = 1 if that median is 0). Cost: O(N² d + N² log N), N = n + m.
 */
export function pooledRbfKernel(points: readonly (readonly number[])[]): { kernel: Float64Array; bandwidth: number } {
  const N = points.length;
  const sq = new Float64Array(N * N);
  const distances = new Float64Array((N * (N - 1)) / 2);
  let p = 0;
  for (let i = 0; i < N; i++) {
    const a = points[i] as readonly number[];
    for (let j = i + 1; j < N; j++) {
      const b = points[j] as readonly number[];
      let s = 0;
      for (let k = 0; k < a.length; k++) {
        const diff = (a[k] as number) - (b[k] as number);
        s += diff * diff;
      }
      sq[i * N + j] = s;
      distances[p++] = Math.sqrt(s);
    }
  }
  let bandwidth = medianInPlace(distances);
  if (!(bandwidth > 0)) bandwidth = 1;
  const gamma = 1 / (2 * bandwidth * bandwidth);
  const kernel = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    kernel[i * N + i] = 1;
    for (let j = i + 1; j < N; j++) {
      const k = Math.exp(-gamma * (sq[i * N + j] as number));
      kernel[i * N + j] = k;
      kernel[j * N + i] = k;
    }
  }
  return { kernel, bandwidth };
}

/**
 * Unbiased MMD² for a split of the pooled sample: group[i] = 0 for the first sample, 1 for the second.
 * Σ_{i≠j∈X} k/(n(n−1)) + Σ_{i≠j∈Y} k/(m(m−1)) − 2 Σ_{X×Y} k/(nm). Cost: O(N²).
 */
export function unbiasedMmd2(kernel: Float64Array, group: Uint8Array, n: number, m: number): number {
  const N = n + m;
  let xx = 0;
  let yy = 0;
  let xy = 0;
  for (let i = 0; i < N; i++) {
    const gi = group[i];
    for (let j = i + 1; j < N; j++) {
      const k = kernel[i * N + j] as number;
      if (gi !== group[j]) xy += k;
      else if (gi === 0) xx += k;
      else yy += k;
    }
  }
  return (2 * xx) / (n * (n - 1)) + (2 * yy) / (m * (m - 1)) - (2 * xy) / (n * m);
}

/**
 * Maximum Mean Discrepancy test between two sets of vectors (embeddings).
 *
 * Formula: unbiased MMD² (Gretton et al. 2012, eq. 3) with the RBF kernel k(x, y) = exp(−‖x − y‖²/(2σ²)), σ = median pairwise
 * distance of the pooled sample; p = (1 + #{b : MMD²_b ≥ MMD²}) / (1 + B) over B seeded random relabellings of the pooled sample.
 * Drift when p < threshold (default 0.05). The statistic is deterministic; the p-value is deterministic for a given seed.
 * Reference: Gretton, Borgwardt, Rasch, Schölkopf, Smola (2012), "A Kernel Two-Sample Test", JMLR 13,
 * https://jmlr.org/papers/v13/gretton12a.html
 * Cost: O(N² d + N² log N + B·N²) time, O(N²) memory, N = n + m — meant for samples of a few thousand vectors at most.
 */
export function mmdTest(reference: readonly (readonly number[])[], current: readonly (readonly number[])[], options: MmdOptions = {}): DriftResult {
  const d = assertVectors('reference', reference);
  assertVectors('current', current, d);
  const threshold = resolveThreshold('mmdTest', options.threshold, mmdDriftTest.defaultThreshold);
  const permutations = options.permutations ?? DEFAULT_MMD_PERMUTATIONS;
  if (!Number.isInteger(permutations) || permutations < 1) throw new Error(`mmdTest: options.permutations must be a positive integer, got ${String(permutations)}`);
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed)) throw new Error(`mmdTest: options.seed must be an integer, got ${String(seed)}`);
  const n = reference.length;
  const m = current.length;
  const { kernel } = pooledRbfKernel([...reference, ...current]);
  const group = new Uint8Array(n + m);
  group.fill(1, n);
  const observed = unbiasedMmd2(kernel, group, n, m);
  const random = seededRandom(seed);
  let atLeast = 0;
  for (let b = 0; b < permutations; b++) {
    shuffleInPlace(group, random);
    if (unbiasedMmd2(kernel, group, n, m) >= observed) atLeast++;
  }
  return makeResult(mmdDriftTest, observed, threshold, (1 + atLeast) / (1 + permutations));
}

export const mmdDriftTest: DriftTest<readonly (readonly number[])[], MmdOptions> = {
  method: 'mmd',
  displayName: 'Maximum Mean Discrepancy (RBF, permutation p-value)',
  accepts: ['vectors'],
  defaultThreshold: 0.05,
  verdict: 'p-value-below',
  lowerPValueMeansDrift: true,
  run: mmdTest,
};
