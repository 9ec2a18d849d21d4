import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { MonitorLogger } from './options.js';

/** Export outcomes seen by one pipeline. */
export interface ExportHealth {
  /** collections made by the reader (each becomes one export unless an earlier one is still running) */
  collections: number;
  succeeded: number;
  /** failed exports: collector down, timed out, HTTP 4xx/5xx, retries exhausted, concurrency limit */
  failed: number;
  /** failures since the last success */
  consecutiveFailures: number;
  lastError: string | undefined;
}

export function emptyExportHealth(): ExportHealth {
  return { collections: 0, succeeded: 0, failed: 0, consecutiveFailures: 0, lastError: undefined };
}

/**
 * The outcome counter shared by the metrics and the logs exporter wrappers: counts each export result in
 * `health` and reports failures through the logger (the first failure after a success, every 100th
 * consecutive failure, and the recovery). `consequence` says what a failure means for the data.
 */
export function exportOutcomeCounter(health: ExportHealth, logger: MonitorLogger, what: string, url: string, consequence: string): (result: ExportResult) => void {
  return (result: ExportResult): void => {
    if (result.code === ExportResultCode.SUCCESS) {
      if (health.consecutiveFailures > 0) safeLog(logger, `${what} export to ${url} recovered after ${health.consecutiveFailures} failed exports`);
      health.succeeded++;
      health.consecutiveFailures = 0;
      return;
    }
    health.failed++;
    health.consecutiveFailures++;
    health.lastError = result.error ? `${result.error.name}: ${result.error.message}` : 'unknown error';
    if (health.consecutiveFailures === 1 || health.consecutiveFailures % 100 === 0) {
      safeLog(
        logger,
        `${what} export to ${url} failed (${health.lastError}); ${health.consecutiveFailures} consecutive failures, ${health.failed} in total. ${consequence}`,
      );
    }
  };
}

/**
 * Wraps an OTLP exporter to count outcomes in `health` and report failures through the logger: the first
 * failure after a success, every 100th consecutive failure, and the recovery. Batching, retries and timeouts
 * stay the wrapped exporter's.
 */
export function countingExporter(inner: PushMetricExporter, health: ExportHealth, logger: MonitorLogger, url: string): PushMetricExporter {
  const onResult = exportOutcomeCounter(health, logger, 'metrics', url, 'Values are cumulative, so the next successful export carries them.');
  const wrapped: PushMetricExporter = {
    export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
      let called = false;
      const done = (result: ExportResult): void => {
        if (called) return;
        called = true;
        onResult(result);
        resultCallback(result);
      };
      try {
        inner.export(metrics, done);
      } catch (error) {
        done({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
      }
    },
    forceFlush: () => inner.forceFlush(),
    shutdown: () => inner.shutdown(),
  };
  if (inner.selectAggregationTemporality) wrapped.selectAggregationTemporality = inner.selectAggregationTemporality.bind(inner);
  if (inner.selectAggregation) wrapped.selectAggregation = inner.selectAggregation.bind(inner);
  return wrapped;
}

export function safeLog(logger: MonitorLogger, message: string): void {
  try {
    logger.warn(message);
  } catch {
    // ignore a throwing logger
  }
}
