import { describe, expect, it } from 'vitest';
import { CategoryCounts } from '../sketch/category-counts.js';
import { ExponentialHistogram } from '../sketch/exponential-histogram.js';
import { buildReferenceProfile } from './build-reference-profile.js';
import { profileToSketch } from './profile-to-sketch.js';
import type { FeatureProfile } from './reference-profile.js';
import { validateReferenceProfile } from './validate-reference-profile.js';

describe('profileToSketch', () => {
  const values = Array.from({ length: 500 }, (_, i) => Math.sin(i) * 100);
  const rows = values.map((x, i) => ({ x, c: `k${i % 9}`, b: i % 3 === 0, t: 'a'.repeat(i % 17) }));
  const profile = validateReferenceProfile(
    JSON.parse(JSON.stringify(buildReferenceProfile(rows, { x: 'numeric', c: 'categorical', b: 'boolean', t: 'text' }, { model: 'm', version: '1' }))),
  );

  it('rebuilds the numeric histogram exactly, with the unique count', () => {
    const sketch = profileToSketch(profile.features.x as FeatureProfile);
    expect(sketch.kind).toBe('numeric');
    if (sketch.kind !== 'numeric') return;
    const direct = new ExponentialHistogram();
    direct.recordMany(values);
    expect(sketch.histogram.toData()).toEqual(direct.toData());
    expect(sketch.uniqueCount).toBe(500);
  });

  it('rebuilds category counts for categorical and boolean features', () => {
    const c = profileToSketch(profile.features.c as FeatureProfile);
    expect(c.kind).toBe('categorical');
    if (c.kind !== 'categorical') return;
    const direct = new CategoryCounts();
    for (const r of rows) direct.record(r.c);
    expect(new Map(c.counts.entries())).toEqual(new Map(direct.entries()));
    const b = profileToSketch(profile.features.b as FeatureProfile);
    if (b.kind !== 'categorical') throw new Error('boolean must give category counts');
    expect(new Map(b.counts.entries())).toEqual(
      new Map([
        ['true', 167],
        ['false', 333],
      ]),
    );
  });

  it('gives text lengths as a numeric sketch', () => {
    const t = profileToSketch(profile.features.t as FeatureProfile);
    if (t.kind !== 'numeric') throw new Error('text must give a histogram');
    expect(t.histogram.max).toBe(16);
    expect(t.uniqueCount).toBe(17);
  });

  it('gives an empty histogram for a numeric feature without values, and throws when a section is missing', () => {
    const empty = profileToSketch({ type: 'numeric', count: 0, missing: 3, uniqueCount: 0 });
    expect(empty.kind === 'numeric' && empty.histogram.count).toBe(0);
    expect(() => profileToSketch({ type: 'numeric', count: 2, missing: 0, uniqueCount: 2 })).toThrow('a numeric profile with count 2 needs its numeric section');
    expect(() => profileToSketch({ type: 'boolean', count: 0, missing: 0, uniqueCount: 0 })).toThrow('a boolean profile needs its categorical section');
  });
});
