import type { CategoryCounts } from '../sketch/category-counts.js';
import type { ExponentialHistogram } from '../sketch/exponential-histogram.js';

/**
 * A feature's distribution as a mergeable sketch: what drift on sketches compares. Numeric, embedding (norm) and
 * text (length) features are histograms; categorical and boolean features are category counts.
 * `uniqueCount` (distinct raw values) and `std` (population standard deviation, ddof = 0) are optional facts a
 * reference profile knows exactly; without them the drift tests estimate them from the buckets.
 */
export type FeatureSketch =
  | { kind: 'numeric'; histogram: ExponentialHistogram; uniqueCount?: number; std?: number }
  | { kind: 'categorical'; counts: CategoryCounts };
