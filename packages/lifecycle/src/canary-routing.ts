const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const encoder = new TextEncoder();

/**
 * 32-bit FNV-1a of the UTF-8 bytes of `text`, as an unsigned integer.
 * http://www.isthe.com/chongo/tech/comp/fnv/ — O(length).
 */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of encoder.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/** Buckets of the routing space: weights are honoured in steps of 0.01 %. */
export const ROUTING_BUCKETS = 10_000;

/** The bucket (0 … 9999) of a routing key: `fnv1a32(key) mod 10000`. */
export function routingBucket(key: string): number {
  return fnv1a32(key) % ROUTING_BUCKETS;
}

/**
 * Deterministic canary routing: true when the request with this key (a user or entity id) goes to
 * the canary at `weightPercent` (0–100, fractions allowed). The same key always routes the same way
 * at a given weight, and raising the weight only moves keys from primary to canary (a key routed to
 * the canary at 10 % stays there at 25 %). Throws RangeError for a weight outside 0–100. O(key length).
 *
 * The split is exact over buckets (bucket < weight · 100); the hash makes keys near-uniform over
 * buckets (the modulo bias of 2^32 mod 10000 is below 3·10⁻⁶ relative).
 */
export function routeCanary(key: string, weightPercent: number): boolean {
  if (!(weightPercent >= 0 && weightPercent <= 100)) throw new RangeError(`canary weight must be within 0-100, got ${weightPercent}`);
  return routingBucket(key) < Math.round(weightPercent * (ROUTING_BUCKETS / 100));
}
