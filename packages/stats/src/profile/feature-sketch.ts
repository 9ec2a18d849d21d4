import type { CategoryCounts } from '../sketch/category-counts.js';
import type { ExponentialHistogram } from '../sketch/exponential-histogram.js';

/**
 * A feature's distribution as a mergeable sketch: what drift on sketches compares. Numeric, embedding (norm) and
 * text (length) features are histograms; categorical and boolean features are category counts.
 */
export type FeatureSketch =
  | { kind: 'numeric'; histogram: ExponentialHistogram; uniqueCount?: number }
  | { kind: 'categorical'; counts: CategoryCounts };
