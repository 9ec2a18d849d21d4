import { CategoryCounts, ExponentialHistogram, featureCategory, featureNumber } from '@driftwatch/stats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeatureRecorder } from './feature-recorder.js';
import { FeatureSlot, recordFeatureValue } from './feature-slot.js';

const attrs = { 'ml.model.name': 'm' };

function missingCounts(slot: FeatureSlot) {
  return { missing: slot.missing, null: slot.nulls, nan: slot.nans, type_mismatch: slot.typeMismatches };
}

describe('recordFeatureValue', () => {
  it('numeric: every finite number kept (negative, zero, subnormal, huge), bigint converted; unusable values by reason', () => {
    const slot = new FeatureSlot('x', 'numeric', attrs);
    for (const v of [-1e300, -2.5, -0, 0, 5e-324, 1, 1.7976931348623157e308, 10n, NaN, Infinity, -Infinity, null, undefined, '3', true, [1]]) {
      recordFeatureValue(slot, v);
    }
    const expected = new ExponentialHistogram();
    expected.recordMany([-1e300, -2.5, -0, 0, 5e-324, 1, 1.7976931348623157e308, 10]);
    expect(slot.histogram?.toData()).toEqual(expected.toData());
    expect(missingCounts(slot)).toEqual({ missing: 1, null: 1, nan: 3, type_mismatch: 3 });
    expect(slot.wireName).toBe('x');
    expect(slot.attributes).toEqual({ 'ml.model.name': 'm', 'ml.feature.name': 'x' });
  });

  it('categorical: strings as is, numbers/booleans/bigints as strings; boolean: true/1/"true" and false/0/"false"', () => {
    const cat = new FeatureSlot('plan', 'categorical', attrs);
    for (const v of ['pro', 'pro', 3, true, 7n, NaN, {}, null]) recordFeatureValue(cat, v);
    expect(Object.fromEntries(cat.categories?.entries() ?? [])).toEqual({ pro: 2, '3': 1, true: 1, '7': 1 });
    expect(missingCounts(cat)).toEqual({ missing: 0, null: 1, nan: 1, type_mismatch: 1 });
    const bool = new FeatureSlot('vip', 'boolean', attrs);
    for (const v of [true, 1, 'true', false, 0, 'false', 'yes', 2, undefined]) recordFeatureValue(bool, v);
    expect(Object.fromEntries(bool.categories?.entries() ?? [])).toEqual({ true: 3, false: 3 });
    expect(missingCounts(bool)).toEqual({ missing: 1, null: 0, nan: 0, type_mismatch: 2 });
  });

  it('embedding → L2 norm under <name>.norm; text → UTF-16 length under <name>.length', () => {
    const emb = new FeatureSlot('e', 'embedding', attrs);
    for (const v of [[3, 4], new Float64Array([1, 2, 2]), [], [1, 'a'], 'x', [NaN], [1e200, 1e200]]) recordFeatureValue(emb, v);
    expect(emb.wireName).toBe('e.norm');
    expect(emb.histogram?.toData()).toEqual(histOf([5, 3, 0]));
    expect(missingCounts(emb)).toEqual({ missing: 0, null: 0, nan: 2, type_mismatch: 2 });
    const text = new FeatureSlot('t', 'text', attrs);
    for (const v of ['hello', '', '😀', 5]) recordFeatureValue(text, v);
    expect(text.wireName).toBe('t.length');
    expect(text.histogram?.toData()).toEqual(histOf([5, 0, 2]));
    expect(missingCounts(text)).toEqual({ missing: 0, null: 0, nan: 0, type_mismatch: 1 });
  });

  it('records exactly what the reference profile (stats featureNumber / featureCategory) reads from the same value', () => {
    const anyValue = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.bigInt({ min: -(10n ** 6n), max: 10n ** 6n }),
      fc.boolean(),
      fc.string({ maxLength: 20 }),
      fc.constantFrom(null, undefined, 'true', 'false', 0, 1),
      fc.array(fc.double(), { maxLength: 5 }),
      fc.array(fc.oneof(fc.double(), fc.string()), { maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.constantFrom('numeric', 'categorical', 'boolean', 'embedding', 'text' as const), fc.array(anyValue, { maxLength: 30 }), (type, values) => {
        const slot = new FeatureSlot('f', type, attrs);
        for (const v of values) recordFeatureValue(slot, v);
        const unusable = slot.missing + slot.nulls + slot.nans + slot.typeMismatches;
        if (type === 'categorical' || type === 'boolean') {
          const expected = new CategoryCounts();
          let missing = 0;
          for (const v of values) {
            const c = featureCategory(type, v);
            if (c === undefined) missing++;
            else expected.record(c);
          }
          expect(slot.categories?.entries()).toEqual(expected.entries());
          expect(unusable).toBe(missing);
        } else {
          const expected = new ExponentialHistogram();
          let missing = 0;
          for (const v of values) {
            const x = featureNumber(type, v);
            if (Number.isNaN(x)) missing++;
            else expected.record(x);
          }
          expect(slot.histogram?.toData()).toEqual(expected.toData());
          expect(unusable).toBe(missing);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('FeatureRecorder', () => {
  it('a missing key counts as missing; feature names like constructor/toString/__proto__ read own properties only', () => {
    const schema = JSON.parse('{"constructor": "numeric", "toString": "categorical", "__proto__": "numeric", "x": "numeric"}') as Record<string, 'numeric'>;
    const rec = new FeatureRecorder(schema, attrs);
    rec.recordRow({ x: 1 });
    rec.recordRow(JSON.parse('{"constructor": 2, "toString": "a", "__proto__": 3}') as Record<string, unknown>);
    const by = (n: string) => rec.slot(n) as FeatureSlot;
    expect(by('constructor').missing).toBe(1);
    expect(by('constructor').histogram?.count).toBe(1);
    expect(by('toString').missing).toBe(1);
    expect(by('__proto__').missing).toBe(1);
    expect(by('__proto__').histogram?.sum).toBe(3);
    expect(by('x').missing).toBe(1);
  });

  it('infers a schema from the first rows and then reports it once', () => {
    const reports: Array<[string, string[]]> = [];
    const rec = new FeatureRecorder(undefined, attrs, (schema, ignored) => reports.push([JSON.stringify(schema), [...ignored]]));
    rec.recordRow({ id: 1, a: null, b: 'x' });
    rec.recordRow({ id: 2, a: 2.5, c: [1, 2] });
    for (let i = 0; i < 40; i++) rec.recordRow({ a: i, d: 'new after inference' });
    expect(reports).toEqual([[JSON.stringify({ b: 'categorical', a: 'numeric', c: 'embedding', d: 'categorical' }), []]]);
    expect(rec.slot('a')?.histogram?.count).toBe(41);
    expect(rec.slot('id')).toBeUndefined();
  });
});

function histOf(values: number[]) {
  const h = new ExponentialHistogram();
  h.recordMany(values);
  return h.toData();
}
