import { describe, expect, it } from 'vitest';
import type { WindowConfig } from '../config/aggregator-config.js';
import { ExponentialHistogram } from '@driftwatch/stats';
import { ByteReader, ByteWriter } from '../sketch/byte-codec.js';
import { HistogramAccumulator } from '../sketch/histogram-accumulator.js';
import { bucketsView } from '../sketch/histogram-view.js';
import type { MomentsAccumulator } from '../sketch/moments-accumulator.js';
import { HISTOGRAM_KIND, MOMENTS_KIND } from '../state/series-kinds.js';
import { windowSetOf } from './window-set.js';
import { WindowedSeries, type SliceRow } from './windowed-series.js';

const MIN = 60_000;
const windows: WindowConfig[] = [
  { name: '10m', durationMs: 10 * MIN, sliceMs: MIN },
  { name: '1h', durationMs: 60 * MIN, sliceMs: 10 * MIN },
];
const T0 = 1_700_000_000_000 - (1_700_000_000_000 % (60 * MIN)); // an hour boundary

function series(): WindowedSeries<MomentsAccumulator> {
  return new WindowedSeries(windowSetOf(windows), MOMENTS_KIND);
}

/** Adds `count` at minute `m` after T0. */
function add(s: WindowedSeries<MomentsAccumulator>, minute: number, count: number): void {
  s.current(T0 + minute * MIN + 1).add(count, count);
}

describe('WindowedSeries', () => {
  it('sums the slices inside each window and expires old ones', () => {
    const s = series();
    for (let m = 0; m < 90; m++) add(s, m, m + 1); // minute m carries m+1
    const now = T0 + 89 * MIN + 30_000;
    // 10m window: minutes 80..89 (the open minute and the 9 before)
    expect(s.snapshot('10m', now).count).toBe(sum(81, 90));
    // 1h window with 10-minute slices: slices 30..80 (6 slices incl. the open one) = minutes 30..89
    expect(s.snapshot('1h', now).count).toBe(sum(31, 90));
    // much later, everything expired
    expect(s.snapshot('1h', now + 2 * 60 * MIN).count).toBe(0);
    expect(s.isEmpty(now + 2 * 60 * MIN)).toBe(true);
  });

  it('keeps slices across idle gaps and reads windows without new data', () => {
    const s = series();
    add(s, 0, 5);
    add(s, 3, 7);
    expect(s.snapshot('10m', T0 + 9 * MIN).count).toBe(12);
    expect(s.snapshot('10m', T0 + 10 * MIN).count).toBe(7); // minute 0 left the 10-minute window
    expect(s.snapshot('1h', T0 + 59 * MIN).count).toBe(12);
    expect(s.snapshot('1h', T0 + 60 * MIN).count).toBe(0); // slice 0-10 expired
  });

  it('captures a time range from the finest ring that covers it, without double counting', () => {
    const s = series();
    for (let m = 0; m < 60; m++) add(s, m, 1);
    const now = T0 + 59 * MIN + 1;
    // last 5 minutes: fine slices
    expect(s.capture(T0 + 55 * MIN, now, now).count).toBe(5);
    // the whole hour: fine ring covers 50..59, coarse ring 0..49
    expect(s.capture(T0, now, now).count).toBe(60);
    // a range inside the coarse-only period, rounded out to 10-minute slices
    expect(s.capture(T0 + 12 * MIN, T0 + 25 * MIN, now).count).toBe(20);
    // nothing before the data
    expect(s.capture(T0 - 60 * MIN, T0 - 1, now).count).toBe(0);
  });

  it('persists changes incrementally and restores to the same windows', () => {
    const s = series();
    const rows = new Map<string, SliceRow>();
    const flush = (): void => {
      const c = s.takeChanges();
      if (c.base) {
        for (const k of [...rows.keys()]) if (k.startsWith('|')) rows.delete(k);
        if (c.base.payload) rows.set(`|${c.base.index}`, { window: '', index: c.base.index, payload: c.base.payload });
      }
      for (const r of c.upserts) rows.set(`${r.window}|${r.index}`, r);
      for (const d of c.deleteBelow) for (const [k, r] of rows) if (r.window === d.window && r.index < d.index) rows.delete(k);
    };
    for (let m = 0; m < 75; m++) {
      add(s, m, 2);
      if (m % 7 === 0) flush();
    }
    flush();
    const now = T0 + 74 * MIN + 1;
    const restored = series();
    restored.restore([...rows.values()], now);
    for (const w of ['10m', '1h']) expect(restored.snapshot(w, now).count).toBe(s.snapshot(w, now).count);
    // and keeps working after a restore, across a rotation
    add(restored, 75, 3);
    add(s, 75, 3);
    const later = T0 + 75 * MIN + 1;
    for (const w of ['10m', '1h']) expect(restored.snapshot(w, later).count).toBe(s.snapshot(w, later).count);
    // restoring later than the data folds the old base slice in exactly once
    const late = series();
    late.restore([...rows.values()], T0 + 80 * MIN);
    expect(late.snapshot('1h', T0 + 80 * MIN).count).toBe(s.snapshot('1h', T0 + 80 * MIN).count - 3);
  });

  it('packs closed slices compactly', () => {
    const s = series();
    for (let m = 0; m < 60; m++) add(s, m, 1);
    // 10 fine + 5 coarse slices of 16-byte moments plus record headers and running sums
    expect(s.packedBytes()).toBeLessThan(700);
  });
});

describe('WindowedSeries of histograms', () => {
  /** Minute m's values: 40 values around 10 + m / 10. */
  const valuesAt = (m: number): number[] => Array.from({ length: 40 }, (_, i) => 10 + m / 10 + Math.sin(i * 1.3 + m) * 3);
  const histogram = (values: readonly number[]): ExponentialHistogram => {
    const h = new ExponentialHistogram();
    h.recordMany(values);
    return h;
  };
  const fill = (s: WindowedSeries<HistogramAccumulator>, to: number): void => {
    for (let m = 0; m < to; m++) {
      const d = histogram(valuesAt(m)).toData();
      s.current(T0 + m * MIN + 1).merge({ ...d, min: d.min ?? Infinity, max: d.max ?? -Infinity, positive: bucketsView(d.positive.offset, d.positive.bucketCounts), negative: bucketsView(d.negative.offset, d.negative.bucketCounts) });
    }
  };
  const hseries = (): WindowedSeries<HistogramAccumulator> => new WindowedSeries(windowSetOf(windows), HISTOGRAM_KIND);

  it('holds exactly the slices of each window, through rotations and the dense packing of closed slices', () => {
    const s = hseries();
    fill(s, 150);
    const now = T0 + 149 * MIN + 30_000;
    // 10m: minutes 140..149; 1h (10-minute slices): slices 9..14 = minutes 90..149
    for (const [w, from] of [['10m', 140], ['1h', 90]] as const) {
      const expected = histogram(Array.from({ length: 150 - from }, (_, k) => valuesAt(from + k)).flat()).toData();
      const got = s.snapshot(w, now).toData();
      expect({ ...got, sum: 0 }).toEqual({ ...expected, sum: 0 });
      expect(got.sum).toBeCloseTo(expected.sum, 6);
    }
  });

  it('restores rows written before closed slices were packed densely (zigzag varints), to the same windows', () => {
    const s = hseries();
    fill(s, 75);
    const c = s.takeChanges();
    const rows: SliceRow[] = [...c.upserts];
    if (c.base?.payload) rows.push({ window: '', index: c.base.index, payload: c.base.payload });
    const old = rows.map((row) => {
      const acc = new HistogramAccumulator();
      acc.mergeEncoded(new ByteReader(row.payload));
      const w = new ByteWriter();
      acc.encode(w, false);
      return { ...row, payload: w.finish() };
    });
    expect(old.some((row, i) => row.payload.length > (rows[i] as SliceRow).payload.length)).toBe(true);
    const now = T0 + 74 * MIN + 1;
    const restored = hseries();
    restored.restore(old, now);
    for (const w of ['10m', '1h']) expect(restored.snapshot(w, now).toData()).toEqual(s.snapshot(w, now).toData());
  });
});

function sum(from: number, to: number): number {
  let s = 0;
  for (let i = from; i <= to; i++) s += i;
  return s;
}
