import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { METRICS } from './conventions.js';

const DOC = readFileSync(new URL('../../../docs/semantic-conventions.md', import.meta.url), 'utf8');
const KIND_IN_DOC = { sum: 'Sum', histogram: 'Histogram (explicit buckets)', exponentialHistogram: 'ExponentialHistogram' } as const;

/** `| \`name\` | type | \`unit\` | …` rows of the metric tables. */
function documentedMetrics(): Map<string, { type: string; unit: string }> {
  const out = new Map<string, { type: string; unit: string }>();
  for (const line of DOC.split('\n')) {
    const m = /^\| `(ml\.model\.[a-z_.]+)` \| ([^|]+) \| `([^`]+)` \|/.exec(line);
    if (m) out.set(m[1] as string, { type: (m[2] as string).trim(), unit: m[3] as string });
  }
  return out;
}

describe('semantic conventions', () => {
  it('docs/semantic-conventions.md lists every metric the SDK emits with its OTLP type and unit, and nothing else', () => {
    const documented = documentedMetrics();
    for (const d of Object.values(METRICS)) {
      expect(documented.get(d.name), d.name).toEqual({ type: KIND_IN_DOC[d.kind], unit: d.unit });
    }
    expect([...documented.keys()].sort()).toEqual(Object.values(METRICS).map((d) => d.name).sort());
  });
});
