import { ByteReader, ByteWriter } from '../sketch/byte-codec.js';
import { DecodedHistogram, HistogramAccumulator, addCumulativeDeltaFrom, encodeHistogram, type DeltaTarget } from '../sketch/histogram-accumulator.js';
import type { HistogramView } from '../sketch/histogram-view.js';
import { StreamIndex, type ScopeGroup, type StreamKey, type StreamScope } from './stream-index.js';
import { StreamTimes } from './stream-times.js';

/** OTLP AggregationTemporality values. */
export const TEMPORALITY_DELTA = 1;
export const TEMPORALITY_CUMULATIVE = 2;

/**
 * What happened to a point:
 * - `first`: first point of a stream — taken whole (the producer's first export covers everything since its start);
 * - `delta`: the difference to the previous point (or a delta-temporality point, taken as is);
 * - `reset`: the start time changed or counts went down — taken whole and counted as a reset;
 * - `duplicate`: same or older timestamp than the last point (a retried export) — adds nothing; for delta streams, the
 *   same (start, time) as one of the last {@link RECENT_DELTA_POINTS} points;
 * - `stale`: an older start time than the stream's (a late point of a previous incarnation) — adds nothing;
 * - `full`: a new stream while `maxStreams` are already tracked — rejected.
 */
export type StreamVerdict = 'first' | 'delta' | 'reset' | 'duplicate' | 'stale' | 'full';

/** An explicit-bucket histogram point (durations). */
export interface ExplicitHistogram {
  readonly count: number;
  readonly sum: number;
  readonly bounds: readonly number[];
  readonly counts: readonly number[];
}

interface StreamEntry {
  /** The canonical key (what is persisted). */
  readonly key: string;
  /** Its place in the index (scope group and short key), when it was found or created through a {@link StreamKey}. */
  scope: ScopeGroup<StreamEntry> | undefined;
  short: string | undefined;
  /** Where the store's {@link StreamTimes} keep the last point's start time and time (not here: see there why). */
  readonly times: number;
  seenMs: number;
  /**
   * The last cumulative point: a number (Sum), an exponential histogram kept unpacked (32-bit counts, see
   * {@link lastHistogram}), or explicit buckets; undefined for delta streams.
   */
  last: number | HistogramAccumulator | ExplicitHistogram | undefined;
  /** Delta streams: the (start, time) pairs of the last {@link RECENT_DELTA_POINTS} points, oldest overwritten first. */
  recent: BigUint64Array | undefined;
  /** Changed since the last {@link StreamStore.takeChanges} (then it is in the store's dirty list). */
  dirty: boolean;
}

/**
 * Delta points remembered per delta stream to recognise a retried export: a retry that arrives after newer points
 * (exports overlap when one times out) is still a duplicate. 16 bytes each.
 */
export const RECENT_DELTA_POINTS = 8;

/** A persisted stream row (cumulative streams only). */
export interface StreamRow {
  readonly key: string;
  readonly startNs: bigint;
  readonly timeNs: bigint;
  readonly seenMs: number;
  readonly payload: Uint8Array;
}

const KIND_SUM = 1;
const KIND_EXP = 2;
const KIND_EXPLICIT = 3;

/**
 * The last point of every cumulative stream (resource attributes + metric + point attributes), turning cumulative
 * points into deltas; and the last few timestamps of delta streams, so a retried delta export is not counted twice
 * even when it arrives after newer points.
 * The only place that knows about temporality.
 *
 * Streams are found through a {@link StreamIndex} (no key string per point). Memory: per stream the key string, ~100
 * bytes of entry, 16–32 bytes of timestamps ({@link StreamTimes}), its index node (with the attributes it last came with) and the last point (8 bytes for a Sum; for
 * exponential histograms a compact accumulator — 4 bytes per spanned bucket, 8 past 2^32 − 1, plus ~500 bytes of
 * objects: unpacked, so that the delta of the next point is one subtraction per bucket, written in place, instead of
 * decoding the previous point's varints and encoding the new one's, about twice the time of the whole ingest of a
 * point otherwise; it is packed for SQLite only); 128 bytes of recent timestamps for delta streams).
 * Streams idle longer than the TTL are forgotten.
 */
export class StreamStore {
  private readonly entries = new Map<string, StreamEntry>();
  private readonly index = new StreamIndex<StreamEntry>();
  private readonly times = new StreamTimes();
  /** Entries changed since the last takeChanges (each once: its `dirty` flag). */
  private dirty: StreamEntry[] = [];
  private readonly removed = new Set<string>();
  private readonly diff = new HistogramAccumulator();
  /** Cumulative resets seen (driftwatch_ingest_resets_total). */
  resets = 0;

  constructor(
    private readonly maxStreams: number,
    private readonly idleTtlMs: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The scope of a resource (digest) and metric, for the {@link StreamKey}s of its points. */
  scope(resource: string, metric: string): StreamScope {
    return this.index.scope(resource, metric);
  }

  private linkEntry(key: StreamKey, entry: StreamEntry): void {
    const { group, short } = this.index.link(key, entry);
    entry.scope = group;
    entry.short = short;
  }

  /**
   * The entry of a stream: by its canonical key string, or — the ingest path — by scope and attributes through the
   * index, building the key string only for a stream the index does not know yet (new, or restored from SQLite).
   */
  private lookup(key: string | StreamKey): { entry: StreamEntry | undefined; keyString: string | undefined } {
    if (typeof key === 'string') return { entry: this.entries.get(key), keyString: key };
    const found = this.index.find(key);
    if (found) return { entry: found, keyString: undefined };
    const keyString = this.index.keyOf(key);
    const restored = this.entries.get(keyString);
    if (restored) this.linkEntry(key, restored);
    return { entry: restored, keyString };
  }

  /**
   * Common bookkeeping: decides what to do with a point and records its timestamps.
   * Returns the verdict and the previous cumulative payload (for `delta`).
   */
  private step(key: string | StreamKey, startNs: bigint, timeNs: bigint, temporality: number, nowMs: number): { verdict: StreamVerdict; entry: StreamEntry | undefined; previous: StreamEntry['last'] } {
    const { entry, keyString } = this.lookup(key);
    if (!entry) {
      if (this.entries.size >= this.maxStreams || keyString === undefined) return { verdict: 'full', entry: undefined, previous: undefined };
      const created: StreamEntry = { key: keyString, scope: undefined, short: undefined, times: this.times.add(startNs, timeNs), seenMs: nowMs, last: undefined, recent: undefined, dirty: false };
      if (temporality === TEMPORALITY_DELTA) rememberDelta(created, startNs, timeNs);
      this.entries.set(keyString, created);
      if (typeof key !== 'string') this.linkEntry(key, created);
      this.removed.delete(keyString);
      return { verdict: temporality === TEMPORALITY_DELTA ? 'delta' : 'first', entry: created, previous: undefined };
    }
    entry.seenMs = nowMs;
    const times = this.times;
    if (temporality === TEMPORALITY_DELTA) {
      if (seenDelta(entry, times, startNs, timeNs)) return { verdict: 'duplicate', entry, previous: undefined };
      rememberDelta(entry, startNs, timeNs);
      times.set(entry.times, startNs, timeNs);
      return { verdict: 'delta', entry, previous: undefined };
    }
    const lastStartNs = times.start(entry.times);
    if (startNs !== lastStartNs) {
      if (startNs < lastStartNs) return { verdict: 'stale', entry, previous: undefined };
      times.set(entry.times, startNs, timeNs);
      this.resets++;
      return { verdict: 'reset', entry, previous: undefined };
    }
    if (timeNs <= times.time(entry.times) || entry.last === undefined) return { verdict: 'duplicate', entry, previous: undefined };
    times.setTime(entry.times, timeNs);
    return { verdict: 'delta', entry, previous: entry.last };
  }

  private store(entry: StreamEntry, temporality: number, last: StreamEntry['last']): void {
    if (temporality !== TEMPORALITY_CUMULATIVE) return;
    entry.last = last;
    if (!entry.dirty) {
      entry.dirty = true;
      this.dirty.push(entry);
    }
  }

  /**
   * A Sum point. `allowDecrease` (KPI totals, which may fall) keeps a lower value a negative delta instead of a reset.
   * Returns the amount to add (0 for duplicates and stale points).
   */
  sum(key: string | StreamKey, startNs: bigint, timeNs: bigint, value: number, temporality: number, nowMs: number, allowDecrease = false): { verdict: StreamVerdict; delta: number } {
    const step = this.step(key, startNs, timeNs, temporality, nowMs);
    const { entry, previous } = step;
    let verdict = step.verdict;
    if (!entry || verdict === 'duplicate' || verdict === 'stale') return { verdict, delta: 0 };
    let delta = value;
    if (verdict === 'delta' && typeof previous === 'number') {
      delta = value - previous;
      if (delta < 0 && !allowDecrease) {
        verdict = 'reset';
        this.resets++;
        delta = value;
      }
    }
    this.store(entry, temporality, value);
    return { verdict, delta };
  }

  /**
   * An exponential histogram point. The returned view is valid until the next call (it may be `point` itself,
   * or an internal scratch holding the difference); an empty difference is returned as undefined.
   */
  expHistogram(key: string | StreamKey, startNs: bigint, timeNs: bigint, point: HistogramView, temporality: number, nowMs: number): { verdict: StreamVerdict; delta: HistogramView | undefined } {
    let delta: HistogramView | undefined;
    const capture = { merge: (h: HistogramView): void => void (delta = h) };
    const verdict = this.expHistogramInto(key, startNs, timeNs, point, temporality, nowMs, () => capture);
    return { verdict, delta };
  }

  /**
   * An exponential histogram point, its delta (the point itself, or its difference to the stream's previous point)
   * added to `target()` — called only when the delta holds values. Cumulative differences are taken in one pass over
   * the buckets, straight into the target (see {@link addCumulativeDeltaFrom}).
   */
  expHistogramInto(key: string | StreamKey, startNs: bigint, timeNs: bigint, point: HistogramView, temporality: number, nowMs: number, target: () => DeltaTarget): StreamVerdict {
    const step = this.step(key, startNs, timeNs, temporality, nowMs);
    const { entry, previous } = step;
    let verdict = step.verdict;
    if (!entry || verdict === 'duplicate' || verdict === 'stale') return verdict;
    const cumulative = temporality === TEMPORALITY_CUMULATIVE;
    let whole = true;
    let last: HistogramAccumulator | undefined;
    if (verdict === 'delta' && previous instanceof HistogramAccumulator) {
      last = previous; // addCumulativeDeltaFrom makes it `point`
      if (addCumulativeDeltaFrom(point, previous, target, this.diff)) whole = false;
      else {
        verdict = 'reset';
        this.resets++;
      }
    }
    if (whole && (point.count > 0 || point.zeroCount > 0)) target().merge(point);
    if (cumulative) this.store(entry, temporality, last ?? lastHistogram(entry.last, point));
    return verdict;
  }

  /** An explicit-bucket histogram point (bounds must stay the same within a stream, else it is a reset). */
  explicitHistogram(key: string | StreamKey, startNs: bigint, timeNs: bigint, point: ExplicitHistogram, temporality: number, nowMs: number): { verdict: StreamVerdict; delta: ExplicitHistogram | undefined } {
    const step = this.step(key, startNs, timeNs, temporality, nowMs);
    const { entry, previous } = step;
    let verdict = step.verdict;
    if (!entry || verdict === 'duplicate' || verdict === 'stale') return { verdict, delta: undefined };
    let delta: ExplicitHistogram = point;
    if (verdict === 'delta' && previous !== undefined && typeof previous === 'object' && !(previous instanceof HistogramAccumulator)) {
      const d = diffExplicit(point, previous);
      if (d) delta = d;
      else {
        verdict = 'reset';
        this.resets++;
      }
    }
    this.store(entry, temporality, { count: point.count, sum: point.sum, bounds: [...point.bounds], counts: [...point.counts] });
    return { verdict, delta };
  }

  /** Forgets streams not seen for the idle TTL. Returns how many were dropped. */
  sweep(nowMs: number): number {
    let n = 0;
    for (const [key, entry] of this.entries) {
      if (nowMs - entry.seenMs > this.idleTtlMs) {
        this.entries.delete(key);
        if (entry.scope !== undefined && entry.short !== undefined) this.index.unlink(entry.scope, entry.short);
        this.times.release(entry.times);
        this.removed.add(key);
        n++;
      }
    }
    // forgotten entries still in the dirty list are skipped at the next flush; without flushes, do not keep them
    if (n > 0 && this.dirty.length > this.entries.size) this.dirty = this.dirty.filter((e) => this.entries.get(e.key) === e);
    return n;
  }

  /** Rows changed since the last call, and keys to delete. */
  takeChanges(): { upserts: StreamRow[]; deletes: string[] } {
    const upserts: StreamRow[] = [];
    for (const e of this.dirty) {
      e.dirty = false;
      // a stream forgotten since (swept) is deleted, not written
      if (e.last !== undefined && this.entries.get(e.key) === e) upserts.push({ key: e.key, startNs: this.times.start(e.times), timeNs: this.times.time(e.times), seenMs: e.seenMs, payload: encodeLast(e.last) });
    }
    this.dirty = [];
    const deletes = [...this.removed];
    this.removed.clear();
    return { upserts, deletes };
  }

  /** Restores persisted streams (as saved). Corrupt rows are skipped and returned by count. */
  restore(rows: Iterable<StreamRow>): number {
    let corrupt = 0;
    for (const row of rows) {
      try {
        const last = decodeLast(row.payload);
        const entry: StreamEntry = { key: row.key, scope: undefined, short: undefined, times: this.times.add(row.startNs, row.timeNs), seenMs: row.seenMs, last, recent: undefined, dirty: false };
        this.entries.set(row.key, entry);
      } catch {
        corrupt++;
      }
    }
    return corrupt;
  }
}

/** True when (start, time) is the stream's last delta point or one of the few before it. */
function seenDelta(entry: StreamEntry, times: StreamTimes, startNs: bigint, timeNs: bigint): boolean {
  if (times.start(entry.times) === startNs && times.time(entry.times) === timeNs) return true;
  const r = entry.recent;
  if (r === undefined) return false;
  for (let i = 0; i < r.length; i += 2) if (r[i] === startNs && r[i + 1] === timeNs) return true;
  return false;
}

/** Remembers a delta point, overwriting the oldest (the slot after the most recent time). */
function rememberDelta(entry: StreamEntry, startNs: bigint, timeNs: bigint): void {
  entry.recent ??= new BigUint64Array(2 * RECENT_DELTA_POINTS); // time 0 marks an empty slot (a point needs a time)
  const r = entry.recent;
  let oldest = 0;
  for (let i = 2; i < r.length; i += 2) if ((r[i + 1] as bigint) < (r[oldest + 1] as bigint)) oldest = i;
  r[oldest] = startNs;
  r[oldest + 1] = timeNs;
}

/**
 * `point` as the stream's new last point: written over the previous one (its arrays reused: counts grow export by export
 * in the same buckets), or into a new compact accumulator (32-bit counts, moved to 64-bit ones past 2^32 − 1).
 */
function lastHistogram(previous: StreamEntry['last'], point: HistogramView): HistogramAccumulator {
  const last = previous instanceof HistogramAccumulator ? previous : new HistogramAccumulator(true);
  last.setTo(point);
  return last;
}

function diffExplicit(cur: ExplicitHistogram, prev: ExplicitHistogram): ExplicitHistogram | undefined {
  if (cur.bounds.length !== prev.bounds.length || cur.counts.length !== prev.counts.length || cur.count < prev.count) return undefined;
  for (let i = 0; i < cur.bounds.length; i++) if (cur.bounds[i] !== prev.bounds[i]) return undefined;
  const counts = new Array<number>(cur.counts.length);
  for (let i = 0; i < cur.counts.length; i++) {
    const d = (cur.counts[i] as number) - (prev.counts[i] as number);
    if (d < 0) return undefined;
    counts[i] = d;
  }
  return { count: cur.count - prev.count, sum: cur.sum - prev.sum, bounds: cur.bounds, counts };
}

function encodeLast(last: number | HistogramAccumulator | ExplicitHistogram): Uint8Array {
  const w = new ByteWriter(64);
  if (typeof last === 'number') {
    w.uvarint(KIND_SUM);
    w.f64(last);
  } else if (last instanceof HistogramAccumulator) {
    // the packed form the stream kept before it kept the point unpacked: rows written by either read back the same
    w.uvarint(KIND_EXP);
    encodeHistogram(last, w);
  } else {
    w.uvarint(KIND_EXPLICIT);
    w.f64(last.count);
    w.f64(last.sum);
    w.uvarint(last.bounds.length);
    for (const b of last.bounds) w.f64(b);
    w.uvarint(last.counts.length);
    for (const c of last.counts) w.f64(c);
  }
  return w.finish();
}

function decodeLast(payload: Uint8Array): number | HistogramAccumulator | ExplicitHistogram {
  const r = new ByteReader(payload);
  const kind = r.uvarint();
  if (kind === KIND_SUM) return r.f64();
  if (kind === KIND_EXP) return lastHistogram(undefined, new DecodedHistogram().read(r));
  if (kind === KIND_EXPLICIT) {
    const count = r.f64();
    const sum = r.f64();
    const bounds: number[] = [];
    for (let n = r.uvarint(), i = 0; i < n; i++) bounds.push(r.f64());
    const counts: number[] = [];
    for (let n = r.uvarint(), i = 0; i < n; i++) counts.push(r.f64());
    return { count, sum, bounds, counts };
  }
  throw new RangeError(`unknown stream payload kind ${kind}`);
}
