// Test support (not part of the public API): decoding what the test receiver got on /v1/metrics.
import { decodeMetricsJson, decodeMetricsProtobuf } from '@driftwatch/otlp';
import type { ExponentialHistogramDataPoint, ExportMetricsServiceRequest, HistogramDataPoint, NumberDataPoint } from '@driftwatch/otlp';
import type { ReceivedRequest, TestReceiver } from './otlp-test-receiver.test-support.js';

export type AnyPoint = NumberDataPoint | HistogramDataPoint | ExponentialHistogramDataPoint;

export function decodeMetrics(r: ReceivedRequest): ExportMetricsServiceRequest {
  return r.contentType.includes('json') ? decodeMetricsJson(new TextDecoder().decode(r.body)) : decodeMetricsProtobuf(r.body);
}

/** The points of metric `name` in the last metrics request the receiver got. */
export function lastPoints(r: TestReceiver, name: string): AnyPoint[] {
  const requests = r.requests.filter((q) => q.path === '/v1/metrics');
  const last = requests[requests.length - 1];
  if (last === undefined) return [];
  const out: AnyPoint[] = [];
  for (const rm of decodeMetrics(last).resourceMetrics) {
    for (const sm of rm.scopeMetrics) {
      for (const m of sm.metrics) {
        if (m.name !== name) continue;
        if (m.data.type === 'sum' || m.data.type === 'histogram' || m.data.type === 'exponentialHistogram') out.push(...m.data.points);
      }
    }
  }
  return out;
}

/** The points of `name` whose attributes include all of `match`. */
export function pointsWith(r: TestReceiver, name: string, match: Readonly<Record<string, string>>): AnyPoint[] {
  return lastPoints(r, name).filter((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v));
}

/** The value of the one Sum point of `name` matching `match` (0 when there is none: zero sums are not sent). */
export function sumValue(r: TestReceiver, name: string, match: Readonly<Record<string, string>>): number {
  const found = pointsWith(r, name, match) as NumberDataPoint[];
  if (found.length > 1) throw new Error(`${found.length} points of ${name} match ${JSON.stringify(match)}`);
  return found[0]?.value ?? 0;
}
