import { OVERFLOW_LABEL } from './bounded-labels.js';
import { hashId } from './id-hash.js';
import type { IdHash } from './id-hash.js';
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
/** Marks a ring slot whose prediction was taken, evicted or stored again (its id is no longer in the index). */
const DEAD = 0;
const LIVE = 1;

/**
 * The join map prediction id → prediction, bounded in size and age.
 *
 * A prediction stays joinable while it is among the last `maxPending` predictions stored and younger than
 * `ttlMillis`; older ones are evicted (counted by reason, `size` or `ttl`, when they were still waiting).
 *
 * Storage: a ring of typed arrays indexed by a sequence number (the id's 64-bit hash, `hashId`, then score, value,
 * time, interned label) and an open-addressing index (linear probing, at most half full, backward-shift deletion)
 * from the hash to the ring slot. The id itself is not kept: about 45 bytes per waiting prediction whatever the id,
 * where a `Map` keyed by the id cost 160 bytes for short ids and 600 for `crypto.randomUUID()` ones (rope strings).
 * Two ids whose hashes collide (odds about n · 2^−64 with n waiting) are taken for one. The ring and the index grow
 * on demand up to `maxPending` slots, so a model that never stores ids pays nothing.
 *
 * Cost: O(1) amortised per add/take, O(id length) to hash the id; eviction only ever looks at the oldest slot;
 * memory O(maxPending).
 */
export class PendingPredictions {
  readonly #maxPending: number;
  readonly #ttlMillis: number;
  #capacity = 0;
  #live = new Uint8Array(0);
  #hashHigh = new Int32Array(0);
  #hashLow = new Int32Array(0);
  #scores = new Float64Array(0);
  #values = new Float64Array(0);
  #at = new Float64Array(0);
  #labels = new Int32Array(0);
  /** open-addressing index: ring slot + 1 per position, 0 = empty; its length is a power of two ≥ 2 × capacity */
  #index = new Int32Array(0);
  #size = 0;
  /** sequence number of the oldest slot still in the ring */
  #head = 0;
  /** sequence number the next prediction gets */
  #tail = 0;
  readonly #hash: IdHash = { high: 0, low: 0 };
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
    return this.#size;
  }

  add(id: PredictionId, prediction: PendingPrediction): void {
    if (this.#maxPending === 0) return;
    this.expire(prediction.atMillis);
    const { high, low } = hashId(String(id), this.#hash);
    const previous = this.#find(high, low);
    if (previous >= 0) this.#kill(previous); // re-stored: the old slot is dead
    while (this.#tail - this.#head >= this.#maxPending) this.#evictHead(false);
    if (this.#tail - this.#head >= this.#capacity) this.#grow();
    const slot = this.#tail % this.#capacity;
    this.#live[slot] = LIVE;
    this.#hashHigh[slot] = high;
    this.#hashLow[slot] = low;
    this.#scores[slot] = prediction.score;
    this.#values[slot] = prediction.value;
    this.#at[slot] = prediction.atMillis;
    this.#labels[slot] = prediction.predicted === undefined ? NO_LABEL : this.#intern(prediction.predicted);
    this.#insert(slot);
    this.#size++;
    this.#tail++;
  }

  /** Removes and returns the prediction of `id`, or undefined if unknown, evicted or expired. */
  take(id: PredictionId, nowMillis: number): PendingPrediction | undefined {
    this.expire(nowMillis);
    if (this.#size === 0) return undefined;
    const { high, low } = hashId(String(id), this.#hash);
    const position = this.#find(high, low);
    if (position < 0) return undefined;
    const slot = (this.#index[position] as number) - 1;
    this.#kill(position);
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
      if (this.#live[slot] === LIVE && (this.#at[slot] as number) > cutoff) return;
      this.#evictHead(true);
    }
  }

  #evictHead(byTtl: boolean): void {
    const slot = this.#head % this.#capacity;
    if (this.#live[slot] === LIVE) {
      this.#kill(this.#find(this.#hashHigh[slot] as number, this.#hashLow[slot] as number));
      if (byTtl) this.evictedByTtl++;
      else this.evictedBySize++;
    }
    this.#head++;
  }

  /** The index position holding the live slot with this hash, or −1. */
  #find(high: number, low: number): number {
    const index = this.#index;
    if (index.length === 0) return -1;
    const mask = index.length - 1;
    for (let i = low & mask; ; i = (i + 1) & mask) {
      const entry = index[i] as number;
      if (entry === 0) return -1;
      if (this.#hashLow[entry - 1] === low && this.#hashHigh[entry - 1] === high) return i;
    }
  }

  /** Adds ring slot `slot` (its hash already written) to the index. */
  #insert(slot: number): void {
    const index = this.#index;
    const mask = index.length - 1;
    let i = (this.#hashLow[slot] as number) & mask;
    while (index[i] !== 0) i = (i + 1) & mask;
    index[i] = slot + 1;
  }

  /**
   * Marks the slot at index position `position` dead and removes it from the index, shifting later entries of the
   * same probe run back into the hole (so lookups never need tombstones).
   */
  #kill(position: number): void {
    const index = this.#index;
    const mask = index.length - 1;
    this.#live[(index[position] as number) - 1] = DEAD;
    this.#size--;
    let hole = position;
    for (let i = (hole + 1) & mask; index[i] !== 0; i = (i + 1) & mask) {
      const home = (this.#hashLow[(index[i] as number) - 1] as number) & mask;
      // the entry at i may move into the hole unless its home lies cyclically in (hole, i]
      const stays = hole <= i ? hole < home && home <= i : hole < home || home <= i;
      if (!stays) {
        index[hole] = index[i] as number;
        hole = i;
      }
    }
    index[hole] = 0;
  }

  /** Doubles the ring (up to maxPending slots), re-placing the live window by sequence number, and rebuilds the index. */
  #grow(): void {
    const capacity = Math.min(this.#maxPending, Math.max(INITIAL_CAPACITY, this.#capacity * 2));
    const live = new Uint8Array(capacity);
    const hashHigh = new Int32Array(capacity);
    const hashLow = new Int32Array(capacity);
    const scores = new Float64Array(capacity);
    const values = new Float64Array(capacity);
    const at = new Float64Array(capacity);
    const labels = new Int32Array(capacity);
    for (let seq = this.#head; seq < this.#tail; seq++) {
      const from = seq % this.#capacity;
      const to = seq % capacity;
      live[to] = this.#live[from] as number;
      hashHigh[to] = this.#hashHigh[from] as number;
      hashLow[to] = this.#hashLow[from] as number;
      scores[to] = this.#scores[from] as number;
      values[to] = this.#values[from] as number;
      at[to] = this.#at[from] as number;
      labels[to] = this.#labels[from] as number;
    }
    this.#capacity = capacity;
    this.#live = live;
    this.#hashHigh = hashHigh;
    this.#hashLow = hashLow;
    this.#scores = scores;
    this.#values = values;
    this.#at = at;
    this.#labels = labels;
    let positions = 1;
    while (positions < 2 * capacity) positions *= 2;
    this.#index = new Int32Array(positions);
    for (let seq = this.#head; seq < this.#tail; seq++) {
      const slot = seq % capacity;
      if (live[slot] === LIVE) this.#insert(slot);
    }
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
