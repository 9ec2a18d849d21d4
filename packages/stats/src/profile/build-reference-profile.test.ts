import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CategoryCounts } from '../sketch/category-counts.js';
import { ExponentialHistogram } from '../sketch/exponential-histogram.js';
import { buildReferenceProfile } from './build-reference-profile.js';
import { UNIQUE_COUNT_CAP } from './feature-accumulator.js';
import type { FeatureProfile, FeatureSchema } from './reference-profile.js';
import { validateReferenceProfile } from './validate-reference-profile.js';

const meta = { model: 'churn', version: '3' };

function feature(profile: Record<string, FeatureProfile>, name: string): FeatureProfile {
  const p = profile[name];
  if (!p) throw new Error(`no profile for ${name}`);
  return p;
}

describe('buildReferenceProfile', () => {
  const rows: Array<Record<string, unknown>> = [
    { tenure: 12, plan: 'pro', active: true, emb: [3, 4], note: 'hello', score: 0.9 },
    { tenure: 3.5, plan: 'free', active: 'false', emb: new Float32Array([0, 0]), note: '', score: 0.2 },
    { tenure: null, plan: 7, active: 1, emb: [1, 'x'], note: 42, score: NaN },
    { tenure: NaN, plan: null, active: 'yes', emb: 'nope', score: 0.5 },
    { tenure: '12', plan: { a: 1 }, active: null, emb: [Infinity] },
    { plan: 'pro', tenure: 12, active: false, emb: [6, 8], note: 'héllo 😀' },
  ];
  const schema: FeatureSchema = { tenure: 'numeric', plan: 'categorical', active: 'boolean', emb: 'embedding', note: 'text' };
  const profile = buildReferenceProfile(rows, schema, { ...meta, outputs: { score: 'numeric' } });

  it('fills the header', () => {
    expect(profile.format).toBe('driftwatch.reference/v1');
    expect(profile.model).toBe('churn');
    expect(profile.version).toBe('3');
    expect(profile.source).toBe('file');
    expect(profile.rowCount).toBe(6);
    expect(Number.isNaN(Date.parse(profile.createdAt))).toBe(false);
  });

  it('profiles numeric features, counting absent, null, NaN and wrong types as missing', () => {
    const tenure = feature(profile.features, 'tenure');
    expect(tenure).toMatchObject({ type: 'numeric', count: 3, missing: 3, uniqueCount: 2 });
    const values = [12, 3.5, 12];
    const mean = values.reduce((a, b) => a + b, 0) / 3;
    const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / 2);
    expect(tenure.numeric?.min).toBe(3.5);
    expect(tenure.numeric?.max).toBe(12);
    expect(tenure.numeric?.mean).toBeCloseTo(mean, 12);
    expect(tenure.numeric?.std).toBeCloseTo(std, 12);
    expect(tenure.numeric?.histogram.count).toBe(3);
    expect(tenure.numeric?.histogram.sum).toBe(27.5);
  });

  it('profiles categorical features as strings, booleans as true/false', () => {
    const plan = feature(profile.features, 'plan');
    expect(plan).toMatchObject({ type: 'categorical', count: 4, missing: 2, uniqueCount: 3 });
    expect(new Map(CategoryCounts.fromData(plan.categorical as never).entries())).toEqual(
      new Map([
        ['pro', 2],
        ['free', 1],
        ['7', 1],
      ]),
    );
    const active = feature(profile.features, 'active');
    expect(active).toMatchObject({ type: 'boolean', count: 4, missing: 2, uniqueCount: 2 });
    expect(new Map(CategoryCounts.fromData(active.categorical as never).entries())).toEqual(
      new Map([
        ['true', 2],
        ['false', 2],
      ]),
    );
  });

  it('profiles embeddings by L2 norm and text by length', () => {
    const emb = feature(profile.features, 'emb');
    expect(emb).toMatchObject({ type: 'embedding', count: 3, missing: 3, uniqueCount: 3 });
    expect(emb.numeric).toMatchObject({ min: 0, max: 10, mean: 5 });
    const note = feature(profile.features, 'note');
    expect(note).toMatchObject({ type: 'text', count: 3, missing: 3 });
    expect(note.numeric).toMatchObject({ min: 0, max: 'héllo 😀'.length });
  });

  it('profiles outputs from the same rows', () => {
    const score = feature(profile.outputs ?? {}, 'score');
    expect(score).toMatchObject({ type: 'numeric', count: 3, missing: 3 });
  });

  it('omits the numeric section when no value was usable, keeps an empty categorical section', () => {
    const p = buildReferenceProfile([{}, { x: null }], { x: 'numeric', c: 'categorical' }, meta);
    expect(feature(p.features, 'x')).toEqual({ type: 'numeric', count: 0, missing: 2, uniqueCount: 0 });
    expect(feature(p.features, 'c').categorical?.total).toBe(0);
  });

  it('reads only own properties, so __proto__ is an ordinary feature name', () => {
    const rows = [JSON.parse('{"__proto__": 5, "constructor": "a"}') as Record<string, unknown>, { toString: 3 }];
    const p = buildReferenceProfile(rows, { ['__proto__']: 'numeric', constructor: 'categorical', toString: 'numeric' } as FeatureSchema, meta);
    expect(feature(p.features, '__proto__')).toMatchObject({ count: 1, missing: 1 });
    expect(feature(p.features, 'constructor')).toMatchObject({ count: 1, missing: 1 });
    expect(feature(p.features, 'toString')).toMatchObject({ count: 1, missing: 1 });
  });

  it('caps uniqueCount at 10 000', () => {
    const many = Array.from({ length: UNIQUE_COUNT_CAP + 500 }, (_, i) => ({ x: i, c: `v${i}` }));
    const p = buildReferenceProfile(many, { x: 'numeric', c: 'categorical' }, meta);
    expect(feature(p.features, 'x').uniqueCount).toBe(UNIQUE_COUNT_CAP);
    expect(feature(p.features, 'c').uniqueCount).toBe(UNIQUE_COUNT_CAP);
    expect(feature(p.features, 'c').categorical?.total).toBe(UNIQUE_COUNT_CAP + 500);
    const few = buildReferenceProfile(many.slice(0, 9_999), { x: 'numeric' }, meta);
    expect(feature(few.features, 'x').uniqueCount).toBe(9_999);
  });

  it('accepts any iterable (one streaming pass)', () => {
    function* rows(): Generator<Record<string, unknown>> {
      for (let i = 0; i < 1000; i++) yield { x: i % 7 };
    }
    const p = buildReferenceProfile(rows(), { x: 'numeric' }, { ...meta, source: 'sdk' });
    expect(p.rowCount).toBe(1000);
    expect(p.source).toBe('sdk');
    expect(feature(p.features, 'x').uniqueCount).toBe(7);
  });

  it('its histogram equals recording the values directly', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ noDefaultInfinity: true, min: -1e100, max: 1e100 }), fc.constant(null)), { maxLength: 200 }), (xs) => {
        const p = buildReferenceProfile(
          xs.map((x) => ({ x })),
          { x: 'numeric' },
          meta,
        );
        const h = new ExponentialHistogram();
        const kept = h.recordMany(xs.filter((x): x is number => x !== null));
        const f = feature(p.features, 'x');
        expect(f.count).toBe(kept);
        expect(f.count + f.missing).toBe(xs.length);
        if (kept > 0) expect(f.numeric?.histogram).toEqual(h.toData());
        expect(validateReferenceProfile(JSON.parse(JSON.stringify(p)))).toEqual(JSON.parse(JSON.stringify(p)));
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('rejects invalid schema, metadata and rows, naming the field', () => {
    expect(() => buildReferenceProfile([], { x: 'number' as never }, meta)).toThrow('schema.x must be one of numeric, categorical, boolean, embedding, text');
    expect(() => buildReferenceProfile([], { x: 'numeric' }, { model: '', version: '1' })).toThrow('meta.model must be a non-empty string');
    expect(() => buildReferenceProfile([], { x: 'numeric' }, { model: 'm', version: 1 as never })).toThrow('meta.version must be a non-empty string');
    expect(() => buildReferenceProfile([], { x: 'numeric' }, { ...meta, source: 'ftp' as never })).toThrow('meta.source must be one of file, sdk, http, capture');
    expect(() => buildReferenceProfile([], { x: 'numeric' }, { ...meta, outputs: { y: 'z' as never } })).toThrow('meta.outputs.y must be one of');
    expect(() => buildReferenceProfile([{ x: 1 }, null as never], { x: 'numeric' }, meta)).toThrow('rows[1] must be an object');
  });
});
