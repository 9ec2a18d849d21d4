/**
 * A small seeded pseudo-random source, so that every data set, scenario and
 * traffic run of the churn example is reproducible from one integer seed.
 *
 * - Uniforms come from mulberry32, a 32-bit state generator with period 2^32
 *   (good enough for simulation, not for cryptography).
 *   Reference: https://gist.github.com/tommyettinger/46a874533244883189143505d203312c
 * - Normals use the Box–Muller transform: for U1, U2 ~ U(0, 1],
 *   Z0 = sqrt(-2 ln U1) cos(2π U2) and Z1 = sqrt(-2 ln U1) sin(2π U2) are
 *   independent N(0, 1); the second one is cached for the next call.
 *   Reference: https://en.wikipedia.org/wiki/Box%E2%80%93Muller_transform
 *
 * Every draw is O(1).
 */
export interface Random {
  /** uniform on [0, 1) */
  uniform(): number;
  /** normal with the given mean and standard deviation */
  normal(mean?: number, std?: number): number;
  /** exponential with the given mean (inverse CDF: −mean · ln(1 − U)) */
  exponential(mean: number): number;
  /** 1 with probability p, else 0 */
  bernoulli(p: number): 0 | 1;
  /** one of `values`, drawn with probability proportional to `weights` */
  pick<T>(values: readonly T[], weights: readonly number[]): T;
}

/** One mulberry32 step: returns the next 32-bit state and the uniform it yields. */
function mulberry32Step(state: number): { state: number; value: number } {
  const next = (state + 0x6d2b79f5) | 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  const value = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  return { state: next, value };
}

/**
 * Creates a seeded random source. The same seed always gives the same
 * sequence; seeds are taken modulo 2^32.
 */
export function createRandom(seed: number): Random {
  if (!Number.isFinite(seed)) throw new Error(`createRandom: seed must be a finite number, got ${seed}`);
  let state = Math.trunc(seed) | 0;
  let spareNormal: number | undefined;

  const uniform = (): number => {
    const step = mulberry32Step(state);
    state = step.state;
    return step.value;
  };

  const standardNormal = (): number => {
    if (spareNormal !== undefined) {
      const z = spareNormal;
      spareNormal = undefined;
      return z;
    }
    const u1 = 1 - uniform(); // (0, 1]: avoids ln(0)
    const u2 = uniform();
    const radius = Math.sqrt(-2 * Math.log(u1));
    spareNormal = radius * Math.sin(2 * Math.PI * u2);
    return radius * Math.cos(2 * Math.PI * u2);
  };

  return {
    uniform,
    normal: (mean = 0, std = 1) => mean + std * standardNormal(),
    exponential: (mean) => -mean * Math.log(1 - uniform()),
    bernoulli: (p) => (uniform() < p ? 1 : 0),
    pick: <T>(values: readonly T[], weights: readonly number[]): T => {
      if (values.length === 0 || values.length !== weights.length) {
        throw new Error(`pick requires as many weights as values (got ${values.length} values, ${weights.length} weights)`);
      }
      const total = weights.reduce((sum, w) => sum + w, 0);
      if (!(total > 0)) throw new Error('pick requires a positive total weight');
      let threshold = uniform() * total;
      for (let i = 0; i < values.length; i++) {
        threshold -= weights[i] ?? 0;
        if (threshold < 0) return values[i] as T;
      }
      return values[values.length - 1] as T;
    },
  };
}

/**
 * Derives an independent seed for a sub-stream (e.g. labels vs features) so
 * that two streams from one user seed do not share a sequence. Uses the
 * 32-bit finaliser of MurmurHash3 on `seed + stream · golden ratio`.
 */
export function deriveSeed(seed: number, stream: number): number {
  let h = (Math.trunc(seed) + Math.imul(stream, 0x9e3779b9)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
