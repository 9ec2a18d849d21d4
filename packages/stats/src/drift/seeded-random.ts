/**
 * A small deterministic pseudo-random generator for permutation tests: a 32-bit xorshift (Marsaglia 2003, shifts 13/17/5)
 * seeded through an integer hash so that nearby seeds give unrelated streams. Not for cryptography.
 * Reference: Marsaglia (2003), "Xorshift RNGs", JSS 8(14), https://doi.org/10.18637/jss.v008.i14 . Cost: O(1) per draw.
 */
export function seededRandom(seed: number): () => number {
  if (!Number.isInteger(seed)) throw new Error(`seededRandom: seed must be an integer, got ${seed}`);
  // integer avalanche of the seed (multiply–xorshift), never 0
  let s = (seed ^ 0x9e3779b9) >>> 0;
  s = Math.imul(s ^ (s >>> 16), 0x85ebca6b) >>> 0;
  s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35) >>> 0;
  s = (s ^ (s >>> 16)) >>> 0 || 0x6d2b79f5;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** Fisher–Yates shuffle in place with the given generator. Cost: O(n). */
export function shuffleInPlace<T>(items: T[] | Uint8Array, random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = items[i] as T;
    items[i] = items[j] as T;
    items[j] = t;
  }
}
