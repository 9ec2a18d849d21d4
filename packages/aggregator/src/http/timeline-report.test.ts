import { monitor } from '@driftwatch/instrument';
import { buildReferenceProfile } from '@driftwatch/stats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAggregator, type Aggregator } from '../aggregator.js';

interface Row {
  id: string;
  x: number;
  plan: string;
}

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/**
 * The report API fields the page reads: timeline points per slice (volume, performance, KPIs), numeric summaries
 * and reference missing ratios per feature, output distributions, and per-window drift counts in the model list.
 */
describe('timeline and report fields', () => {
  let aggregator: Aggregator;
  let nowMs = T0;
  let base: string;

  /** One model-server "instance": predictions at the current clock, labels right or wrong, KPI events. */
  async function serve(rows: Row[], correct: boolean, kpi: number): Promise<void> {
    const predict = monitor((r: Row) => (r.x > 50 ? 0.9 : 0.1), {
      model: 'm',
      version: '1',
      features: { x: 'numeric', plan: 'categorical' },
      extract: (r: Row) => ({ x: r.x, plan: r.plan }),
      output: 'probability',
      predictionId: (r: Row) => r.id,
      endpoint: `http://127.0.0.1:${aggregator.otlpPort}`,
      exportIntervalMillis: 60_000,
    });
    for (const r of rows) {
      const p = predict(r);
      predict.feedback(r.id, correct === p >= 0.5 ? 1 : 0);
      predict.kpi('revenue', kpi);
    }
    await predict.shutdown();
  }

  const rows = (n: number, prefix: string, offset = 0): Row[] => Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, x: ((i * 7) % 100) + offset, plan: i % 4 === 0 ? 'pro' : 'basic' }));

  beforeAll(async () => {
    aggregator = createAggregator(
      { host: '127.0.0.1', otlpPort: 0, httpPort: 0, dataDir: ':memory:', windows: [{ duration: '1h', slice: '5s' }], performance: { minSamples: 50 } },
      { timers: false, logger: quiet, now: () => nowMs },
    );
    await aggregator.start();
    base = `http://127.0.0.1:${aggregator.httpPort}`;
    const reference = rows(400, 'r').map((r) => ({ x: Number.isInteger(r.x / 9) ? null : r.x, plan: r.plan, score: r.x > 50 ? 0.9 : 0.1 }));
    aggregator.setReference(buildReferenceProfile(reference, { x: 'numeric', plan: 'categorical' }, { model: 'm', version: '1', source: 'file', outputs: { score: 'numeric' } }));
    nowMs = T0 + 1_000;
    await serve(rows(200, 'a'), true, 10);
    nowMs = T0 + 6_000;
    await serve(rows(120, 'b', 20), false, 30);
    nowMs = T0 + 11_000;
    aggregator.evaluateNow();
  });

  afterAll(async () => {
    await aggregator.stop();
  });

  it('gives one point per slice from the first data, with each slice’s own volume, performance and KPI mean', async () => {
    const t = (await (await fetch(`${base}/api/v1/models/m/timeline?version=1`)).json()) as {
      window: string;
      minFeedbackSamples: number;
      kpis: string[];
      versions: Array<{ version: string; stepSeconds: number; points: Array<{ start: string; complete: boolean; predictions: number; feedbackSamples: number; metrics: Record<string, number>; kpis: Record<string, { events: number; mean: number | null }> }> }>;
    };
    expect(t.window).toBe('1h');
    expect(t.kpis).toEqual(['revenue']);
    expect(t.minFeedbackSamples).toBe(50);
    const v = t.versions[0];
    expect(v?.stepSeconds).toBe(5);
    expect(v?.points.map((p) => [p.start, p.predictions, p.feedbackSamples, p.complete])).toEqual([
      [new Date(T0).toISOString(), 200, 200, true],
      [new Date(T0 + 5_000).toISOString(), 120, 120, true],
      [new Date(T0 + 10_000).toISOString(), 0, 0, false],
    ]);
    expect(v?.points[0]?.metrics['accuracy']).toBe(1);
    expect(v?.points[1]?.metrics['accuracy']).toBe(0);
    expect(v?.points[2]?.metrics).toEqual({});
    expect(v?.points[0]?.kpis['revenue']).toEqual({ events: 200, mean: 10 });
    expect(v?.points[1]?.kpis['revenue']).toEqual({ events: 120, mean: 30 });
    expect(v?.points[2]?.kpis['revenue']).toEqual({ events: 0, mean: null });
  });

  it('validates the window and version', async () => {
    expect((await fetch(`${base}/api/v1/models/m/timeline?window=2h`)).status).toBe(400);
    expect((await fetch(`${base}/api/v1/models/m/timeline?version=9`)).status).toBe(404);
    expect((await fetch(`${base}/api/v1/models/nope/timeline`)).status).toBe(404);
  });

  it('adds exact numeric summaries, reference missing ratios, the dataset threshold and output distributions to the drift report', async () => {
    const d = (await (await fetch(`${base}/api/v1/models/m/drift?version=1`)).json()) as {
      versions: Array<{
        windows: Array<{
          datasetDriftShareThreshold: number;
          features: Array<{ feature: string; referenceMissingRatio: number | null; summary: { reference: { mean: number } | null; current: { mean: number; min: number; max: number } | null } | null }>;
          outputs: Array<{ output: string; distribution: { kind: string } | null }>;
        }>;
      }>;
    };
    const w = d.versions[0]?.windows[0];
    expect(w?.datasetDriftShareThreshold).toBe(0.5);
    const x = w?.features.find((f) => f.feature === 'x');
    const live = [...rows(200, 'a'), ...rows(120, 'b', 20)].map((r) => r.x);
    expect(x?.summary?.current?.mean).toBeCloseTo(live.reduce((s, v) => s + v, 0) / live.length, 9);
    expect(x?.summary?.current?.min).toBe(Math.min(...live));
    expect(x?.summary?.current?.max).toBe(Math.max(...live));
    const refX = rows(400, 'r').map((r) => r.x).filter((v) => !Number.isInteger(v / 9));
    expect(x?.summary?.reference?.mean).toBeCloseTo(refX.reduce((s, v) => s + v, 0) / refX.length, 9);
    expect(x?.referenceMissingRatio).toBeCloseTo((400 - refX.length) / 400, 12);
    expect(w?.features.find((f) => f.feature === 'plan')?.summary).toBeNull();
    expect(w?.outputs.find((o) => o.output === 'score')?.distribution?.kind).toBe('numeric');
  });

  it('lists per-window drift counts of each version in the model list', async () => {
    const m = (await (await fetch(`${base}/api/v1/models`)).json()) as { models: Array<{ versions: Array<{ windows: Array<{ window: string; evaluatedFeatures: number; driftedFeatures: number; predictions: number }> }> }> };
    expect(m.models[0]?.versions[0]?.windows).toEqual([{ window: '1h', predictions: 320, evaluatedFeatures: 2, driftedFeatures: expect.any(Number) as unknown, driftShare: expect.any(Number) as unknown, datasetDrift: expect.any(Boolean) as unknown }]);
  });
});
