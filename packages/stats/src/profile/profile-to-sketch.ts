import { CategoryCounts } from '../sketch/category-counts.js';
import { ExponentialHistogram } from '../sketch/exponential-histogram.js';
import type { FeatureSketch } from './feature-sketch.js';
import type { FeatureProfile } from './reference-profile.js';

/**
 * The mergeable sketch of a (validated) feature profile, ready for drift on sketches: numeric, embedding and text
 * profiles give `{ kind: 'numeric', histogram, uniqueCount, std }` (std as population std) (an empty histogram when `count = 0`); categorical
 * and boolean profiles give `{ kind: 'categorical', counts }`.
 * Cost: O(buckets + categories). Throws an `Error` when the section the type needs is missing.
 */
export function profileToSketch(p: FeatureProfile): FeatureSketch {
  if (p.type === 'categorical' || p.type === 'boolean') {
    if (!p.categorical) throw new Error(`profileToSketch: a ${p.type} profile needs its categorical section`);
    return { kind: 'categorical', counts: CategoryCounts.fromData(p.categorical) };
  }
  if (p.numeric) {
    // the profile keeps the sample std (n − 1); drift normalises by the population std (n), as numpy's default
    const std = p.count > 1 ? p.numeric.std * Math.sqrt((p.count - 1) / p.count) : 0;
    return { kind: 'numeric', histogram: ExponentialHistogram.fromData(p.numeric.histogram), uniqueCount: p.uniqueCount, std };
  }
  if (p.count > 0) throw new Error(`profileToSketch: a ${p.type} profile with count ${p.count} needs its numeric section`);
  return { kind: 'numeric', histogram: new ExponentialHistogram(), uniqueCount: p.uniqueCount };
}
