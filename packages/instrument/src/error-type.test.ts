import { describe, expect, it } from 'vitest';
import { errorType } from './error-type.js';

describe('errorType', () => {
  class ModelNotLoadedError extends Error {}
  it('uses the class name, _OTHER for non-objects', () => {
    expect(errorType(new TypeError('x'))).toBe('TypeError');
    expect(errorType(new ModelNotLoadedError())).toBe('ModelNotLoadedError');
    expect(errorType('boom')).toBe('_OTHER');
    expect(errorType(undefined)).toBe('_OTHER');
    expect(errorType({})).toBe('_OTHER');
    expect(errorType(Object.create(null))).toBe('_OTHER');
  });
});
