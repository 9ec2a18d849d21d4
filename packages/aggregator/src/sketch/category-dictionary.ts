import { OTHER_KEY, TAIL_KEY_PREFIX, fnv1a32, tailKey, truncateCategory } from '@driftwatch/stats';

const TAIL_KEY_PATTERN = /^__dw_tail_(0|[1-9][0-9]{0,8})__$/;
export const DEFAULT_MAX_EXACT = 50;
export const DEFAULT_TAIL_BUCKETS = 64;

/**
 * The wire keys of one categorical series, each given a small slot number used by its slices.
 * Bounded like the stats `CategoryCounts` (K exact categories, then FNV-1a tail buckets, then `__dw_other__`),
 * so a series never holds more than K + M + 1 keys whatever producers send. Append-only (slots are persisted).
 */
export class CategoryDictionary {
  private readonly keys: string[] = [];
  private readonly slots = new Map<string, number>();
  private exactCount = 0;

  constructor(
    readonly maxExact = DEFAULT_MAX_EXACT,
    readonly tailBuckets = DEFAULT_TAIL_BUCKETS,
  ) {}

  get size(): number {
    return this.keys.length;
  }

  keyOf(slot: number): string {
    const key = this.keys[slot];
    if (key === undefined) throw new RangeError(`category slot ${slot} is not in the dictionary`);
    return key;
  }

  /** All keys in slot order. */
  allKeys(): readonly string[] {
    return this.keys;
  }

  /** The slot of a wire key (a category, `__dw_tail_<i>__` or `__dw_other__`), adding it if needed. */
  slotOf(wireKey: string): number {
    const existing = this.slots.get(wireKey);
    if (existing !== undefined) return existing;
    return this.add(this.canonical(wireKey));
  }

  private canonical(wireKey: string): string {
    if (wireKey === OTHER_KEY) return OTHER_KEY;
    if (wireKey.startsWith(TAIL_KEY_PREFIX)) {
      const m = TAIL_KEY_PATTERN.exec(wireKey);
      if (m) return Number(m[1]) < this.tailBuckets ? wireKey : OTHER_KEY;
    }
    const category = truncateCategory(wireKey);
    if (this.slots.has(category) || this.exactCount < this.maxExact) return category;
    return tailKey(fnv1a32(category) % this.tailBuckets);
  }

  private add(key: string): number {
    const existing = this.slots.get(key);
    if (existing !== undefined) return existing;
    const slot = this.keys.length;
    this.keys.push(key);
    this.slots.set(key, slot);
    if (key !== OTHER_KEY && !TAIL_KEY_PATTERN.test(key)) this.exactCount++;
    return slot;
  }

  /** Restores persisted keys in slot order. */
  static fromKeys(keys: readonly string[], maxExact = DEFAULT_MAX_EXACT, tailBuckets = DEFAULT_TAIL_BUCKETS): CategoryDictionary {
    const d = new CategoryDictionary(maxExact, tailBuckets);
    for (const k of keys) d.add(k);
    return d;
  }
}
