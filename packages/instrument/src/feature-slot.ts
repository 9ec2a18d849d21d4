import { CategoryCounts, ExponentialHistogram } from '@driftwatch/stats';
import type { FeatureType } from '@driftwatch/stats';
import type { Attributes } from '@opentelemetry/api';
import { ATTR_FEATURE_NAME } from './conventions.js';

const NUMERIC = 0;
const CATEGORICAL = 1;
const BOOLEAN = 2;
const EMBEDDING = 3;
const TEXT = 4;

const TYPE_CODES: Readonly<Record<FeatureType, number>> = { numeric: NUMERIC, categorical: CATEGORICAL, boolean: BOOLEAN, embedding: EMBEDDING, text: TEXT };

/**
 * The running state of one feature: a numeric sketch (numeric values, embedding norms, text lengths)
 * or a bounded category count, plus counts of unusable values by reason.
 * All slots have the same shape so the recording loop stays monomorphic.
 */
export class FeatureSlot {
  readonly name: string;
  readonly type: FeatureType;
  /** `ml.feature.name` on the wire: `<name>`, `<name>.norm` (embedding) or `<name>.length` (text) */
  readonly wireName: string;
  readonly code: number;
  readonly histogram: ExponentialHistogram | null;
  readonly categories: CategoryCounts | null;
  /** the name is also a property of every object (`constructor`, `toString`, `__proto__`): read own properties only */
  readonly shadowsPrototype: boolean;
  /** model attributes plus `ml.feature.name`, built once */
  readonly attributes: Attributes;
  /** absent key / undefined */
  missing = 0;
  nulls = 0;
  /** NaN or ±Infinity (also NaN inside an embedding) */
  nans = 0;
  typeMismatches = 0;

  constructor(name: string, type: FeatureType, modelAttributes: Attributes) {
    this.name = name;
    this.type = type;
    this.code = TYPE_CODES[type];
    this.shadowsPrototype = name in Object.prototype;
    this.wireName = type === 'embedding' ? `${name}.norm` : type === 'text' ? `${name}.length` : name;
    const numericSketch = type === 'numeric' || type === 'embedding' || type === 'text';
    this.histogram = numericSketch ? new ExponentialHistogram() : null;
    this.categories = numericSketch ? null : new CategoryCounts();
    this.attributes = { ...modelAttributes, [ATTR_FEATURE_NAME]: this.wireName };
  }
}

/**
 * Records one value into its slot. Allocation-free for numbers, strings and booleans.
 * Classification: `undefined` → missing, `null` → null, non-finite number → nan,
 * a value of the wrong JS type → type_mismatch (numeric strings are mismatches, not parsed).
 */
export function recordFeatureValue(slot: FeatureSlot, value: unknown): void {
  switch (slot.code) {
    case NUMERIC:
      recordNumericValue(slot, value);
      return;
    case CATEGORICAL:
      recordCategoricalValue(slot, value);
      return;
    case BOOLEAN:
      recordBooleanValue(slot, value);
      return;
    case EMBEDDING:
      recordEmbeddingValue(slot, value);
      return;
    default:
      recordTextValue(slot, value);
  }
}

/** The recorder of each feature type, as {@link recordFeatureValue} dispatches (for compiled row readers). */
export const RECORDERS: Readonly<Record<FeatureType, (slot: FeatureSlot, value: unknown) => void>> = {
  numeric: recordNumericValue,
  categorical: recordCategoricalValue,
  boolean: recordBooleanValue,
  embedding: recordEmbeddingValue,
  text: recordTextValue,
};

/** Counts `undefined` / `null`; true when the value was one of them. */
function countAbsent(slot: FeatureSlot, value: unknown): boolean {
  if (value === undefined) {
    slot.missing++;
    return true;
  }
  if (value === null) {
    slot.nulls++;
    return true;
  }
  return false;
}

export function recordNumericValue(slot: FeatureSlot, value: unknown): void {
  if (typeof value === 'number') {
    if (!(slot.histogram as ExponentialHistogram).record(value)) slot.nans++;
  } else if (typeof value === 'bigint') {
    (slot.histogram as ExponentialHistogram).record(Number(value));
  } else if (!countAbsent(slot, value)) {
    slot.typeMismatches++;
  }
}

export function recordCategoricalValue(slot: FeatureSlot, value: unknown): void {
  const c = slot.categories as CategoryCounts;
  switch (typeof value) {
    case 'string':
      c.record(value);
      return;
    case 'number':
      if (Number.isFinite(value)) c.record(String(value));
      else slot.nans++;
      return;
    case 'boolean':
      c.record(value ? 'true' : 'false');
      return;
    case 'bigint':
      c.record(String(value));
      return;
    default:
      if (!countAbsent(slot, value)) slot.typeMismatches++;
  }
}

export function recordBooleanValue(slot: FeatureSlot, value: unknown): void {
  const c = slot.categories as CategoryCounts;
  if (value === true || value === 1 || value === 'true') c.record('true');
  else if (value === false || value === 0 || value === 'false') c.record('false');
  else if (typeof value === 'number' && !Number.isFinite(value)) slot.nans++;
  else if (!countAbsent(slot, value)) slot.typeMismatches++;
}

export function recordEmbeddingValue(slot: FeatureSlot, value: unknown): void {
  if (countAbsent(slot, value)) return;
  if (!isNumericVector(value)) {
    slot.typeMismatches++;
    return;
  }
  let sumOfSquares = 0;
  for (let i = 0; i < value.length; i++) {
    const x = value[i];
    if (typeof x !== 'number') {
      slot.typeMismatches++;
      return;
    }
    sumOfSquares += x * x;
  }
  if (!(slot.histogram as ExponentialHistogram).record(Math.sqrt(sumOfSquares))) slot.nans++;
}

function isNumericVector(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

export function recordTextValue(slot: FeatureSlot, value: unknown): void {
  if (typeof value === 'string') (slot.histogram as ExponentialHistogram).record(value.length);
  else if (!countAbsent(slot, value)) slot.typeMismatches++;
}
