import { randomUUID } from 'node:crypto';
import { diag } from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';
import { AggregationTemporalityPreference, OTLPMetricExporter as OTLPJsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OTLPProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import type { Resource } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { CollectionResult, MetricProducer, PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { ATTR_SERVICE_INSTANCE_ID } from './conventions.js';
import { countingExporter, emptyExportHealth } from './counting-exporter.js';
import type { ExportHealth } from './counting-exporter.js';
import { collectModelMetrics, MetricBuilder } from './metric-data.js';
import type { ModelTelemetry } from './model-telemetry.js';
import type { ExportOptions, MonitorLogger } from './options.js';
import { RecordExport } from './record-export.js';
import { VERSION } from './version.js';

/** `service.instance.id` of this process unless the resource option or OTEL_RESOURCE_ATTRIBUTES gives one. */
export const PROCESS_INSTANCE_ID = randomUUID();

/** Instrumentation scope of everything the SDK exports. */
export const SCOPE = { name: '@driftwatch/instrument', version: VERSION } as const;

/** Concurrent OTLP requests allowed per pipeline (the periodic reader itself never overlaps exports). */
const CONCURRENCY_LIMIT = 2;

/**
 * One OTel metrics pipeline — MeterProvider → PeriodicExportingMetricReader → OTLP exporter — fed by a
 * MetricProducer that turns the driftwatch sketches of every attached model into cumulative data points.
 * Monitors with the same export options share one pipeline (one request per interval for all models).
 */
export class ExportPipeline {
  readonly key: string;
  readonly health: ExportHealth = emptyExportHealth();
  readonly #models = new Set<ModelTelemetry>();
  readonly #provider: MeterProvider;
  readonly #options: ExportOptions;
  readonly #logger: MonitorLogger;
  readonly #resource: Resource;
  #records: RecordExport | undefined;
  #shutdown: Promise<void> | undefined;

  constructor(key: string, options: ExportOptions, logger: MonitorLogger) {
    this.key = key;
    this.#options = options;
    this.#logger = logger;
    const resource = buildResource(options.resource);
    this.#resource = resource;
    const exporterConfig = {
      url: options.url,
      headers: { ...options.headers },
      timeoutMillis: options.exportTimeoutMillis,
      concurrencyLimit: CONCURRENCY_LIMIT,
      temporalityPreference: AggregationTemporalityPreference.CUMULATIVE,
    };
    const otlp: PushMetricExporter =
      options.protocol === 'http/json' ? new OTLPJsonMetricExporter(exporterConfig) : new OTLPProtoMetricExporter(exporterConfig);
    const producer: MetricProducer = { collect: () => Promise.resolve(this.#collect(resource)) };
    const reader = new PeriodicExportingMetricReader({
      exporter: countingExporter(otlp, this.health, logger, options.url),
      exportIntervalMillis: options.exportIntervalMillis,
      exportTimeoutMillis: options.exportTimeoutMillis,
      metricProducers: [producer],
    });
    this.#provider = new MeterProvider({ resource, readers: [reader] });
  }

  readonly #leaving = new Set<ModelTelemetry>();

  attach(model: ModelTelemetry): void {
    this.#models.add(model);
  }

  /**
   * The OTLP logs pipeline of sampled prediction records, created on first use (a monitor without
   * record sampling never creates it); undefined once the pipeline is shut down.
   */
  records(): RecordExport | undefined {
    if (this.#shutdown) return undefined;
    this.#records ??= new RecordExport(
      {
        url: this.#options.logsUrl,
        protocol: this.#options.protocol,
        headers: this.#options.headers,
        exportTimeoutMillis: this.#options.exportTimeoutMillis,
        maxQueueSize: this.#options.recordsMaxQueueSize,
        resource: this.#resource,
        scope: SCOPE,
      },
      this.#logger,
    );
    return this.#records;
  }

  /** Record export outcomes, when records were ever sampled through this pipeline. */
  get recordsHealth(): RecordExport['health'] | undefined {
    return this.#records?.health;
  }

  /**
   * Detaches a model that stopped recording (a retired version) after one more export that includes it,
   * without shutting the pipeline down.
   */
  async retire(model: ModelTelemetry): Promise<void> {
    if (!this.#models.has(model) || this.#leaving.has(model) || this.#shutdown) return;
    this.#leaving.add(model);
    try {
      await this.flush();
    } finally {
      this.#models.delete(model);
      this.#leaving.delete(model);
    }
  }

  /**
   * Detaches models (one monitor's arms and versions) after a final export that includes them; when no other
   * model stays, the pipeline shuts down (and `onEmpty` runs first, synchronously, so no new monitor joins a
   * closing pipeline). Resolves in bounded time even when the collector is down or hangs.
   */
  async leave(models: ModelTelemetry | readonly ModelTelemetry[], onEmpty: () => void): Promise<void> {
    const leaving = (Array.isArray(models) ? models : [models]).filter((m: ModelTelemetry) => this.#models.has(m) && !this.#leaving.has(m));
    if (leaving.length === 0) return this.#shutdown;
    for (const m of leaving) this.#leaving.add(m);
    if (this.#leaving.size === this.#models.size) {
      onEmpty();
      await this.shutdown();
    } else {
      await this.flush();
    }
    for (const m of leaving) {
      this.#models.delete(m);
      this.#leaving.delete(m);
    }
  }

  #collect(resource: Resource): CollectionResult {
    this.health.collections++;
    const builder = new MetricBuilder(hrTime());
    const errors: unknown[] = [];
    for (const model of this.#models) {
      try {
        model.features.finishInference();
        collectModelMetrics(model, builder);
      } catch (error) {
        errors.push(error);
        model.drops.drop('internal', error);
      }
    }
    const metrics = builder.build();
    return { resourceMetrics: { resource, scopeMetrics: metrics.length ? [{ scope: SCOPE, metrics }] : [] }, errors };
  }

  /** Collects and exports now; resolves (never rejects) within about twice the export timeout. */
  async flush(): Promise<void> {
    if (this.#shutdown) return this.#shutdown;
    const limit = 2 * this.#options.exportTimeoutMillis + 500;
    const flushes: Promise<unknown>[] = [this.#provider.forceFlush({ timeoutMillis: limit })];
    if (this.#records) flushes.push(this.#records.forceFlush(limit));
    await settleWithin(Promise.all(flushes), limit, () => this.#warn('flush', limit));
  }

  /** Final export, then stops the reader and the exporter; resolves (never rejects) in bounded time. Idempotent. */
  shutdown(): Promise<void> {
    const limit = 3 * this.#options.exportTimeoutMillis + 500;
    if (this.#shutdown === undefined) {
      const shutdowns: Promise<unknown>[] = [this.#provider.shutdown({ timeoutMillis: limit })];
      if (this.#records) shutdowns.push(this.#records.shutdown());
      this.#shutdown = settleWithin(Promise.all(shutdowns), limit, () => this.#warn('shutdown', limit));
    }
    return this.#shutdown;
  }

  #warn(what: string, limit: number): void {
    try {
      this.#logger.warn(`${what} did not complete within ${limit} ms (collector slow or down); giving up`);
    } catch {
      // ignore
    }
  }
}

/** Resolves when `promise` settles or after `millis`, whichever comes first; never rejects. */
function settleWithin(promise: Promise<unknown>, millis: number, onTimeout: () => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      onTimeout();
      resolve();
    }, millis);
    timer.unref();
    promise.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (error: unknown) => {
        clearTimeout(timer);
        diag.warn('@driftwatch/instrument: metrics pipeline reported an error', error);
        resolve();
      },
    );
  });
}

/**
 * OTel's default resource (service.name `unknown_service:node`, telemetry.sdk.*), then this process's
 * `service.instance.id`, then OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES, then the `resource` option.
 */
export function buildResource(attributes: ExportOptions['resource']): Resource {
  return defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_INSTANCE_ID]: PROCESS_INSTANCE_ID }))
    .merge(detectResources({ detectors: [envDetector] }))
    .merge(resourceFromAttributes({ ...attributes }));
}

const pipelines = new Map<string, ExportPipeline>();

/** The pipeline for these export options, created on first use and shared while models are attached. */
export function acquirePipeline(options: ExportOptions, logger: MonitorLogger): ExportPipeline {
  const key = pipelineKey(options);
  let pipeline = pipelines.get(key);
  if (pipeline === undefined) {
    pipeline = new ExportPipeline(key, options, logger);
    pipelines.set(key, pipeline);
  }
  return pipeline;
}

/** Detaches models from their pipeline after a final export (see {@link ExportPipeline.leave}). */
export function releasePipeline(pipeline: ExportPipeline, models: ModelTelemetry | readonly ModelTelemetry[]): Promise<void> {
  return pipeline.leave(models, () => {
    if (pipelines.get(pipeline.key) === pipeline) pipelines.delete(pipeline.key);
  });
}

function pipelineKey(o: ExportOptions): string {
  const sorted = (r: Readonly<Record<string, unknown>>): [string, unknown][] => Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([o.url, o.logsUrl, o.protocol, o.exportIntervalMillis, o.exportTimeoutMillis, o.recordsMaxQueueSize, sorted(o.resource), sorted(o.headers)]);
}
