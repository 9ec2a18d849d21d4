import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CategoryCountsData } from './category-counts.js';
import { CategoryCounts, OTHER_KEY, TAIL_KEY_PREFIX, tailKey, truncateCategory, validateCategoryCountsData } from './category-counts.js';
import { fnv1a32 } from './fnv1a.js';

const TAIL_KEY_PATTERN = /^__dw_tail_(0|[1-9][0-9]{0,8})__$/;

/**
 * The oracle: `CategoryCounts` as it was before the slot layout (commit 79b5f67), kept verbatim but for the
 * comments — a `Map<string, number>` of exact counts (get, then set), `String(category)` on every record.
 */
class CategoryCountsBeforeSlots {
  readonly exact = new Map<string, number>();
  readonly tail: Float64Array;
  other = 0;
  total = 0;

  constructor(
    readonly maxExact: number,
    readonly tailBuckets: number,
  ) {
    this.tail = new Float64Array(tailBuckets);
  }

  record(category: string, count = 1): void {
    if (!(count > 0 && count !== Infinity)) return;
    this.addCategory(truncateCategory(String(category)), count);
  }

  private addCategory(category: string, count: number): void {
    const current = this.exact.get(category);
    if (current !== undefined) this.exact.set(category, current + count);
    else if (this.exact.size < this.maxExact) this.exact.set(category, count);
    else {
      const i = fnv1a32(category) % this.tailBuckets;
      this.tail[i] = (this.tail[i] as number) + count;
    }
    this.total += count;
  }

  addKey(key: string, count: number): void {
    if (!(count > 0 && count !== Infinity)) return;
    if (key === OTHER_KEY) {
      this.other += count;
      this.total += count;
      return;
    }
    if (key.startsWith(TAIL_KEY_PREFIX)) {
      const match = TAIL_KEY_PATTERN.exec(key);
      if (match) {
        const i = Number(match[1]);
        if (i < this.tailBuckets) this.tail[i] = (this.tail[i] as number) + count;
        else this.other += count;
        this.total += count;
        return;
      }
    }
    this.addCategory(truncateCategory(key), count);
  }

  merge(other: CategoryCountsBeforeSlots): this {
    if (other === this) return this.merge(this.clone());
    for (const [category, count] of other.exact) if (count > 0) this.addCategory(category, count);
    const sameTail = other.tailBuckets === this.tailBuckets;
    for (let i = 0; i < other.tailBuckets; i++) {
      const c = other.tail[i] as number;
      if (sameTail) this.tail[i] = (this.tail[i] as number) + c;
      else this.other += c;
      this.total += c;
    }
    this.other += other.other;
    this.total += other.other;
    return this;
  }

  diff(prev: CategoryCountsBeforeSlots): CategoryCountsBeforeSlots {
    if (prev.total > this.total) {
      throw new Error(`CategoryCounts.diff: previous total ${prev.total} exceeds current total ${this.total}; previous is not an earlier state`);
    }
    if (prev.tailBuckets !== this.tailBuckets) {
      throw new Error(`CategoryCounts.diff: previous has ${prev.tailBuckets} tail buckets, current has ${this.tailBuckets}`);
    }
    const result = new CategoryCountsBeforeSlots(this.maxExact, this.tailBuckets);
    const exact = new Map(this.exact);
    const tail = Float64Array.from(this.tail);
    for (const [category, count] of prev.exact) {
      const current = exact.get(category);
      if (current !== undefined) {
        if (count > current) throw new Error(`CategoryCounts.diff: previous count of ${JSON.stringify(category)} (${count}) exceeds current ${current}`);
        exact.set(category, current - count);
      } else {
        const i = fnv1a32(category) % this.tailBuckets;
        if (count > (tail[i] as number)) {
          throw new Error(`CategoryCounts.diff: previous count of ${JSON.stringify(category)} (${count}) exceeds current ${tailKey(i)} (${tail[i]})`);
        }
        tail[i] = (tail[i] as number) - count;
      }
    }
    for (let i = 0; i < this.tailBuckets; i++) {
      const p = prev.tail[i] as number;
      if (p > (tail[i] as number)) throw new Error(`CategoryCounts.diff: previous ${tailKey(i)} (${p}) exceeds current ${tail[i]}`);
      result.tail[i] = (tail[i] as number) - p;
    }
    if (prev.other > this.other) throw new Error(`CategoryCounts.diff: previous ${OTHER_KEY} (${prev.other}) exceeds current ${this.other}`);
    result.other = this.other - prev.other;
    for (const [category, count] of exact) if (count > 0) result.exact.set(category, count);
    result.total = this.total - prev.total;
    return result;
  }

  clone(): CategoryCountsBeforeSlots {
    const copy = new CategoryCountsBeforeSlots(this.maxExact, this.tailBuckets);
    for (const [k, v] of this.exact) copy.exact.set(k, v);
    copy.tail.set(this.tail);
    copy.other = this.other;
    copy.total = this.total;
    return copy;
  }

  reset(): void {
    this.exact.clear();
    this.tail.fill(0);
    this.other = 0;
    this.total = 0;
  }

  get(key: string): number {
    if (key === OTHER_KEY) return this.other;
    const exact = this.exact.get(key);
    if (exact !== undefined) return exact;
    const match = TAIL_KEY_PATTERN.exec(key);
    if (match) return this.tail[Number(match[1])] ?? 0;
    return 0;
  }

  entries(): Array<[key: string, count: number]> {
    const out: Array<[string, number]> = [];
    for (const [k, v] of this.exact) if (v !== 0) out.push([k, v]);
    for (let i = 0; i < this.tailBuckets; i++) {
      const c = this.tail[i] as number;
      if (c !== 0) out.push([tailKey(i), c]);
    }
    if (this.other !== 0) out.push([OTHER_KEY, this.other]);
    return out;
  }

  toData(): CategoryCountsData {
    const exact = Object.create(null) as Record<string, number>;
    for (const [k, v] of this.exact) exact[k] = v;
    return { maxExact: this.maxExact, tailBuckets: this.tailBuckets, exact, tail: Array.from(this.tail), other: this.other, total: this.total };
  }

  static fromData(data: CategoryCountsData): CategoryCountsBeforeSlots {
    const d = validateCategoryCountsData(data);
    const counts = new CategoryCountsBeforeSlots(d.maxExact, d.tailBuckets);
    for (const key of Object.keys(d.exact)) counts.exact.set(key, d.exact[key] as number);
    counts.tail.set(d.tail);
    counts.other = d.other;
    counts.total = d.total;
    return counts;
  }
}

/** A sketch under test and its oracle, driven by the same operations. */
interface Pair {
  now: CategoryCounts;
  before: CategoryCountsBeforeSlots;
}

const long = 'x'.repeat(255) + '😀😀';
const category = fc.oneof(
  fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', '7', '__proto__', 'constructor', '', long, long.slice(0, 256), long + 'y'),
  fc.string({ maxLength: 4 }),
);
/** Wire keys for addKey: categories, tail keys (some beyond M, some malformed) and the other key. */
const wireKey = fc.oneof(category, fc.integer({ min: 0, max: 12 }).map(tailKey), fc.constantFrom(OTHER_KEY, '__dw_tail_01__', '__dw_tail_x__'));
const count = fc.oneof(fc.constant(1), fc.constantFrom(0, -1, 2.5, Infinity, NaN, 1e-300), fc.integer({ min: 1, max: 1000 }));
/** Non-string inputs that untyped callers pass to record(). */
const nonString = fc.constantFrom<unknown>(7, 7.5, true, null, undefined, 10n, -0);

type Op =
  | { kind: 'record'; value: unknown; count: number }
  | { kind: 'recordDefault'; value: string }
  | { kind: 'addKey'; key: string; count: number }
  | { kind: 'mergeSketch'; values: string[]; tailBuckets: number }
  | { kind: 'mergeData'; values: string[] }
  | { kind: 'mergeSelf' }
  | { kind: 'diffEarlier'; pick: number; reverse: boolean }
  | { kind: 'roundTrip' }
  | { kind: 'reset' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('record' as const), value: fc.oneof(category, nonString), count }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('recordDefault' as const), value: category }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('addKey' as const), key: wireKey, count }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('mergeSketch' as const), values: fc.array(category, { maxLength: 8 }), tailBuckets: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('mergeData' as const), values: fc.array(category, { maxLength: 8 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'mergeSelf' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('diffEarlier' as const), pick: fc.nat(), reverse: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'roundTrip' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reset' as const }) },
);

function expectSameState(pair: Pair): void {
  const { now, before } = pair;
  expect(now.entries()).toEqual(before.entries());
  const data = now.toData();
  const want = before.toData();
  expect(data).toEqual(want);
  expect(Object.keys(data.exact)).toEqual(Object.keys(want.exact)); // same order
  expect(Object.getPrototypeOf(data.exact)).toBeNull();
  expect(now.total).toBe(before.total);
  expect(now.other).toBe(before.other);
  for (const key of ['a', 'h', '__proto__', long.slice(0, 256), tailKey(0), tailKey(3), OTHER_KEY, 'absent']) expect(now.get(key)).toBe(before.get(key));
}

/** How often the diffs compared threw and succeeded (both must happen for the test to mean something). */
const diffOutcomes = { ok: 0, error: 0 };

function apply(pair: Pair, o: Op, earlier: { now: CategoryCounts; before: CategoryCountsBeforeSlots }[]): Pair {
  const { now, before } = pair;
  switch (o.kind) {
    case 'record':
      now.record(o.value as string, o.count);
      before.record(o.value as string, o.count);
      return pair;
    case 'recordDefault':
      now.record(o.value);
      before.record(o.value);
      return pair;
    case 'addKey':
      now.addKey(o.key, o.count);
      before.addKey(o.key, o.count);
      return pair;
    case 'mergeSketch': {
      const a = new CategoryCounts({ maxExact: 3, tailBuckets: o.tailBuckets });
      const b = new CategoryCountsBeforeSlots(3, o.tailBuckets);
      for (const v of o.values) {
        a.record(v);
        b.record(v);
      }
      now.merge(a);
      before.merge(b);
      return pair;
    }
    case 'mergeData': {
      const b = new CategoryCountsBeforeSlots(4, now.tailBuckets);
      for (const v of o.values) b.record(v);
      now.merge(b.toData());
      before.merge(CategoryCountsBeforeSlots.fromData(b.toData())); // as the old merge(data) did

      return pair;
    }
    case 'mergeSelf':
      now.merge(now);
      before.merge(before);
      return pair;
    case 'diffEarlier': {
      // an earlier state (a valid `previous`), or reversed: the current state as `previous` of an earlier one (throws
      // unless nothing changed)
      const prev = earlier[o.pick % Math.max(1, earlier.length)];
      if (!prev) return pair;
      const [laterNow, prevNow] = o.reverse ? [prev.now, now] : [now, prev.now];
      const [laterBefore, prevBefore] = o.reverse ? [prev.before, before] : [before, prev.before];
      let got: CategoryCounts | Error;
      let want: CategoryCountsBeforeSlots | Error;
      try {
        got = laterNow.diff(prevNow);
      } catch (e) {
        got = e as Error;
      }
      try {
        want = laterBefore.diff(prevBefore);
      } catch (e) {
        want = e as Error;
      }
      if (want instanceof Error) {
        diffOutcomes.error++;
        expect(got).toBeInstanceOf(Error);
        expect((got as Error).message).toBe(want.message);
        return pair;
      }
      diffOutcomes.ok++;
      expect(got).toBeInstanceOf(CategoryCounts);
      const result = { now: got as CategoryCounts, before: want };
      expectSameState(result);
      // the data form of `previous` gives the same diff
      expect(laterNow.diff(prevNow.toData()).toData()).toEqual(want.toData());
      // the diff is a live sketch too: recording into it stays equal
      result.now.record('a');
      result.before.record('a');
      result.now.record('zz');
      result.before.record('zz');
      expectSameState(result);
      return pair;
    }
    case 'roundTrip':
      return { now: CategoryCounts.fromData(now.toData()), before: CategoryCountsBeforeSlots.fromData(before.toData()) };
    case 'reset':
      now.reset();
      before.reset();
      return pair;
  }
}

describe('CategoryCounts (slots + counts array) equals the previous Map-of-counts implementation', () => {
  it('after any sequence of record, addKey, merge, diff, clone, fromData and reset', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.array(op, { maxLength: 60 }), (maxExact, tailBuckets, ops) => {
        let pair: Pair = { now: new CategoryCounts({ maxExact, tailBuckets }), before: new CategoryCountsBeforeSlots(maxExact, tailBuckets) };
        const earlier: Array<{ now: CategoryCounts; before: CategoryCountsBeforeSlots }> = [];
        for (const o of ops) {
          pair = apply(pair, o, earlier);
          expectSameState(pair);
          if (o.kind === 'reset') earlier.length = 0;
          earlier.push({ now: pair.now.clone(), before: pair.before.clone() });
        }
      }),
      { seed: 42, numRuns: 1000 },
    );
    expect(diffOutcomes.ok).toBeGreaterThan(100);
    expect(diffOutcomes.error).toBeGreaterThan(25);
  });

  it('grows the counts array past its first capacity (K = 1000) and keeps first-seen order', () => {
    const now = new CategoryCounts({ maxExact: 1000, tailBuckets: 8 });
    const before = new CategoryCountsBeforeSlots(1000, 8);
    for (let i = 0; i < 3000; i++) {
      const c = `c${(i * 7919) % 1200}`;
      now.record(c, 1 + (i % 3));
      before.record(c, 1 + (i % 3));
    }
    expectSameState({ now, before });
    const copy = now.clone();
    copy.record('c0');
    expect(now.get('c0')).toBe(before.get('c0'));
    expect(copy.get('c0')).toBe(before.get('c0') + 1);
  });
});
