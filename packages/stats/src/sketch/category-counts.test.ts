import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CategoryCountsData, CategoryCountsOptions } from './category-counts.js';
import { CategoryCounts, OTHER_KEY, TAIL_KEY_PREFIX, tailKey, truncateCategory } from './category-counts.js';
import { fnv1a32 } from './fnv1a.js';

function countsOf(categories: readonly string[], options?: CategoryCountsOptions): CategoryCounts {
  const c = new CategoryCounts(options);
  for (const x of categories) c.record(x);
  return c;
}

function asMap(c: CategoryCounts): Map<string, number> {
  return new Map(c.entries());
}

/** Reference FNV-1a over TextEncoder bytes. */
function fnvReference(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h >>> 0;
}

describe('fnv1a32', () => {
  it('matches the published FNV-1a 32-bit test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes the UTF-8 bytes (astral characters and lone surrogates included)', () => {
    const unit = fc.oneof(fc.string({ unit: 'binary', maxLength: 3 }), fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)));
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 8 }), (parts) => {
        const text = parts.join('');
        expect(fnv1a32(text)).toBe(fnvReference(text));
      }),
      { seed: 42, numRuns: 1000 },
    );
  });
});

describe('CategoryCounts', () => {
  it('counts the first K categories exactly and hashes later ones into tail buckets', () => {
    const c = countsOf(['a', 'b', 'a', 'c', 'd', 'a'], { maxExact: 2, tailBuckets: 8 });
    expect(c.entries()).toEqual([
      ['a', 3],
      ['b', 1],
      ...[
        [tailKey(fnv1a32('c') % 8), 1],
        [tailKey(fnv1a32('d') % 8), 1],
      ].sort((x, y) => (x[0] as string).localeCompare(y[0] as string)),
    ]);
    expect(c.total).toBe(6);
  });

  it('uses wire keys __dw_tail_<i>__ and __dw_other__', () => {
    expect(TAIL_KEY_PREFIX).toBe('__dw_tail_');
    expect(OTHER_KEY).toBe('__dw_other__');
    expect(tailKey(7)).toBe('__dw_tail_7__');
  });

  it('stays within K + M + 1 keys for 10^6 distinct categories', () => {
    const c = new CategoryCounts();
    for (let i = 0; i < 1_000_000; i++) c.record(`user-${i}`);
    const entries = c.entries();
    expect(entries.length).toBeLessThanOrEqual(50 + 64 + 1);
    expect(entries.length).toBeGreaterThan(50 + 60); // the tail buckets are all used
    expect(c.total).toBe(1_000_000);
    expect(entries.reduce((s, [, n]) => s + n, 0)).toBe(1_000_000);
    const data = c.toData();
    expect(Object.keys(data.exact)).toHaveLength(50);
    expect(data.tail).toHaveLength(64);
  });

  it('treats __proto__ and other Object.prototype names as ordinary categories', () => {
    const c = countsOf(['__proto__', 'constructor', '__proto__', 'hasOwnProperty', 'toString']);
    expect(asMap(c).get('__proto__')).toBe(2);
    expect(asMap(c).get('constructor')).toBe(1);
    const data = c.toData();
    expect(Object.keys(data.exact)).toEqual(['__proto__', 'constructor', 'hasOwnProperty', 'toString']);
    expect(data.exact['__proto__']).toBe(2);
    const back = CategoryCounts.fromData(JSON.parse(JSON.stringify(data)) as CategoryCountsData);
    expect(back.entries()).toEqual(c.entries());
    expect(Object.getPrototypeOf(data.exact)).toBeNull();
    expect(Object.getPrototypeOf(back.toData().exact)).toBeNull();
  });

  it('truncates categories to 256 code points', () => {
    expect(truncateCategory('x'.repeat(300))).toBe('x'.repeat(256));
    expect(truncateCategory('😀'.repeat(300))).toBe('😀'.repeat(256));
    expect(truncateCategory('short')).toBe('short');
    const c = countsOf(['y'.repeat(256) + 'a', 'y'.repeat(256) + 'b']);
    expect(c.entries()).toEqual([['y'.repeat(256), 2]]);
  });

  it('ignores counts that are not finite and positive', () => {
    const c = new CategoryCounts();
    c.record('a', 0);
    c.record('a', -1);
    c.record('a', NaN);
    c.record('a', Infinity);
    c.addKey('a', -3);
    expect(c.total).toBe(0);
    expect(c.entries()).toEqual([]);
    c.record('a', 2.5);
    expect(c.total).toBe(2.5);
  });

  it('addKey rebuilds from wire keys', () => {
    const c = new CategoryCounts({ maxExact: 1, tailBuckets: 4 });
    c.addKey('x', 3);
    c.addKey('__dw_tail_2__', 5);
    c.addKey('__dw_tail_9__', 1); // beyond M → other
    c.addKey(OTHER_KEY, 2);
    c.addKey('__dw_tail_x__', 1); // not a tail key: a category, hashed since K is full
    expect(c.get('x')).toBe(3);
    expect(c.get(tailKey(2))).toBe(5 + (fnv1a32('__dw_tail_x__') % 4 === 2 ? 1 : 0));
    expect(c.get(OTHER_KEY)).toBe(3);
    expect(c.total).toBe(12);
  });

  it('merge equals recording a ∪ b: totals always, every key when within K', () => {
    const category = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', '__proto__', 'ü', '😀');
    fc.assert(
      fc.property(fc.array(category), fc.array(category), fc.integer({ min: 0, max: 12 }), (xs, ys, maxExact) => {
        const opts = { maxExact, tailBuckets: 4 };
        const merged = countsOf(xs, opts).merge(countsOf(ys, opts));
        const union = countsOf([...xs, ...ys], opts);
        expect(merged.total).toBe(union.total);
        expect(merged.total).toBe(xs.length + ys.length);
        if (new Set([...xs, ...ys]).size <= maxExact) expect(asMap(merged)).toEqual(asMap(union));
        expect([...asMap(merged).values()].reduce((s, n) => s + n, 0)).toBe(merged.total);
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('merge of plain data, and of sketches with another tail size (into other)', () => {
    const a = countsOf(['a', 'b', 'c'], { maxExact: 1, tailBuckets: 4 });
    const b = countsOf(['a', 'd', 'e'], { maxExact: 1, tailBuckets: 8 });
    const merged = a.clone().merge(b.toData());
    expect(merged.get('a')).toBe(2);
    expect(merged.get(OTHER_KEY)).toBe(2); // d and e were in b's 8-bucket tail
    expect(merged.total).toBe(6);
    const self = countsOf(['a', 'b']);
    self.merge(self);
    expect(self.entries()).toEqual([
      ['a', 2],
      ['b', 2],
    ]);
  });

  it('diff(merge(a, b), a) equals b: every key when within K, totals always', () => {
    const category = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g');
    fc.assert(
      fc.property(fc.array(category), fc.array(category), fc.integer({ min: 0, max: 9 }), (xs, ys, maxExact) => {
        const opts = { maxExact, tailBuckets: 4 };
        const a = countsOf(xs, opts);
        const b = countsOf(ys, opts);
        const delta = a.clone().merge(b).diff(a);
        expect(delta.total).toBe(b.total);
        if (new Set([...xs, ...ys]).size <= maxExact) expect(asMap(delta)).toEqual(asMap(b));
        for (const [, n] of delta.entries()) expect(n).toBeGreaterThan(0);
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('diff throws when previous is not an earlier state', () => {
    const current = countsOf(['a', 'b']);
    expect(() => current.diff(countsOf(['a', 'b', 'c']))).toThrow('previous total 3 exceeds current total 2');
    expect(() => current.diff(countsOf(['a', 'a']))).toThrow('previous count of "a" (2) exceeds current 1');
    expect(() => current.diff(countsOf(['a'], { tailBuckets: 8 }))).toThrow('previous has 8 tail buckets, current has 64');
    const withTail = countsOf(['a', 'b'], { maxExact: 1, tailBuckets: 4 });
    const prev = new CategoryCounts({ maxExact: 1, tailBuckets: 4 });
    prev.addKey(tailKey((fnv1a32('b') + 1) % 4), 1);
    expect(() => withTail.diff(prev)).toThrow(/previous __dw_tail_\d__ \(1\) exceeds current 0/);
  });

  it('fromData(toData(x)) round-trips, through JSON too', () => {
    const category = fc.string({ maxLength: 5 });
    fc.assert(
      fc.property(fc.array(category, { maxLength: 100 }), fc.integer({ min: 0, max: 20 }), (xs, maxExact) => {
        const c = countsOf(xs, { maxExact, tailBuckets: 5 });
        c.addKey(OTHER_KEY, 2);
        const data = c.toData();
        expect(CategoryCounts.fromData(data).toData()).toEqual(data);
        // (object keys that look like integers come first in JS, so compare as maps, not lists)
        expect(asMap(CategoryCounts.fromData(JSON.parse(JSON.stringify(data)) as CategoryCountsData))).toEqual(asMap(c));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('validates data and names the field', () => {
    const good = countsOf(['a', 'b'], { maxExact: 1, tailBuckets: 2 }).toData();
    const bad = (patch: Record<string, unknown>): CategoryCountsData => ({ ...good, ...patch }) as CategoryCountsData;
    expect(() => CategoryCounts.fromData(bad({ maxExact: -1 }))).toThrow('categoryCounts.maxExact must be an integer from 0 to 100000');
    expect(() => CategoryCounts.fromData(bad({ tailBuckets: 0 }))).toThrow('categoryCounts.tailBuckets must be an integer from 1');
    expect(() => CategoryCounts.fromData(bad({ tail: [1] }))).toThrow('categoryCounts.tail must be an array of tailBuckets (2) counts');
    expect(() => CategoryCounts.fromData(bad({ tail: [1, -1] }))).toThrow('categoryCounts.tail[1] must be a non-negative finite number');
    expect(() => CategoryCounts.fromData(bad({ exact: { a: 'x' } }))).toThrow('categoryCounts.exact["a"] must be a non-negative finite number');
    expect(() => CategoryCounts.fromData(bad({ exact: { a: 1, b: 1 }, total: 3 }))).toThrow('categoryCounts.exact has 2 keys, more than maxExact 1');
    expect(() => CategoryCounts.fromData(bad({ other: NaN }))).toThrow('categoryCounts.other must be a non-negative finite number');
    expect(() => CategoryCounts.fromData(bad({ total: 5 }))).toThrow('categoryCounts.total must equal the sum of exact, tail and other (total 5, parts sum to 2)');
    expect(() => new CategoryCounts({ maxExact: 1.5 })).toThrow('CategoryCounts options.maxExact must be an integer');
  });

  it('clone is independent and reset frees the exact slots', () => {
    const c = countsOf(['a', 'b'], { maxExact: 2 });
    const copy = c.clone();
    copy.record('c');
    expect(c.total).toBe(2);
    c.reset();
    expect(c.total).toBe(0);
    c.record('z');
    expect(c.entries()).toEqual([['z', 1]]);
  });
});
