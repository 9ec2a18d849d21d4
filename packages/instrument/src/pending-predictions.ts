import { OVERFLOW_LABEL } from './bounded-labels.js';
import type { PredictionId } from './options.js';

/** What is kept of a prediction until its label arrives. */
export interface PendingPrediction {
  /** binary score, NaN when the model gave none */
  readonly score: number;
  /** predicted class in canonical label form, undefined for regression */
  readonly predicted: string | undefined;
  /** regression value, NaN for classification */
  readonly value: number;
  /** monotonic milliseconds (performance.now()) when it was stored */
  readonly atMillis: number;
}

/** Distinct predicted labels kept verbatim in the join map; later ones are stored as `__dw_other__`. */
export const MAX_PENDING_LABELS = 1024;

const NO_LABEL = -1;
const INITIAL_CAPACITY = 256;

/**
 * The join map prediction id → prediction, bounded in size and age.
 *
 * A prediction stays joinable while it is among the last `maxPending` predictions stored and younger than
 * `ttlMillis`; older ones are evicted (counted by reason, `size` or `ttl`, when they were still waiting).
 * Storage is a ring of typed arrays indexed by a sequence number (score, value, time, interned label) plus
 * one `Map<string, number>` from id to sequence number — about 100–150 bytes per waiting prediction with
 * short ids instead of ~270 for a Map of objects. The ring grows on demand up to `maxPending` slots, so a
 * model that never stores ids pays nothing.
 *
 * Cost: O(1) amortised per add/take (eviction only ever looks at the oldest slot); memory O(maxPending).
 */
export class PendingPredictions {
  readonly #ids = new Map<string, number>();
  readonly #maxPending: number;
  readonly #ttlMillis: number;
  #capacity = 0;
  #keys: Array<string | undefined> = [];
  #scores = new Float64Array(0);
  #values = new Float64Array(0);
  #at = new Float64Array(0);
  #labels = new Int32Array(0);
  /** sequence number of the oldest slot still in the ring */
  #head = 0;
  /** sequence number the next prediction gets */
  #tail = 0;
  readonly #labelNames: string[] = [];
  readonly #labelIndex = new Map<string, number>();
  evictedBySize = 0;
  evictedByTtl = 0;

  constructor(maxPending: number, ttlMillis: number) {
    this.#maxPending = maxPending;
    this.#ttlMillis = ttlMillis;
  }

  /** predictions waiting for a label */
  get size(): number {
    return this.#ids.size;
  }

  add(id: PredictionId, prediction: PendingPrediction): void {
    if (this.#maxPending === 0) return;
    const key = String(id);
    this.expire(prediction.atMillis);
    const previous = this.#ids.get(key);
    if (previous !== undefined) this.#keys[previous % this.#capacity] = undefined; // re-stored: the old slot is dead
    while (this.#tail - this.#head >= this.#maxPending) this.#evictHead(false);
    if (this.#tail - this.#head >= this.#capacity) this.#grow();
    const slot = this.#tail % this.#capacity;
    this.#keys[slot] = key;
    this.#scores[slot] = prediction.score;
    this.#values[slot] = prediction.value;
    this.#at[slot] = prediction.atMillis;
    this.#labels[slot] = prediction.predicted === undefined ? NO_LABEL : this.#intern(prediction.predicted);
    this.#ids.set(key, this.#tail);
    this.#tail++;
  }

  /** Removes and returns the prediction of `id`, or undefined if unknown, evicted or expired. */
  take(id: PredictionId, nowMillis: number): PendingPrediction | undefined {
    this.expire(nowMillis);
    const key = String(id);
    const seq = this.#ids.get(key);
    if (seq === undefined) return undefined;
    const slot = seq % this.#capacity;
    this.#ids.delete(key);
    this.#keys[slot] = undefined;
    const label = this.#labels[slot] as number;
    return {
      score: this.#scores[slot] as number,
      predicted: label === NO_LABEL ? undefined : this.#labelNames[label],
      value: this.#values[slot] as number,
      atMillis: this.#at[slot] as number,
    };
  }

  /** Evicts every prediction older than the TTL at `nowMillis` (and skips slots already taken). */
  expire(nowMillis: number): void {
    const cutoff = nowMillis - this.#ttlMillis;
    while (this.#head < this.#tail) {
      const slot = this.#head % this.#capacity;
      if (this.#keys[slot] !== undefined && (this.#at[slot] as number) > cutoff) return;
      this.#evictHead(true);
    }
  }

  #evictHead(byTtl: boolean): void {
    const slot = this.#head % this.#capacity;
    const key = this.#keys[slot];
    if (key !== undefined) {
      this.#ids.delete(key);
      this.#keys[slot] = undefined;
      if (byTtl) this.evictedByTtl++;
      else this.evictedBySize++;
    }
    this.#head++;
  }

  /** Doubles the ring (up to maxPending slots), re-placing the live window by sequence number. */
  #grow(): void {
    const capacity = Math.min(this.#maxPending, Math.max(INITIAL_CAPACITY, this.#capacity * 2));
    const keys = new Array<string | undefined>(capacity).fill(undefined);
    const scores = new Float64Array(capacity);
    const values = new Float64Array(capacity);
    const at = new Float64Array(capacity);
    const labels = new Int32Array(capacity);
    for (let seq = this.#head; seq < this.#tail; seq++) {
      const from = seq % this.#capacity;
      const to = seq % capacity;
      keys[to] = this.#keys[from];
      scores[to] = this.#scores[from] as number;
      values[to] = this.#values[from] as number;
      at[to] = this.#at[from] as number;
      labels[to] = this.#labels[from] as number;
    }
    this.#capacity = capacity;
    this.#keys = keys;
    this.#scores = scores;
    this.#values = values;
    this.#at = at;
    this.#labels = labels;
  }

  #intern(label: string): number {
    let i = this.#labelIndex.get(label);
    if (i !== undefined) return i;
    const name = this.#labelNames.length >= MAX_PENDING_LABELS ? OVERFLOW_LABEL : label;
    i = this.#labelIndex.get(name);
    if (i === undefined) {
      i = this.#labelNames.length;
      this.#labelNames.push(name);
      this.#labelIndex.set(name, i);
    }
    return i;
  }
}
