import type { ByteReader, ByteWriter } from './byte-codec.js';

/**
 * What a window slice holds (a histogram, category counts or count/sum moments): it can be emptied,
 * encoded compactly, and have another encoded payload of the same kind added into it.
 */
export interface SliceAccumulator {
  readonly isEmpty: boolean;
  clear(): void;
  /** `dense`: the smallest encoding the kind has (for closed slices), possibly slower to decode. */
  encode(w: ByteWriter, dense?: boolean): void;
  /** Adds one payload written by `encode` (throws RangeError on corrupt input). */
  mergeEncoded(r: ByteReader): void;
}
