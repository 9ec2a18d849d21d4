import { describe, expect, it } from 'vitest';
import { createAttributes } from './attributes.js';
import { decodeMetricsJson } from './decode-metrics-json.js';
import { decodeMetricsProtobuf } from './decode-metrics-protobuf.js';
import { encodeMetricsJson } from './encode-metrics-json.js';
import { encodeMetricsProtobuf } from './encode-metrics-protobuf.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import { sampleMetricsRequest } from './sample-requests.js';
import type { Metric } from './types.js';

/** Wraps metric JSON objects into a request at resourceMetrics[0].scopeMetrics[0].metrics[i]. */
function request(...metrics: unknown[]): string {
  return JSON.stringify({ resourceMetrics: [{ resource: {}, scopeMetrics: [{ scope: {}, metrics }] }] });
}

function metrics(text: string): Metric[] {
  return decodeMetricsJson(text).resourceMetrics[0]!.scopeMetrics[0]!.metrics;
}

function decodeError(text: string): OtlpDecodeError {
  try {
    decodeMetricsJson(text);
  } catch (err) {
    expect(err).toBeInstanceOf(OtlpDecodeError);
    return err as OtlpDecodeError;
  }
  throw new Error('expected an OtlpDecodeError');
}

const expoPoint = {
  attributes: [{ key: 'ml.feature.name', value: { stringValue: 'age' } }],
  startTimeUnixNano: '1700000000000000000',
  timeUnixNano: '1700000060000000001',
  count: '12',
  sum: 3.5,
  scale: 2,
  zeroCount: '1',
  positive: { offset: -3, bucketCounts: ['4', '5'] },
  negative: { bucketCounts: ['2'] },
  min: -1,
  max: 9,
};

describe('decodeMetricsJson', () => {
  it('round-trips every metric data type and AnyValue kind', () => {
    const req = sampleMetricsRequest();
    expect(decodeMetricsJson(encodeMetricsJson(req))).toStrictEqual(req);
  });

  it('decodes to the same request as the protobuf form', () => {
    const req = sampleMetricsRequest();
    expect(decodeMetricsJson(encodeMetricsJson(req))).toStrictEqual(decodeMetricsProtobuf(encodeMetricsProtobuf(req)));
  });

  it('accepts 64-bit integers as decimal strings and as numbers', () => {
    const asNumbers = {
      ...expoPoint,
      startTimeUnixNano: 1700000000000000000,
      timeUnixNano: 1700000060000000000,
      count: 12,
      zeroCount: 1,
      positive: { offset: -3, bucketCounts: [4, 5] },
      negative: { bucketCounts: [2] },
    };
    const [fromStrings, fromNumbers] = metrics(
      request({ name: 'a', exponentialHistogram: { aggregationTemporality: 2, dataPoints: [expoPoint] } }, { name: 'b', exponentialHistogram: { dataPoints: [asNumbers] } }),
    ) as [Metric, Metric];
    if (fromStrings.data.type !== 'exponentialHistogram' || fromNumbers.data.type !== 'exponentialHistogram') throw new Error('wrong type');
    const s = fromStrings.data.points[0]!;
    const n = fromNumbers.data.points[0]!;
    expect(s.timeUnixNano).toBe(1700000060000000001n); // exact from a string
    expect(n.timeUnixNano).toBe(1700000060000000000n); // a JSON number is taken as the double it parses to
    expect(s.startTimeUnixNano).toBe(n.startTimeUnixNano);
    expect([s.count, s.zeroCount, s.positive, s.negative]).toEqual([n.count, n.zeroCount, n.positive, n.negative]);
    expect(s.positive).toEqual({ offset: -3, bucketCounts: [4, 5] });
    expect(s.negative).toEqual({ offset: 0, bucketCounts: [2] });
    expect(fromStrings.data.temporality).toBe(2);
    expect(fromNumbers.data.temporality).toBe(0);
  });

  it('decodes asInt and intValue from strings or numbers, exactly beyond 2^53', () => {
    const [m] = metrics(
      request({
        name: 'g',
        gauge: {
          dataPoints: [
            {
              asInt: '-17',
              attributes: [
                { key: 'n', value: { intValue: 7 } },
                { key: 's', value: { intValue: '-8' } },
                { key: 'big', value: { intValue: '9223372036854775807' } },
                { key: 'small', value: { intValue: '-9223372036854775808' } },
              ],
            },
            { asInt: 23 },
            { asDouble: 'NaN' },
            { asDouble: '-Infinity' },
            { asDouble: '2.5' },
          ],
        },
      }),
    ) as [Metric];
    if (m.data.type !== 'gauge') throw new Error('wrong type');
    expect(m.data.points.map((p) => p.value)).toEqual([-17, 23, NaN, -Infinity, 2.5]);
    expect(m.data.points[0]!.attributes).toEqual(createAttributes({ n: 7, s: -8, big: 9223372036854775807n, small: -9223372036854775808n }));
  });

  it('ignores unknown keys (and snake_case spellings) at every level', () => {
    const text = JSON.stringify({
      extra: { anything: [1, 2] },
      resourceMetrics: [
        {
          schemaUrl: 'https://x',
          unknown: 1,
          resource: { attributes: [{ key: 'k', value: { stringValue: 'v', futureField: 1 }, other: true }], droppedAttributesCount: 3, entityRefs: [] },
          scope_metrics: [{ metrics: [{ name: 'ignored' }] }],
          scopeMetrics: [
            {
              scope: { name: 's', version: '1', newField: {} },
              metrics: [
                {
                  name: 'm',
                  metadata: [{ key: 'a', value: { stringValue: 'b' } }],
                  sum: { dataPoints: [{ asDouble: 1, exemplars: [{ asDouble: 5 }], newField: 'x' }], isMonotonic: true, aggregationTemporality: 1, futureFlag: true },
                },
              ],
            },
          ],
        },
      ],
    });
    const decoded = decodeMetricsJson(text);
    expect(decoded.resourceMetrics[0]!.resource.attributes).toEqual(createAttributes({ k: 'v' }));
    expect(decoded.resourceMetrics[0]!.scopeMetrics).toHaveLength(1);
    const m = decoded.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!;
    expect(m.data).toEqual({
      type: 'sum',
      temporality: 1,
      isMonotonic: true,
      points: [{ attributes: createAttributes(), startTimeUnixNano: 0n, timeUnixNano: 0n, value: 1, flags: 0 }],
    });
  });

  it('takes null as the default value and accepts enum names leniently', () => {
    const [m] = metrics(
      request({ name: 'h', description: null, histogram: { aggregationTemporality: 'AGGREGATION_TEMPORALITY_DELTA', dataPoints: [{ count: null, sum: null, bucketCounts: null, min: 0 }] } }),
    ) as [Metric];
    expect(m.description).toBe('');
    if (m.data.type !== 'histogram') throw new Error('wrong type');
    expect(m.data.temporality).toBe(1);
    expect(m.data.points[0]).toMatchObject({ count: 0, sum: undefined, bucketCounts: [], explicitBounds: [], min: 0, max: undefined });
  });

  it('keeps __proto__ and constructor keys as plain data', () => {
    const text = request({
      name: 'g',
      gauge: {
        dataPoints: [
          {
            asDouble: 1,
            attributes: [
              { key: '__proto__', value: { kvlistValue: { values: [{ key: '__proto__', value: { stringValue: 'inner' } }] } } },
              { key: 'constructor', value: { stringValue: 'c' } },
            ],
          },
        ],
      },
    });
    const [m] = metrics(text) as [Metric];
    if (m.data.type !== 'gauge') throw new Error('wrong type');
    const attrs = m.data.points[0]!.attributes;
    expect(Object.getPrototypeOf(attrs)).toBeNull();
    expect(Object.keys(attrs)).toEqual(['__proto__', 'constructor']);
    const inner = attrs['__proto__'] as Record<string, unknown>;
    expect(Object.getPrototypeOf(inner)).toBeNull();
    expect(inner['__proto__']).toBe('inner');
    expect(({} as Record<string, unknown>).inner).toBeUndefined();
  });

  it('decodes bytesValue from standard and URL-safe base64', () => {
    const [m] = metrics(
      request({
        name: 'g',
        gauge: {
          dataPoints: [
            {
              attributes: [
                { key: 'std', value: { bytesValue: '+/8=' } },
                { key: 'url', value: { bytesValue: '-_8' } },
                { key: 'empty', value: { bytesValue: '' } },
              ],
            },
          ],
        },
      }),
    ) as [Metric];
    if (m.data.type !== 'gauge') throw new Error('wrong type');
    expect(m.data.points[0]!.attributes).toEqual(createAttributes({ std: new Uint8Array([0xfb, 0xff]), url: new Uint8Array([0xfb, 0xff]), empty: new Uint8Array(0) }));
  });

  it('ignores a leading byte-order mark', () => {
    expect(decodeMetricsJson('\uFEFF{"resourceMetrics":[]}')).toEqual({ resourceMetrics: [] });
  });

  describe('rejects malformed input with OtlpDecodeError and a path', () => {
    const at = 'resourceMetrics[0].scopeMetrics[0].metrics[0]';

    it('text that is not JSON, or not an object', () => {
      expect(decodeError('{"resourceMetrics": [').reason).toMatch(/^invalid JSON: /);
      expect(decodeError('[]').reason).toBe('the request must be a JSON object');
      expect(decodeError('null').reason).toBe('the request must be a JSON object');
    });

    it('values of the wrong type', () => {
      expect(decodeError('{"resourceMetrics": {}}').message).toBe('resourceMetrics: expected an array, got an object');
      expect(decodeError(request({ name: 5 })).message).toBe(`${at}.name: expected a string, got 5`);
      expect(decodeError(request({ name: 'm', gauge: { dataPoints: [{}, { timeUnixNano: 'soon' }] } })).message).toBe(
        `${at}.gauge.dataPoints[1].timeUnixNano: expected a uint64 (decimal string or number), got "soon"`,
      );
      expect(decodeError(request({ name: 'm', gauge: { dataPoints: [{ asDouble: true }] } })).message).toBe(
        `${at}.gauge.dataPoints[0].asDouble: expected a number, got true`,
      );
      expect(decodeError(request({ name: 'm', sum: { isMonotonic: 'yes' } })).message).toBe(`${at}.sum.isMonotonic: expected a boolean, got "yes"`);
      expect(decodeError(request({ name: 'm', exponentialHistogram: { dataPoints: [{ positive: { bucketCounts: ['1', '-2'] } }] } })).message).toBe(
        `${at}.exponentialHistogram.dataPoints[0].positive.bucketCounts[1]: expected a uint64 (decimal string or number), got "-2"`,
      );
      expect(
        decodeError(request({ name: 'm', gauge: { dataPoints: [{ attributes: [{ key: 'k', value: { arrayValue: { values: [{ boolValue: 1 }] } } }] }] } })).message,
      ).toBe(`${at}.gauge.dataPoints[0].attributes[0].value.arrayValue.values[0].boolValue: expected a boolean, got 1`);
    });

    it('integers out of range or not integral', () => {
      expect(decodeError(request({ name: 'm', histogram: { dataPoints: [{ count: '18446744073709551616' }] } })).reason).toBe(
        '18446744073709551616 is out of the uint64 range',
      );
      expect(decodeError(request({ name: 'm', exponentialHistogram: { dataPoints: [{ scale: 2147483648 }] } })).reason).toBe('2147483648 is out of the int32 range');
      expect(decodeError(request({ name: 'm', gauge: { dataPoints: [{ asInt: 1.5 }] } })).reason).toBe('expected an integer, got 1.5');
      expect(decodeError(request({ name: 'm', gauge: { dataPoints: [{ flags: -1 }] } })).reason).toBe('-1 is out of the uint32 range');
    });

    it('two members of a oneof', () => {
      expect(decodeError(request({ name: 'm', gauge: {}, sum: {} })).message).toBe(`${at}: metric has both gauge and sum set`);
      expect(decodeError(request({ name: 'm', gauge: { dataPoints: [{ asInt: 1, asDouble: 1 }] } })).message).toBe(
        `${at}.gauge.dataPoints[0]: data point has both asDouble and asInt set`,
      );
      expect(decodeError(request({ name: 'm', gauge: { dataPoints: [{ attributes: [{ key: 'k', value: { stringValue: 'a', intValue: 1 } }] }] } })).message).toBe(
        `${at}.gauge.dataPoints[0].attributes[0].value: AnyValue has both stringValue and intValue set`,
      );
    });

    it('bad base64 and too deep AnyValue nesting', () => {
      expect(decodeError(request({ name: 'm', gauge: { dataPoints: [{ attributes: [{ key: 'k', value: { bytesValue: 'a$b=' } }] }] } })).reason).toBe(
        'expected a base64 string, got "a$b="',
      );
      let value: unknown = { stringValue: 'leaf' };
      for (let i = 0; i < 33; i++) value = { arrayValue: { values: [value] } };
      const err = decodeError(request({ name: 'm', gauge: { dataPoints: [{ attributes: [{ key: 'k', value }] }] } }));
      expect(err.reason).toBe('AnyValue nested deeper than 32 levels');
    });
  });
});
