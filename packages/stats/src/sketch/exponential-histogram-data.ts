import { MAX_SCALE, MIN_SCALE, mapToIndex } from './exponential-mapping.js';

/** One range (positive or negative) of an exponential histogram: `bucketCounts[k]` counts bucket index `offset + k`. */
export interface ExponentialHistogramBuckets {
  offset: number;
  bucketCounts: number[];
}

/**
 * Plain, JSON-able exponential histogram, shaped like the OTLP `ExponentialHistogramDataPoint`.
 * `min`/`max` are present only when `count > 0` (they are optional in OTLP too).
 * See https://opentelemetry.io/docs/specs/otel/metrics/data-model/#exponentialhistogram
 */
export interface ExponentialHistogramData {
  scale: number;
  zeroCount: number;
  /** Values with `|v| ≤ zeroThreshold` are counted in `zeroCount`; 0 by default. */
  zeroThreshold: number;
  positive: ExponentialHistogramBuckets;
  negative: ExponentialHistogramBuckets;
  count: number;
  sum: number;
  min?: number;
  max?: number;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** Per scale (index `scale − MIN_SCALE`), the lowest and highest bucket index of a float64, computed on first use. */
const float64Range: Array<readonly [number, number] | undefined> = [];

/** The lowest and highest bucket index a float64 can fall in at `scale` (cached per scale). Cost: O(1). */
export function float64IndexRange(scale: number): readonly [number, number] {
  let range = float64Range[scale - MIN_SCALE];
  if (range === undefined) {
    range = [mapToIndex(Number.MIN_VALUE, scale), mapToIndex(Number.MAX_VALUE, scale)];
    float64Range[scale - MIN_SCALE] = range;
  }
  return range;
}

/** The total of the range {@link quickBucketsTotal} checked last. */
let quickTotal = 0;

/**
 * One pass over a valid range: true when `value` is `{ offset, bucketCounts }` with a 32-bit offset, non-negative finite
 * counts and non-zero buckets inside the float64 range (its total in {@link quickTotal}); false sends the caller to
 * {@link checkBuckets}, which names what is wrong. Cost: O(buckets).
 */
function quickBuckets(value: unknown, scale: number): value is ExponentialHistogramBuckets {
  if (!isRecord(value)) return false;
  const { offset, bucketCounts } = value;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < INT32_MIN || offset > INT32_MAX || !Array.isArray(bucketCounts)) return false;
  const counts = bucketCounts as unknown[];
  const n = counts.length;
  if (offset + n - 1 > INT32_MAX) return false;
  let total = 0;
  let first = -1;
  let last = -1;
  for (let k = 0; k < n; k++) {
    const c = counts[k];
    if (typeof c !== 'number' || !(c >= 0 && c < Infinity)) return false;
    if (c !== 0) {
      if (first < 0) first = k;
      last = k;
      total += c;
    }
  }
  if (first >= 0) {
    const [lowest, highest] = float64IndexRange(scale);
    if (offset + first < lowest || offset + last > highest) return false;
  }
  quickTotal = total;
  return true;
}

function checkBuckets(value: unknown, path: string, scale: number): ExponentialHistogramBuckets {
  if (!isRecord(value)) throw new Error(`${path} must be an object with offset and bucketCounts`);
  const { offset, bucketCounts } = value;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < INT32_MIN || offset > INT32_MAX) {
    throw new Error(`${path}.offset must be a 32-bit integer`);
  }
  if (!Array.isArray(bucketCounts)) throw new Error(`${path}.bucketCounts must be an array`);
  const counts = bucketCounts as unknown[];
  for (let k = 0; k < counts.length; k++) {
    if (!isCount(counts[k])) throw new Error(`${path}.bucketCounts[${k}] must be a non-negative finite number`);
  }
  if (offset + counts.length - 1 > INT32_MAX) throw new Error(`${path}.bucketCounts index overflows a 32-bit integer`);
  // OTel consumer recommendation: reject buckets that lie wholly outside the float64 range at this scale.
  const lowest = mapToIndex(Number.MIN_VALUE, scale);
  const highest = mapToIndex(Number.MAX_VALUE, scale);
  for (let k = 0; k < counts.length; k++) {
    if (counts[k] !== 0 && (offset + k < lowest || offset + k > highest)) {
      throw new Error(`${path}.bucketCounts[${k}] is bucket ${offset + k}, outside the float64 range at scale ${scale} (${lowest} to ${highest})`);
    }
  }
  return { offset, bucketCounts: counts as number[] };
}

function total(counts: readonly number[]): number {
  let s = 0;
  for (const c of counts) s += c;
  return s;
}

/**
 * Checks that `value` is a valid {@link ExponentialHistogramData} and returns it normalised (`zeroThreshold`
 * defaults to 0). Throws an `Error` whose message starts with the offending field, prefixed by `path`
 * (e.g. `features.age.numeric.histogram.scale must be an integer from -10 to 20`).
 *
 * Rules: `scale` integer in [−10, 20]; `offset` 32-bit integers; counts non-negative and finite;
 * `count = zeroCount + Σ bucketCounts`; `sum` a number (not NaN); `min ≤ max` when both are given and `count > 0`.
 *
 * Cost: O(number of buckets).
 */
export function validateExponentialHistogramData(value: unknown, path = 'histogram'): ExponentialHistogramData {
  if (!isRecord(value)) throw new Error(`${path} must be an object`);
  const { scale, zeroCount, zeroThreshold, count, sum, min, max } = value;
  if (typeof scale !== 'number' || !Number.isInteger(scale) || scale < MIN_SCALE || scale > MAX_SCALE) {
    throw new Error(`${path}.scale must be an integer from ${MIN_SCALE} to ${MAX_SCALE}`);
  }
  if (!isCount(zeroCount)) throw new Error(`${path}.zeroCount must be a non-negative finite number`);
  if (zeroThreshold !== undefined && !isCount(zeroThreshold)) {
    throw new Error(`${path}.zeroThreshold must be a non-negative finite number`);
  }
  // the common case — both ranges valid — in one pass each; anything else is checked again by the rules that name it
  let positive: ExponentialHistogramBuckets;
  let negative: ExponentialHistogramBuckets;
  let bucketTotal: number;
  const rawPositive = value.positive;
  const rawNegative = value.negative;
  if (quickBuckets(rawPositive, scale)) {
    const positiveTotal = quickTotal;
    if (quickBuckets(rawNegative, scale)) {
      positive = { offset: rawPositive.offset, bucketCounts: rawPositive.bucketCounts };
      negative = { offset: rawNegative.offset, bucketCounts: rawNegative.bucketCounts };
      bucketTotal = zeroCount + positiveTotal + quickTotal;
    } else {
      positive = checkBuckets(rawPositive, `${path}.positive`, scale);
      negative = checkBuckets(rawNegative, `${path}.negative`, scale);
      bucketTotal = zeroCount + total(positive.bucketCounts) + total(negative.bucketCounts);
    }
  } else {
    positive = checkBuckets(rawPositive, `${path}.positive`, scale);
    negative = checkBuckets(rawNegative, `${path}.negative`, scale);
    bucketTotal = zeroCount + total(positive.bucketCounts) + total(negative.bucketCounts);
  }
  if (!isCount(count)) throw new Error(`${path}.count must be a non-negative finite number`);
  if (Math.abs(bucketTotal - count) > 1e-9 * Math.max(1, count)) {
    throw new Error(`${path}.count must equal zeroCount plus all bucketCounts (count ${count}, buckets hold ${bucketTotal})`);
  }
  if (typeof sum !== 'number' || Number.isNaN(sum)) throw new Error(`${path}.sum must be a number`);
  const data: ExponentialHistogramData = {
    scale,
    zeroCount,
    zeroThreshold: zeroThreshold ?? 0,
    positive,
    negative,
    count,
    sum,
  };
  if (min !== undefined && min !== null) {
    if (typeof min !== 'number' || !Number.isFinite(min)) throw new Error(`${path}.min must be a finite number`);
    if (count > 0) data.min = min;
  }
  if (max !== undefined && max !== null) {
    if (typeof max !== 'number' || !Number.isFinite(max)) throw new Error(`${path}.max must be a finite number`);
    if (count > 0) data.max = max;
  }
  if (data.min !== undefined && data.max !== undefined && data.min > data.max) {
    throw new Error(`${path}.min must not exceed ${path}.max`);
  }
  return data;
}
