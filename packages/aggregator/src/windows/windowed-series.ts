import type { WindowConfig } from '../config/aggregator-config.js';
import { ByteReader, ByteWriter } from '../sketch/byte-codec.js';
import type { SliceAccumulator } from '../sketch/slice-accumulator.js';
import { firstRecordIndex, iterateRecords, rebuildRecords } from './slice-records.js';
import type { WindowSet } from './window-set.js';

/** How to create and combine the accumulators of one series. */
export interface SliceKind<A extends SliceAccumulator> {
  /** A long-lived accumulator (the open base slice): compact. */
  create(): A;
  /** One for a merge that is read and dropped (snapshots, rotations): may trade memory for speed; `create` if absent. */
  createTransient?(): A;
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
  /**
   * Byte lengths of the ring's three sections of the series' packed buffer, which holds every ring's sections in ring
   * order: its closed slices (see slice-records.ts), the running merge of those (−1: not computed) and the ring slice
   * being filled from closed base slices (−1: none; only when ratio > 1).
   */
  recordsLength: number;
  runningLength: number;
  openLength: number;
  openIndex: number;
  unsaved: number[] | undefined;
  openDirty: boolean;
  expireBelow: number;
}

/** New contents of a ring's sections for {@link WindowedSeries.repack}: bytes, `null` to drop one, absent to keep it. */
interface Sections {
  readonly records?: Uint8Array;
  readonly running?: Uint8Array | null;
  readonly open?: Uint8Array | null;
}

const EMPTY = new Uint8Array(0);
const writer = new ByteWriter(4096);
const recordsWriter = new ByteWriter(4096);

function encodeOf(acc: SliceAccumulator, dense = false): Uint8Array {
  writer.reset();
  acc.encode(writer, dense);
  return writer.finish();
}

/**
 * Time-sliced state of one series (e.g. the values of one feature of one model version).
 *
 * New data goes into the open base slice (the smallest slice length, e.g. 5 min). When time passes its end, the base
 * slice is folded into every window's ring: directly as a slice when the window uses the base length, else into
 * the window's open coarse slice (e.g. the current hour). Window `w` at time `t` covers the ring slices with index
 * in `(⌊t/slice⌋ − n, ⌊t/slice⌋]`, n = duration/slice — i.e. between `duration − slice` and `duration` of
 * history plus the open slice. Closed slices are packed densely (`encode(w, true)`: Rice-coded histogram buckets, see
 * `slice-records.ts`), and each ring keeps their running merge, rebuilt at each rotation (once per slice length), so
 * reading a window merges three payloads (the running merge and the open coarse slice in the faster varint coding).
 *
 * Memory: one mutable accumulator (the base slice) plus ONE packed buffer holding, per window, its closed slices, their
 * running merge and its open coarse slice.
 */
export class WindowedSeries<A extends SliceAccumulator> {
  private readonly base: A;
  private baseIndex = -1;
  private baseDirty = false;
  private readonly rings: Ring[];
  private packed: Uint8Array = EMPTY;
  private readonly transient: () => A;

  constructor(
    readonly set: WindowSet,
    private readonly kind: SliceKind<A>,
  ) {
    this.base = kind.create();
    this.transient = kind.createTransient ? () => (kind.createTransient as () => A)() : () => kind.create();
    this.rings = set.windows.map((config) => ({
      config,
      ratio: config.sliceMs / set.baseMs,
      recordsLength: 0,
      runningLength: -1,
      openLength: -1,
      openIndex: -1,
      unsaved: undefined,
      openDirty: false,
      expireBelow: -1,
    }));
  }

  /** Where `ring`'s sections start in the packed buffer. */
  private recordsStart(ring: Ring): number {
    let at = 0;
    for (const r of this.rings) {
      if (r === ring) return at;
      at += r.recordsLength + Math.max(0, r.runningLength) + Math.max(0, r.openLength);
    }
    throw new Error('internal: ring of another series');
  }

  private runningStart(ring: Ring): number {
    return this.recordsStart(ring) + ring.recordsLength;
  }

  private openStart(ring: Ring): number {
    return this.runningStart(ring) + Math.max(0, ring.runningLength);
  }

  /** A reader of the ring's open slice (which must exist). */
  private openReader(ring: Ring): ByteReader {
    const at = this.openStart(ring);
    return new ByteReader(this.packed, at, at + ring.openLength);
  }

  /**
   * Replaces sections of `ring` by building the packed buffer anew (right-sized; the old one is left as it was, so
   * views of it stay valid). Cost: O(packed bytes), once per rotation.
   */
  private repack(ring: Ring, sections: Sections): void {
    const old = this.packed;
    const lengthOf = (r: Ring, part: 0 | 1 | 2): number => Math.max(0, part === 0 ? r.recordsLength : part === 1 ? r.runningLength : r.openLength);
    const replacement = (part: 0 | 1 | 2): Uint8Array | null | undefined => (part === 0 ? sections.records : part === 1 ? sections.running : sections.open);
    let total = 0;
    for (const r of this.rings) {
      for (const part of [0, 1, 2] as const) {
        const bytes = r === ring ? replacement(part) : undefined;
        total += bytes === undefined ? lengthOf(r, part) : bytes === null ? 0 : bytes.length;
      }
    }
    const next = total === 0 ? EMPTY : new Uint8Array(total);
    let from = 0;
    let to = 0;
    for (const r of this.rings) {
      for (const part of [0, 1, 2] as const) {
        const length = lengthOf(r, part);
        const bytes = r === ring ? replacement(part) : undefined;
        if (bytes === undefined) {
          next.set(old.subarray(from, from + length), to);
          to += length;
        } else {
          if (bytes !== null) next.set(bytes, to);
          const n = bytes === null ? (part === 0 ? 0 : -1) : bytes.length;
          to += Math.max(0, n);
          if (part === 0) r.recordsLength = n;
          else if (part === 1) r.runningLength = n;
          else r.openLength = n;
        }
        from += length;
      }
    }
    this.packed = next;
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
    const startMs = this.baseIndex * this.set.baseMs;
    let dense: Uint8Array | undefined;
    let payload: Uint8Array | undefined;
    for (const ring of this.rings) {
      const index = Math.floor(startMs / ring.config.sliceMs);
      if (ring.ratio === 1) {
        dense ??= encodeOf(this.base, true);
        this.append(ring, index, dense);
        continue;
      }
      if (ring.openLength >= 0 && ring.openIndex !== index) this.closeOpen(ring);
      const merged = this.transient();
      if (ring.openLength >= 0) merged.mergeEncoded(this.openReader(ring));
      payload ??= encodeOf(this.base);
      merged.mergeEncoded(new ByteReader(payload));
      this.repack(ring, { open: encodeOf(merged) });
      ring.openIndex = index;
      ring.openDirty = true;
    }
  }

  /** Closes the ring's open coarse slice: it becomes a closed slice, packed densely. */
  private closeOpen(ring: Ring): void {
    if (ring.openLength < 0) return;
    const acc = this.transient();
    acc.mergeEncoded(this.openReader(ring));
    const index = ring.openIndex;
    ring.openIndex = -1;
    ring.openDirty = false;
    this.append(ring, index, encodeOf(acc, true), { open: null });
  }

  private append(ring: Ring, index: number, payload: Uint8Array, more: Sections = {}): void {
    const at = this.recordsStart(ring);
    rebuildRecords(recordsWriter, this.packed, at, at + ring.recordsLength, -Infinity, [[index, payload]]);
    this.repack(ring, { ...more, records: recordsWriter.view(), running: null });
    (ring.unsaved ??= []).push(index);
  }

  private roll(ring: Ring, nowMs: number): void {
    const current = Math.floor(nowMs / ring.config.sliceMs);
    if (ring.openLength >= 0 && ring.openIndex < current) this.closeOpen(ring);
    const minIndex = current - ring.config.durationMs / ring.config.sliceMs + 1;
    let at = this.recordsStart(ring);
    const first = firstRecordIndex(this.packed, at, at + ring.recordsLength);
    if (first !== undefined && first < minIndex) {
      rebuildRecords(recordsWriter, this.packed, at, at + ring.recordsLength, minIndex, []);
      this.repack(ring, { records: recordsWriter.view(), running: null });
      if (ring.unsaved) ring.unsaved = ring.unsaved.filter((i) => i >= minIndex);
    }
    if (ring.openLength >= 0 && ring.openIndex < minIndex) {
      this.repack(ring, { open: null });
      ring.openIndex = -1;
    }
    ring.expireBelow = Math.max(ring.expireBelow, minIndex);
    if (ring.runningLength < 0 && ring.recordsLength > 0) {
      at = this.recordsStart(ring);
      const acc = this.transient();
      for (const rec of iterateRecords(this.packed, at, at + ring.recordsLength)) acc.mergeEncoded(new ByteReader(this.packed, rec.start, rec.end));
      this.repack(ring, { running: encodeOf(acc) });
    }
  }

  private ringOf(window: string): Ring {
    for (const ring of this.rings) if (ring.config.name === window) return ring;
    throw new Error(`unknown window ${JSON.stringify(window)}`);
  }

  /** Everything in window `window` at `nowMs`, as a fresh accumulator. Cost: three payload merges. */
  snapshot(window: string, nowMs: number): A {
    return this.snapshotInto(window, nowMs, this.transient());
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
    const running = this.runningStart(ring);
    if (ring.runningLength >= 0) acc.mergeEncoded(new ByteReader(this.packed, running, running + ring.runningLength));
    if (ring.openLength >= 0) acc.mergeEncoded(this.openReader(ring));
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
    const acc = this.transient();
    let coveredFrom = Infinity;
    const rings = [...this.rings].sort((a, b) => a.config.sliceMs - b.config.sliceMs);
    for (const ring of rings) {
      const sliceMs = ring.config.sliceMs;
      let earliest = Infinity;
      const take = (index: number, payload: ByteReader | A): void => {
        const start = index * sliceMs;
        earliest = Math.min(earliest, start);
        if (start + sliceMs <= fromMs || start >= toMs || start + sliceMs > coveredFrom) return;
        if (payload instanceof ByteReader) acc.mergeEncoded(payload);
        else this.kind.merge(acc, payload);
      };
      const at = this.recordsStart(ring);
      for (const rec of iterateRecords(this.packed, at, at + ring.recordsLength)) take(rec.index, new ByteReader(this.packed, rec.start, rec.end));
      const baseRingIndex = Math.floor((this.baseIndex * this.set.baseMs) / sliceMs);
      if (ring.openLength >= 0) take(ring.openIndex, this.openReader(ring));
      if (!this.base.isEmpty) take(baseRingIndex, this.base);
      coveredFrom = Math.min(coveredFrom, earliest);
    }
    return acc;
  }

  /** True when nothing is left in any slice (the series can be dropped). */
  isEmpty(nowMs: number): boolean {
    this.advance(nowMs);
    return this.base.isEmpty && this.rings.every((r) => r.recordsLength === 0 && r.openLength < 0);
  }

  /** Encoded bytes held by this series (closed, running and open slices), for memory accounting. */
  packedBytes(): number {
    return this.packed.length;
  }

  /** Rows to write since the last call (for the periodic SQLite flush), and clears the dirty marks. */
  takeChanges(): SeriesChanges {
    const upserts: SliceRow[] = [];
    const deleteBelow: Array<{ window: string; index: number }> = [];
    for (const ring of this.rings) {
      const name = ring.config.name;
      if (ring.unsaved && ring.unsaved.length > 0) {
        const wanted = new Set(ring.unsaved);
        const at = this.recordsStart(ring);
        for (const rec of iterateRecords(this.packed, at, at + ring.recordsLength)) {
          if (wanted.has(rec.index)) upserts.push({ window: name, index: rec.index, payload: this.packed.slice(rec.start, rec.end) });
        }
      }
      ring.unsaved = undefined;
      if (ring.openDirty && ring.openLength >= 0) {
        const at = this.openStart(ring);
        upserts.push({ window: name, index: ring.openIndex, payload: this.packed.slice(at, at + ring.openLength) });
      }
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
      let open: Uint8Array | null = null;
      if (ring.ratio > 1 && last) {
        list.pop();
        open = last.payload;
        ring.openIndex = last.index;
      }
      rebuildRecords(recordsWriter, EMPTY, 0, 0, -Infinity, list.map((r) => [r.index, r.payload] as const));
      this.repack(ring, { records: recordsWriter.view(), running: null, open });
      ring.unsaved = undefined;
      ring.openDirty = false;
    }
    this.advance(nowMs);
    for (const ring of this.rings) if (ring.runningLength < 0) this.roll(ring, nowMs);
  }
}
