import { OtlpDecodeError } from './otlp-decode-error.js';

/** Protobuf wire types. 3 and 4 (groups) are only ever skipped; 6 and 7 do not exist. */
export const WireType = { VARINT: 0, I64: 1, LEN: 2, SGROUP: 3, EGROUP: 4, I32: 5 } as const;

/** Deepest group nesting skipped in unknown fields before the input is rejected. */
const MAX_GROUP_DEPTH = 32;
const TWO_POW_32 = 4294967296;

const utf8Decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

function fail(reason: string): never {
  throw new OtlpDecodeError(reason);
}

/**
 * A bounds-checked cursor over protobuf bytes. Every read takes the `end` of the enclosing message so a
 * length-delimited field can never be read past its own length; every overrun throws OtlpDecodeError.
 *
 * Decoders switch on the whole tag (`fieldNumber << 3 | wireType`), so a known field number that arrives with an
 * unexpected wire type falls into `skip` and is ignored like an unknown field (what protobuf-go does).
 */
export class ProtoReader {
  readonly buf: Uint8Array;
  readonly view: DataView;
  pos = 0;

  constructor(buf: Uint8Array) {
    // a plain Uint8Array view, also for Buffer input: keeps element access monomorphic and makes subarray/slice
    // return plain Uint8Arrays
    this.buf = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** Reads a field tag; rejects wire types 6 and 7 and field number 0. */
  tag(end: number): number {
    const at = this.pos;
    const t = this.varint32(end) >>> 0;
    const wireType = t & 7;
    if (wireType > 5) fail(`invalid wire type ${wireType} at offset ${at}`);
    if (t >>> 3 === 0) fail(`invalid field number 0 at offset ${at}`);
    return t;
  }

  /** Reads a varint of up to 10 bytes and returns its low 32 bits as a signed int32 (`>>> 0` for uint32). */
  varint32(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= end) fail(`truncated varint at offset ${pos}`);
    let b = buf[pos++]!;
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    let result = b & 0x7f;
    for (let shift = 7; shift < 70; shift += 7) {
      if (pos >= end) fail(`truncated varint at offset ${this.pos}`);
      b = buf[pos++]!;
      if (shift < 32) result |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return result | 0;
      }
    }
    fail(`varint longer than 10 bytes at offset ${this.pos}`);
  }

  /** Reads a varint as an unsigned 64-bit integer converted to a double (exact up to 2^53). */
  varintNumber(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= end) fail(`truncated varint at offset ${pos}`);
    let b = buf[pos++]!;
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    let result = b & 0x7f;
    let multiplier = 128;
    for (let i = 1; i < 10; i++) {
      if (pos >= end) fail(`truncated varint at offset ${this.pos}`);
      b = buf[pos++]!;
      result += (b & 0x7f) * multiplier;
      if (b < 0x80) {
        this.pos = pos;
        return result;
      }
      multiplier *= 128;
    }
    fail(`varint longer than 10 bytes at offset ${this.pos}`);
  }

  /** Reads an int64 varint (two's complement) as a double. */
  int64Number(end: number): number {
    const v = this.int64Exact(end);
    return typeof v === 'bigint' ? Number(v) : v;
  }

  /** Reads an int64 varint exactly: a number when it is a safe integer, otherwise a bigint. */
  int64Exact(end: number): number | bigint {
    const start = this.pos;
    const approx = this.varintNumber(end);
    if (approx <= Number.MAX_SAFE_INTEGER) return approx;
    let value = 0n;
    let shift = 0n;
    for (let p = start; p < this.pos; p++) {
      value |= BigInt(this.buf[p]! & 0x7f) << shift;
      shift += 7n;
    }
    const signed = BigInt.asIntN(64, value);
    return signed >= BigInt(Number.MIN_SAFE_INTEGER) && signed <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(signed) : signed;
  }

  /** Reads a sint32 (zigzag) varint. */
  sint32(end: number): number {
    const n = this.varint32(end) >>> 0;
    return (n >>> 1) ^ -(n & 1);
  }

  bool(end: number): boolean {
    return this.varintNumber(end) !== 0;
  }

  private need(n: number, end: number, what: string): number {
    const pos = this.pos;
    if (end - pos < n) fail(`truncated ${what} at offset ${pos}: needs ${n} bytes, ${end - pos} left`);
    this.pos = pos + n;
    return pos;
  }

  /** fixed64 as bigint (timestamps). */
  fixed64Big(end: number): bigint {
    return this.view.getBigUint64(this.need(8, end, 'fixed64'), true);
  }

  /** fixed64 as a double (counts; exact up to 2^53). */
  fixed64Number(end: number): number {
    const p = this.need(8, end, 'fixed64');
    return this.view.getUint32(p, true) + this.view.getUint32(p + 4, true) * TWO_POW_32;
  }

  /** sfixed64 as a double (exact up to 2^53 in magnitude). */
  sfixed64Number(end: number): number {
    const p = this.need(8, end, 'sfixed64');
    return this.view.getUint32(p, true) + this.view.getInt32(p + 4, true) * TWO_POW_32;
  }

  double(end: number): number {
    return this.view.getFloat64(this.need(8, end, 'double'), true);
  }

  fixed32(end: number): number {
    return this.view.getUint32(this.need(4, end, 'fixed32'), true);
  }

  /** Reads the length prefix of a length-delimited field and returns the field's end offset. */
  lengthEnd(end: number): number {
    const at = this.pos;
    const len = this.varintNumber(end);
    if (len > end - this.pos) fail(`length ${len} at offset ${at} exceeds the ${end - this.pos} bytes left`);
    return this.pos + len;
  }

  /** Reads a string field. Invalid UTF-8 sequences become U+FFFD (they are not rejected). */
  string(end: number): string {
    const stop = this.lengthEnd(end);
    const start = this.pos;
    this.pos = stop;
    return decodeUtf8(this.buf, start, stop);
  }

  /** Reads a bytes field into a copy (so the result does not keep the whole request buffer alive). */
  bytes(end: number): Uint8Array {
    const stop = this.lengthEnd(end);
    const start = this.pos;
    this.pos = stop;
    return this.buf.slice(start, stop);
  }

  /** Skips the value of a field whose tag has just been read. */
  skip(tag: number, end: number, depth = 0): void {
    switch (tag & 7) {
      case WireType.VARINT:
        this.varintNumber(end);
        return;
      case WireType.I64:
        this.need(8, end, 'fixed64');
        return;
      case WireType.LEN:
        this.pos = this.lengthEnd(end);
        return;
      case WireType.I32:
        this.need(4, end, 'fixed32');
        return;
      case WireType.SGROUP: {
        if (depth >= MAX_GROUP_DEPTH) fail(`groups nested deeper than ${MAX_GROUP_DEPTH} levels`);
        const field = tag >>> 3;
        for (;;) {
          if (this.pos >= end) fail(`unterminated group of field ${field}`);
          const inner = this.tag(end);
          if ((inner & 7) === WireType.EGROUP) {
            if (inner >>> 3 !== field) fail(`end group of field ${inner >>> 3} closes group of field ${field}`);
            return;
          }
          this.skip(inner, end, depth + 1);
        }
      }
      default:
        fail(`unexpected end group of field ${tag >>> 3} at offset ${this.pos}`);
    }
  }
}

/**
 * Strings of at most this many bytes go through the string cache: OTLP payloads repeat the same attribute keys,
 * metric names and attribute values (model, version, feature names) in every point, so a hit returns the same
 * string object without decoding or allocating (and repeated attribute keys stay internalized for the maps).
 */
const CACHED_MAX_BYTES = 48;
const CACHE_SLOTS = 4096;
const cacheBytes = new Uint8Array(CACHE_SLOTS * CACHED_MAX_BYTES);
const cacheLengths = new Int32Array(CACHE_SLOTS).fill(-1);
const cacheStrings: string[] = new Array<string>(CACHE_SLOTS).fill('');

/**
 * UTF-8 decoding with a direct-mapped cache for short strings (FNV-1a hash of the bytes, verified byte by byte
 * on a hit; a miss overwrites the slot). Invalid UTF-8 becomes U+FFFD.
 */
export function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  const len = end - start;
  if (len === 0) return '';
  if (len > CACHED_MAX_BYTES) return utf8Decoder.decode(buf.subarray(start, end));
  let h = 0x811c9dc5;
  let high = 0;
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    high |= b;
    h = Math.imul(h ^ b, 0x01000193);
  }
  const slot = (h ^ (h >>> 16)) & (CACHE_SLOTS - 1);
  const base = slot * CACHED_MAX_BYTES;
  if (cacheLengths[slot] === len) {
    let same = true;
    for (let i = 0; i < len; i++) {
      if (cacheBytes[base + i] !== buf[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return cacheStrings[slot]!;
  }
  const s = high < 0x80 ? String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]) : utf8Decoder.decode(buf.subarray(start, end));
  cacheBytes.set(buf.subarray(start, end), base);
  cacheLengths[slot] = len;
  cacheStrings[slot] = s;
  return s;
}
