import type { FeatureType } from '@driftwatch/stats';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeatureSlot } from './feature-slot.js';
import { compileRowRecorder, genericRowRecorder, READ_GROUP } from './row-recorder.js';

const TYPES: readonly FeatureType[] = ['numeric', 'categorical', 'boolean', 'embedding', 'text'];

function state(slots: readonly FeatureSlot[]) {
  return slots.map((s) => ({
    name: s.name,
    counts: [s.missing, s.nulls, s.nans, s.typeMismatches],
    histogram: s.histogram?.toData(),
    categories: s.categories?.entries(),
  }));
}

describe('compileRowRecorder', () => {
  it('records exactly what the generic loop records, for any names (quotes, newlines, code) and values', () => {
    const name = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('"]); throw new Error("x"); //', "a'b", 'line\nbreak', '\u2028', 'constructor', '__proto__', 'toString'));
    const value = fc.oneof(fc.double(), fc.boolean(), fc.string({ maxLength: 8 }), fc.constantFrom(null, undefined), fc.array(fc.double(), { maxLength: 3 }));
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(name, fc.constantFrom(...TYPES)), { selector: ([n]) => n, minLength: 1, maxLength: 8 }),
        fc.array(fc.dictionary(name, value, { maxKeys: 8 }), { maxLength: 10 }),
        (features, rows) => {
          const make = () => features.map(([n, t]) => new FeatureSlot(n, t, {}));
          const compiledSlots = make();
          const genericSlots = make();
          const compiled = compileRowRecorder(compiledSlots);
          const generic = genericRowRecorder(genericSlots);
          for (const row of rows) {
            compiled(row);
            generic(row);
          }
          expect(state(compiledSlots)).toEqual(state(genericSlots));
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('records rows wider than one read group (and dictionary-mode rows) exactly like the generic loop', () => {
    const width = 2 * READ_GROUP + 5;
    const features = Array.from({ length: width }, (_, i) => [`f${i}`, TYPES[i % TYPES.length] as FeatureType] as const);
    const make = () => features.map(([n, t]) => new FeatureSlot(n, t, {}));
    const compiledSlots = make();
    const genericSlots = make();
    const compiled = compileRowRecorder(compiledSlots);
    const generic = genericRowRecorder(genericSlots);
    const values: unknown[] = [-2.5, 0, 'pro', true, [3, 4], 'text', null, undefined, NaN, 1e300];
    for (let r = 0; r < 20; r++) {
      // built by assignment, so V8 keeps these rows in dictionary mode
      const row: Record<string, unknown> = {};
      for (let i = 0; i < width; i++) if ((i + r) % 7 !== 0) row[`f${i}`] = values[(i * 3 + r) % values.length];
      compiled(row);
      generic(row);
    }
    expect(state(compiledSlots)).toEqual(state(genericSlots));
    expect(compiledSlots.at(-1)?.missing).toBeGreaterThan(0);
  });

  it('reads own properties only for names every object has', () => {
    const slots = [new FeatureSlot('constructor', 'numeric', {}), new FeatureSlot('__proto__', 'numeric', {})];
    const record = compileRowRecorder(slots);
    record({});
    record(JSON.parse('{"constructor": 1, "__proto__": 2}') as Record<string, unknown>);
    expect(slots.map((s) => [s.missing, s.typeMismatches, s.histogram?.sum])).toEqual([
      [1, 0, 1],
      [1, 0, 2],
    ]);
  });
});
