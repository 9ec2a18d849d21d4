import type { CategoryCounts, ExponentialHistogram } from '@driftwatch/stats';
import { ValueType } from '@opentelemetry/api';
import type { Attributes, HrTime } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import type {
  DataPoint,
  ExponentialHistogram as OtelExponentialHistogram,
  Histogram as OtelHistogram,
  MetricData,
} from '@opentelemetry/sdk-metrics';
import {
  ATTR_ERROR_TYPE,
  ATTR_FEATURE_CATEGORY,
  ATTR_FEEDBACK_REASON,
  ATTR_KPI_NAME,
  ATTR_LABEL_ACTUAL,
  ATTR_LABEL_PREDICTED,
  ATTR_MISSING_REASON,
  ATTR_OUTPUT_CLASS,
  ATTR_OUTPUT_NAME,
  ATTR_SHADOW_OUTCOME,
  METRICS,
  OUTPUT_SCORE,
  OUTPUT_VALUE,
} from './conventions.js';
import type { MetricDefinition } from './conventions.js';
import type { ModelTelemetry } from './model-telemetry.js';

interface PendingMetric {
  readonly definition: MetricDefinition;
  readonly points: DataPoint<unknown>[];
}

/**
 * Collects cumulative data points of the driftwatch metrics, grouped by metric name so that several models
 * exported together share one OTLP Metric per name. Points with nothing in them (a zero count) are left out.
 */
export class MetricBuilder {
  readonly #metrics = new Map<string, PendingMetric>();
  readonly #endTime: HrTime;

  constructor(endTime: HrTime) {
    this.#endTime = endTime;
  }

  #push(definition: MetricDefinition, startTime: HrTime, attributes: Attributes, value: unknown): void {
    let m = this.#metrics.get(definition.name);
    if (m === undefined) {
      m = { definition, points: [] };
      this.#metrics.set(definition.name, m);
    }
    m.points.push({ startTime, endTime: this.#endTime, attributes, value });
  }

  /** A monotonic Sum point; skipped while the value is 0. */
  sum(definition: MetricDefinition, startTime: HrTime, attributes: Attributes, value: number): void {
    if (value !== 0) this.#push(definition, startTime, attributes, value);
  }

  /** A monotonic Sum point even when its value is 0 (for sums whose presence carries meaning). */
  sumAlways(definition: MetricDefinition, startTime: HrTime, attributes: Attributes, value: number): void {
    this.#push(definition, startTime, attributes, value);
  }

  /** An ExponentialHistogram point from a stats sketch; skipped while empty. */
  exponentialHistogram(definition: MetricDefinition, startTime: HrTime, attributes: Attributes, histogram: ExponentialHistogram | null): void {
    if (histogram === null || histogram.count === 0) return;
    this.#push(definition, startTime, attributes, toOtelExponentialHistogram(histogram));
  }

  /** An explicit-bucket Histogram point; skipped while empty. */
  histogram(definition: MetricDefinition, startTime: HrTime, attributes: Attributes, value: OtelHistogram): void {
    if (value.count !== 0) this.#push(definition, startTime, attributes, value);
  }

  /** The SDK's MetricData, one per metric name, all cumulative. */
  build(): MetricData[] {
    const out: MetricData[] = [];
    for (const { definition: d, points } of this.#metrics.values()) {
      const descriptor = {
        name: d.name,
        description: d.description,
        unit: d.unit,
        valueType: d.valueType === 'double' || d.kind !== 'sum' ? ValueType.DOUBLE : ValueType.INT,
      };
      const aggregationTemporality = AggregationTemporality.CUMULATIVE;
      switch (d.kind) {
        case 'sum':
          out.push({ descriptor, aggregationTemporality, dataPointType: DataPointType.SUM, isMonotonic: true, dataPoints: points as DataPoint<number>[] });
          break;
        case 'histogram':
          out.push({ descriptor, aggregationTemporality, dataPointType: DataPointType.HISTOGRAM, dataPoints: points as DataPoint<OtelHistogram>[] });
          break;
        case 'exponentialHistogram':
          out.push({
            descriptor,
            aggregationTemporality,
            dataPointType: DataPointType.EXPONENTIAL_HISTOGRAM,
            dataPoints: points as DataPoint<OtelExponentialHistogram>[],
          });
          break;
      }
    }
    return out;
  }
}

/** A snapshot (copied arrays) of a stats exponential histogram in the SDK's point shape. */
export function toOtelExponentialHistogram(histogram: ExponentialHistogram): OtelExponentialHistogram {
  const d = histogram.toData();
  return {
    count: d.count,
    sum: d.sum,
    scale: d.scale,
    zeroCount: d.zeroCount,
    positive: { offset: d.positive.offset, bucketCounts: [...d.positive.bucketCounts] },
    negative: { offset: d.negative.offset, bucketCounts: [...d.negative.bucketCounts] },
    min: d.min,
    max: d.max,
  };
}

const withAttribute = (base: Attributes, key: string, value: string): Attributes => ({ ...base, [key]: value });

function categoryPoints(b: MetricBuilder, definition: MetricDefinition, start: HrTime, base: Attributes, key: string, counts: CategoryCounts | null): void {
  if (counts === null) return;
  for (const [category, count] of counts.entries()) b.sum(definition, start, withAttribute(base, key, category), count);
}

/** Adds every metric of one model to the builder (cumulative since `telemetry.startTime`). */
export function collectModelMetrics(telemetry: ModelTelemetry, b: MetricBuilder): void {
  const start = telemetry.startTime;
  const model = telemetry.attributes;

  b.sum(METRICS.calls, start, model, telemetry.calls);
  b.sum(METRICS.predictions, start, model, telemetry.predictions);
  for (const [type, count] of telemetry.errors.entries()) b.sum(METRICS.errors, start, withAttribute(model, ATTR_ERROR_TYPE, type), count.value);
  const l = telemetry.latency;
  b.histogram(METRICS.duration, start, model, {
    buckets: { boundaries: [...l.bounds], counts: Array.from(l.counts) },
    count: l.count,
    sum: l.sumSeconds,
    min: l.count > 0 ? l.minSeconds : undefined,
    max: l.count > 0 ? l.maxSeconds : undefined,
  });

  for (const slot of telemetry.features.slots) {
    b.exponentialHistogram(METRICS.featureValue, start, slot.attributes, slot.histogram);
    categoryPoints(b, METRICS.featureCategory, start, slot.attributes, ATTR_FEATURE_CATEGORY, slot.categories);
    b.sum(METRICS.featureMissing, start, withAttribute(slot.attributes, ATTR_MISSING_REASON, 'missing'), slot.missing);
    b.sum(METRICS.featureMissing, start, withAttribute(slot.attributes, ATTR_MISSING_REASON, 'null'), slot.nulls);
    b.sum(METRICS.featureMissing, start, withAttribute(slot.attributes, ATTR_MISSING_REASON, 'nan'), slot.nans);
    b.sum(METRICS.featureMissing, start, withAttribute(slot.attributes, ATTR_MISSING_REASON, 'type_mismatch'), slot.typeMismatches);
  }

  const o = telemetry.outputs;
  b.exponentialHistogram(METRICS.outputValue, start, withAttribute(model, ATTR_OUTPUT_NAME, OUTPUT_SCORE), o.scores);
  b.exponentialHistogram(METRICS.outputValue, start, withAttribute(model, ATTR_OUTPUT_NAME, OUTPUT_VALUE), o.values);
  for (const [name, h] of o.probabilities.entries()) b.exponentialHistogram(METRICS.outputValue, start, withAttribute(model, ATTR_OUTPUT_NAME, name), h);
  categoryPoints(b, METRICS.outputClass, start, model, ATTR_OUTPUT_CLASS, o.classes);

  const f = telemetry.feedback;
  const p = telemetry.pending;
  b.sum(METRICS.feedbackLabels, start, model, f.labels);
  b.sum(METRICS.feedbackUnmatched, start, withAttribute(model, ATTR_FEEDBACK_REASON, 'unknown_id'), f.unmatchedUnknownId);
  b.sum(METRICS.feedbackEvictions, start, withAttribute(model, ATTR_FEEDBACK_REASON, 'size'), p.evictedBySize);
  b.sum(METRICS.feedbackEvictions, start, withAttribute(model, ATTR_FEEDBACK_REASON, 'ttl'), p.evictedByTtl);
  for (const [actual, row] of f.confusion.entries()) {
    for (const [predicted, count] of row.entries()) {
      b.sum(METRICS.feedbackConfusion, start, { ...model, [ATTR_LABEL_ACTUAL]: actual, [ATTR_LABEL_PREDICTED]: predicted }, count.value);
    }
  }
  for (const [actual, h] of f.scoreByLabel.entries()) b.exponentialHistogram(METRICS.feedbackScore, start, withAttribute(model, ATTR_LABEL_ACTUAL, actual), h);
  b.exponentialHistogram(METRICS.feedbackAbsoluteError, start, model, f.absoluteError);
  if (f.absoluteError !== null && f.absoluteError.count > 0) {
    // pushed even when 0 (perfect predictions), so RMSE can be computed whenever MAE can
    b.sumAlways(METRICS.feedbackSquaredError, start, model, f.squaredErrorSum);
  }

  for (const [name, k] of telemetry.kpis.kpis.entries()) {
    const attributes = withAttribute(model, ATTR_KPI_NAME, name);
    if (k.events > 0) b.sumAlways(METRICS.kpi, start, attributes, k.sum);
    b.sum(METRICS.kpiEvents, start, attributes, k.events);
    b.exponentialHistogram(METRICS.kpiValue, start, attributes, k.values);
  }

  const c = telemetry.comparisons;
  if (c !== undefined) {
    b.sum(METRICS.shadowComparisons, start, withAttribute(model, ATTR_SHADOW_OUTCOME, 'agree'), c.agree);
    b.sum(METRICS.shadowComparisons, start, withAttribute(model, ATTR_SHADOW_OUTCOME, 'disagree'), c.disagree);
    b.exponentialHistogram(METRICS.shadowDifference, start, model, c.difference);
    b.sum(METRICS.shadowDropped, start, model, c.dropped);
  }
}
