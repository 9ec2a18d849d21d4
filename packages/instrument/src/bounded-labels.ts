import { truncateCategory } from '@driftwatch/stats';

/** Key used for values that do not fit a bounded table (same key as the stats category sketch). */
export const OVERFLOW_LABEL = '__dw_other__';

/**
 * Canonical string of a class label so that predictions and feedback agree:
 * booleans become `1`/`0` (like the `score >= threshold` decision), numbers their decimal form,
 * strings are kept (truncated to 256 code points, as categories are). Anything else is not a label (`undefined`).
 */
export function labelKey(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return truncateCategory(value);
    case 'boolean':
      return value ? '1' : '0';
    case 'number':
      return Number.isFinite(value) ? String(value) : undefined;
    case 'bigint':
      return String(value);
    default:
      return undefined;
  }
}

/**
 * A table keyed by label with at most `maxKeys` distinct keys; later keys share one overflow key
 * ({@link OVERFLOW_LABEL} unless given).
 * Memory O(maxKeys); `get` is one Map lookup.
 */
export class BoundedTable<V> {
  readonly #entries = new Map<string, V>();
  readonly #maxKeys: number;
  readonly #create: (key: string) => V;
  readonly #overflowKey: string;

  constructor(maxKeys: number, create: (key: string) => V, overflowKey: string = OVERFLOW_LABEL) {
    this.#maxKeys = maxKeys;
    this.#create = create;
    this.#overflowKey = overflowKey;
  }

  /** The value for `key`, created on first use; the overflow key's value once the table is full. */
  get(key: string): V {
    let v = this.#entries.get(key);
    if (v === undefined) {
      const k = this.#entries.size >= this.#maxKeys ? this.#overflowKey : key;
      v = this.#entries.get(k);
      if (v === undefined) {
        v = this.#create(k);
        this.#entries.set(k, v);
      }
    }
    return v;
  }

  get size(): number {
    return this.#entries.size;
  }

  entries(): IterableIterator<[string, V]> {
    return this.#entries.entries();
  }
}
