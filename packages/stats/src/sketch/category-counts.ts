import { fnv1a32 } from './fnv1a.js';

/** Wire-key prefix of a tail bucket: `__dw_tail_<i>__`. */
export const TAIL_KEY_PREFIX = '__dw_tail_';
/** Wire key of the overflow bucket for counts that fit no tail bucket. */
export const OTHER_KEY = '__dw_other__';
/** Longest category kept, in Unicode code points (longer ones are truncated). */
export const MAX_CATEGORY_LENGTH = 256;

const TAIL_KEY_PATTERN = /^__dw_tail_(0|[1-9][0-9]{0,8})__$/;

/** The wire key of tail bucket `index`: `__dw_tail_<index>__`. Cost: O(1). */
export function tailKey(index: number): string {
  return `${TAIL_KEY_PREFIX}${index}__`;
}

/**
 * Truncates a category to its first 256 Unicode code points (like Python's `s[:256]`); strings of at most 256
 * UTF-16 units are returned as they are. Cost: O(1) for short strings, O(256) otherwise.
 */
export function truncateCategory(category: string): string {
  if (category.length <= MAX_CATEGORY_LENGTH) return category;
  let units = 0;
  for (let points = 0; points < MAX_CATEGORY_LENGTH && units < category.length; points++) {
    const c = category.charCodeAt(units);
    const next = category.charCodeAt(units + 1);
    units += c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
  }
  return category.slice(0, units);
}

/** Plain, JSON-able category counts (`exact` is a null-prototype object in `toData()` output). */
export interface CategoryCountsData {
  maxExact: number;
  tailBuckets: number;
  exact: Record<string, number>;
  tail: number[];
  other: number;
  total: number;
}

/** Construction options of {@link CategoryCounts}. */
export interface CategoryCountsOptions {
  /** How many distinct categories are counted exactly (the first ones seen). Default 50. */
  maxExact?: number;
  /** How many hashed tail buckets take the later categories. Default 64. */
  tailBuckets?: number;
}

const DEFAULT_MAX_EXACT = 50;
const DEFAULT_TAIL_BUCKETS = 64;
const MAX_OPTION = 100_000;
const INITIAL_EXACT_CAPACITY = 16;

function readOption(value: number | undefined, name: string, fallback: number, low: number, high: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < low || value > high) {
    throw new Error(`CategoryCounts options.${name} must be an integer from ${low} to ${high}`);
  }
  return value;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/**
 * Checks plain data and returns it; throws an `Error` naming the field, prefixed by `path`
 * (e.g. `features.plan.categorical.tail[3] must be a non-negative finite number`).
 * Rules: `maxExact` integer ≥ 0, `tailBuckets` integer ≥ 1, `tail.length = tailBuckets`, counts non-negative and
 * finite, at most `maxExact` exact keys, `total = Σ exact + Σ tail + other`. Cost: O(keys + tailBuckets).
 */
export function validateCategoryCountsData(value: unknown, path = 'categoryCounts'): CategoryCountsData {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${path} must be an object`);
  const d = value as Record<string, unknown>;
  if (typeof d.maxExact !== 'number' || !Number.isInteger(d.maxExact) || d.maxExact < 0 || d.maxExact > MAX_OPTION) {
    throw new Error(`${path}.maxExact must be an integer from 0 to ${MAX_OPTION}`);
  }
  if (typeof d.tailBuckets !== 'number' || !Number.isInteger(d.tailBuckets) || d.tailBuckets < 1 || d.tailBuckets > MAX_OPTION) {
    throw new Error(`${path}.tailBuckets must be an integer from 1 to ${MAX_OPTION}`);
  }
  if (typeof d.exact !== 'object' || d.exact === null || Array.isArray(d.exact)) throw new Error(`${path}.exact must be an object`);
  const exact = d.exact as Record<string, unknown>;
  let sum = 0;
  const keys = Object.keys(exact);
  for (const key of keys) {
    const c = exact[key];
    if (!isCount(c)) throw new Error(`${path}.exact[${JSON.stringify(key)}] must be a non-negative finite number`);
    sum += c;
  }
  if (keys.length > d.maxExact) throw new Error(`${path}.exact has ${keys.length} keys, more than maxExact ${d.maxExact}`);
  if (!Array.isArray(d.tail) || d.tail.length !== d.tailBuckets) throw new Error(`${path}.tail must be an array of tailBuckets (${d.tailBuckets}) counts`);
  const tail = d.tail as unknown[];
  for (let i = 0; i < tail.length; i++) {
    const c = tail[i];
    if (!isCount(c)) throw new Error(`${path}.tail[${i}] must be a non-negative finite number`);
    sum += c;
  }
  if (!isCount(d.other)) throw new Error(`${path}.other must be a non-negative finite number`);
  sum += d.other;
  if (!isCount(d.total)) throw new Error(`${path}.total must be a non-negative finite number`);
  if (Math.abs(sum - d.total) > 1e-9 * Math.max(1, d.total)) {
    throw new Error(`${path}.total must equal the sum of exact, tail and other (total ${d.total}, parts sum to ${sum})`);
  }
  return value as CategoryCountsData;
}

/**
 * Bounded counts of a categorical feature, as on the wire (docs/semantic-conventions.md, "Categories"):
 * the first `maxExact` (K, default 50) distinct categories are counted exactly; every later category goes to tail
 * bucket `FNV-1a32(utf8(category)) mod tailBuckets` (M, default 64); counts that fit no tail bucket (keys of a
 * sketch with a different M, or a tail index ≥ M) go to `other`. So memory and series are bounded by K + M + 1
 * whatever the cardinality. Categories are truncated to 256 code points. `__proto__` and other special names are
 * safe (a `Map` holds the exact categories).
 *
 * Layout: the `Map` gives each exact category its slot (0, 1, … in first-seen order, so it iterates in slot order)
 * and a `Float64Array` holds the counts by slot, so counting a category that is already exact is one map lookup and
 * an array add (a `Map<string, number>` of counts needs a get and a set).
 *
 * Reference: FNV-1a http://www.isthe.com/chongo/tech/comp/fnv/index.html
 * Memory: O(K · category length + M).
 */
export class CategoryCounts {
  readonly maxExact: number;
  readonly tailBuckets: number;
  /** Exact category → its slot in {@link counts}; slots are 0 … size − 1 in insertion (= iteration) order. */
  private readonly slots = new Map<string, number>();
  /** Counts of the exact categories by slot; grows by doubling up to `maxExact` entries. */
  private counts: Float64Array;
  private readonly tail: Float64Array;
  private _other = 0;
  private _total = 0;

  /** Throws when `maxExact` is not an integer in [0, 100000] or `tailBuckets` not in [1, 100000]. Cost: O(M). */
  constructor(options: CategoryCountsOptions = {}) {
    this.maxExact = readOption(options.maxExact, 'maxExact', DEFAULT_MAX_EXACT, 0, MAX_OPTION);
    this.tailBuckets = readOption(options.tailBuckets, 'tailBuckets', DEFAULT_TAIL_BUCKETS, 1, MAX_OPTION);
    this.tail = new Float64Array(this.tailBuckets);
    this.counts = new Float64Array(Math.min(this.maxExact, INITIAL_EXACT_CAPACITY));
  }

  /** Sum of all counts. */
  get total(): number {
    return this._total;
  }

  /** The count in the `other` bucket. */
  get other(): number {
    return this._other;
  }

  /**
   * Counts `count` (default 1) occurrences of `category` (truncated to 256 code points). Counts that are not
   * finite and positive are ignored (a recording path never throws).
   * Cost: one map lookup for a category already counted exactly; a first-seen category adds a map insertion while
   * fewer than K are exact, else O(length) hashing.
   */
  record(category: string, count = 1): void {
    if (!(count > 0 && count !== Infinity)) return;
    this.addCategory(truncateCategory(typeof category === 'string' ? category : String(category)), count);
  }

  private addCategory(category: string, count: number): void {
    const slot = this.slots.get(category);
    if (slot !== undefined) this.counts[slot] = (this.counts[slot] as number) + count;
    else if (this.slots.size < this.maxExact) this.addExact(category, count);
    else {
      const i = fnv1a32(category) % this.tailBuckets;
      this.tail[i] = (this.tail[i] as number) + count;
    }
    this._total += count;
  }

  /** Makes `category` (not yet exact, fewer than K exact) exact with `count`: the next slot. Cost: O(1) amortised. */
  private addExact(category: string, count: number): void {
    const slot = this.slots.size;
    if (slot === this.counts.length) {
      const grown = new Float64Array(Math.max(slot + 1, Math.min(this.maxExact, Math.max(INITIAL_EXACT_CAPACITY, 2 * slot))));
      grown.set(this.counts);
      this.counts = grown;
    }
    this.slots.set(category, slot);
    this.counts[slot] = count;
  }

  /**
   * Adds `count` to a key in wire form: `__dw_other__` → other; `__dw_tail_<i>__` → tail bucket i (or other when
   * i ≥ M); anything else is a category (truncated, then counted as by {@link record}). Used to rebuild from OTLP.
   * Non-finite or non-positive counts are ignored. Cost: as {@link record}.
   */
  addKey(key: string, count: number): void {
    if (!(count > 0 && count !== Infinity)) return;
    if (key === OTHER_KEY) {
      this._other += count;
      this._total += count;
      return;
    }
    if (key.startsWith(TAIL_KEY_PREFIX)) {
      const match = TAIL_KEY_PATTERN.exec(key);
      if (match) {
        const i = Number(match[1]);
        if (i < this.tailBuckets) this.tail[i] = (this.tail[i] as number) + count;
        else this._other += count;
        this._total += count;
        return;
      }
    }
    this.addCategory(truncateCategory(key), count);
  }

  /**
   * Adds `other` (a sketch or its validated plain data) into this one: its exact categories as by {@link record}
   * (exact here while there is room, else hashed), its tail buckets one to one when both have the same M (else into
   * `other`), its `other` into `other`. Totals always add; per-category counts equal recording both inputs into one
   * sketch whenever their distinct categories together number at most K.
   * Cost: O(K + M) of `other`. Throws (naming the field) on invalid plain data.
   */
  merge(other: CategoryCounts | CategoryCountsData): this {
    if (other === this) return this.merge(this.clone());
    const src = other instanceof CategoryCounts ? other : CategoryCounts.fromData(other);
    let slot = 0;
    for (const category of src.slots.keys()) {
      const count = src.counts[slot++] as number;
      if (count > 0) this.addCategory(category, count);
    }
    const sameTail = src.tailBuckets === this.tailBuckets;
    for (let i = 0; i < src.tailBuckets; i++) {
      const c = src.tail[i] as number;
      if (sameTail) this.tail[i] = (this.tail[i] as number) + c;
      else this._other += c;
      this._total += c;
    }
    this._other += src._other;
    this._total += src._other;
    return this;
  }

  /**
   * `this − previous` for cumulative → delta conversion: every key of `previous` is subtracted from the same key
   * here (an exact category of `previous` that is not exact here is taken from its tail bucket). Categories whose
   * delta is 0 are dropped. Throws an `Error` naming the key when any count would go negative, when the totals
   * shrink, or when the tail sizes differ — `previous` is then not an earlier state of this sketch.
   * Cost: O(K + M).
   */
  diff(previous: CategoryCounts | CategoryCountsData): CategoryCounts {
    const prev = previous instanceof CategoryCounts ? previous : CategoryCounts.fromData(previous);
    if (prev.total > this._total) {
      throw new Error(`CategoryCounts.diff: previous total ${prev.total} exceeds current total ${this._total}; previous is not an earlier state`);
    }
    if (prev.tailBuckets !== this.tailBuckets) {
      throw new Error(`CategoryCounts.diff: previous has ${prev.tailBuckets} tail buckets, current has ${this.tailBuckets}`);
    }
    const result = new CategoryCounts({ maxExact: this.maxExact, tailBuckets: this.tailBuckets });
    const counts = this.counts.slice(0, this.slots.size);
    const tail = Float64Array.from(this.tail);
    let prevSlot = 0;
    for (const category of prev.slots.keys()) {
      const count = prev.counts[prevSlot++] as number;
      const slot = this.slots.get(category);
      if (slot !== undefined) {
        const current = counts[slot] as number;
        if (count > current) throw new Error(`CategoryCounts.diff: previous count of ${JSON.stringify(category)} (${count}) exceeds current ${current}`);
        counts[slot] = current - count;
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
    if (prev._other > this._other) throw new Error(`CategoryCounts.diff: previous ${OTHER_KEY} (${prev._other}) exceeds current ${this._other}`);
    result._other = this._other - prev._other;
    let slot = 0;
    for (const category of this.slots.keys()) {
      const count = counts[slot++] as number;
      if (count > 0) result.addExact(category, count);
    }
    result._total = this._total - prev.total;
    return result;
  }

  /** An independent copy. Cost: O(K + M). */
  clone(): CategoryCounts {
    const copy = new CategoryCounts({ maxExact: this.maxExact, tailBuckets: this.tailBuckets });
    for (const [k, slot] of this.slots) copy.slots.set(k, slot);
    copy.counts = this.counts.slice();
    copy.tail.set(this.tail);
    copy._other = this._other;
    copy._total = this._total;
    return copy;
  }

  /** Empties the sketch (the exact slots become free again). Cost: O(K + M). */
  reset(): void {
    this.slots.clear(); // the counts of reused slots are overwritten by addExact
    this.tail.fill(0);
    this._other = 0;
    this._total = 0;
  }

  /** The count of one wire key (category, tail key or `__dw_other__`); 0 when absent. Cost: O(1). */
  get(key: string): number {
    if (key === OTHER_KEY) return this._other;
    const slot = this.slots.get(key);
    if (slot !== undefined) return this.counts[slot] as number;
    const match = TAIL_KEY_PATTERN.exec(key);
    if (match) return this.tail[Number(match[1])] ?? 0;
    return 0;
  }

  /**
   * Every non-zero key in wire form with its count: exact categories (first-seen order), then `__dw_tail_<i>__`
   * ascending, then `__dw_other__`. Cost: O(K + M).
   */
  entries(): Array<[key: string, count: number]> {
    const out: Array<[string, number]> = [];
    let slot = 0;
    for (const k of this.slots.keys()) {
      const v = this.counts[slot++] as number;
      if (v !== 0) out.push([k, v]);
    }
    for (let i = 0; i < this.tailBuckets; i++) {
      const c = this.tail[i] as number;
      if (c !== 0) out.push([tailKey(i), c]);
    }
    if (this._other !== 0) out.push([OTHER_KEY, this._other]);
    return out;
  }

  /**
   * Plain data; `exact` is a null-prototype object (in first-seen order, except that JS lists integer-like keys
   * such as `"7"` first). Cost: O(K + M).
   */
  toData(): CategoryCountsData {
    const exact = Object.create(null) as Record<string, number>;
    let slot = 0;
    for (const k of this.slots.keys()) exact[k] = this.counts[slot++] as number;
    return { maxExact: this.maxExact, tailBuckets: this.tailBuckets, exact, tail: Array.from(this.tail), other: this._other, total: this._total };
  }

  /**
   * Rebuilds a sketch from plain data, validating it first (throws an `Error` naming the field, e.g.
   * `categoryCounts.tail[3] must be a non-negative finite number`). Cost: O(K + M).
   */
  static fromData(data: CategoryCountsData): CategoryCounts {
    const d = validateCategoryCountsData(data);
    const counts = new CategoryCounts({ maxExact: d.maxExact, tailBuckets: d.tailBuckets });
    for (const key of Object.keys(d.exact)) counts.addExact(key, d.exact[key] as number);
    counts.tail.set(d.tail);
    counts._other = d.other;
    counts._total = d.total;
    return counts;
  }
}
