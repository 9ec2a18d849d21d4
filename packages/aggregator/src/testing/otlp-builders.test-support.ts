import type { Attributes, ExponentialHistogramDataPoint, ExportMetricsServiceRequest, Metric, NumberDataPoint } from '@driftwatch/otlp';
import type { ExponentialHistogram } from '@driftwatch/stats';

/** Test helpers building decoded OTLP metrics requests (what the receiver hands to the aggregator). */
export const CUMULATIVE = 2 as const;
export const DELTA = 1 as const;

export interface PointTimes {
  start?: bigint;
  time: bigint;
}

export function attrs(values: Record<string, string>): Attributes {
  const out = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(values)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

export function numberPoint(attributes: Record<string, string>, value: number, t: PointTimes): NumberDataPoint {
  return { attributes: attrs(attributes), startTimeUnixNano: t.start ?? 1n, timeUnixNano: t.time, value, flags: 0 };
}

export function sum(name: string, points: NumberDataPoint[], temporality: 1 | 2 = CUMULATIVE): Metric {
  return { name, description: '', unit: '', data: { type: 'sum', points, temporality, isMonotonic: true } };
}

export function expPoint(attributes: Record<string, string>, h: ExponentialHistogram, t: PointTimes): ExponentialHistogramDataPoint {
  const d = h.toData();
  return {
    attributes: attrs(attributes),
    startTimeUnixNano: t.start ?? 1n,
    timeUnixNano: t.time,
    count: d.count,
    sum: d.sum,
    scale: d.scale,
    zeroCount: d.zeroCount,
    zeroThreshold: d.zeroThreshold,
    positive: { offset: d.positive.offset, bucketCounts: [...d.positive.bucketCounts] },
    negative: { offset: d.negative.offset, bucketCounts: [...d.negative.bucketCounts] },
    ...(d.min === undefined ? {} : { min: d.min }),
    ...(d.max === undefined ? {} : { max: d.max }),
    flags: 0,
  };
}

export function expHistogram(name: string, points: ExponentialHistogramDataPoint[], temporality: 1 | 2 = CUMULATIVE): Metric {
  return { name, description: '', unit: '', data: { type: 'exponentialHistogram', points, temporality } };
}

export function request(resource: Record<string, string>, metrics: Metric[]): ExportMetricsServiceRequest {
  return { resourceMetrics: [{ resource: { attributes: attrs(resource) }, scopeMetrics: [{ scope: { name: 'test', version: '', attributes: attrs({}) }, metrics }] }] };
}

export const MODEL = { 'ml.model.name': 'churn', 'ml.model.version': '3' } as const;
export const RESOURCE = { 'service.name': 'churn-api', 'service.instance.id': 'i-1' } as const;
