import type { WindowConfig } from '../config/aggregator-config.js';
import { ByteReader, ByteWriter } from '../sketch/byte-codec.js';
import type { SliceAccumulator } from '../sketch/slice-accumulator.js';
import { EMPTY_RECORDS, firstRecordIndex, iterateRecords, rebuildRecords } from './slice-records.js';
import type { WindowSet } from './window-set.js';

/** How to create and combine the accumulators of one series. */
export interface SliceKind<A extends SliceAccumulator> {
  create(): A;
  merge(into: A, from: A): void;
}

/** One persisted slice: `window` is a window name, or `''` for the open base slice. */
export interface SliceRow {
  readonly window: string;
  readonly index: number;
  readonly payload: Uint8Array;
}

/** What changed since the last {@link WindowedSeries.takeChanges}: rows to write and rows to delete. */
export interface SeriesChanges {
  /** The base slice: written when non-empty; all other base rows are deleted. */
  readonly base: { readonly index: number; readonly payload: Uint8Array | undefined } | undefined;
  readonly upserts: SliceRow[];
  /** Delete the window's rows with a lower index (expired slices). */
  readonly deleteBelow: Array<{ readonly window: string; readonly index: number }>;
}

interface Ring {
  readonly config: WindowConfig;
  /** Base slices per ring slice. */
  readonly ratio: number;
  /** Closed slices (see slice-records.ts). */
  records: Uint8Array;
  /** The ring slice being filled from closed base slices (only when ratio > 1). */
  openIndex: number;
  open: Uint8Array | undefined;
  /** All closed slices merged (kept so an evaluation decodes 3 payloads, not the whole ring). */
  running: Uint8Array | undefined;
  unsaved: number[];
  openDirty: boolean;
  expireBelow: number;
}

const writer = new ByteWriter(4096);

function encodeOf(acc: SliceAccumulator): Uint8Array {
  writer.reset();
  acc.encode(writer);
  return writer.finish();
}

/**
 * Time-sliced state of one series (e.g. the values of one feature of one model version).
 *
 * New data goes into the open base slice (the smallest slice length, e.g. 5 min). When time passes its end, the base
 * slice is folded into every window's ring: directly as a slice when the window uses the base length, else into
 * the window's open coarse slice (e.g. the current hour). Window `w` at time `t` covers the ring slices with index
 * in `(⌊t/slice⌋ − n, ⌊t/slice⌋]`, n = duration/slice — i.e. between `duration − slice` and `duration` of
 * history plus the open slice. Closed slices are packed (varints, see `slice-records.ts`), and each ring keeps their
 * running merge, rebuilt at each rotation (once per slice length), so reading a window merges three payloads.
 *
 * Memory: one mutable accumulator (the base slice) plus, per window, one packed buffer of its closed slices,
 * the packed running merge and the packed open coarse slice.
 */
export class WindowedSeries<A extends SliceAccumulator> {
  private readonly base: A;
  private baseIndex = -1;
  private baseDirty = false;
  private readonly rings: Ring[];

  constructor(
    readonly set: WindowSet,
    private readonly kind: SliceKind<A>,
  ) {
    this.base = kind.create();
    this.rings = set.windows.map((config) => ({
      config,
      ratio: config.sliceMs / set.baseMs,
      records: EMPTY_RECORDS,
      openIndex: -1,
      open: undefined,
      running: undefined,
      unsaved: [],
      openDirty: false,
      expireBelow: -1,
    }));
  }

  /** The accumulator new data at `nowMs` goes into (rotating first when the base slice has ended). */
  current(nowMs: number): A {
    this.advance(nowMs);
    this.baseDirty = true;
    return this.base;
  }

  /** Closes the base slice, folds it into the rings and expires old slices once `nowMs` is past its end. Returns true when it rotated. */
  advance(nowMs: number): boolean {
    const index = Math.floor(nowMs / this.set.baseMs);
    if (index <= this.baseIndex) return false;
    if (this.baseIndex >= 0 && !this.base.isEmpty) this.foldBase();
    if (this.baseIndex >= 0) this.baseDirty = true;
    this.base.clear();
    this.baseIndex = index;
    for (const ring of this.rings) this.roll(ring, nowMs);
    return true;
  }

  private foldBase(): void {
    const payload = encodeOf(this.base);
    const startMs = this.baseIndex * this.set.baseMs;
    for (const ring of this.rings) {
      const index = Math.floor(startMs / ring.config.sliceMs);
      if (ring.ratio === 1) {
        this.append(ring, index, payload);
        continue;
      }
      if (ring.open && ring.openIndex !== index) this.closeOpen(ring);
      const merged = this.kind.create();
      if (ring.open) merged.mergeEncoded(new ByteReader(ring.open));
      merged.mergeEncoded(new ByteReader(payload));
      ring.open = encodeOf(merged);
      ring.openIndex = index;
      ring.openDirty = true;
    }
  }

  private closeOpen(ring: Ring): void {
    if (!ring.open) return;
    this.append(ring, ring.openIndex, ring.open);
    ring.open = undefined;
    ring.openIndex = -1;
    ring.openDirty = false;
  }

  private append(ring: Ring, index: number, payload: Uint8Array): void {
    ring.records = rebuildRecords(ring.records, 0, [[index, payload]]);
    ring.unsaved.push(index);
    ring.running = undefined;
  }

  private roll(ring: Ring, nowMs: number): void {
    const current = Math.floor(nowMs / ring.config.sliceMs);
    if (ring.open && ring.openIndex < current) this.closeOpen(ring);
    const minIndex = current - ring.config.durationMs / ring.config.sliceMs + 1;
    const first = firstRecordIndex(ring.records);
    if (first !== undefined && first < minIndex) {
      ring.records = rebuildRecords(ring.records, minIndex, []);
      ring.unsaved = ring.unsaved.filter((i) => i >= minIndex);
      ring.running = undefined;
    }
    if (ring.open && ring.openIndex < minIndex) {
      ring.open = undefined;
      ring.openIndex = -1;
    }
    ring.expireBelow = Math.max(ring.expireBelow, minIndex);
    if (ring.running === undefined && ring.records.length > 0) {
      const acc = this.kind.create();
      for (const rec of iterateRecords(ring.records)) acc.mergeEncoded(new ByteReader(ring.records, rec.start, rec.end));
      ring.running = encodeOf(acc);
    }
  }

  private ringOf(window: string): Ring {
    const ring = this.rings.find((r) => r.config.name === window);
    if (!ring) throw new Error(`unknown window ${JSON.stringify(window)}`);
    return ring;
  }

  /** Everything in window `window` at `nowMs`, as a fresh accumulator. Cost: three payload merges. */
  snapshot(window: string, nowMs: number): A {
    return this.snapshotInto(window, nowMs, this.kind.create());
  }

  /**
   * {@link snapshot} into an accumulator the caller reuses (cleared first), so that reading many windows allocates
   * nothing once the accumulator has grown to the widest span. Returns `into`.
   */
  snapshotInto(window: string, nowMs: number, into: A): A {
    this.advance(nowMs);
    const ring = this.ringOf(window);
    const acc = into;
    acc.clear();
    if (ring.running) acc.mergeEncoded(new ByteReader(ring.running));
    if (ring.open) acc.mergeEncoded(new ByteReader(ring.open));
    this.kind.merge(acc, this.base);
    return acc;
  }

  /**
   * The slices overlapping `[fromMs, toMs)`, merged: the finest ring covering each period is used, coarser rings
   * only for time before the finer ones begin (a coarse slice overlapping a finer ring's period is skipped, so
   * nothing is counted twice). The range is therefore rounded out to slice boundaries.
   */
  capture(fromMs: number, toMs: number, nowMs: number): A {
    this.advance(nowMs);
    const acc = this.kind.create();
    let coveredFrom = Infinity;
    const rings = [...this.rings].sort((a, b) => a.config.sliceMs - b.config.sliceMs);
    for (const ring of rings) {
      const sliceMs = ring.config.sliceMs;
      let earliest = Infinity;
      const take = (index: number, payload: Uint8Array | A): void => {
        const start = index * sliceMs;
        earliest = Math.min(earliest, start);
        if (start + sliceMs <= fromMs || start >= toMs || start + sliceMs > coveredFrom) return;
        if (payload instanceof Uint8Array) acc.mergeEncoded(new ByteReader(payload));
        else this.kind.merge(acc, payload);
      };
      for (const rec of iterateRecords(ring.records)) take(rec.index, ring.records.subarray(rec.start, rec.end));
      const baseRingIndex = Math.floor((this.baseIndex * this.set.baseMs) / sliceMs);
      if (ring.open) take(ring.openIndex, ring.open);
      if (!this.base.isEmpty) take(baseRingIndex, this.base);
      coveredFrom = Math.min(coveredFrom, earliest);
    }
    return acc;
  }

  /** True when nothing is left in any slice (the series can be dropped). */
  isEmpty(nowMs: number): boolean {
    this.advance(nowMs);
    return this.base.isEmpty && this.rings.every((r) => r.records.length === 0 && !r.open);
  }

  /** Encoded bytes held by this series (closed, running and open slices), for memory accounting. */
  packedBytes(): number {
    let n = 0;
    for (const r of this.rings) n += r.records.length + (r.running?.length ?? 0) + (r.open?.length ?? 0);
    return n;
  }

  /** Rows to write since the last call (for the periodic SQLite flush), and clears the dirty marks. */
  takeChanges(): SeriesChanges {
    const upserts: SliceRow[] = [];
    const deleteBelow: Array<{ window: string; index: number }> = [];
    for (const ring of this.rings) {
      const name = ring.config.name;
      if (ring.unsaved.length > 0) {
        const wanted = new Set(ring.unsaved);
        for (const rec of iterateRecords(ring.records)) {
          if (wanted.has(rec.index)) upserts.push({ window: name, index: rec.index, payload: ring.records.slice(rec.start, rec.end) });
        }
        ring.unsaved = [];
      }
      if (ring.openDirty && ring.open) upserts.push({ window: name, index: ring.openIndex, payload: ring.open });
      ring.openDirty = false;
      if (ring.expireBelow >= 0) deleteBelow.push({ window: name, index: ring.expireBelow });
      ring.expireBelow = -1;
    }
    let base: SeriesChanges['base'];
    if (this.baseDirty) base = { index: this.baseIndex, payload: this.base.isEmpty ? undefined : encodeOf(this.base) };
    this.baseDirty = false;
    return { base, upserts, deleteBelow };
  }

  /** Restores persisted rows (then rotates to `nowMs`); the restored state counts as saved. */
  restore(rows: readonly SliceRow[], nowMs: number): void {
    const byWindow = new Map<string, SliceRow[]>();
    for (const row of rows) {
      const list = byWindow.get(row.window) ?? [];
      list.push(row);
      byWindow.set(row.window, list);
    }
    const baseRows = byWindow.get('') ?? [];
    const baseRow = baseRows.reduce<SliceRow | undefined>((a, b) => (a && a.index >= b.index ? a : b), undefined);
    if (baseRow) {
      this.base.clear();
      this.base.mergeEncoded(new ByteReader(baseRow.payload));
      this.baseIndex = baseRow.index;
    }
    for (const ring of this.rings) {
      const list = (byWindow.get(ring.config.name) ?? []).sort((a, b) => a.index - b.index);
      const last = list.at(-1);
      // the newest row of a coarse ring is its open slice; base slices are folded into it
      if (ring.ratio > 1 && last) {
        list.pop();
        ring.open = last.payload;
        ring.openIndex = last.index;
      }
      ring.records = rebuildRecords(EMPTY_RECORDS, 0, list.map((r) => [r.index, r.payload] as const));
      ring.running = undefined;
      ring.unsaved = [];
      ring.openDirty = false;
    }
    this.advance(nowMs);
    for (const ring of this.rings) if (ring.running === undefined) this.roll(ring, nowMs);
  }
}
