import type { FeatureSchema } from '@driftwatch/stats';
import type { Attributes } from '@opentelemetry/api';
import { ID_KEYS, inferFeatureType } from './feature-inference.js';
import { FeatureSlot } from './feature-slot.js';
import { compileRowRecorder, genericRowRecorder } from './row-recorder.js';
import type { RowRecorder } from './row-recorder.js';
import type { FeatureRow } from './options.js';

/** Rows looked at to infer a schema when none was given; the schema is fixed afterwards. */
export const INFERENCE_ROWS = 32;

/** At most this many features per model are inferred (a given schema is not capped). */
export const MAX_INFERRED_FEATURES = 1000;

/**
 * The feature slots of one model. With a schema, each row costs one property read and one sketch
 * update per feature, through a row recorder compiled for the schema (see compileRowRecorder). Without one, the first
 * {@link INFERENCE_ROWS} rows also add slots for new keys, then the inferred schema is reported once.
 */
export class FeatureRecorder {
  readonly #slots: FeatureSlot[] = [];
  readonly #byName = new Map<string, FeatureSlot>();
  readonly #modelAttributes: Attributes;
  readonly #onInferred: ((schema: FeatureSchema, ignoredKeys: readonly string[]) => void) | undefined;
  #inferenceRowsLeft: number;
  readonly #undecided = new Set<string>();
  /** compiled for the current slots; the generic loop while the schema is still being inferred */
  #recordRow: RowRecorder;

  constructor(
    schema: FeatureSchema | undefined,
    modelAttributes: Attributes,
    onInferred?: (schema: FeatureSchema, ignoredKeys: readonly string[]) => void,
  ) {
    this.#modelAttributes = modelAttributes;
    this.#onInferred = onInferred;
    this.#inferenceRowsLeft = schema === undefined ? INFERENCE_ROWS : 0;
    if (schema) for (const [name, type] of Object.entries(schema)) this.#add(name, type);
    this.#recordRow = schema ? compileRowRecorder(this.#slots) : genericRowRecorder(this.#slots);
  }

  get slots(): readonly FeatureSlot[] {
    return this.#slots;
  }

  slot(name: string): FeatureSlot | undefined {
    return this.#byName.get(name);
  }

  /** The schema in use (given, or inferred so far). */
  schema(): FeatureSchema {
    const schema = Object.create(null) as FeatureSchema;
    for (const s of this.#slots) schema[s.name] = s.type;
    return schema;
  }

  /** Records every feature of one row (a missing key counts as `missing`). */
  recordRow(row: FeatureRow): void {
    if (this.#inferenceRowsLeft > 0) this.#infer(row);
    this.#recordRow(row);
  }

  #infer(row: FeatureRow): void {
    for (const key of Object.keys(row)) {
      if (this.#byName.has(key) || ID_KEYS.has(key)) continue;
      const type = inferFeatureType(row[key]);
      if (type === undefined || this.#slots.length >= MAX_INFERRED_FEATURES) this.#undecided.add(key);
      else {
        this.#undecided.delete(key);
        this.#add(key, type);
      }
    }
    if (--this.#inferenceRowsLeft === 0) this.#endInference();
  }

  #endInference(): void {
    this.#inferenceRowsLeft = 0;
    this.#recordRow = compileRowRecorder(this.#slots);
    this.#onInferred?.(this.schema(), [...this.#undecided]);
  }

  /** Ends schema inference early (at the first export) if at least one row was seen, reporting the schema. */
  finishInference(): void {
    if (this.#inferenceRowsLeft > 0 && this.#inferenceRowsLeft < INFERENCE_ROWS) {
      this.#endInference();
    }
  }

  #add(name: string, type: FeatureSchema[string]): void {
    const slot = new FeatureSlot(name, type, this.#modelAttributes);
    this.#slots.push(slot);
    this.#byName.set(name, slot);
  }
}
