import { describe, expect, it } from 'vitest';
import { BoundedTable, labelKey, OVERFLOW_LABEL } from './bounded-labels.js';

describe('labelKey and BoundedTable', () => {
  it('canonical labels', () => {
    expect([labelKey(true), labelKey(false), labelKey(1), labelKey(0), labelKey(2.5), labelKey('x'), labelKey(3n)]).toEqual(['1', '0', '1', '0', '2.5', 'x', '3']);
    expect(labelKey('a'.repeat(300))).toHaveLength(256);
    expect([labelKey(NaN), labelKey(null), labelKey({})]).toEqual([undefined, undefined, undefined]);
  });
  it('folds keys beyond the bound into the overflow key', () => {
    const t = new BoundedTable<{ n: number }>(2, () => ({ n: 0 }));
    for (const k of ['a', 'b', 'c', 'd', 'a']) t.get(k).n++;
    expect([...t.entries()].map(([k, v]) => [k, v.n])).toEqual([
      ['a', 2],
      ['b', 1],
      [OVERFLOW_LABEL, 2],
    ]);
  });
});
