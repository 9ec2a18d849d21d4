const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

/**
 * A growable byte buffer writing unsigned/zigzag varints (exact for integers up to 2^53) and raw float64.
 * Used for the compact slice, ring and stream encodings (and their SQLite blobs).
 */
export class ByteWriter {
  private buf: Uint8Array;
  private pos = 0;

  constructor(initialBytes = 256) {
    this.buf = new Uint8Array(initialBytes);
  }

  get length(): number {
    return this.pos;
  }

  reset(): void {
    this.pos = 0;
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.pos + extra));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Unsigned varint of a non-negative integer ≤ 2^53. */
  uvarint(n: number): void {
    this.ensure(8);
    let v = n;
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
  }

  /** Zigzag varint of an integer in ±2^52. */
  svarint(n: number): void {
    this.uvarint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  f64(x: number): void {
    this.ensure(8);
    f64[0] = x;
    this.buf.set(f64Bytes, this.pos);
    this.pos += 8;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** A right-sized copy of what was written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

/** Reads what {@link ByteWriter} wrote; throws a RangeError on truncated input. */
export class ByteReader {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  uvarint(): number {
    let result = 0;
    let mul = 1;
    for (;;) {
      if (this.pos >= this.end) throw new RangeError('truncated varint');
      const b = this.buf[this.pos++] as number;
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result;
      mul *= 0x80;
      if (mul > 2 ** 56) throw new RangeError('varint too long');
    }
  }

  svarint(): number {
    const z = this.uvarint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  f64(): number {
    if (this.pos + 8 > this.end) throw new RangeError('truncated float64');
    for (let i = 0; i < 8; i++) f64Bytes[i] = this.buf[this.pos + i] as number;
    this.pos += 8;
    return f64[0] as number;
  }

  skip(n: number): void {
    if (this.pos + n > this.end) throw new RangeError('truncated bytes');
    this.pos += n;
  }
}
