import { describe, expect, it } from 'vitest';
import { labelBody, MAX_RECORD_BODY_BYTES, predictionBody } from './record-body.js';

describe('record bodies', () => {
  it('serialises the row and the output as JSON: NaN/Infinity → null, typed arrays → arrays, BigInt → string', () => {
    const body = predictionBody({ a: 1.5, b: NaN, c: -Infinity, d: 'x', e: null, f: true, g: new Float32Array([0.5, 2]), h: 12n, i: undefined, j: { k: [1, 2] } }, [0.2, 0.8]);
    expect(body).toBe('{"features":{"a":1.5,"b":null,"c":null,"d":"x","e":null,"f":true,"g":[0.5,2],"h":"12","j":{"k":[1,2]}},"output":[0.2,0.8]}');
    expect(JSON.parse(body)).toEqual({ features: { a: 1.5, b: null, c: null, d: 'x', e: null, f: true, g: [0.5, 2], h: '12', j: { k: [1, 2] } }, output: [0.2, 0.8] });
    expect(predictionBody({ x: 1 }, undefined)).toBe('{"features":{"x":1},"output":null}');
    expect(labelBody(true)).toBe('{"label":true}');
    expect(labelBody('churned')).toBe('{"label":"churned"}');
  });

  it('reports a cycle or a throwing toJSON as unserializable, and a body over 64 KiB (UTF-8) as too large', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(predictionBody(cyclic, 1)).toBe('unserializable');
    expect(predictionBody({ x: { toJSON: () => { throw new Error('no'); } } }, 1)).toBe('unserializable');
    const overhead = '{"features":{"t":""},"output":1}'.length;
    expect(predictionBody({ t: 'a'.repeat(MAX_RECORD_BODY_BYTES - overhead) }, 1)).not.toBe('too_large');
    expect(predictionBody({ t: 'a'.repeat(MAX_RECORD_BODY_BYTES - overhead + 1) }, 1)).toBe('too_large');
    // 2 bytes per character in UTF-8: fits by length, not by bytes
    expect(predictionBody({ t: 'é'.repeat(MAX_RECORD_BODY_BYTES / 2) }, 1)).toBe('too_large');
  });
});
