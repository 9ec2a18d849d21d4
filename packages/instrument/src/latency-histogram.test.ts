import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKET_BOUNDS_SECONDS, LatencyHistogram } from './latency-histogram.js';

describe('LatencyHistogram', () => {
  it('counts a duration in the first bucket whose upper bound is ≥ it (bounds inclusive), above 60 s in the last', () => {
    const h = new LatencyHistogram();
    for (const s of [0, 0.0001, 0.00010001, 0.001, 59.9, 60, 61, -1, NaN, Infinity]) h.record(s);
    const nonZero = [...h.counts.entries()].filter(([, c]) => c > 0);
    expect(nonZero).toEqual([
      [0, 2],
      [1, 1],
      [3, 1],
      [17, 2],
      [18, 1],
    ]);
    expect(h.count).toBe(7);
    expect(h.minSeconds).toBe(0);
    expect(h.maxSeconds).toBe(61);
    expect(h.counts.length).toBe(LATENCY_BUCKET_BOUNDS_SECONDS.length + 1);
    expect([...LATENCY_BUCKET_BOUNDS_SECONDS]).toEqual([...LATENCY_BUCKET_BOUNDS_SECONDS].sort((a, b) => a - b));
  });
});
