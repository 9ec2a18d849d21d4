import { buildReferenceProfile, validateReferenceProfile } from '@driftwatch/stats';
import { describe, expect, it } from 'vitest';
import { buildReference } from './build-reference.js';

const rows = [
  { id: 1, age: 30, plan: 'pro', bio: 'a long free text that describes this customer in words' },
  { id: 2, age: -1, plan: 'free', bio: 'short' },
  { id: 3, age: null, plan: 'pro' },
];

describe('buildReference', () => {
  it('is the stats reference profile with source sdk by default', () => {
    const schema = { age: 'numeric', plan: 'categorical' } as const;
    const ref = buildReference(rows, schema, { model: 'churn', version: '3' });
    const expected = buildReferenceProfile(rows, schema, { model: 'churn', version: '3', source: 'sdk' });
    expect({ ...ref, createdAt: '' }).toEqual({ ...expected, createdAt: '' });
    expect(validateReferenceProfile(ref)).toBeTruthy();
    expect(ref.source).toBe('sdk');
    expect(ref.features.age?.missing).toBe(1);
    expect(buildReference(rows, schema, { model: 'churn', version: '3', source: 'file' }).source).toBe('file');
  });

  it('infers the schema the way monitor() does when none is given (id skipped, long strings as text)', () => {
    const ref = buildReference(rows, undefined, { model: 'churn', version: '3' });
    expect(Object.fromEntries(Object.entries(ref.features).map(([k, f]) => [k, f.type]))).toEqual({ age: 'numeric', plan: 'categorical', bio: 'text' });
    expect(ref.rowCount).toBe(3);
  });
});
