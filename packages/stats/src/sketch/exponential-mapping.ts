/**
 * Bucket index mapping of the OpenTelemetry exponential histogram.
 *
 * At scale `s` the base is `b = 2^(2^-s)` and bucket `i` holds the absolute values in `(b^i, b^(i+1)]`
 * (lower bound exclusive, upper bound inclusive).
 * See https://opentelemetry.io/docs/specs/otel/metrics/data-model/#exponentialhistogram
 *
 * @module
 */

/** The smallest scale the OpenTelemetry data model allows (base 2^1024). */
export const MIN_SCALE = -10;
/** The largest scale the OpenTelemetry data model allows (base 2^(2^-20)). */
export const MAX_SCALE = 20;

// One shared 8-byte scratch: reading a double's bits allocates nothing.
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
f64[0] = 1;
/** Index of the 32-bit word holding the sign, exponent and top 20 significand bits. */
const HI = u32[1] === 0x3ff00000 ? 1 : 0;
const LO = 1 - HI;
const TWO_POW_52 = 2 ** 52;

// Exact powers of two 2^q for q in [−1074, 1023] (0 and Infinity beyond): ldexp is one multiplication.
const POW2_MIN = -1074;
const POW2 = new Float64Array(1023 - POW2_MIN + 1);
{
  let p = 1;
  for (let q = 0; q <= 1023; q++, p *= 2) POW2[q - POW2_MIN] = p;
  p = 1;
  for (let q = 0; q >= POW2_MIN; q--, p /= 2) POW2[q - POW2_MIN] = p;
}

/** 2^q exactly (0 below 2^−1074, Infinity above 2^1023). Cost: O(1). */
function pow2(q: number): number {
  if (q > 1023) return Infinity;
  if (q < POW2_MIN) return 0;
  return POW2[q - POW2_MIN] as number;
}

/**
 * Bound on |x_fast − x_ref| / 2^scale, where x_fast = `Math.log2(v)` and x_ref = `e + Math.log2(m)` (v = m · 2^e):
 * each is within one ulp of log2(v), and |log2(v)| ≤ 1075 has ulp 2.3e-13, so they differ by < 2.4e-13.
 */
const LOG2_GUARD = 1e-12;

/**
 * The bucket index of a finite `absValue > 0` at `scale` (−10 … 20).
 *
 * Rule (OTel "Producer Expectations"): write `absValue = m · 2^e` with `m ∈ [1, 2)`, from the IEEE-754 bits
 * (subnormals are normalised exactly, not rounded up to the smallest normal).
 * - exact power of two (`m = 1`): it is the inclusive upper bound of its bucket, so the index is
 *   `(e << scale) − 1` for scale > 0 and `(e − 1) >> −scale` for scale ≤ 0 — exact at every scale;
 * - scale ≤ 0 otherwise: `e >> −scale` (arithmetic shift = floor division) — exact;
 * - scale > 0 otherwise: the reference is `(e << scale) + ceil(log2(m) · 2^scale) − 1` ({@link mapToIndexBySignificand}).
 *   The reference takes `log2` of the significand only, so only values within about one ulp of a bucket boundary
 *   can land one bucket off — the tolerance the OTel spec grants to logarithm mapping. Because the same `log2(m)`
 *   is scaled by an exact power of two, the index at scale `s` shifted right by `k` always equals the index computed
 *   at scale `s − k`: perfect subsetting holds bit for bit, so downscaling never moves a value across buckets.
 *
 * Two shortcuts return exactly the reference's index:
 * - scales 1 … {@link SUB_BUCKET_TABLE_MAX_SCALE}, normal `absValue` that is not a power of two: no logarithm at all.
 *   The top `scale + 1` significand bits index a per-scale table of the sub-bucket `j` (0 … 2^scale − 1) that the
 *   reference gives at the start of that slice of [1, 2); a slice is narrower than any bucket, so it holds at most one
 *   boundary, and one comparison of `m` with the boundary above `j` gives the sub-bucket. The boundaries are not
 *   `2^(j/2^scale)` but the reference's own thresholds (the largest `m` with `Math.log2(m) · 2^scale ≤ j`), found
 *   when the table is built by scanning the ulps next to `2^(j/2^scale)` (see {@link subBucketTable});
 * - other positive scales: `x = Math.log2(absValue) · 2^scale` is computed first; when `x` is more than
 *   `1e-12 · 2^scale` from an integer (always, except within ~1e-12 relative of a bucket boundary or at a power of
 *   two) `ceil(x) − 1` provably equals the reference (the two logs differ by < 2.4e-13), otherwise the reference is
 *   computed.
 *
 * Reference: https://opentelemetry.io/docs/specs/otel/metrics/data-model/#producer-expectations
 * Cost: O(1), allocation-free: two table reads and a comparison (scales 1 … 10, normal values), one `Math.log2`
 * (other positive scales) or a bit extraction (scale ≤ 0). The first call at a scale 1 … 10 builds its table, once
 * per process: ≈ 9 · 2^scale `Math.log2` calls (≈ 2.5 ms cold at scale 10, 4 ms for all ten scales) and
 * 2^(scale+1) · 2 + (2^scale + 1) · 8 bytes (12 KiB at scale 10, 24 KiB for all ten; {@link subBucketTableBytes}).
 */
export function mapToIndex(absValue: number, scale: number): number {
  if (scale > 0) {
    if (scale <= SUB_BUCKET_TABLE_MAX_SCALE) {
      f64[0] = absValue;
      const hi = u32[HI] as number;
      const biased = hi >>> 20; // sign bit included: a negative input is ≥ 0x800 and takes the reference path
      const significandHi = hi & 0xfffff;
      // normal (1 ≤ biased ≤ 0x7fe), positive and not a power of two
      if ((biased - 1) >>> 0 < 0x7fe && (significandHi !== 0 || u32[LO] !== 0)) {
        let table = subBucketTables[scale];
        if (table === undefined) table = subBucketTable(scale);
        if (table !== null) {
          const m = absValue * (POW2[1023 - biased - POW2_MIN] as number); // exact: m ∈ (1, 2)
          const j = table.first[significandHi >>> (19 - scale)] as number;
          // one step up when m is above the boundary in its slice (Number(boolean): ~5 % faster than an if, in-process A/B)
          return ((biased - 1023) << scale) + j + Number(m > (table.threshold[j + 1] as number));
        }
      }
    } else {
      const factor = 1 << scale;
      const x = Math.log2(absValue) * factor;
      const up = Math.ceil(x);
      const guard = LOG2_GUARD * factor;
      if (up - x > guard && x - up + 1 > guard) return up - 1;
    }
  }
  return mapToIndexBySignificand(absValue, scale);
}

/** The largest scale {@link mapToIndex} reads from a sub-bucket table (12 296 B at this scale, 24 632 B for all). */
export const SUB_BUCKET_TABLE_MAX_SCALE = 10;

/**
 * Bytes held by the sub-bucket table of `scale` once {@link mapToIndex} has built it (it builds it on first use):
 * 2^(scale+1) · 2 + (2^scale + 1) · 8 — 32 B at scale 1, 12 296 B at scale 10, 24 632 B for all of 1 … 10; 0 for a
 * scale that has no table (≤ 0, > 10, not used yet, or whose build fell back to `Math.log2`). Cost: O(1).
 */
export function subBucketTableBytes(scale: number): number {
  const table = scale > 0 && scale <= SUB_BUCKET_TABLE_MAX_SCALE ? subBucketTables[scale] : undefined;
  return table ? table.first.byteLength + table.threshold.byteLength : 0;
}

/** The reference's sub-bucket lookup of one scale `s` (n = 2^s sub-buckets per octave), see {@link mapToIndex}. */
interface SubBucketTable {
  /** `first[t]`: the reference's sub-bucket of `m = 1 + t / 2^(s+1)` (0 for t = 0), t = 0 … 2^(s+1) − 1. */
  readonly first: Uint16Array;
  /**
   * `threshold[j]` for j = 1 … n − 1: the largest `m ∈ (1, 2)` the reference puts below sub-bucket j
   * (`Math.log2(m) · n ≤ j`); sub-bucket j holds `m ∈ (threshold[j], threshold[j + 1]]`. `threshold[0] = 1`,
   * `threshold[n] = 2` (no `m < 2` exceeds it).
   */
  readonly threshold: Float64Array;
}

// undefined: not built yet; null: the build found the reference not monotone next to a boundary (never seen), so the
// scale keeps the Math.log2 path
const subBucketTables: Array<SubBucketTable | null | undefined> = new Array<undefined>(SUB_BUCKET_TABLE_MAX_SCALE + 1).fill(undefined);

/** How many ulps either side of `2^(j/n)` the build scans for the reference's threshold. */
const THRESHOLD_SCAN_ULPS = 4;

/**
 * Builds (once per scale) the table of {@link mapToIndex} from the reference itself, so both always agree.
 *
 * The reference's sub-bucket of `m ∈ (1, 2)` is `ceil(Math.log2(m) · n) − 1`, so `m` is at or above sub-bucket j
 * exactly when `Math.log2(m) > j / n` (the scaling by n is exact). `Math.log2` is within one ulp of log2 (the
 * assumption {@link LOG2_GUARD} rests on too), and an ulp of a result in (0, 1) is ≤ 1.1e-16. A double `m` at least
 * 3 ulps (6.7e-16) from `2^(j/n)` has `|log2(m) − j/n| ≥ 6.7e-16 / (2 ln 2) = 4.8e-16`, more than 4 such ulps, so
 * `Math.log2` puts it on the side exact arithmetic does. The start point `2^(j/n)` (the table value of
 * {@link lowerBoundary}) is within an ulp, so the build evaluates every double within ±{@link THRESHOLD_SCAN_ULPS} (4)
 * ulps of it and requires exactly one step there, from below j to at or above it: the threshold is the last double
 * below. If that ever fails, or a table slice held two thresholds (the narrowest bucket, 2^(1/n) − 1 > 0.69/n, is wider
 * than a slice, 0.5/n), the scale keeps the `Math.log2` path (null).
 * Cost: (2^scale − 1) · 9 `Math.log2` calls plus O(2^scale) (≈ 2.5 ms cold at scale 10, once per process);
 * memory 2^(scale+1) · 2 + (2^scale + 1) · 8 bytes.
 */
function subBucketTable(scale: number): SubBucketTable | null {
  const n = 1 << scale;
  const fractions = fractionTable(scale);
  const threshold = new Float64Array(n + 1);
  threshold[0] = 1;
  threshold[n] = 2;
  let table: SubBucketTable | null = null;
  build: {
    for (let j = 1; j < n; j++) {
      const center = fractions[j] as number;
      let last = NaN; // the last scanned double that the reference puts below sub-bucket j
      let steps = 0;
      let below = true;
      for (let u = -THRESHOLD_SCAN_ULPS; u <= THRESHOLD_SCAN_ULPS; u++) {
        const m = center + u * Number.EPSILON; // exact: an ulp is 2^-52 on [1, 2), and center is ≥ 6.7e-4 from 1 and 2
        const isBelow = Math.log2(m) * n <= j;
        if (isBelow) last = m;
        if (isBelow !== below) steps++;
        below = isBelow;
      }
      // exactly one step, from below (the scan's first double) to above (its last)
      if (steps !== 1 || below || Number.isNaN(last) || !(last > (threshold[j - 1] as number))) break build;
      threshold[j] = last;
    }
    const slices = 2 * n;
    const first = new Uint16Array(slices);
    let j = 0;
    for (let t = 0; t < slices; t++) {
      const start = 1 + t / slices; // exact
      while (j + 1 < n && (threshold[j + 1] as number) < start) j++;
      // the slice [start, start + 1/slices) may hold threshold[j + 1] but not threshold[j + 2]
      if (j + 2 <= n && (threshold[j + 2] as number) < 1 + (t + 1) / slices) break build;
      first[t] = j;
    }
    table = { first, threshold };
  }
  subBucketTables[scale] = table;
  return table;
}

/**
 * The reference mapping from the IEEE-754 bits (see {@link mapToIndex}); `Math.log2` of the significand only for
 * scale > 0 and no logarithm at all for scale ≤ 0. Cost: O(1), allocation-free.
 */
export function mapToIndexBySignificand(absValue: number, scale: number): number {
  f64[0] = absValue;
  let hi = u32[HI] as number;
  let shift = 0;
  if (hi >>> 20 === 0) {
    // subnormal: scale it into the normal range exactly, then correct the exponent
    f64[0] = absValue * TWO_POW_52;
    hi = u32[HI] as number;
    shift = 52;
  }
  const biased = (hi >>> 20) - 1023; // exponent of the (scaled) normal number in f64[0]
  const e = biased - shift;
  if ((hi & 0xfffff) === 0 && u32[LO] === 0) {
    return scale > 0 ? (e << scale) - 1 : (e - 1) >> -scale;
  }
  if (scale <= 0) return e >> -scale;
  const m = (f64[0] as number) * (POW2[-biased - POW2_MIN] as number); // exact: m ∈ (1, 2)
  return (e << scale) + Math.ceil(Math.log2(m) * (1 << scale)) - 1;
}

/**
 * `x · 2^exponent` without spurious overflow/underflow of `2^exponent`; a single rounding whenever the result is
 * normal or `x` is normal and `exponent ≥ −2044`. Cost: O(1) (one table lookup and multiplication, at most two more
 * for exponents outside [−1022, 1023]).
 */
export function ldexp(x: number, exponent: number): number {
  let y = x;
  let e = exponent;
  while (e > 1023) {
    y *= POW2[1023 - POW2_MIN] as number;
    e -= 1023;
    if (y === Infinity || y === -Infinity) return y;
  }
  while (e < -1022) {
    y *= POW2[-1022 - POW2_MIN] as number;
    e += 1022;
    if (y === 0) return y;
  }
  return y * (POW2[e - POW2_MIN] as number);
}

// 2^(r / 2^scale) for r in [0, 2^scale), per scale up to FRACTION_TABLE_MAX_SCALE, built on first use.
const FRACTION_TABLE_MAX_SCALE = 12;
const fractionTables: Array<Float64Array | undefined> = [];

function fractionTable(scale: number): Float64Array {
  let table = fractionTables[scale];
  if (!table) {
    const size = 1 << scale;
    table = new Float64Array(size);
    for (let r = 0; r < size; r++) table[r] = 2 ** (r / size);
    fractionTables[scale] = table;
  }
  return table;
}

/**
 * The exclusive lower boundary `b^index = 2^(index · 2^-scale)` of bucket `index` at `scale`.
 *
 * Exact for scale ≤ 0 (a power of two). For scale > 0 it is `2^(r / 2^scale) · 2^q` with
 * `q = index >> scale`, `r = index − q·2^scale`, accurate to about one ulp (the fraction comes from a cached table up
 * to scale 12, else `Math.exp`). Boundaries outside the double range round to `0` or `+Infinity` (the OTel spec lets
 * consumers round partially representable buckets). The upper boundary of bucket `i` is `lowerBoundary(i + 1, scale)`.
 *
 * Cost: O(1) (the first call at a scale ≤ 12 builds a 2^scale-entry table).
 */
export function lowerBoundary(index: number, scale: number): number {
  if (scale <= 0) return pow2(index * 2 ** -scale);
  const q = index >> scale;
  const r = index - q * (1 << scale);
  if (r === 0) return pow2(q);
  const fraction = scale <= FRACTION_TABLE_MAX_SCALE ? (fractionTable(scale)[r] as number) : Math.exp((r / (1 << scale)) * Math.LN2);
  return ldexp(fraction, q);
}

/** Consecutive bucket boundaries, see {@link boundaryWalk}. */
export interface BoundaryWalk {
  /** `lowerBoundary(start + j, scale)` on the j-th call (j = 0, 1, …). */
  next(): number;
}

/**
 * Walks the boundaries `lowerBoundary(start, scale)`, `lowerBoundary(start + 1, scale)`, … with the same table and
 * rounding as {@link lowerBoundary}, for readers that go through a whole bucket range: one multiplication per
 * boundary at scales 1 … 12 instead of a table lookup, a split of the index and a scaling each. Cost: O(1) per step.
 */
export function boundaryWalk(start: number, scale: number): BoundaryWalk {
  if (scale <= 0 || scale > FRACTION_TABLE_MAX_SCALE) {
    let i = start;
    return { next: () => lowerBoundary(i++, scale) };
  }
  const table = fractionTable(scale);
  const size = 1 << scale;
  let q = start >> scale;
  let r = start - q * size;
  let power = pow2(q);
  return {
    next(): number {
      // a product with an exact normal power of two rounds once, exactly as ldexp does; outside that range defer to it
      const b = r === 0 ? power : q >= -1022 && q <= 1023 ? (table[r] as number) * power : ldexp(table[r] as number, q);
      if (++r === size) {
        r = 0;
        q++;
        power = pow2(q);
      }
      return b;
    },
  };
}

/**
 * The `count + 1` consecutive boundaries `lowerBoundary(start + j, scale)` for j = 0 … count (see {@link boundaryWalk}).
 * Cost: O(count).
 */
export function lowerBoundaries(start: number, count: number, scale: number): Float64Array {
  return lowerBoundariesInto(new Float64Array(count + 1), start, count, scale);
}

/**
 * {@link lowerBoundaries} written into `out[0 … count]` (which must hold `count + 1` values), the walk of
 * {@link boundaryWalk} inlined: the same values, no allocation. Returns `out`. Cost: O(count).
 */
export function lowerBoundariesInto(out: Float64Array, start: number, count: number, scale: number): Float64Array {
  if (scale <= 0 || scale > FRACTION_TABLE_MAX_SCALE) {
    for (let j = 0; j <= count; j++) out[j] = lowerBoundary(start + j, scale);
    return out;
  }
  const table = fractionTable(scale);
  const size = 1 << scale;
  let q = start >> scale;
  let r = start - q * size;
  let power = pow2(q);
  for (let j = 0; j <= count; j++) {
    out[j] = r === 0 ? power : q >= -1022 && q <= 1023 ? (table[r] as number) * power : ldexp(table[r] as number, q);
    if (++r === size) {
      r = 0;
      q++;
      power = pow2(q);
    }
  }
  return out;
}

/** `base − 1 = 2^(2^-scale) − 1`: the largest relative width of a bucket at `scale`. Cost: O(1). */
export function relativeBucketWidth(scale: number): number {
  return 2 ** (2 ** -scale) - 1;
}
