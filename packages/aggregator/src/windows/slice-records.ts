import { ByteReader, ByteWriter } from '../sketch/byte-codec.js';

/**
 * A ring's closed slices packed back to back in one Uint8Array: `[uvarint sliceIndex][uvarint length][payload]…`
 * in ascending slice order. One allocation per ring instead of one object per slice; rebuilt (right-sized) on
 * each rotation, which happens once per slice length.
 */
export interface SliceRecord {
  readonly index: number;
  readonly start: number;
  readonly end: number;
}

export const EMPTY_RECORDS = new Uint8Array(0);

export function* iterateRecords(records: Uint8Array): Generator<SliceRecord> {
  const r = new ByteReader(records);
  while (!r.done) {
    const index = r.uvarint();
    const length = r.uvarint();
    const start = r.pos;
    r.skip(length);
    yield { index, start, end: start + length };
  }
}

/** Records with index ≥ `minIndex`, plus `appended` (index, payload) pairs, as a new packed array. */
export function rebuildRecords(records: Uint8Array, minIndex: number, appended: ReadonlyArray<readonly [number, Uint8Array]>): Uint8Array {
  const w = new ByteWriter(records.length + 64);
  for (const rec of iterateRecords(records)) {
    if (rec.index < minIndex) continue;
    w.uvarint(rec.index);
    w.uvarint(rec.end - rec.start);
    w.bytes(records.subarray(rec.start, rec.end));
  }
  for (const [index, payload] of appended) {
    if (index < minIndex) continue;
    w.uvarint(index);
    w.uvarint(payload.length);
    w.bytes(payload);
  }
  return w.length === 0 ? EMPTY_RECORDS : w.finish();
}

export function firstRecordIndex(records: Uint8Array): number | undefined {
  if (records.length === 0) return undefined;
  return new ByteReader(records).uvarint();
}
