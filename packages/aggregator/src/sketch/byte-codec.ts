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
    this.uvarintReserved(n);
  }

  /** {@link uvarint} without the capacity check: the caller made room for 8 bytes. */
  private uvarintReserved(n: number): void {
    const buf = this.buf;
    let pos = this.pos;
    let v = n;
    if (v < 0x1_0000_0000) {
      // 32-bit fast path: shifts instead of float division
      while (v >= 0x80) {
        buf[pos++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
    } else {
      while (v >= 0x80) {
        buf[pos++] = (v % 0x80) | 0x80;
        v = Math.floor(v / 0x80);
      }
    }
    buf[pos++] = v;
    this.pos = pos;
  }

  /** Zigzag varint of an integer in ±2^52. */
  svarint(n: number): void {
    this.ensure(8);
    this.uvarintReserved(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  /**
   * The zigzag varints of the differences between neighbouring counts `counts[i − offset]`, i = start … end (each
   * count an integer ≤ 2^53): the packed bucket encoding, in one tight loop. Cost: O(end − start).
   */
  neighbourDifferences(counts: ArrayLike<number>, offset: number, start: number, end: number): void {
    this.ensure(8 * (end - start + 1));
    const buf = this.buf;
    let pos = this.pos;
    let prev = 0;
    for (let i = start; i <= end; i++) {
      const c = counts[i - offset] as number;
      const d = c - prev;
      prev = c;
      let v = d >= 0 ? d * 2 : -d * 2 - 1;
      if (v < 0x80) {
        buf[pos++] = v;
        continue;
      }
      if (v < 0x1_0000_0000) {
        while (v >= 0x80) {
          buf[pos++] = (v & 0x7f) | 0x80;
          v >>>= 7;
        }
      } else {
        while (v >= 0x80) {
          buf[pos++] = (v % 0x80) | 0x80;
          v = Math.floor(v / 0x80);
        }
      }
      buf[pos++] = v;
    }
    this.pos = pos;
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

  /** What was written, as a view into the writer's buffer: valid until the next write or reset. */
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
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
    // one- and two-byte varints (most bucket-count differences) without the general loop
    const end = this.end;
    const buf = this.buf;
    const pos = this.pos;
    if (pos < end) {
      const b0 = buf[pos] as number;
      if (b0 < 0x80) {
        this.pos = pos + 1;
        return b0;
      }
      if (pos + 1 < end) {
        const b1 = buf[pos + 1] as number;
        if (b1 < 0x80) {
          this.pos = pos + 2;
          return (b0 & 0x7f) | (b1 << 7);
        }
      }
    }
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

  /**
   * Reads `length` zigzag varints written by {@link ByteWriter.neighbourDifferences} into `into[0 … length)` as running
   * sums (the counts). Throws a RangeError on truncated input or a negative count. Cost: O(length).
   */
  neighbourSums(into: Float64Array, length: number): void {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    let prev = 0;
    for (let k = 0; k < length; k++) {
      let z: number;
      const b0 = pos < end ? (buf[pos] as number) : -1;
      if (b0 >= 0 && b0 < 0x80) {
        z = b0;
        pos++;
      } else {
        this.pos = pos;
        z = this.uvarint();
        pos = this.pos;
      }
      prev += z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      if (prev < 0) throw new RangeError('corrupt histogram: negative bucket count');
      into[k] = prev;
    }
    this.pos = pos;
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
