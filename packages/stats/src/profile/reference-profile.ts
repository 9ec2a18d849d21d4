import type { CategoryCountsData } from '../sketch/category-counts.js';
import type { ExponentialHistogramData } from '../sketch/exponential-histogram-data.js';

/**
 * How a feature is profiled and recorded (docs/semantic-conventions.md): `numeric` values, `categorical` values
 * (as strings), `boolean` (`'true'`/`'false'` categories), `embedding` (by L2 norm) and `text` (by length).
 */
export type FeatureType = 'numeric' | 'categorical' | 'boolean' | 'embedding' | 'text';

/** Feature name → type. */
export type FeatureSchema = Record<string, FeatureType>;

/** The format tag of a {@link ReferenceProfile}. */
export const REFERENCE_PROFILE_FORMAT = 'driftwatch.reference/v1';

/** Where a reference profile came from. */
export type ReferenceProfileSource = 'file' | 'sdk' | 'http' | 'capture';

/**
 * The profile of one feature (or output) over the reference rows.
 * `count` counts usable values, `missing` the unusable ones (absent, null, NaN/±Infinity, wrong type), so
 * `count + missing = rowCount`. `uniqueCount` counts distinct recorded values — numbers, embedding norms, text lengths
 * or (truncated) categories — exactly up to 10 000, then stays at 10 000.
 * `numeric` (numeric, embedding, text; present iff `count > 0`): statistics of the recorded number — the value,
 * the embedding's L2 norm or the text's length — with the sample standard deviation (n − 1; 0 when count = 1).
 * `categorical` (categorical, boolean; always present): the bounded category counts.
 */
export interface FeatureProfile {
  type: FeatureType;
  count: number;
  missing: number;
  uniqueCount: number;
  numeric?: { min: number; max: number; mean: number; std: number; histogram: ExponentialHistogramData };
  categorical?: CategoryCountsData;
}

/** A reference (training/baseline) data set summarised per feature; plain JSON. */
export interface ReferenceProfile {
  format: typeof REFERENCE_PROFILE_FORMAT;
  model: string;
  version: string;
  /** ISO 8601 timestamp. */
  createdAt: string;
  source: ReferenceProfileSource;
  rowCount: number;
  features: Record<string, FeatureProfile>;
  outputs?: Record<string, FeatureProfile>;
}
