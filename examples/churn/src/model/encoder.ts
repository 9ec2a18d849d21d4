/**
 * Turns feature rows into numeric vectors for a linear model:
 *
 * - numeric columns are standardised, z = (x − mean) / std, with the mean and
 *   (population) standard deviation of the training rows; a column with
 *   std = 0 is only centred. A missing, null, non-numeric or non-finite value
 *   encodes as 0, i.e. it is imputed with the training mean.
 * - categorical columns are one-hot encoded with one column per category seen
 *   in training (no level is dropped: the model's L2 penalty keeps the
 *   weights identifiable). A category never seen in training — or a missing
 *   value — encodes as all zeros, so it adds no category effect at all.
 *   Values are compared as strings (`String(value)`), so 0 and "0" are the same category.
 *
 * The fitted encoder is plain JSON-able data ({@link EncoderData}), stored in
 * the model artifact. Fitting is O(rows × columns + levels log levels);
 * encoding one row is O(columns + levels).
 */

export interface EncoderSpec {
  numeric: readonly string[];
  categorical: readonly string[];
}

export interface NumericEncoding {
  name: string;
  mean: number;
  std: number;
}

export interface CategoricalEncoding {
  name: string;
  /** categories seen in training, sorted; each gets one output column */
  levels: string[];
}

export interface EncoderData {
  numeric: NumericEncoding[];
  categorical: CategoricalEncoding[];
}

type Row = Readonly<Record<string, unknown>>;

const numericValue = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

const categoryValue = (value: unknown): string | undefined =>
  value === undefined || value === null ? undefined : String(value);

/** Learns the means, standard deviations and category levels of `rows`. */
export function fitEncoder(rows: readonly Row[], spec: EncoderSpec): EncoderData {
  if (rows.length === 0) throw new Error('fitEncoder requires at least 1 row');
  const numeric = spec.numeric.map((name): NumericEncoding => {
    let count = 0;
    let mean = 0;
    let m2 = 0;
    for (const row of rows) {
      const x = numericValue(row[name]);
      if (x === undefined) continue;
      // Welford's update: numerically stable running mean and sum of squares
      count++;
      const delta = x - mean;
      mean += delta / count;
      m2 += delta * (x - mean);
    }
    if (count === 0) throw new Error(`fitEncoder: numeric column "${name}" has no finite values`);
    const std = Math.sqrt(m2 / count);
    return { name, mean, std: std > 0 ? std : 1 };
  });
  const categorical = spec.categorical.map((name): CategoricalEncoding => {
    const levels = new Set<string>();
    for (const row of rows) {
      const value = categoryValue(row[name]);
      if (value !== undefined) levels.add(value);
    }
    return { name, levels: [...levels].sort() };
  });
  return { numeric, categorical };
}

/** Names of the encoded columns: numeric names, then `name=level` per category. */
export function encodedColumnNames(encoder: EncoderData): string[] {
  return [
    ...encoder.numeric.map((n) => n.name),
    ...encoder.categorical.flatMap((c) => c.levels.map((level) => `${c.name}=${level}`)),
  ];
}

/** Number of encoded columns. */
export function encodedWidth(encoder: EncoderData): number {
  return encoder.numeric.length + encoder.categorical.reduce((sum, c) => sum + c.levels.length, 0);
}

/** Encodes one row into a vector of {@link encodedWidth} numbers. */
export function encodeRow(encoder: EncoderData, row: Row): Float64Array {
  const out = new Float64Array(encodedWidth(encoder));
  let column = 0;
  for (const { name, mean, std } of encoder.numeric) {
    const x = numericValue(row[name]);
    out[column++] = x === undefined ? 0 : (x - mean) / std;
  }
  for (const { name, levels } of encoder.categorical) {
    const value = categoryValue(row[name]);
    const index = value === undefined ? -1 : levels.indexOf(value);
    if (index >= 0) out[column + index] = 1;
    column += levels.length;
  }
  return out;
}

/** Checks that `value` is a well-formed {@link EncoderData}; throws an Error naming the bad field. */
export function validateEncoder(value: unknown, field = 'encoder'): EncoderData {
  if (typeof value !== 'object' || value === null) throw new Error(`${field} must be an object`);
  const data = value as Record<string, unknown>;
  if (!Array.isArray(data.numeric)) throw new Error(`${field}.numeric must be an array`);
  if (!Array.isArray(data.categorical)) throw new Error(`${field}.categorical must be an array`);
  data.numeric.forEach((n: unknown, i) => {
    const entry = n as Partial<NumericEncoding> | null;
    if (typeof entry?.name !== 'string') throw new Error(`${field}.numeric[${i}].name must be a string`);
    if (typeof entry.mean !== 'number' || !Number.isFinite(entry.mean)) throw new Error(`${field}.numeric[${i}].mean must be a finite number`);
    if (typeof entry.std !== 'number' || !(entry.std > 0)) throw new Error(`${field}.numeric[${i}].std must be a positive number`);
  });
  data.categorical.forEach((c: unknown, i) => {
    const entry = c as Partial<CategoricalEncoding> | null;
    if (typeof entry?.name !== 'string') throw new Error(`${field}.categorical[${i}].name must be a string`);
    if (!Array.isArray(entry.levels) || !entry.levels.every((l) => typeof l === 'string')) {
      throw new Error(`${field}.categorical[${i}].levels must be an array of strings`);
    }
  });
  return data as unknown as EncoderData;
}
