import { describe, expect, it } from 'vitest';
import { createAttributes } from './attributes.js';
import { decodeMetricsProtobuf } from './decode-metrics-protobuf.js';
import { encodeMetricsProtobuf } from './encode-metrics-protobuf.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import { ProtoWriter } from './proto-writer.js';
import { sampleMetricsRequest } from './sample-requests.js';
import type { ExponentialHistogramDataPoint, ExportMetricsServiceRequest, Metric } from './types.js';

const VARINT = 0;
const I64 = 1;
const LEN = 2;
const SGROUP = 3;
const EGROUP = 4;
const I32 = 5;

/** Writes one unknown field of every wire type (numbers 90–94), including a group with nested content. */
function unknownFields(w: ProtoWriter): void {
  w.tag(90, VARINT).varint(2 ** 50);
  w.tag(91, I64).double(1.5);
  w.tag(92, LEN).string('ignored');
  w.tag(93, I32).fixed32(7);
  w.tag(94, SGROUP);
  w.tag(1, VARINT).varint(1);
  w.tag(95, SGROUP).tag(2, LEN).string('inner').tag(95, EGROUP);
  w.tag(94, EGROUP);
}

function decodeError(bytes: Uint8Array): OtlpDecodeError {
  try {
    decodeMetricsProtobuf(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(OtlpDecodeError);
    return err as OtlpDecodeError;
  }
  throw new Error('expected an OtlpDecodeError');
}

/** A request with one metric (`data` is a Metric body writer) at resourceMetrics[0].scopeMetrics[0].metrics[0]. */
function oneMetric(body: (w: ProtoWriter) => void): Uint8Array {
  const w = new ProtoWriter();
  w.message(1, () => w.message(2, () => w.message(2, () => body(w))));
  return w.finish();
}

function onlyMetric(req: ExportMetricsServiceRequest): Metric {
  return req.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!;
}

describe('decodeMetricsProtobuf', () => {
  it('round-trips every metric data type and AnyValue kind', () => {
    const req = sampleMetricsRequest();
    const decoded = decodeMetricsProtobuf(encodeMetricsProtobuf(req));
    expect(decoded).toStrictEqual(req);
  });

  it('decodes an empty body to an empty request', () => {
    expect(decodeMetricsProtobuf(new Uint8Array(0))).toEqual({ resourceMetrics: [] });
  });

  it('gives proto3 defaults for absent resource, scope, points fields and buckets', () => {
    const bytes = oneMetric((w) => {
      w.tag(1, LEN).string('m');
      w.message(10, () => w.message(1, () => {})); // exponential_histogram with one empty point
    });
    const decoded = decodeMetricsProtobuf(bytes);
    const rm = decoded.resourceMetrics[0]!;
    expect(rm.resource.attributes).toEqual(createAttributes());
    expect(rm.scopeMetrics[0]!.scope).toEqual({ name: '', version: '', attributes: createAttributes() });
    const m = onlyMetric(decoded);
    expect(m.data).toEqual({
      type: 'exponentialHistogram',
      temporality: 0,
      points: [
        {
          attributes: createAttributes(),
          startTimeUnixNano: 0n,
          timeUnixNano: 0n,
          count: 0,
          sum: undefined,
          scale: 0,
          zeroCount: 0,
          zeroThreshold: 0,
          positive: { offset: 0, bucketCounts: [] },
          negative: { offset: 0, bucketCounts: [] },
          min: undefined,
          max: undefined,
          flags: 0,
        },
      ],
    });
  });

  it('skips unknown fields of every wire type at every message level', () => {
    const w = new ProtoWriter();
    unknownFields(w);
    w.message(1, () => {
      unknownFields(w);
      w.message(1, () => {
        unknownFields(w);
        w.message(1, () => {
          w.tag(1, LEN).string('service.name');
          unknownFields(w);
          w.message(2, () => {
            unknownFields(w);
            w.tag(1, LEN).string('svc');
          });
        });
      });
      w.message(2, () => {
        w.message(1, () => {
          unknownFields(w);
          w.tag(1, LEN).string('scope');
        });
        w.message(2, () => {
          w.tag(1, LEN).string('ml.model.feature.value');
          unknownFields(w);
          w.message(10, () => {
            unknownFields(w);
            w.message(1, () => {
              unknownFields(w);
              w.tag(4, I64).fixed64Number(3);
              w.message(8, () => {
                unknownFields(w);
                w.tag(1, VARINT).sint32(-2);
                w.message(2, () => w.varint(1).varint(2));
              });
              w.message(11, () => w.tag(3, I64).double(9)); // an exemplar: ignored
            });
            w.tag(2, VARINT).varint(2);
          });
          w.message(12, () => w.tag(1, LEN).string('metadata key')); // Metric.metadata: ignored
        });
      });
      w.tag(3, LEN).string('https://schema'); // schema_url: ignored
    });
    const decoded = decodeMetricsProtobuf(w.finish());
    expect(decoded.resourceMetrics[0]!.resource.attributes).toEqual(createAttributes({ 'service.name': 'svc' }));
    expect(decoded.resourceMetrics[0]!.scopeMetrics[0]!.scope.name).toBe('scope');
    const m = onlyMetric(decoded);
    expect(m.name).toBe('ml.model.feature.value');
    if (m.data.type !== 'exponentialHistogram') throw new Error(`got ${m.data.type}`);
    expect(m.data.temporality).toBe(2);
    expect(m.data.points[0]!.count).toBe(3);
    expect(m.data.points[0]!.positive).toEqual({ offset: -2, bucketCounts: [1, 2] });
  });

  it('treats a known field number with an unexpected wire type as unknown', () => {
    const bytes = oneMetric((w) => {
      w.tag(1, VARINT).varint(5); // name must be LEN
      w.tag(1, LEN).string('kept');
      w.tag(3, I64).double(1); // unit must be LEN
    });
    expect(onlyMetric(decodeMetricsProtobuf(bytes))).toEqual({ name: 'kept', description: '', unit: '', data: { type: 'empty' } });
  });

  it('accepts unpacked repeated scalars and concatenates several packed runs', () => {
    const bytes = oneMetric((w) => {
      w.message(9, () =>
        w.message(1, () => {
          w.tag(6, I64).fixed64Number(1).tag(6, I64).fixed64Number(2);
          w.message(6, () => w.fixed64Number(3));
          w.tag(7, I64).double(0.5);
          w.message(7, () => w.double(1.5));
        }),
      );
    });
    const m = onlyMetric(decodeMetricsProtobuf(bytes));
    if (m.data.type !== 'histogram') throw new Error(`got ${m.data.type}`);
    expect(m.data.points[0]!.bucketCounts).toEqual([1, 2, 3]);
    expect(m.data.points[0]!.explicitBounds).toEqual([0.5, 1.5]);

    const expo = oneMetric((w) => {
      w.message(10, () =>
        w.message(1, () =>
          w.message(8, () => {
            w.tag(2, VARINT).varint(7);
            w.message(2, () => w.varint(300).varint(2 ** 40));
            w.tag(2, VARINT).varint(1);
          }),
        ),
      );
    });
    const e = onlyMetric(decodeMetricsProtobuf(expo));
    if (e.data.type !== 'exponentialHistogram') throw new Error(`got ${e.data.type}`);
    expect(e.data.points[0]!.positive.bucketCounts).toEqual([7, 300, 2 ** 40, 1]);
  });

  it('decodes packed varints of every length, including 10-byte ones', () => {
    const counts = [0, 1, 127, 128, 16383, 16384, 2 ** 21, 2 ** 28, 2 ** 35, 2 ** 49, 2 ** 53 - 1];
    const bytes = oneMetric((w) =>
      w.message(10, () => w.message(1, () => w.message(9, () => w.message(2, () => counts.forEach((c) => w.varint(c)))))),
    );
    const m = onlyMetric(decodeMetricsProtobuf(bytes));
    if (m.data.type !== 'exponentialHistogram') throw new Error(`got ${m.data.type}`);
    expect(m.data.points[0]!.negative.bucketCounts).toEqual(counts);
    // a uint64 beyond 2^53 is kept approximately, never wrapped
    const huge = oneMetric((w) => w.message(10, () => w.message(1, () => w.message(8, () => w.message(2, () => w.varintBig(2n ** 64n - 1n))))));
    const h = onlyMetric(decodeMetricsProtobuf(huge));
    if (h.data.type !== 'exponentialHistogram') throw new Error(`got ${h.data.type}`);
    expect(h.data.points[0]!.positive.bucketCounts).toEqual([2 ** 64]);
  });

  it('decodes as_int (sfixed64) and as_double number points, last oneof value winning', () => {
    const bytes = oneMetric((w) =>
      w.message(5, () => {
        w.message(1, () => w.tag(6, I64).sfixed64Number(-5));
        w.message(1, () => w.tag(4, I64).double(2.5));
        w.message(1, () => w.tag(4, I64).double(2.5).tag(6, I64).sfixed64Number(9));
      }),
    );
    const m = onlyMetric(decodeMetricsProtobuf(bytes));
    if (m.data.type !== 'gauge') throw new Error(`got ${m.data.type}`);
    expect(m.data.points.map((p) => p.value)).toEqual([-5, 2.5, 9]);
  });

  it('maps unknown temporality values to UNSPECIFIED and keeps signed scale and offsets', () => {
    const bytes = oneMetric((w) =>
      w.message(10, () => {
        w.message(1, () => {
          w.tag(6, VARINT).sint32(-10);
          w.message(9, () => w.tag(1, VARINT).sint32(-2147483648));
        });
        w.tag(2, VARINT).varint(7);
      }),
    );
    const m = onlyMetric(decodeMetricsProtobuf(bytes));
    if (m.data.type !== 'exponentialHistogram') throw new Error(`got ${m.data.type}`);
    expect(m.data.temporality).toBe(0);
    const p: ExponentialHistogramDataPoint = m.data.points[0]!;
    expect(p.scale).toBe(-10);
    expect(p.negative.offset).toBe(-2147483648);
  });

  it('keeps __proto__ and constructor attribute keys as plain data in null-prototype maps', () => {
    const bytes = oneMetric((w) =>
      w.message(5, () =>
        w.message(1, () => {
          for (const key of ['__proto__', 'constructor', 'hasOwnProperty']) {
            w.message(7, () => {
              w.tag(1, LEN).string(key);
              w.message(2, () => w.tag(1, LEN).string(`v:${key}`));
            });
          }
        }),
      ),
    );
    const m = onlyMetric(decodeMetricsProtobuf(bytes));
    if (m.data.type !== 'gauge') throw new Error(`got ${m.data.type}`);
    const attrs = m.data.points[0]!.attributes;
    expect(Object.getPrototypeOf(attrs)).toBeNull();
    expect(Object.keys(attrs)).toEqual(['__proto__', 'constructor', 'hasOwnProperty']);
    expect(attrs['__proto__']).toBe('v:__proto__');
    expect(attrs['constructor']).toBe('v:constructor');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  describe('rejects malformed input with OtlpDecodeError and a path', () => {
    const metricPath = 'resourceMetrics[0].scopeMetrics[0].metrics[0]';

    it('invalid wire type', () => {
      const bytes = oneMetric((w) => w.tag(1, LEN).string('m').varint((4 << 3) | 7));
      const err = decodeError(bytes);
      expect(err.path).toBe(metricPath);
      expect(err.message).toMatch(/^resourceMetrics\[0\]\.scopeMetrics\[0\]\.metrics\[0\]: invalid wire type 7 at offset \d+$/);
    });

    it('invalid wire type deep in a second resource, scope and metric', () => {
      const w = new ProtoWriter();
      w.message(1, () => {});
      w.message(1, () => {
        w.message(2, () => {});
        w.message(2, () => {
          w.message(2, () => {});
          w.message(2, () => {});
          w.message(2, () => w.message(10, () => w.message(1, () => w.message(8, () => w.varint((3 << 3) | 6)))));
        });
      });
      expect(decodeError(w.finish()).message).toMatch(
        /^resourceMetrics\[1\]\.scopeMetrics\[1\]\.metrics\[2\]\.exponentialHistogram\.dataPoints\[0\]\.positive: invalid wire type 6/,
      );
    });

    it('truncated varint', () => {
      const err = decodeError(new Uint8Array([0x08, 0x80, 0x80]));
      expect(err.message).toMatch(/^truncated varint at offset 1$/);
      const packed = oneMetric((w) => w.message(10, () => w.message(1, () => w.message(8, () => w.tag(2, LEN).varint(2).varint(0x80).varint(0x80)))));
      const e2 = decodeError(packed);
      expect(e2.path).toBe(`${metricPath}.exponentialHistogram.dataPoints[0].positive`);
      expect(e2.reason).toMatch(/^truncated varint/);
    });

    it('varint longer than 10 bytes', () => {
      const bytes = new Uint8Array([0x08, ...new Array<number>(10).fill(0xff), 0x01]);
      expect(decodeError(bytes).reason).toMatch(/^varint longer than 10 bytes/);
    });

    it('length past the end of the enclosing message', () => {
      const w = new ProtoWriter();
      w.message(1, () => w.tag(2, LEN).varint(50).string('short'));
      const err = decodeError(w.finish());
      expect(err.path).toBe('resourceMetrics[0]');
      expect(err.reason).toMatch(/^length 50 at offset \d+ exceeds the \d+ bytes left$/);
      expect(decodeError(new Uint8Array([0x0a, 0x05, 0x01])).reason).toMatch(/^length 5 at offset 1 exceeds the 1 bytes left$/);
    });

    it('truncated fixed64 and fixed32', () => {
      const bytes = oneMetric((w) => w.message(5, () => w.message(1, () => w.tag(3, I64).fixed32(1))));
      const err = decodeError(bytes);
      expect(err.path).toBe(`${metricPath}.gauge.dataPoints[0]`);
      expect(err.reason).toMatch(/^truncated fixed64 at offset \d+: needs 8 bytes, 4 left$/);
      expect(decodeError(new Uint8Array([0x0d, 1, 2])).reason).toMatch(/^truncated fixed32/);
    });

    it('packed fixed64 / double runs that are not a multiple of 8 bytes', () => {
      const bytes = oneMetric((w) => w.message(9, () => w.message(1, () => w.message(6, () => w.fixed32(1)))));
      const err = decodeError(bytes);
      expect(err.path).toBe(`${metricPath}.histogram.dataPoints[0].bucketCounts`);
      expect(err.reason).toBe('packed fixed64 length 4 is not a multiple of 8');
    });

    it('field number 0', () => {
      expect(decodeError(new Uint8Array([0x00, 0x00])).reason).toBe('invalid field number 0 at offset 0');
    });

    it('unmatched, unterminated and too deeply nested groups', () => {
      expect(decodeError(new Uint8Array([(7 << 3) | EGROUP])).reason).toMatch(/^unexpected end group of field 7/);
      expect(decodeError(new Uint8Array([(7 << 3) | SGROUP, 0x08, 0x01])).reason).toBe('unterminated group of field 7');
      expect(decodeError(new Uint8Array([(7 << 3) | SGROUP, (8 << 3) | EGROUP])).reason).toBe('end group of field 8 closes group of field 7');
      const deep = new ProtoWriter();
      for (let i = 0; i < 40; i++) deep.tag(7, SGROUP);
      for (let i = 0; i < 40; i++) deep.tag(7, EGROUP);
      expect(decodeError(deep.finish()).reason).toBe('groups nested deeper than 32 levels');
      const ok = new ProtoWriter();
      for (let i = 0; i < 30; i++) ok.tag(7, SGROUP);
      for (let i = 0; i < 30; i++) ok.tag(7, EGROUP);
      expect(decodeMetricsProtobuf(ok.finish())).toEqual({ resourceMetrics: [] });
    });

    it('AnyValue nested deeper than 32 levels', () => {
      const nested = (depth: number): Uint8Array =>
        oneMetric((w) =>
          w.message(5, () =>
            w.message(1, () =>
              w.message(7, () => {
                w.tag(1, LEN).string('deep');
                w.message(2, () => {
                  const open = (d: number): void => {
                    if (d === 0) w.tag(1, LEN).string('leaf');
                    else w.message(5, () => w.message(1, () => open(d - 1)));
                  };
                  open(depth);
                });
              }),
            ),
          ),
        );
      const decoded = onlyMetric(decodeMetricsProtobuf(nested(32)));
      if (decoded.data.type !== 'gauge') throw new Error(`got ${decoded.data.type}`);
      let v: unknown = decoded.data.points[0]!.attributes['deep'];
      for (let i = 0; i < 32; i++) v = (v as unknown[])[0];
      expect(v).toBe('leaf');
      const err = decodeError(nested(33));
      expect(err.reason).toBe('AnyValue nested deeper than 32 levels');
      expect(err.path).toMatch(/^resourceMetrics\[0\]\.scopeMetrics\[0\]\.metrics\[0\]\.gauge\.dataPoints\[0\]\.attributes\[0\]\.value(\.arrayValue\.values\[0\])+$/);
    });
  });
});
