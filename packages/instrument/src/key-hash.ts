const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * 32-bit FNV-1a of the UTF-8 bytes of `text`, as an unsigned integer, without allocating
 * (the UTF-8 bytes are produced from the UTF-16 code units on the fly; a lone surrogate is
 * hashed as U+FFFD, as `TextEncoder` encodes it). Equal to `fnv1a32` of `@driftwatch/lifecycle`.
 * http://www.isthe.com/chongo/tech/comp/fnv/ — O(length).
 */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET_BASIS;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      hash = Math.imul(hash ^ c, FNV_PRIME);
      continue;
    }
    if (c < 0x800) {
      hash = Math.imul(hash ^ (0xc0 | (c >> 6)), FNV_PRIME);
      hash = Math.imul(hash ^ (0x80 | (c & 0x3f)), FNV_PRIME);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
        hash = Math.imul(hash ^ (0xf0 | (cp >> 18)), FNV_PRIME);
        hash = Math.imul(hash ^ (0x80 | ((cp >> 12) & 0x3f)), FNV_PRIME);
        hash = Math.imul(hash ^ (0x80 | ((cp >> 6) & 0x3f)), FNV_PRIME);
        hash = Math.imul(hash ^ (0x80 | (cp & 0x3f)), FNV_PRIME);
        continue;
      }
      c = 0xfffd; // lone surrogate
    }
    hash = Math.imul(hash ^ (0xe0 | (c >> 12)), FNV_PRIME);
    hash = Math.imul(hash ^ (0x80 | ((c >> 6) & 0x3f)), FNV_PRIME);
    hash = Math.imul(hash ^ (0x80 | (c & 0x3f)), FNV_PRIME);
  }
  return hash >>> 0;
}

/** murmur3's 32-bit finaliser (fmix32): a bijective avalanche mix of a 32-bit value. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Buckets of the canary routing space (weights are honoured in steps of 0.01 %). */
export const ROUTING_BUCKETS = 10_000;

/** The routing bucket (0 … 9999) of a key: `fnv1a32(key) mod 10000`, as `routingBucket` of `@driftwatch/lifecycle`. */
export function routingBucket(key: string): number {
  return fnv1a32(key) % ROUTING_BUCKETS;
}

/** Buckets below this go to the canary at `weight` (a fraction in [0, 1]): `round(weight × 10000)`. */
export function routingThreshold(weight: number): number {
  return Math.round(weight * ROUTING_BUCKETS);
}

const SAMPLING_SALT = 0x9e3779b9;

/**
 * The 32-bit sampling hash of a prediction id: `fmix32(fnv1a32(id) ^ 0x9e3779b9)`. Mixing makes it
 * independent of the routing bucket of the same string, so sampled records are not all canary (or
 * all primary) when the routing key and the prediction id coincide.
 */
export function samplingHash(id: string): number {
  return fmix32(fnv1a32(id) ^ SAMPLING_SALT);
}

/** The id is sampled at `rate` (0–1) when its sampling hash is below `rate × 2^32`. */
export function samplingThreshold(rate: number): number {
  return rate * 4294967296;
}
