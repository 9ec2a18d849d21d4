import { CategoryCounts, truncateCategory } from '../sketch/category-counts.js';
import { ExponentialHistogram } from '../sketch/exponential-histogram.js';
import { featureCategory, featureNumber } from './feature-value.js';
import type { FeatureProfile, FeatureType } from './reference-profile.js';

/** `uniqueCount` is exact up to this many distinct values, then stays at it. */
export const UNIQUE_COUNT_CAP = 10_000;

/**
 * Accumulates one feature's {@link FeatureProfile} over rows, in one pass.
 * Mean and variance use Welford's update (`δ = x − mean; mean += δ/n; M2 += δ·(x − mean)`), numerically stable
 * (Welford 1962, https://doi.org/10.1080/00401706.1962.10490022); std is the sample std `sqrt(M2 / (n − 1))`.
 * Memory: O(sketch + min(distinct, 10 000)). Cost per value: O(1) (O(dimensions) for embeddings).
 */
export class FeatureAccumulator {
  readonly type: FeatureType;
  private count = 0;
  private missing = 0;
  private mean = 0;
  private m2 = 0;
  private readonly distinct = new Set<number | string>();
  private readonly histogram: ExponentialHistogram | undefined;
  private readonly categories: CategoryCounts | undefined;

  constructor(type: FeatureType) {
    this.type = type;
    if (type === 'categorical' || type === 'boolean') this.categories = new CategoryCounts();
    else this.histogram = new ExponentialHistogram();
  }

  add(value: unknown): void {
    const type = this.type;
    if (type === 'categorical' || type === 'boolean') {
      const category = featureCategory(type, value);
      if (category === undefined) {
        this.missing++;
        return;
      }
      const kept = truncateCategory(category);
      (this.categories as CategoryCounts).record(kept);
      this.count++;
      if (this.distinct.size < UNIQUE_COUNT_CAP) this.distinct.add(kept);
      return;
    }
    const x = featureNumber(type, value);
    if (Number.isNaN(x)) {
      this.missing++;
      return;
    }
    (this.histogram as ExponentialHistogram).record(x);
    this.count++;
    const delta = x - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (x - this.mean);
    if (this.distinct.size < UNIQUE_COUNT_CAP) this.distinct.add(x);
  }

  profile(): FeatureProfile {
    const p: FeatureProfile = { type: this.type, count: this.count, missing: this.missing, uniqueCount: this.distinct.size };
    if (this.categories) p.categorical = this.categories.toData();
    if (this.histogram && this.count > 0) {
      const h = this.histogram;
      p.numeric = {
        min: h.min,
        max: h.max,
        mean: this.mean,
        std: this.count > 1 ? Math.sqrt(Math.max(0, this.m2) / (this.count - 1)) : 0,
        histogram: h.toData(),
      };
    }
    return p;
  }
}
