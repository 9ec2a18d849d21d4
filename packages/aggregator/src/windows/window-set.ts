import type { WindowConfig } from '../config/aggregator-config.js';

/** The windows of a model plus the base slice length every new point lands in (the smallest window slice). */
export interface WindowSet {
  readonly baseMs: number;
  readonly windows: readonly WindowConfig[];
}

const cache = new WeakMap<readonly WindowConfig[], WindowSet>();

/** The (shared, cached) window set of a window list; slices were validated as multiples of the smallest. */
export function windowSetOf(windows: readonly WindowConfig[]): WindowSet {
  let set = cache.get(windows);
  if (!set) {
    set = { baseMs: Math.min(...windows.map((w) => w.sliceMs)), windows };
    cache.set(windows, set);
  }
  return set;
}
