/**
 * A 64-bit hash of a prediction id's string form, in two 32-bit lanes, so the join map can keep 8 bytes per id
 * instead of the id itself (a request id of 36 characters costs 60–600 bytes as a JS string: ids built by
 * concatenation, `crypto.randomUUID()` among them, are rope strings that keep every piece).
 *
 * Lane `high` is FNV-1a over the UTF-16 code units; lane `low` a multiply–rotate over the same units seeded with the
 * length; both end with the murmur3 finaliser and are cross-mixed, so every input bit reaches every output bit.
 * Two distinct ids collide with probability about 2^−64: with n ids waiting, a label joins the wrong prediction with
 * probability about n · 2^−64 (10⁻¹⁵ for the default 10 000). Not a cryptographic hash: ids are not adversarial
 * here (the model server chooses them). Cost: O(length), allocation-free.
 */
export interface IdHash {
  high: number;
  low: number;
}

function finalise(h: number): number {
  let x = h;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) | 0;
}

/** Writes the hash of `key` into `out` (reused by the caller: no allocation) and returns it. */
export function hashId(key: string, out: IdHash): IdHash {
  let high = 0x811c9dc5 | 0;
  let low = (0x9e3779b9 ^ key.length) | 0;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    high = Math.imul(high ^ c, 0x01000193);
    low = Math.imul(low ^ c, 0xcc9e2d51);
    low = (low << 15) | (low >>> 17);
  }
  high = finalise(high);
  low = finalise(low ^ high);
  out.high = finalise(high ^ Math.imul(low, 0x1b873593));
  out.low = low;
  return out;
}
