import { ExponentialHistogram } from '@driftwatch/stats';
import { ValueType } from '@opentelemetry/api';
import type { HrTime } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { METRICS } from './conventions.js';
import { MetricBuilder, toOtelExponentialHistogram } from './metric-data.js';

const start: HrTime = [1, 0];
const end: HrTime = [2, 0];

describe('MetricBuilder', () => {
  it('groups points by metric name, skips empty ones, and marks everything cumulative', () => {
    const b = new MetricBuilder(end);
    b.sum(METRICS.calls, start, { m: 'a' }, 3);
    b.sum(METRICS.calls, start, { m: 'b' }, 0); // skipped
    b.sum(METRICS.calls, start, { m: 'c' }, 2);
    b.sumAlways(METRICS.kpi, start, { m: 'a' }, 0);
    b.exponentialHistogram(METRICS.featureValue, start, { f: 'x' }, new ExponentialHistogram()); // empty: skipped
    b.exponentialHistogram(METRICS.featureValue, start, { f: 'y' }, null);
    b.histogram(METRICS.duration, start, {}, { buckets: { boundaries: [1], counts: [0, 0] }, count: 0, sum: 0 });
    const out = b.build();
    expect(out.map((m) => [m.descriptor.name, m.dataPoints.length])).toEqual([
      ['ml.model.calls', 2],
      ['ml.model.kpi', 1],
    ]);
    const calls = out[0];
    expect(calls?.dataPointType).toBe(DataPointType.SUM);
    expect(calls?.aggregationTemporality).toBe(AggregationTemporality.CUMULATIVE);
    expect(calls?.descriptor.valueType).toBe(ValueType.INT);
    expect(calls?.descriptor.unit).toBe('{call}');
    expect(out[1]?.descriptor.valueType).toBe(ValueType.DOUBLE);
    expect(calls?.dataPoints[0]).toEqual({ startTime: start, endTime: end, attributes: { m: 'a' }, value: 3 });
  });

  it('snapshots an exponential histogram (later records do not change an exported point)', () => {
    const h = new ExponentialHistogram();
    h.recordMany([-4, 0, 0.5, 1e6]);
    const snap = toOtelExponentialHistogram(h);
    const d = h.toData();
    expect(snap).toEqual({ count: 4, sum: d.sum, scale: d.scale, zeroCount: 1, positive: d.positive, negative: d.negative, min: -4, max: 1e6 });
    h.record(5);
    expect(snap.count).toBe(4);
    expect(snap.positive).toEqual(d.positive);
  });
});
