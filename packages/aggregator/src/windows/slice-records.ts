import { ByteReader, type ByteWriter } from '../sketch/byte-codec.js';

/**
 * A ring's closed slices packed back to back: `[svarint index − previous index][uvarint length][payload]…` in ascending
 * slice order (the first index taken from 0), inside a byte range of a larger buffer (the series' one buffer). One
 * allocation per series instead of one object per slice; rebuilt (right-sized) on each rotation, which happens once per
 * slice length.
 */
export interface SliceRecord {
  readonly index: number;
  readonly start: number;
  readonly end: number;
}

/** The records in `buf[start, end)`. */
export function* iterateRecords(buf: Uint8Array, start = 0, end = buf.length): Generator<SliceRecord> {
  const r = new ByteReader(buf, start, end);
  let index = 0;
  while (!r.done) {
    index += r.svarint();
    const length = r.uvarint();
    const at = r.pos;
    r.skip(length);
    yield { index, start: at, end: at + length };
  }
}

/** Appends one record after one of index `previousIndex` (0 for the first). */
function writeRecord(w: ByteWriter, previousIndex: number, index: number, payload: Uint8Array): void {
  w.svarint(index - previousIndex);
  w.uvarint(payload.length);
  w.bytes(payload);
}

/**
 * The records of `buf[start, end)` with index ≥ `minIndex`, plus `appended` (index, payload) pairs (ascending, after
 * them), packed into `w` (reset first). Returns `w`.
 */
export function rebuildRecords(w: ByteWriter, buf: Uint8Array, start: number, end: number, minIndex: number, appended: ReadonlyArray<readonly [number, Uint8Array]>): ByteWriter {
  w.reset();
  let previous = 0;
  for (const rec of iterateRecords(buf, start, end)) {
    if (rec.index < minIndex) continue;
    writeRecord(w, previous, rec.index, buf.subarray(rec.start, rec.end));
    previous = rec.index;
  }
  for (const [index, payload] of appended) {
    if (index < minIndex) continue;
    writeRecord(w, previous, index, payload);
    previous = index;
  }
  return w;
}

/** The index of the first record in `buf[start, end)`, if any. */
export function firstRecordIndex(buf: Uint8Array, start: number, end: number): number | undefined {
  if (end <= start) return undefined;
  return new ByteReader(buf, start, end).svarint();
}
