import { fnv1a32 as lifecycleFnv1a32, routeCanary, routingBucket as lifecycleRoutingBucket } from '@driftwatch/lifecycle';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fmix32, fnv1a32, routingBucket, routingThreshold, samplingHash, samplingThreshold } from './key-hash.js';

const SEED = { seed: 20260701, numRuns: 2000 };
// strings with every UTF-8 length, surrogate pairs and lone surrogates
const anyString = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string({ unit: fc.integer({ min: 0xd000, max: 0xe000 }).map((c) => String.fromCharCode(c)) }));

describe('key hashing', () => {
  it('fnv1a32 matches the published FNV-1a test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('fnv1a32 (allocation-free UTF-8) equals @driftwatch/lifecycle fnv1a32 (TextEncoder) on any string', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        expect(fnv1a32(s)).toBe(lifecycleFnv1a32(s));
      }),
      SEED,
    );
    for (const s of ['\ud800', 'a\udc00b', '\ud83d\ude00', 'é', '€', '\u0800', '\uffff']) expect(fnv1a32(s)).toBe(lifecycleFnv1a32(s));
  });

  it('routes exactly like routeCanary of @driftwatch/lifecycle (weight as a fraction here, percent there)', () => {
    fc.assert(
      fc.property(anyString, fc.integer({ min: 0, max: 10_000 }), (key, basisPoints) => {
        const weight = basisPoints / 10_000;
        expect(routingBucket(key)).toBe(lifecycleRoutingBucket(key));
        expect(routingBucket(key) < routingThreshold(weight)).toBe(routeCanary(key, weight * 100));
      }),
      SEED,
    );
  });

  it('fmix32 is murmur3 fmix32 (known values) and the sampling hash is independent of the routing bucket', () => {
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
    // keys routed to a 10 % canary are sampled at 10 % like the others (not all or none)
    let canary = 0;
    let canarySampled = 0;
    for (let i = 0; i < 100_000; i++) {
      const key = `user-${i}`;
      if (routingBucket(key) < routingThreshold(0.1)) {
        canary++;
        if (samplingHash(key) < samplingThreshold(0.1)) canarySampled++;
      }
    }
    expect(canary).toBeGreaterThan(9_000);
    expect(canarySampled / canary).toBeGreaterThan(0.08);
    expect(canarySampled / canary).toBeLessThan(0.12);
  });

  it('sampling threshold: rate 0 samples nothing, rate 1 everything', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        expect(samplingHash(s) < samplingThreshold(0)).toBe(false);
        expect(samplingHash(s) < samplingThreshold(1)).toBe(true);
      }),
      SEED,
    );
  });
});
