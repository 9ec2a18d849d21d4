import { ExponentialHistogram } from '@driftwatch/stats';
import { describe, expect, it } from 'vitest';
import { bucketsView, type HistogramView } from '../sketch/histogram-view.js';
import { RECENT_DELTA_POINTS, StreamStore, TEMPORALITY_CUMULATIVE as CUM, TEMPORALITY_DELTA as DELTA } from './stream-store.js';

function view(h: ExponentialHistogram): HistogramView {
  const d = h.toData();
  return { ...d, min: d.min ?? Infinity, max: d.max ?? -Infinity, positive: bucketsView(d.positive.offset, d.positive.bucketCounts), negative: bucketsView(d.negative.offset, d.negative.bucketCounts) };
}

describe('StreamStore sums', () => {
  it('takes the first cumulative point whole, then differences', () => {
    const s = new StreamStore(100, 60_000);
    expect(s.sum('k', 1n, 10n, 5, CUM, 0)).toEqual({ verdict: 'first', delta: 5 });
    expect(s.sum('k', 1n, 20n, 8, CUM, 0)).toEqual({ verdict: 'delta', delta: 3 });
    expect(s.sum('k', 1n, 30n, 8, CUM, 0)).toEqual({ verdict: 'delta', delta: 0 });
  });

  it('adds nothing for a retried (same or older timestamp) export', () => {
    const s = new StreamStore(100, 60_000);
    s.sum('k', 1n, 10n, 5, CUM, 0);
    s.sum('k', 1n, 20n, 8, CUM, 0);
    expect(s.sum('k', 1n, 20n, 8, CUM, 0)).toEqual({ verdict: 'duplicate', delta: 0 });
    expect(s.sum('k', 1n, 10n, 5, CUM, 0)).toEqual({ verdict: 'duplicate', delta: 0 });
    expect(s.sum('k', 1n, 30n, 9, CUM, 0)).toEqual({ verdict: 'delta', delta: 1 });
  });

  it('treats a new start time or a decrease as a reset, counted and never negative', () => {
    const s = new StreamStore(100, 60_000);
    s.sum('k', 1n, 10n, 50, CUM, 0);
    expect(s.sum('k', 2n, 11n, 4, CUM, 0)).toEqual({ verdict: 'reset', delta: 4 });
    expect(s.sum('k', 2n, 12n, 1, CUM, 0)).toEqual({ verdict: 'reset', delta: 1 });
    expect(s.resets).toBe(2);
    // a late point of the previous incarnation is stale
    expect(s.sum('k', 1n, 13n, 60, CUM, 0)).toEqual({ verdict: 'stale', delta: 0 });
    // KPI totals may go down without a reset
    s.sum('kpi', 1n, 10n, 50, CUM, 0, true);
    expect(s.sum('kpi', 1n, 20n, 45, CUM, 0, true)).toEqual({ verdict: 'delta', delta: -5 });
  });

  it('compares and persists timestamps over the whole uint64 range (beyond 2^53 and 2^63)', () => {
    const s = new StreamStore(100, 60_000);
    const start = 2n ** 63n + 1n;
    const max = 2n ** 64n - 1n;
    expect(s.sum('k', start, max - 2n, 5, CUM, 0)).toEqual({ verdict: 'first', delta: 5 });
    // one nanosecond apart: doubles could not tell these times apart
    expect(s.sum('k', start, max - 1n, 7, CUM, 0)).toEqual({ verdict: 'delta', delta: 2 });
    expect(s.sum('k', start, max - 1n, 7, CUM, 0)).toEqual({ verdict: 'duplicate', delta: 0 });
    expect(s.sum('k', start - 1n, max, 9, CUM, 0)).toEqual({ verdict: 'stale', delta: 0 });
    expect(s.sum('k', start, max, 9, CUM, 0)).toEqual({ verdict: 'delta', delta: 2 });
    const { upserts } = s.takeChanges();
    expect(upserts).toEqual([{ key: 'k', startNs: start, timeNs: max, seenMs: 0, payload: expect.any(Uint8Array) }]);
    const restored = new StreamStore(100, 60_000);
    restored.restore(upserts);
    expect(restored.sum('k', start, max, 10, CUM, 0)).toEqual({ verdict: 'duplicate', delta: 0 });
    expect(restored.sum('k', start + 1n, max, 10, CUM, 0)).toEqual({ verdict: 'reset', delta: 10 });
  });

  it('passes delta points through, dropping exact repeats', () => {
    const s = new StreamStore(100, 60_000);
    expect(s.sum('d', 10n, 20n, 3, DELTA, 0)).toEqual({ verdict: 'delta', delta: 3 });
    expect(s.sum('d', 10n, 20n, 3, DELTA, 0)).toEqual({ verdict: 'duplicate', delta: 0 });
    expect(s.sum('d', 20n, 30n, 4, DELTA, 0)).toEqual({ verdict: 'delta', delta: 4 });
    expect(s.takeChanges().upserts).toEqual([]); // delta streams are not persisted
  });

  it('drops a retried delta point that arrives after newer ones, within the last RECENT_DELTA_POINTS', () => {
    const s = new StreamStore(100, 60_000);
    for (let i = 0n; i < BigInt(RECENT_DELTA_POINTS); i++) expect(s.sum('d', i * 10n, i * 10n + 10n, 1, DELTA, 0).verdict).toBe('delta');
    expect(s.sum('d', 0n, 10n, 1, DELTA, 0)).toEqual({ verdict: 'duplicate', delta: 0 }); // the oldest remembered
    expect(s.sum('d', 30n, 40n, 1, DELTA, 0)).toEqual({ verdict: 'duplicate', delta: 0 });
    expect(s.sum('d', 80n, 90n, 1, DELTA, 0).verdict).toBe('delta');
    expect(s.sum('d', 5n, 10n, 1, DELTA, 0).verdict).toBe('delta'); // a different interval is new data
  });

  it('bounds the number of streams and forgets idle ones', () => {
    const s = new StreamStore(2, 1_000);
    s.sum('a', 1n, 1n, 1, CUM, 0);
    s.sum('b', 1n, 1n, 1, CUM, 0);
    expect(s.sum('c', 1n, 1n, 1, CUM, 0).verdict).toBe('full');
    s.sum('a', 1n, 2n, 2, CUM, 900);
    expect(s.sweep(1_500)).toBe(1); // b idle for 1.5 s
    expect(s.sum('c', 1n, 1n, 1, CUM, 1_500).verdict).toBe('first');
    expect(s.takeChanges().deletes).toEqual(['b']);
    // c took over b's place for timestamps: a's are its own, c's its own, and b comes back as a new stream
    expect(s.sum('a', 1n, 2n, 2, CUM, 1_500).verdict).toBe('duplicate');
    expect(s.sum('c', 1n, 1n, 1, CUM, 1_500).verdict).toBe('duplicate');
    expect(s.sum('c', 1n, 3n, 4, CUM, 1_500)).toEqual({ verdict: 'delta', delta: 3 });
    expect(s.sum('a', 1n, 3n, 5, CUM, 1_500)).toEqual({ verdict: 'delta', delta: 3 });
  });

  it('writes each changed stream once per flush, and not one forgotten since', () => {
    const s = new StreamStore(100, 1_000);
    s.sum('a', 1n, 1n, 1, CUM, 0);
    s.sum('a', 1n, 2n, 2, CUM, 0);
    s.sum('b', 1n, 1n, 1, CUM, 900);
    expect(s.sweep(1_500)).toBe(1); // a idle for 1.5 s
    expect(s.takeChanges()).toEqual({ upserts: [expect.objectContaining({ key: 'b', timeNs: 1n })], deletes: ['a'] });
    expect(s.takeChanges()).toEqual({ upserts: [], deletes: [] });
    s.sum('b', 1n, 5n, 3, CUM, 1_600);
    expect(s.takeChanges().upserts.map((r) => r.key)).toEqual(['b']);
  });

  it('persists and restores the last points so the next point is diffed, not taken whole', () => {
    const s = new StreamStore(100, 60_000);
    s.sum('k', 1n, 10n, 5, CUM, 0);
    const h1 = new ExponentialHistogram();
    h1.recordMany([1, 2, 3]);
    s.expHistogram('h', 1n, 10n, view(h1), CUM, 0);
    const rows = s.takeChanges().upserts;
    expect(rows.map((r) => r.key).sort()).toEqual(['h', 'k']);
    const restored = new StreamStore(100, 60_000);
    expect(restored.restore(rows)).toBe(0);
    expect(restored.sum('k', 1n, 20n, 9, CUM, 0)).toEqual({ verdict: 'delta', delta: 4 });
    const h2 = h1.clone();
    h2.recordMany([4, 5]);
    const r = restored.expHistogram('h', 1n, 20n, view(h2), CUM, 0);
    expect(r.verdict).toBe('delta');
    expect(r.delta?.count).toBe(2);
  });
});

describe('StreamStore last points', () => {
  it('persists just the last point when it is written over a wider one (its arrays keep their room)', () => {
    const wide = new ExponentialHistogram();
    wide.recordMany(Array.from({ length: 200 }, (_, i) => 1 + i / 10));
    const small = new ExponentialHistogram();
    small.recordMany([7]);
    const s = new StreamStore(100, 60_000);
    s.expHistogram('h', 1n, 10n, view(wide), CUM, 0);
    expect(s.expHistogram('h', 2n, 20n, view(small), CUM, 0).verdict).toBe('reset');
    const rows = s.takeChanges().upserts;
    // the same row as a stream that only ever saw the small point
    const fresh = new StreamStore(100, 60_000);
    fresh.expHistogram('h', 2n, 20n, view(small), CUM, 0);
    expect(rows).toEqual(fresh.takeChanges().upserts);
    const restored = new StreamStore(100, 60_000);
    expect(restored.restore(rows)).toBe(0);
    const next = small.clone();
    next.recordMany([8, 9]);
    const r = restored.expHistogram('h', 2n, 30n, view(next), CUM, 0);
    expect(r).toMatchObject({ verdict: 'delta', delta: { count: 2 } });
    // and in the first store, the longer array still diffs the next point by the small one
    expect(s.expHistogram('h', 2n, 30n, view(next), CUM, 0)).toMatchObject({ verdict: 'delta', delta: { count: 2 } });
  });
});

describe('StreamStore histograms', () => {
  it('differences cumulative exponential histograms like stats diff', () => {
    const s = new StreamStore(100, 60_000);
    const a = new ExponentialHistogram();
    a.recordMany([1, 2, 3, 4]);
    expect(s.expHistogram('h', 1n, 10n, view(a), CUM, 0).delta?.count).toBe(4);
    const b = a.clone();
    b.recordMany([10, 20]);
    const r = s.expHistogram('h', 1n, 20n, view(b), CUM, 0);
    expect(r.verdict).toBe('delta');
    expect(r.delta?.count).toBe(2);
    expect(r.delta?.sum).toBe(30);
    expect(r.delta?.max).toBe(20);
    expect(s.expHistogram('h', 1n, 20n, view(b), CUM, 0).verdict).toBe('duplicate');
    const c = new ExponentialHistogram();
    c.recordMany([7]);
    const reset = s.expHistogram('h', 1n, 30n, view(c), CUM, 0);
    expect(reset.verdict).toBe('reset');
    expect(reset.delta?.count).toBe(1);
  });

  it('differences explicit-bucket histograms and resets when bounds change', () => {
    const s = new StreamStore(100, 60_000);
    s.explicitHistogram('d', 1n, 10n, { count: 3, sum: 0.3, bounds: [0.1, 1], counts: [1, 2, 0] }, CUM, 0);
    const r = s.explicitHistogram('d', 1n, 20n, { count: 5, sum: 2.3, bounds: [0.1, 1], counts: [1, 3, 1] }, CUM, 0);
    expect(r.delta).toMatchObject({ count: 2, bounds: [0.1, 1], counts: [0, 1, 1] });
    expect(r.delta?.sum).toBeCloseTo(2, 12);
    const changed = s.explicitHistogram('d', 1n, 30n, { count: 6, sum: 2.4, bounds: [0.1, 0.5, 1], counts: [2, 2, 1, 1] }, CUM, 0);
    expect(changed.verdict).toBe('reset');
  });
});
