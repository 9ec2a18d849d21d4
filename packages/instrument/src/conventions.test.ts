import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { settle } from './api-test-server.test-support.js';
import { METRICS } from './conventions.js';
import { monitor } from './monitor.js';
import { decodeMetrics } from './otlp-decode.test-support.js';
import { startTestReceiver } from './otlp-test-receiver.test-support.js';
import type { TestReceiver } from './otlp-test-receiver.test-support.js';

const DOC = readFileSync(new URL('../../../docs/semantic-conventions.md', import.meta.url), 'utf8');
const KIND_IN_DOC = { sum: 'Sum', histogram: 'Histogram (explicit buckets)', exponentialHistogram: 'ExponentialHistogram' } as const;

/** `| \`name\` | type | \`unit\` | extra attributes | …` rows of the metric tables. */
function documentedMetrics(): Map<string, { type: string; unit: string; attributes: string[] }> {
  const out = new Map<string, { type: string; unit: string; attributes: string[] }>();
  for (const line of DOC.split('\n')) {
    const m = /^\| `(ml\.model\.[a-z_.]+)` \| ([^|]+) \| `([^`]+)` \|([^|]*)\|/.exec(line);
    if (m) out.set(m[1] as string, { type: (m[2] as string).trim(), unit: m[3] as string, attributes: [...(m[4] as string).matchAll(/`([^`]+)`/g)].map((a) => a[1] as string).sort() });
  }
  return out;
}

const COMMON_ATTRIBUTES = ['ml.deployment.role', 'ml.model.name', 'ml.model.version'];

let receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
});

describe('semantic conventions', () => {
  it('docs/semantic-conventions.md lists every metric the SDK emits with its OTLP type and unit, and nothing else', () => {
    const documented = documentedMetrics();
    for (const d of Object.values(METRICS)) {
      expect(documented.get(d.name), d.name).toMatchObject({ type: KIND_IN_DOC[d.kind], unit: d.unit });
    }
    expect([...documented.keys()].sort()).toEqual(Object.values(METRICS).map((d) => d.name).sort());
  });

  it('every metric of a real export carries the common attributes plus exactly the extra attributes the page lists', async () => {
    const r = await startTestReceiver();
    receivers.push(r);
    const common = { endpoint: r.url, protocol: 'http/json', exportIntervalMillis: 60_000, logger: { info: () => {}, warn: () => {} } } as const;
    const binary = monitor((row: { id: number; x: number; c: string | null }) => row.x, { ...common, model: 'binary', version: '1', output: 'probability', feedback: { maxPending: 2, ttlMillis: 60_000 } });
    for (let i = 0; i < 4; i++) binary({ id: i, x: i / 4, c: i === 3 ? null : 'a' });
    binary.feedback(3, 1);
    binary.feedback('unknown', 0);
    binary.kpi('conversion', 1);
    const regression = monitor((row: { id: string; x: number }) => row.x * 2, { ...common, model: 'regression', version: '1', output: 'regression' });
    regression({ id: 'r', x: 1 });
    regression.feedback('r', 2.5);
    const failing = monitor((row: { x: number }): number => {
      throw new RangeError(String(row.x));
    }, { ...common, model: 'failing', version: '1', features: { x: 'numeric' } });
    expect(() => failing({ x: 1 })).toThrow(RangeError);
    // a shadow that takes no queued calls: the second of two calls in one turn is dropped
    const shadowed = monitor((row: { x: number }) => row.x, { ...common, model: 'shadowed', version: '1', output: 'probability', shadow: { model: (row: { x: number }) => row.x / 2, version: '2', maxConcurrency: 1, maxQueueSize: 0 } });
    shadowed({ x: 0.4 });
    shadowed({ x: 0.6 });
    await settle();
    await Promise.all([binary, regression, failing, shadowed].map((m) => m.shutdown()));

    const seen = new Map<string, Set<string>>();
    for (const request of r.requests) {
      for (const rm of decodeMetrics(request).resourceMetrics) {
        for (const m of rm.scopeMetrics.flatMap((sm) => sm.metrics)) {
          if (m.data.type !== 'sum' && m.data.type !== 'histogram' && m.data.type !== 'exponentialHistogram') throw new Error(`${m.name}: unexpected ${m.data.type}`);
          const keys = seen.get(m.name) ?? new Set<string>();
          for (const p of m.data.points) {
            expect(Object.keys(p.attributes), m.name).toEqual(expect.arrayContaining(COMMON_ATTRIBUTES));
            for (const k of Object.keys(p.attributes)) keys.add(k);
          }
          seen.set(m.name, keys);
        }
      }
    }
    const documented = documentedMetrics();
    expect([...seen.keys()].sort()).toEqual(Object.values(METRICS).map((d) => d.name).sort());
    for (const [name, keys] of seen) {
      expect([...keys].filter((k) => !COMMON_ATTRIBUTES.includes(k)).sort(), name).toEqual(documented.get(name)?.attributes);
    }
  });
});
