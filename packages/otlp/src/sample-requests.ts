import { createAttributes } from './attributes.js';
import type { ExportLogsServiceRequest, ExportMetricsServiceRequest } from './types.js';

const START = 1_700_000_000_000_000_000n;
const TIME = 1_700_000_060_123_456_789n;

/**
 * An `ExportMetricsServiceRequest` with every metric data type and every AnyValue kind, shaped like what the
 * decoders return (so `decode(encode(sampleMetricsRequest()))` equals it). For tests and benches.
 */
export function sampleMetricsRequest(): ExportMetricsServiceRequest {
  const model = { 'ml.model.name': 'churn', 'ml.model.version': '3' };
  return {
    resourceMetrics: [
      {
        resource: {
          attributes: createAttributes({
            'service.name': 'churn-api',
            'service.instance.id': 'pod-7f9c',
            'host.cpu.count': 8,
            'deployment.canary': false,
            'process.runtime.ratio': 0.25,
            'huge.int': 9_007_199_254_740_993n,
            'negative.int': -42,
            'raw.bytes': new Uint8Array([0, 1, 254, 255]),
            'list.value': ['a', 1, 2.5, true, null],
            'map.value': createAttributes({ nested: createAttributes({ deep: ['x'] }), empty: null }),
            ['__proto__']: 'plain data',
            constructor: 'also plain',
          }),
        },
        scopeMetrics: [
          {
            scope: { name: '@driftwatch/instrument', version: '0.1.0', attributes: createAttributes({ 'scope.kind': 'sdk' }) },
            metrics: [
              {
                name: 'ml.model.calls',
                description: 'calls of the wrapped function',
                unit: '{call}',
                data: {
                  type: 'sum',
                  temporality: 2,
                  isMonotonic: true,
                  points: [{ attributes: createAttributes(model), startTimeUnixNano: START, timeUnixNano: TIME, value: 1234, flags: 0 }],
                },
              },
              {
                name: 'ml.model.temperature',
                description: '',
                unit: 'Cel',
                data: {
                  type: 'gauge',
                  points: [
                    { attributes: createAttributes(model), startTimeUnixNano: 0n, timeUnixNano: TIME, value: -3.75, flags: 0 },
                    { attributes: createAttributes({}), startTimeUnixNano: 0n, timeUnixNano: TIME, value: 0, flags: 1 },
                  ],
                },
              },
              {
                name: 'ml.model.duration',
                description: 'wall time of each call',
                unit: 's',
                data: {
                  type: 'histogram',
                  temporality: 1,
                  points: [
                    {
                      attributes: createAttributes(model),
                      startTimeUnixNano: START,
                      timeUnixNano: TIME,
                      count: 10,
                      sum: 1.5,
                      bucketCounts: [1, 0, 4, 5],
                      explicitBounds: [0.01, 0.1, 1],
                      min: 0.001,
                      max: 2.5,
                      flags: 0,
                    },
                    {
                      attributes: createAttributes(model),
                      startTimeUnixNano: START,
                      timeUnixNano: TIME,
                      count: 0,
                      sum: undefined,
                      bucketCounts: [],
                      explicitBounds: [],
                      min: undefined,
                      max: undefined,
                      flags: 0,
                    },
                  ],
                },
              },
              {
                name: 'ml.model.feature.value',
                description: '',
                unit: '1',
                data: {
                  type: 'exponentialHistogram',
                  temporality: 2,
                  points: [
                    {
                      attributes: createAttributes({ ...model, 'ml.feature.name': 'age' }),
                      startTimeUnixNano: START,
                      timeUnixNano: TIME,
                      count: 2 ** 40 + 7,
                      sum: -12.5,
                      scale: -3,
                      zeroCount: 2,
                      zeroThreshold: 1e-9,
                      positive: { offset: -5, bucketCounts: [1, 127, 128, 300, 2 ** 31, 2 ** 40] },
                      negative: { offset: 2, bucketCounts: [0, 3] },
                      min: -7,
                      max: 1e300,
                      flags: 0,
                    },
                    {
                      attributes: createAttributes({ ...model, 'ml.feature.name': 'score' }),
                      startTimeUnixNano: START,
                      timeUnixNano: TIME,
                      count: 0,
                      sum: undefined,
                      scale: 20,
                      zeroCount: 0,
                      zeroThreshold: 0,
                      positive: { offset: 0, bucketCounts: [] },
                      negative: { offset: 0, bucketCounts: [] },
                      min: undefined,
                      max: undefined,
                      flags: 1,
                    },
                  ],
                },
              },
              {
                name: 'legacy.summary',
                description: '',
                unit: 'ms',
                data: {
                  type: 'summary',
                  points: [{ attributes: createAttributes({ route: '/predict' }), startTimeUnixNano: START, timeUnixNano: TIME, count: 3, sum: 42.5, flags: 0 }],
                },
              },
              { name: 'no.data', description: '', unit: '', data: { type: 'empty' } },
            ],
          },
        ],
      },
      {
        resource: { attributes: createAttributes({ 'service.name': 'other', 'ünïcödé.key': 'välue ✓ 日本' }) },
        scopeMetrics: [{ scope: { name: '', version: '', attributes: createAttributes({}) }, metrics: [] }],
      },
    ],
  };
}

/** An `ExportLogsServiceRequest` covering every log record field. For tests and benches. */
export function sampleLogsRequest(): ExportLogsServiceRequest {
  return {
    resourceLogs: [
      {
        resource: { attributes: createAttributes({ 'service.name': 'churn-api', 'service.instance.id': 'pod-7f9c' }) },
        scopeLogs: [
          {
            scope: { name: '@driftwatch/instrument', version: '0.1.0', attributes: createAttributes({}) },
            logRecords: [
              {
                timeUnixNano: TIME,
                observedTimeUnixNano: TIME + 5n,
                severityNumber: 9,
                severityText: 'INFO',
                body: createAttributes({ features: createAttributes({ age: 42, plan: 'pro' }), output: 0.93, label: null }),
                attributes: createAttributes({ 'event.name': 'ml.model.record', 'ml.model.name': 'churn', 'ml.model.version': '3', 'ml.prediction.id': 'p-1' }),
                eventName: 'ml.model.record',
                traceId: new Uint8Array([0x5b, 0x8e, 0xff, 0xf7, 0x98, 0x03, 0x81, 0x03, 0xd2, 0x69, 0xb6, 0x33, 0x81, 0x3f, 0xc6, 0x0c]),
                spanId: new Uint8Array([0xee, 0xe1, 0x9b, 0x7e, 0xc3, 0xc1, 0xb1, 0x74]),
                flags: 1,
              },
              {
                timeUnixNano: 0n,
                observedTimeUnixNano: TIME,
                severityNumber: 0,
                severityText: '',
                body: 'plain text body',
                attributes: createAttributes({}),
                eventName: '',
                traceId: undefined,
                spanId: undefined,
                flags: 0,
              },
            ],
          },
        ],
      },
    ],
  };
}
