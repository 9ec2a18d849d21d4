import type { Logger, LogAttributes } from '@opentelemetry/api-logs';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { OTLPLogExporter as OTLPJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OTLPProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import type { Resource } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { emptyExportHealth, exportOutcomeCounter } from './counting-exporter.js';
import type { ExportHealth } from './counting-exporter.js';
import type { ExportProtocol, MonitorLogger } from './options.js';

/** Records per OTLP logs request (OTel's default). */
export const RECORD_BATCH_SIZE = 512;
/** Longest a record waits in the queue before its batch is sent (OTel's default). */
export const RECORD_SCHEDULED_DELAY_MILLIS = 1000;

/** Outcomes of the prediction-record (OTLP logs) export of one pipeline. */
export interface RecordExportHealth {
  /** records accepted into the queue */
  emitted: number;
  /** records waiting in the queue now (at most the queue size) */
  queued: number;
  /** records refused because the queue was full (the collector is slow or down) */
  droppedQueueFull: number;
  /** records in batches the collector accepted */
  exportedRecords: number;
  /** records in batches that failed (lost: records are not cumulative) */
  failedRecords: number;
  /** per request, like the metrics export */
  readonly requests: ExportHealth;
}

/** What one prediction or label record is, before OTel turns it into a LogRecord. */
export interface RecordToEmit {
  readonly eventName: string;
  /** epoch milliseconds (fractional) */
  readonly timeMillis: number;
  readonly body: string;
  readonly attributes: LogAttributes;
}

export interface RecordExportOptions {
  readonly url: string;
  readonly protocol: ExportProtocol;
  readonly headers: Readonly<Record<string, string>>;
  readonly exportTimeoutMillis: number;
  readonly maxQueueSize: number;
  readonly resource: Resource;
  readonly scope: { readonly name: string; readonly version: string };
}

/**
 * The OTLP logs pipeline of sampled prediction records: LoggerProvider → BatchLogRecordProcessor →
 * OTLP logs exporter (protobuf or JSON), OTel's batching, retries and timeouts. A bounded admission in
 * front of OTel's queue (records accepted minus records handed to the exporter) counts what does not
 * fit (OTel's own processor would drop it silently), so
 * {@link emit} never blocks, never grows memory beyond `maxQueueSize` records, and never throws.
 */
export class RecordExport {
  readonly health: RecordExportHealth = {
    emitted: 0,
    queued: 0,
    droppedQueueFull: 0,
    exportedRecords: 0,
    failedRecords: 0,
    requests: emptyExportHealth(),
  };
  readonly #provider: LoggerProvider;
  readonly #logger: Logger;
  readonly #maxQueueSize: number;
  /** records handed to the exporter (they left OTel's queue) */
  #handedOff = 0;

  constructor(options: RecordExportOptions, logger: MonitorLogger) {
    this.#maxQueueSize = options.maxQueueSize;
    const config = { url: options.url, headers: { ...options.headers }, timeoutMillis: options.exportTimeoutMillis, concurrencyLimit: 2 };
    const otlp: LogRecordExporter = options.protocol === 'http/json' ? new OTLPJsonLogExporter(config) : new OTLPProtoLogExporter(config);
    const exporter = this.#counting(otlp, logger, options.url);
    const batch = new BatchLogRecordProcessor({
      exporter,
      maxQueueSize: options.maxQueueSize,
      maxExportBatchSize: Math.min(RECORD_BATCH_SIZE, options.maxQueueSize),
      scheduledDelayMillis: RECORD_SCHEDULED_DELAY_MILLIS,
      exportTimeoutMillis: options.exportTimeoutMillis,
    });
    this.#provider = new LoggerProvider({ resource: options.resource, processors: [batch] });
    this.#logger = this.#provider.getLogger(options.scope.name, options.scope.version);
  }

  /** Whether a record would be accepted now (checked before building one). */
  hasRoom(): boolean {
    return this.health.emitted - this.#handedOff < this.#maxQueueSize;
  }

  /** Counts a record refused because the queue is full (after {@link hasRoom} said no). */
  refuse(): void {
    this.health.droppedQueueFull++;
  }

  /** Queues one record for export; false (and counted) when the queue is full. Never throws. */
  emit(record: RecordToEmit): boolean {
    const queued = this.health.emitted - this.#handedOff;
    if (queued >= this.#maxQueueSize) {
      this.refuse();
      return false;
    }
    this.health.emitted++;
    this.health.queued = queued + 1;
    this.#logger.emit({
      eventName: record.eventName,
      timestamp: record.timeMillis,
      severityNumber: SeverityNumber.INFO,
      severityText: 'INFO',
      body: record.body,
      attributes: record.attributes,
    });
    return true;
  }

  #counting(inner: LogRecordExporter, logger: MonitorLogger, url: string): LogRecordExporter {
    const onResult = exportOutcomeCounter(this.health.requests, logger, 'prediction records', url, 'The records of a failed batch are lost (counted in health().records).');
    return {
      export: (records: ReadableLogRecord[], resultCallback: (result: ExportResult) => void): void => {
        this.#handedOff += records.length;
        this.health.queued = Math.max(0, this.health.emitted - this.#handedOff);
        let called = false;
        const done = (result: ExportResult): void => {
          if (called) return;
          called = true;
          if (result.code === ExportResultCode.SUCCESS) this.health.exportedRecords += records.length;
          else this.health.failedRecords += records.length;
          onResult(result);
          resultCallback(result);
        };
        try {
          inner.export(records, done);
        } catch (error) {
          done({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
        }
      },
      forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
      shutdown: () => inner.shutdown(),
    };
  }

  forceFlush(timeoutMillis: number): Promise<void> {
    return this.#provider.forceFlush({ timeoutMillis });
  }

  /** Final flush, then stops the processor and the exporter (the caller bounds how long it waits). */
  shutdown(): Promise<void> {
    return this.#provider.shutdown();
  }
}
