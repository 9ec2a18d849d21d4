const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

/**
 * Parameters of the adaptive Golomb–Rice code of bucket counts ({@link ByteWriter.riceDifferences}), as in JPEG-LS
 * (Weinberger et al., "The LOCO-I lossless image compression algorithm", IEEE TIP 9(8), 2000): each zigzag difference
 * z is coded with the parameter k = min{k : n·2^k ≥ a} of the running sum `a` of the previous differences over their
 * number `n` (both halved every `halveAt` values, so k follows the local level of the counts): `⌊z / 2^k⌋` in unary,
 * then the k low bits. A quotient of `unaryLimit` or more escapes to the bit length of z (6 bits) and z itself.
 */
export const RICE = { initialSum: 4, halveAt: 16, unaryLimit: 16, maxParameter: 24, maxBytesPerValue: 10 } as const;

/** The integer a zigzag code `z ≥ 0` stands for (0, −1, 1, −2, …); integer operations below 2^31. Cost: O(1). */
export function unzigzag(z: number): number {
  return z < 0x8000_0000 ? (z >>> 1) ^ -(z & 1) : z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

/** k = min{k ≤ RICE.maxParameter : n·2^k ≥ a}, for integers a ≥ 0, n ≥ 1. Cost: O(1). */
function riceParameter(a: number, n: number): number {
  if (a <= n) return 0;
  // n·2^k ≥ a ⇔ ⌊(a − 1)/n⌋ < 2^k ⇔ k ≥ bit length of ⌊(a − 1)/n⌋
  const m = Math.floor((a - 1) / n);
  return m >= 2 ** RICE.maxParameter ? RICE.maxParameter : 32 - Math.clz32(m);
}

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

  /**
   * The neighbour differences of `counts[i − offset]`, i = start … end (integers ≤ 2^53), as adaptive Golomb–Rice
   * codes: ~40–60 % fewer bytes than {@link neighbourDifferences} for the small, noisy counts of a window slice (see
   * {@link RICE}). Bits are written most significant first; the last byte is padded with zeros. Cost: O(end − start).
   */
  riceDifferences(counts: ArrayLike<number>, offset: number, start: number, end: number): void {
    this.ensure(RICE.maxBytesPerValue * (end - start + 1) + 1);
    const buf = this.buf;
    let pos = this.pos;
    // `acc` holds the `bits` (< 8 between values) pending bits in its low bits
    let acc = 0;
    let bits = 0;
    let a: number = RICE.initialSum;
    let n = 1;
    let prev = 0;
    for (let i = start; i <= end; i++) {
      const c = counts[i - offset] as number;
      const d = c - prev;
      prev = c;
      const z = d >= 0 ? d * 2 : -d * 2 - 1;
      const k = riceParameter(a, n);
      const q = Math.floor(z / 2 ** k);
      if (q < RICE.unaryLimit) {
        // q ones and a zero, then the k low bits of z (z < 2^28 here, so 32-bit operations are exact)
        acc = (acc << (q + 1)) | (((1 << q) - 1) << 1);
        bits += q + 1;
        while (bits >= 8) {
          bits -= 8;
          buf[pos++] = (acc >>> bits) & 0xff;
        }
        if (k > 0) {
          acc = ((acc & ((1 << bits) - 1)) << k) | (z & ((1 << k) - 1));
          bits += k;
          while (bits >= 8) {
            bits -= 8;
            buf[pos++] = (acc >>> bits) & 0xff;
          }
        }
        acc &= (1 << bits) - 1;
      } else {
        // escape: unaryLimit ones, the bit length L of z in 6 bits, then z in L bits (in chunks of at most 24)
        let length = 0;
        while (2 ** length <= z) length++;
        acc = (acc << RICE.unaryLimit) | ((1 << RICE.unaryLimit) - 1);
        bits += RICE.unaryLimit;
        while (bits >= 8) {
          bits -= 8;
          buf[pos++] = (acc >>> bits) & 0xff;
        }
        acc = ((acc & ((1 << bits) - 1)) << 6) | length;
        bits += 6;
        while (bits >= 8) {
          bits -= 8;
          buf[pos++] = (acc >>> bits) & 0xff;
        }
        for (let rest = length; rest > 0; ) {
          const take = rest < 24 ? rest : 24;
          rest -= take;
          const chunk = Math.floor(z / 2 ** rest) % 2 ** take;
          acc = ((acc & ((1 << bits) - 1)) << take) | chunk;
          bits += take;
          while (bits >= 8) {
            bits -= 8;
            buf[pos++] = (acc >>> bits) & 0xff;
          }
        }
        acc &= (1 << bits) - 1;
      }
      a += z;
      n++;
      if (n === RICE.halveAt) {
        a = Math.floor(a / 2);
        n >>= 1;
      }
    }
    if (bits > 0) buf[pos++] = (acc << (8 - bits)) & 0xff;
    this.pos = pos;
  }

  f64(x: number): void {
    this.ensure(8);
    f64[0] = x;
    // eight stores beat a TypedArray#set call for eight bytes
    const buf = this.buf;
    const pos = this.pos;
    for (let i = 0; i < 8; i++) buf[pos + i] = f64Bytes[i] as number;
    this.pos = pos + 8;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /**
   * Makes room for `bytes` more bytes and returns the buffer, for a caller that writes them itself from
   * {@link length} on (a loop that encodes while it does other work); {@link commit} the new length afterwards.
   */
  reserve(bytes: number): Uint8Array {
    this.ensure(bytes);
    return this.buf;
  }

  /** Sets the length after a direct write into the buffer {@link reserve} returned. */
  commit(length: number): void {
    this.pos = length;
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
    return this.uvarintLong();
  }

  /** {@link uvarint} beyond two bytes (kept out of it, so that the short paths inline). */
  private uvarintLong(): number {
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

  /** Skips `n` varints. Throws a RangeError on truncated input. Cost: O(bytes). */
  skipVarints(n: number): void {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    for (let left = n; left > 0; pos++) {
      if (pos >= end) throw new RangeError('truncated varint');
      if ((buf[pos] as number) < 0x80) left--;
    }
    this.pos = pos;
  }

  svarint(): number {
    const z = this.uvarint();
    return unzigzag(z);
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
      const b0 = pos < end ? (buf[pos] as number) : 0x100;
      if (b0 < 0x80) {
        z = b0;
        pos++;
      } else {
        const b1 = pos + 1 < end ? (buf[pos + 1] as number) : 0x100;
        if (b1 < 0x80) {
          z = (b0 & 0x7f) | (b1 << 7);
          pos += 2;
        } else {
          this.pos = pos;
          z = this.uvarint();
          pos = this.pos;
        }
      }
      prev += unzigzag(z);
      if (prev < 0) throw new RangeError('corrupt histogram: negative bucket count');
      into[k] = prev;
    }
    this.pos = pos;
  }

  /**
   * {@link neighbourSums} added into a bucket range instead of stored: the count of bucket `first + k` is added to
   * `into[((first + k) >> shift) − offset]` (a payload merged into a histogram at `shift` scales coarser). Throws a
   * RangeError on truncated input, a negative count or a sum above `limit` (what `into` holds). Cost: O(length).
   */
  addNeighbourSums(into: Float64Array | Uint32Array, first: number, length: number, shift: number, offset: number, limit: number): void {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    let prev = 0;
    for (let k = 0; k < length; k++) {
      let z: number;
      const b0 = pos < end ? (buf[pos] as number) : 0x100;
      if (b0 < 0x80) {
        z = b0;
        pos++;
      } else {
        const b1 = pos + 1 < end ? (buf[pos + 1] as number) : 0x100;
        if (b1 < 0x80) {
          z = (b0 & 0x7f) | (b1 << 7);
          pos += 2;
        } else {
          this.pos = pos;
          z = this.uvarint();
          pos = this.pos;
        }
      }
      prev += unzigzag(z);
      if (prev < 0) throw new RangeError('corrupt histogram: negative bucket count');
      const j = ((first + k) >> shift) - offset;
      const sum = (into[j] as number) + prev;
      if (sum > limit) throw new RangeError('corrupt histogram: bucket count above the total');
      into[j] = sum;
    }
    this.pos = pos;
  }

  /**
   * Reads `length` counts written by {@link ByteWriter.riceDifferences} into `into[0 … length)`. Throws a RangeError on
   * truncated or corrupt input or a negative count. Cost: O(length).
   */
  riceSums(into: { [i: number]: number }, length: number): void {
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    // `acc` is a window of the next `bits` (25 … 32 after a refill) unread bits, left-aligned; bytes past `end` read as
    // zeros, and the position is checked against `end` once at the end
    let acc = 0;
    let bits = 0;
    let a: number = RICE.initialSum;
    let n = 1;
    let prev = 0;
    for (let i = 0; i < length; i++) {
      while (bits <= 24) {
        acc |= (pos < end ? (buf[pos] as number) : 0) << (24 - bits);
        pos++;
        bits += 8;
      }
      const k = riceParameter(a, n);
      const q = Math.clz32(~acc);
      let z: number;
      if (q < RICE.unaryLimit) {
        acc <<= q + 1;
        bits -= q + 1;
        if (k > 0) {
          while (bits <= 24) {
            acc |= (pos < end ? (buf[pos] as number) : 0) << (24 - bits);
            pos++;
            bits += 8;
          }
          z = (q << k) + (acc >>> (32 - k));
          acc <<= k;
          bits -= k;
        } else z = q;
      } else {
        acc <<= RICE.unaryLimit;
        bits -= RICE.unaryLimit;
        while (bits <= 24) {
          acc |= (pos < end ? (buf[pos] as number) : 0) << (24 - bits);
          pos++;
          bits += 8;
        }
        const width = acc >>> 26;
        acc <<= 6;
        bits -= 6;
        if (width === 0 || width > 54) throw new RangeError('corrupt histogram: bad count escape');
        z = 0;
        for (let rest = width; rest > 0; ) {
          const take = rest < 24 ? rest : 24;
          rest -= take;
          while (bits <= 24) {
            acc |= (pos < end ? (buf[pos] as number) : 0) << (24 - bits);
            pos++;
            bits += 8;
          }
          z = z * 2 ** take + (acc >>> (32 - take));
          acc <<= take;
          bits -= take;
        }
      }
      prev += unzigzag(z);
      if (prev < 0) throw new RangeError('corrupt histogram: negative bucket count');
      into[i] = prev;
      a += z;
      n++;
      if (n === RICE.halveAt) {
        a = Math.floor(a / 2);
        n >>= 1;
      }
    }
    // whole unread bytes still in the window go back; a partly read byte is consumed (its rest is padding)
    const consumed = pos - (bits >> 3);
    if (consumed > end) throw new RangeError('truncated histogram buckets');
    this.pos = consumed;
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
