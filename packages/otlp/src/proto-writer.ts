import { WireType } from './proto-reader.js';

const TWO_POW_32 = 4294967296;
const utf8Encoder = new TextEncoder();

/**
 * A growable protobuf writer. Nested messages use `fork()` / `ldelim()`: `fork` reserves one byte for the
 * length, `ldelim` writes it and shifts the message body only when the length needs more than one byte.
 */
export class ProtoWriter {
  private buf = new Uint8Array(1024);
  private view = new DataView(this.buf.buffer);
  private pos = 0;
  private readonly forks: number[] = [];

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType);
  }

  /** Unsigned varint of a non-negative integer (up to 2^64 − 1, as exact as the double allows). */
  varint(n: number): this {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    while (n >= 128) {
      buf[pos++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    buf[pos++] = n;
    this.pos = pos;
    return this;
  }

  /** Unsigned varint of a bigint (taken modulo 2^64, so negative int64 values get their 10-byte form). */
  varintBig(v: bigint): this {
    let u = BigInt.asUintN(64, v);
    this.ensure(10);
    while (u >= 128n) {
      this.buf[this.pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.pos++] = Number(u);
    return this;
  }

  /** int64 / int32 varint (negative values use the 10-byte two's complement form). */
  int64(v: number | bigint): this {
    if (typeof v === 'bigint') return this.varintBig(v);
    return v >= 0 ? this.varint(v) : this.varintBig(BigInt(v));
  }

  sint32(n: number): this {
    return this.varint(((n << 1) ^ (n >> 31)) >>> 0);
  }

  fixed64(v: bigint): this {
    this.ensure(8);
    this.view.setBigUint64(this.pos, BigInt.asUintN(64, v), true);
    this.pos += 8;
    return this;
  }

  fixed64Number(n: number): this {
    this.ensure(8);
    this.view.setUint32(this.pos, n % TWO_POW_32, true);
    this.view.setUint32(this.pos + 4, Math.floor(n / TWO_POW_32), true);
    this.pos += 8;
    return this;
  }

  sfixed64Number(n: number): this {
    this.ensure(8);
    this.view.setBigInt64(this.pos, BigInt(n), true);
    this.pos += 8;
    return this;
  }

  double(n: number): this {
    this.ensure(8);
    this.view.setFloat64(this.pos, n, true);
    this.pos += 8;
    return this;
  }

  fixed32(n: number): this {
    this.ensure(4);
    this.view.setUint32(this.pos, n >>> 0, true);
    this.pos += 4;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.varint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  string(s: string): this {
    return this.bytes(utf8Encoder.encode(s));
  }

  /** Starts a length-delimited field whose tag has been written. */
  fork(): this {
    this.ensure(1);
    this.forks.push(this.pos);
    this.pos += 1;
    return this;
  }

  /** Ends the innermost `fork`, writing its length prefix. */
  ldelim(): this {
    const start = this.forks.pop();
    if (start === undefined) throw new Error('ProtoWriter.ldelim without fork');
    const len = this.pos - start - 1;
    let size = 1;
    for (let n = len; n >= 128; n = Math.floor(n / 128)) size++;
    if (size > 1) {
      this.ensure(size - 1);
      this.buf.copyWithin(start + size, start + 1, this.pos);
      this.pos += size - 1;
    }
    let p = start;
    let n = len;
    while (n >= 128) {
      this.buf[p++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[p] = n;
    return this;
  }

  /** Writes `field` as an embedded message built by `body`. */
  message(field: number, body: (w: this) => void): this {
    this.tag(field, WireType.LEN).fork();
    body(this);
    return this.ldelim();
  }

  finish(): Uint8Array {
    if (this.forks.length > 0) throw new Error('ProtoWriter.finish with an open fork');
    return this.buf.slice(0, this.pos);
  }
}
