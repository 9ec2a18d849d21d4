import { performance } from 'node:perf_hooks';
import type { FeatureSchema } from '@driftwatch/stats';
import type { Attributes, HrTime } from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';
import { BoundedTable } from './bounded-labels.js';
import { ATTR_DEPLOYMENT_ROLE, ATTR_MODEL_NAME, ATTR_MODEL_VERSION, ERROR_TYPE_OTHER } from './conventions.js';
import { errorType } from './error-type.js';
import { describeSchema } from './feature-inference.js';
import { FeatureRecorder } from './feature-recorder.js';
import type { Count } from './feedback-recorder.js';
import { FeedbackRecorder } from './feedback-recorder.js';
import { KpiRecorder } from './kpi-recorder.js';
import { LatencyHistogram } from './latency-histogram.js';
import type { FeatureRow, MonitorLogger, PredictionId, ResolvedOptions } from './options.js';
import { inferOutputReading, OutputRecorder } from './output-recorder.js';
import type { OutputReading } from './output-recorder.js';
import { PendingPredictions } from './pending-predictions.js';
import type { RecordArm, RecordSampler } from './prediction-records.js';
import { RecordingDrops } from './recording-drops.js';
import { readComparable } from './shadow-comparison.js';
import type { Comparable, ShadowComparisons } from './shadow-comparison.js';

/** At most this many distinct `error.type` values per model; later ones are counted as `_OTHER`. */
export const MAX_ERROR_TYPES = 32;

type OutputExtractor = (output: unknown) => unknown;

/**
 * Everything recorded for one monitored model (one `monitor()` call): call, error and latency counts,
 * feature and output sketches, the feedback join and KPIs. Recording methods never throw: failures
 * are counted in {@link drops} and warned about once per kind.
 */
export class ModelTelemetry {
  readonly label: string;
  readonly attributes: Attributes;
  /** start of every cumulative stream of this model */
  readonly startTime: HrTime;
  readonly logger: MonitorLogger;
  readonly drops: RecordingDrops;
  /** false after shutdown: the wrapper then only calls the model */
  active = true;
  calls = 0;
  predictions = 0;
  readonly errors = new BoundedTable<Count>(MAX_ERROR_TYPES, () => ({ value: 0 }), ERROR_TYPE_OTHER);
  readonly latency = new LatencyHistogram();
  readonly features: FeatureRecorder;
  readonly outputs: OutputRecorder;
  readonly pending: PendingPredictions;
  readonly feedback = new FeedbackRecorder();
  readonly kpis = new KpiRecorder();
  /** model name and version as recorded (`ml.model.name`, `ml.model.version`) */
  readonly model: string;
  readonly version: string;
  /** set for the arms whose predictions are sampled as records (primary, canary) */
  records: { readonly sampler: RecordSampler; readonly arm: RecordArm } | undefined = undefined;
  /** set for a shadow: its agreement with the primary */
  comparisons: ShadowComparisons | undefined = undefined;

  readonly #threshold: number;
  readonly #classes: readonly string[] | undefined;
  readonly #extract: ResolvedOptions['extract'];
  readonly #predictionId: ResolvedOptions['predictionId'];
  readonly #outputExtractor: OutputExtractor | undefined;
  #outputReading: OutputReading | undefined;

  constructor(options: ResolvedOptions, logger: MonitorLogger) {
    this.label = `monitor(${options.model}@${options.version}${options.role === 'primary' ? '' : `, ${options.role}`})`;
    this.model = options.model;
    this.version = options.version;
    this.#threshold = options.threshold;
    this.#classes = options.classes;
    this.attributes = Object.freeze({
      [ATTR_MODEL_NAME]: options.model,
      [ATTR_MODEL_VERSION]: options.version,
      [ATTR_DEPLOYMENT_ROLE]: options.role,
    });
    this.startTime = hrTime();
    this.logger = logger;
    this.drops = new RecordingDrops(logger, this.label);
    this.features = new FeatureRecorder(options.features, this.attributes, (schema, ignored) => this.#reportInferred(schema, ignored));
    this.outputs = new OutputRecorder(options.threshold, options.classes);
    this.pending = new PendingPredictions(options.feedbackMaxPending, options.feedbackTtlMillis);
    this.#extract = options.extract;
    this.#predictionId = options.predictionId;
    if (typeof options.output === 'function') {
      this.#outputExtractor = options.output;
      this.#outputReading = 'extracted';
    } else {
      this.#outputReading = options.output;
    }
  }

  /**
   * Counts a call and records the features of its input. Returns the extracted row(s) (an array for
   * a batch) for {@link endCall}, or undefined when the input could not be read.
   */
  beginCall(input: unknown): unknown {
    this.calls++;
    try {
      const rows = this.#extract === undefined ? input : this.#extract(input);
      // an extractor returning undefined means: no features for this call
      if (rows === undefined && this.#extract !== undefined) return undefined;
      if (Array.isArray(rows)) {
        for (let i = 0; i < rows.length; i++) this.#recordRow(rows[i]);
      } else {
        this.#recordRow(rows);
      }
      return rows;
    } catch (error) {
      this.drops.drop('extract', error);
      return undefined;
    }
  }

  #recordRow(row: unknown): void {
    if (typeof row === 'object' && row !== null) {
      this.features.recordRow(row as FeatureRow);
    } else {
      this.drops.drop('extract', `expected an object of features but got ${row === null ? 'null' : typeof row}; pass options.extract`);
    }
  }

  /** Records a successful call: its duration, prediction count, outputs and (when ids are known) the join entries. */
  endCall(input: unknown, rows: unknown, result: unknown, startMillis: number): void {
    const now = performance.now();
    this.latency.record((now - startMillis) / 1000);
    try {
      if (Array.isArray(rows)) {
        this.predictions += rows.length;
        this.#recordBatch(input, rows, result, now);
      } else {
        this.predictions++;
        this.#recordPrediction(input, rows, result, now);
      }
    } catch (error) {
      this.drops.drop('internal', error);
    }
  }

  /** Records a call that threw: its duration and `error.type`. */
  failCall(error: unknown, startMillis: number): void {
    this.latency.record((performance.now() - startMillis) / 1000);
    try {
      this.errors.get(errorType(error)).value++;
    } catch (e) {
      this.drops.drop('internal', e);
    }
  }

  #recordPrediction(input: unknown, row: unknown, result: unknown, now: number): void {
    const output = this.#outputExtractor ? this.#extractOutput(result) : result;
    // an extractor returning undefined (or throwing, already counted) means: nothing to record
    if (output === undefined && this.#outputExtractor) return;
    const recorded = this.#recordOutput(output);
    if (!recorded) return;
    let id: unknown;
    if (this.#predictionId) {
      id = this.#customIds(input, result);
    } else {
      id = readId(row) ?? readId(result);
    }
    this.#remember(id, now);
    if (this.records !== undefined) this.#sample(row, output, id, now);
  }

  #sample(row: unknown, output: unknown, id: unknown, now: number): void {
    const r = this.records as NonNullable<ModelTelemetry['records']>;
    r.sampler.prediction(r.arm, row, output, isPredictionId(id) ? id : undefined, now);
  }

  #recordBatch(input: unknown, rows: readonly unknown[], result: unknown, now: number): void {
    const n = rows.length;
    const outputs = this.#outputExtractor ? this.#extractOutput(result) : result;
    if (outputs === undefined && this.#outputExtractor) return;
    if (!Array.isArray(outputs) || outputs.length !== n) {
      this.drops.drop('output', `a batch of ${n} rows needs an array of ${n} outputs`);
      return;
    }
    const ids = this.#predictionId ? this.#customIds(input, result) : undefined;
    if (ids !== undefined && (!Array.isArray(ids) || ids.length !== n)) {
      this.drops.drop('prediction_id', `a batch of ${n} rows needs an array of ${n} prediction ids`);
    }
    const idList = Array.isArray(ids) && ids.length === n ? (ids as readonly unknown[]) : undefined;
    for (let i = 0; i < n; i++) {
      const output: unknown = outputs[i];
      if (!this.#recordOutput(output)) continue;
      const id = this.#predictionId ? idList?.[i] : (readId(rows[i]) ?? readId(output));
      this.#remember(id, now);
      if (this.records !== undefined) this.#sample(rows[i], output, id, now);
    }
  }

  #extractOutput(result: unknown): unknown {
    try {
      return (this.#outputExtractor as OutputExtractor)(result);
    } catch (error) {
      this.drops.drop('output', error);
      return undefined;
    }
  }

  #customIds(input: unknown, result: unknown): unknown {
    try {
      return (this.#predictionId as NonNullable<ResolvedOptions['predictionId']>)(input, result);
    } catch (error) {
      this.drops.drop('prediction_id', error);
      return undefined;
    }
  }

  #recordOutput(output: unknown): boolean {
    let reading = this.#outputReading;
    if (reading === undefined) {
      reading = inferOutputReading(output);
      if (reading === undefined) {
        this.drops.drop('output', `cannot infer the output kind from a ${output === null ? 'null' : typeof output}; pass options.output`);
        return false;
      }
      this.#outputReading = reading;
      this.#info(`inferred output kind '${reading}' from the first result; pass options.output to set it`);
    }
    if (this.outputs.record(reading, output)) return true;
    this.drops.drop('output', `result does not fit output kind '${reading}'`);
    return false;
  }

  #remember(id: unknown, now: number): void {
    if (id === undefined || id === null) return;
    if (!isPredictionId(id)) {
      this.drops.drop('prediction_id', `prediction id must be a string or a finite number, got ${typeof id}`);
      return;
    }
    const o = this.outputs;
    if (o.lastPredicted === undefined && Number.isNaN(o.lastValue)) return;
    this.pending.add(id, { score: o.lastScore, predicted: o.lastPredicted, value: o.lastValue, atMillis: now });
  }

  /** Joins a ground-truth label to the prediction made under `id`; an unknown id is counted as unmatched. */
  recordFeedback(id: unknown, actual: unknown): void {
    try {
      if (!isPredictionId(id)) {
        this.drops.drop('feedback', `feedback needs a string or finite-number prediction id, got ${typeof id}`);
        return;
      }
      if (!this.joinFeedback(id, actual)) this.feedback.unmatchedUnknownId++;
    } catch (error) {
      this.drops.drop('internal', error);
    }
  }

  /**
   * Joins `actual` to the prediction of `id` if this model holds it (true, also when the label does not fit
   * and is dropped); false, counting nothing, when it does not — so several arms can be asked in turn.
   */
  joinFeedback(id: PredictionId, actual: unknown): boolean {
    const prediction = this.pending.take(id, performance.now());
    if (prediction === undefined) return false;
    if (this.feedback.join(prediction, actual) === 'unusable') {
      this.drops.drop('feedback', `label of type ${typeof actual} does not fit the prediction (${prediction.predicted === undefined ? 'regression' : 'classification'})`);
    }
    return true;
  }

  /**
   * The comparable reading of a result (one per row for a batch, in a same-length array), as this model
   * reads its outputs; undefined entries for what cannot be read. Records nothing; never throws.
   */
  comparable(result: unknown, batchSize: number | undefined): Array<Comparable | undefined> | undefined {
    const reading = this.#outputReading;
    if (reading === undefined) return undefined;
    let outputs: unknown;
    try {
      outputs = this.#outputExtractor ? this.#outputExtractor(result) : result;
    } catch {
      return undefined;
    }
    const read = (o: unknown): Comparable | undefined => readComparable(reading, o, this.#threshold, this.#classes);
    if (batchSize === undefined) return [read(outputs)];
    if (!Array.isArray(outputs) || outputs.length !== batchSize) return undefined;
    return outputs.map(read);
  }

  /** Records one business KPI event. */
  recordKpi(name: unknown, value: unknown): void {
    try {
      if (!this.kpis.record(name, value)) this.drops.drop('kpi', `kpi(name, value) needs a non-empty name and a finite number, got (${typeof name}, ${String(value)})`);
    } catch (error) {
      this.drops.drop('internal', error);
    }
  }

  #reportInferred(schema: FeatureSchema, ignored: readonly string[]): void {
    const skipped = ignored.length ? `; not recorded (no usable value seen): ${ignored.join(', ')}` : '';
    this.#info(`inferred feature schema {${describeSchema(schema)}}${skipped}; pass options.features to set it`);
  }

  #info(message: string): void {
    try {
      this.logger.info(`${this.label}: ${message}`);
    } catch {
      // never let a logger break the model server
    }
  }
}

export function isPredictionId(id: unknown): id is PredictionId {
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id));
}

/** The `id` field of an object, if it is a usable prediction id. */
function readId(value: unknown): PredictionId | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const id = (value as { id?: unknown }).id;
  return isPredictionId(id) ? id : undefined;
}
