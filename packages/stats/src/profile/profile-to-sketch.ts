import { CategoryCounts } from '../sketch/category-counts.js';
import { ExponentialHistogram } from '../sketch/exponential-histogram.js';
import type { FeatureSketch } from './feature-sketch.js';
import type { FeatureProfile } from './reference-profile.js';

/**
 * The mergeable sketch of a (validated) feature profile, ready for drift on sketches: numeric, embedding and text
 * profiles give `{ kind: 'numeric', histogram, uniqueCount }` (an empty histogram when `count = 0`); categorical
 * and boolean profiles give `{ kind: 'categorical', counts }`.
 * Cost: O(buckets + categories). Throws an `Error` when the section the type needs is missing.
 */
export function profileToSketch(p: FeatureProfile): FeatureSketch {
  if (p.type === 'categorical' || p.type === 'boolean') {
    if (!p.categorical) throw new Error(`profileToSketch: a ${p.type} profile needs its categorical section`);
    return { kind: 'categorical', counts: CategoryCounts.fromData(p.categorical) };
  }
  if (p.numeric) return { kind: 'numeric', histogram: ExponentialHistogram.fromData(p.numeric.histogram), uniqueCount: p.uniqueCount };
  if (p.count > 0) throw new Error(`profileToSketch: a ${p.type} profile with count ${p.count} needs its numeric section`);
  return { kind: 'numeric', histogram: new ExponentialHistogram(), uniqueCount: p.uniqueCount };
}
