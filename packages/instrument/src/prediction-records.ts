import type { LogAttributes } from '@opentelemetry/api-logs';
import {
  ATTR_DEPLOYMENT_ROLE,
  ATTR_MODEL_NAME,
  ATTR_MODEL_VERSION,
  ATTR_PREDICTION_ID,
  ATTR_RECORD_SAMPLE_RATE,
  EVENT_LABEL,
  EVENT_RECORD,
} from './conventions.js';
import { samplingHash, samplingThreshold } from './key-hash.js';
import type { DeploymentRole, PredictionId } from './options.js';
import { labelBody, predictionBody } from './record-body.js';
import type { RecordExport, RecordExportHealth } from './record-export.js';

/** Longest prediction id the aggregator stores (docs/semantic-conventions.md). */
export const MAX_PREDICTION_ID_LENGTH = 256;

/** What {@link MonitorHealth.records} reports. */
export interface RecordsHealth {
  readonly sampleRate: number;
  /** prediction records handed to the export queue */
  readonly predictions: number;
  /** label records handed to the export queue */
  readonly labels: number;
  /** predictions not considered because they had no id (records are joined and deduplicated by id) */
  readonly withoutId: number;
  /** records dropped instead of sent: `queue_full`, `too_large` (body over 64 KiB), `unserializable`, `id_too_long` */
  readonly dropped: Readonly<Record<string, number>>;
  /** the export pipeline's record queue and requests (shared by monitors with the same export options) */
  readonly export: Readonly<RecordExportHealth> | undefined;
}

type RecordDrop = 'queue_full' | 'too_large' | 'unserializable' | 'id_too_long';

/**
 * Sampling of full prediction records for one monitor (shared by its primary and canary arms): the
 * decision is a hash of the prediction id ({@link samplingHash}), so a label is sent exactly for the
 * sampled ids, in any process using the same rate. Records go to the export pipeline's OTLP logs
 * queue; nothing here blocks or throws (failures are counted).
 */
export class RecordSampler {
  readonly sampleRate: number;
  readonly #threshold: number;
  readonly #sink: () => RecordExport | undefined;
  predictions = 0;
  labels = 0;
  withoutId = 0;
  readonly #dropped = new Map<RecordDrop, number>();

  constructor(sampleRate: number, sink: () => RecordExport | undefined) {
    this.sampleRate = sampleRate;
    this.#threshold = samplingThreshold(sampleRate);
    this.#sink = sink;
  }

  /** The canonical id if `id` is sampled, else undefined. */
  #sampled(id: PredictionId): string | undefined {
    const key = typeof id === 'string' ? id : String(id);
    if (!(samplingHash(key) < this.#threshold)) return undefined;
    if (key.length === 0 || key.length > MAX_PREDICTION_ID_LENGTH) {
      this.#drop('id_too_long');
      return undefined;
    }
    return key;
  }

  /** Attributes of the prediction records of one arm and version. */
  arm(model: string, version: string, role: DeploymentRole): RecordArm {
    return { model, version, attributes: { [ATTR_MODEL_NAME]: model, [ATTR_MODEL_VERSION]: version, [ATTR_DEPLOYMENT_ROLE]: role, [ATTR_RECORD_SAMPLE_RATE]: this.sampleRate } };
  }

  /** Sends the record of one prediction if its id is sampled. `nowMillis` is `performance.now()` at the prediction. */
  prediction(arm: RecordArm, row: unknown, output: unknown, id: PredictionId | undefined, nowMillis: number): void {
    if (id === undefined) {
      this.withoutId++;
      return;
    }
    const key = this.#sampled(id);
    if (key === undefined || !this.#room()) return;
    const body = predictionBody(row, output);
    if (body === 'too_large' || body === 'unserializable') {
      this.#drop(body);
      return;
    }
    if (this.#emit(EVENT_RECORD, nowMillis, body, { ...arm.attributes, [ATTR_PREDICTION_ID]: key })) this.predictions++;
  }

  /** Sends the label of a prediction if its id is sampled (`version` is the version served now). */
  label(model: string, version: string, id: PredictionId, actual: unknown, nowMillis: number): void {
    const key = this.#sampled(id);
    if (key === undefined || !this.#room()) return;
    const body = labelBody(actual);
    if (body === 'too_large' || body === 'unserializable') {
      this.#drop(body);
      return;
    }
    const attributes = { [ATTR_MODEL_NAME]: model, [ATTR_MODEL_VERSION]: version, [ATTR_PREDICTION_ID]: key };
    if (this.#emit(EVENT_LABEL, nowMillis, body, attributes)) this.labels++;
  }

  /** false (counted as queue_full) when the export queue is full: the body is not even built */
  #room(): boolean {
    const sink = this.#sink();
    if (sink === undefined) return false;
    if (sink.hasRoom()) return true;
    sink.refuse();
    this.#drop('queue_full');
    return false;
  }

  #emit(eventName: string, nowMillis: number, body: string, attributes: LogAttributes): boolean {
    const sink = this.#sink();
    if (sink === undefined) return false;
    if (sink.emit({ eventName, timeMillis: performance.timeOrigin + nowMillis, body, attributes })) return true;
    this.#drop('queue_full');
    return false;
  }

  #drop(kind: RecordDrop): void {
    this.#dropped.set(kind, (this.#dropped.get(kind) ?? 0) + 1);
  }

  health(exportHealth: RecordExportHealth | undefined): RecordsHealth {
    return {
      sampleRate: this.sampleRate,
      predictions: this.predictions,
      labels: this.labels,
      withoutId: this.withoutId,
      dropped: Object.fromEntries(this.#dropped),
      export: exportHealth ? { ...exportHealth, requests: { ...exportHealth.requests } } : undefined,
    };
  }
}

/** The record attributes of one arm (model, version, role, sample rate). */
export interface RecordArm {
  readonly model: string;
  readonly version: string;
  readonly attributes: LogAttributes;
}
