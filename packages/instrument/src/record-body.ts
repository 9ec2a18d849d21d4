/** Bodies larger than this (UTF-8 bytes) are rejected by the aggregator, so the SDK drops them (docs/semantic-conventions.md). */
export const MAX_RECORD_BODY_BYTES = 65_536;

/** JSON replacer: typed arrays become arrays, BigInts decimal strings (NaN and ±Infinity are `null` by JSON itself). */
function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number | bigint>, (v) => (typeof v === 'bigint' ? v.toString() : v));
  return value;
}

function toJson(value: unknown): string {
  return JSON.stringify(value, replacer) ?? 'null';
}

/** Why a body could not be built. */
export type BodyProblem = 'too_large' | 'unserializable';

/**
 * The JSON text of a prediction record's body, `{"features":…,"output":…}`, snapshotting `row` and
 * `output` now (the caller may mutate them later). Returns a {@link BodyProblem} when the values cannot
 * be serialised (a cycle, a throwing `toJSON`) or the text is over {@link MAX_RECORD_BODY_BYTES}.
 * Cost: one `JSON.stringify` of the row and the output.
 */
export function predictionBody(row: unknown, output: unknown): string | BodyProblem {
  let text: string;
  try {
    text = `{"features":${toJson(row)},"output":${toJson(output)}}`;
  } catch {
    return 'unserializable';
  }
  return fits(text) ? text : 'too_large';
}

/** The JSON text of a label record's body, `{"label":…}`. */
export function labelBody(label: unknown): string | BodyProblem {
  let text: string;
  try {
    text = `{"label":${toJson(label)}}`;
  } catch {
    return 'unserializable';
  }
  return fits(text) ? text : 'too_large';
}

function fits(text: string): boolean {
  // a UTF-16 code unit is at most 3 UTF-8 bytes: only long texts need counting
  return text.length * 3 <= MAX_RECORD_BODY_BYTES || Buffer.byteLength(text, 'utf8') <= MAX_RECORD_BODY_BYTES;
}
