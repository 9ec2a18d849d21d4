import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fnv1a32, routeCanary, routingBucket } from './canary-routing.js';

describe('fnv1a32', () => {
  it('matches the published FNV-1a 32-bit test vectors, over UTF-8 bytes', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    expect(fnv1a32('é')).toBe(0x1e9de8c1); // bytes c3 a9
    expect(routingBucket('user-42')).toBe(5499);
  });
});

describe('routeCanary', () => {
  const key = fc.string({ maxLength: 40, unit: 'grapheme' });
  const weight = fc.double({ min: 0, max: 100, noNaN: true });

  it('is deterministic (property)', () => {
    fc.assert(fc.property(key, weight, (k, w) => routeCanary(k, w) === routeCanary(k, w)), { seed: 42, numRuns: 1000 });
  });

  it('routes nothing at weight 0 and everything at weight 100 (property)', () => {
    fc.assert(fc.property(key, (k) => !routeCanary(k, 0) && routeCanary(k, 100)), { seed: 42, numRuns: 1000 });
  });

  it('only ever moves keys to the canary as the weight rises (property)', () => {
    fc.assert(
      fc.property(key, weight, weight, (k, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        return !routeCanary(k, low) || routeCanary(k, high);
      }),
      { seed: 42, numRuns: 1000 },
    );
  });

  it.each([10, 25, 50, 2.5])('sends %d%% of 100 000 distinct keys to the canary (±0.5 points)', (w) => {
    let canary = 0;
    for (let i = 0; i < 100_000; i++) if (routeCanary(`user-${i}`, w)) canary++;
    expect(Math.abs(canary / 100_000 - w / 100)).toBeLessThan(0.005);
  });

  it('rejects weights outside 0-100', () => {
    expect(() => routeCanary('k', -1)).toThrow(RangeError);
    expect(() => routeCanary('k', 101)).toThrow(RangeError);
    expect(() => routeCanary('k', Number.NaN)).toThrow(RangeError);
  });
});
