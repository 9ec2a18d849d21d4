import { decodeMetricsJson } from '@driftwatch/otlp';
import type { ExportMetricsServiceRequest, NumberDataPoint } from '@driftwatch/otlp';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { monitor } from './monitor.js';
import type { MonitorLogger } from './options.js';
import { startTestReceiver, unusedEndpoint } from './otlp-test-receiver.test-support.js';
import type { ReceivedRequest, TestReceiver } from './otlp-test-receiver.test-support.js';

let receivers: TestReceiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
});
async function receiver(): Promise<TestReceiver> {
  const r = await startTestReceiver();
  receivers.push(r);
  return r;
}

function logger(): MonitorLogger & { infos: string[]; warnings: string[] } {
  const infos: string[] = [];
  const warnings: string[] = [];
  return { infos, warnings, info: (m) => infos.push(m), warn: (m) => warnings.push(m) };
}

/** Options for a monitor whose exports go nowhere (these tests look at the call path only). */
async function offline(extra: Record<string, unknown> = {}) {
  return { model: 'm', version: '1', endpoint: await unusedEndpoint(), exportIntervalMillis: 60_000, exportTimeoutMillis: 200, logger: logger(), ...extra };
}

function lastRequest(r: TestReceiver): ExportMetricsServiceRequest {
  return decodeMetricsJson(new TextDecoder().decode((r.requests[r.requests.length - 1] as ReceivedRequest).body));
}

function sumPoints(req: ExportMetricsServiceRequest, name: string): NumberDataPoint[] {
  const m = req.resourceMetrics.flatMap((rm) => rm.scopeMetrics.flatMap((s) => s.metrics)).find((x) => x.name === name);
  if (m === undefined) return [];
  if (m.data.type !== 'sum') throw new Error(`${name} is not a sum`);
  return m.data.points;
}

describe('monitor(): the wrapped function behaves exactly like the model', () => {
  it('a sync function stays sync and returns the identical value; this, name and length are preserved', async () => {
    const result = { score: 0.3 };
    const model = {
      factor: 2,
      predict(this: { factor: number }, row: { x: number }, _extra?: string): { score: number } {
        expect(this.factor).toBe(2);
        return row.x > 0 ? result : { score: 0 };
      },
    };
    const options = await offline({ features: { x: 'numeric' }, output: (o: { score: number }) => ({ score: o.score }) });
    model.predict = monitor(model.predict, options);
    const y = model.predict({ x: 1 });
    expect(y).toBe(result);
    expect(y).not.toBeInstanceOf(Promise);
    expect(model.predict.name).toBe('predict');
    expect(model.predict.length).toBe(2);
    await (model.predict as typeof model.predict & { shutdown(): Promise<void> }).shutdown();
  });

  it('rethrows the model’s own error object unchanged and counts it', async () => {
    const error = new SyntaxError('bad');
    const predict = monitor((): number => {
      throw error;
    }, await offline());
    let caught: unknown;
    try {
      predict();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(error);
    expect(predict.health().calls).toBe(1);
    expect(predict.health().predictions).toBe(0);
    await predict.shutdown();
  });

  it('an async function resolves to the same value and rejects with the same error', async () => {
    const value = { label: 'yes' };
    const error = new Error('model down');
    const predict = monitor(async (row: { fail: boolean }) => {
      await Promise.resolve();
      if (row.fail) throw error;
      return value;
    }, await offline({ output: 'class', extract: () => ({}) }));
    const p = predict({ fail: false });
    expect(p).toBeInstanceOf(Promise);
    await expect(p).resolves.toBe(value);
    await expect(predict({ fail: true })).rejects.toBe(error);
    await predict.shutdown();
  });

  it('a promise-returning function that rejects still surfaces an unhandled rejection if the caller ignores it', async () => {
    const predict = monitor(() => Promise.reject(new Error('ignored by caller')), await offline());
    const seen = new Promise<unknown>((resolve) => process.once('unhandledRejection', (reason) => resolve(reason)));
    void predict();
    const reason = await seen;
    expect((reason as Error).message).toBe('ignored by caller');
    await predict.shutdown();
  });

  it('enabled: false returns a plain pass-through with no-op methods', async () => {
    const predict = monitor((x: number) => x + 1, await offline({ enabled: false }));
    expect(predict(1)).toBe(2);
    predict.feedback('x', 1);
    predict.kpi('k', 1);
    await predict.shutdown();
    expect(predict.health()).toMatchObject({ enabled: false, calls: 1, export: undefined });
  });
});

describe('monitor(): monitoring never throws into the model server', () => {
  it('extractor, output extractor, prediction id and logger failures are dropped, counted and warned once per kind', async () => {
    const log = logger();
    let extractCalls = 0;
    const predict = monitor((row: { x: number }) => row.x, {
      ...(await offline()),
      logger: log,
      extract: () => {
        extractCalls++;
        throw new Error('extract broke');
      },
      output: () => {
        throw new Error('output broke');
      },
    });
    for (let i = 0; i < 5; i++) expect(predict({ x: i })).toBe(i);
    expect(extractCalls).toBe(5);
    expect(predict.health().drops).toEqual({ extract: 5, output: 5 });
    expect(log.warnings.filter((w) => w.includes('(extract)'))).toHaveLength(1);
    expect(log.warnings.filter((w) => w.includes('(output)'))).toHaveLength(1);
    await predict.shutdown();

    const throwingLogger = { info: () => { throw new Error('logger broke'); }, warn: () => { throw new Error('logger broke'); } }; // prettier-ignore
    const p2 = monitor((row: { x: number }) => row.x, {
      ...(await offline()),
      logger: throwingLogger,
      output: 'regression',
      predictionId: () => {
        throw new Error('id broke');
      },
    });
    expect(p2({ x: 3 })).toBe(3);
    expect(p2.health().drops).toEqual({ prediction_id: 1 });
    await p2.shutdown();
  });

  it('hostile inputs: throwing getters, non-objects, arrays of junk, a thenable whose then() throws', async () => {
    const predict = monitor((input: unknown) => input, await offline({ features: { x: 'numeric' } }));
    const hostile = {
      get x(): number {
        throw new Error('getter');
      },
    };
    expect(predict(hostile)).toBe(hostile);
    expect(predict(42)).toBe(42);
    expect(predict(undefined)).toBeUndefined();
    expect(predict(null)).toBeNull();
    const junk = [1, 'a', null];
    expect(predict(junk)).toBe(junk);
    const weird = {
      get then(): () => void {
        return () => {
          throw new Error('then broke');
        };
      },
    };
    expect(predict(weird)).toBe(weird);
    expect(predict.health().calls).toBe(6);
    expect(Object.keys(predict.health().drops).length).toBeGreaterThan(0);
    await predict.shutdown();
  });

  it('results that cannot even be asked whether they are promises (a then getter that throws, a revoked proxy) come back untouched', async () => {
    const thenThrows = {
      get then(): never {
        throw new Error('then getter');
      },
    };
    const { proxy: revoked, revoke } = Proxy.revocable({}, {});
    revoke();
    const plain = monitor((input: { x: number }): unknown => (input.x === 1 ? thenThrows : revoked), await offline());
    const rollout = monitor((input: { x: number }): unknown => (input.x === 1 ? thenThrows : revoked), await offline({ model: 'm2', shadow: () => 0 }));
    for (const predict of [plain, rollout]) {
      expect(predict({ x: 1 })).toBe(thenThrows);
      expect(predict({ x: 2 })).toBe(revoked);
      expect(predict.health().calls).toBe(2);
      await predict.shutdown();
    }
  });

  it('bad feedback and KPI calls are dropped and counted', async () => {
    const predict = monitor((row: { x: number }) => row.x, await offline({ output: 'regression' }));
    predict({ x: 1 });
    predict.feedback({} as unknown as string, 1);
    predict.kpi('', 1);
    predict.kpi('ok', Number.NaN);
    expect(predict.health().drops).toEqual({ feedback: 1, kpi: 2 });
    await predict.shutdown();
  });

  it('warns once at construction about an environment URL it ignores, naming the variable', async () => {
    vi.stubEnv('DRIFTWATCH_API_URL', 'localhost:9464');
    try {
      const log = logger();
      const predict = monitor((row: { x: number }) => row.x, await offline({ logger: log, canary: { model: (row: { x: number }) => row.x, key: () => 'k' } }));
      expect(log.warnings).toEqual(['monitor(m@1): ignoring env DRIFTWATCH_API_URL: "localhost:9464" is not an http(s) URL']);
      expect(predict({ x: 2 })).toBe(2);
      await predict.shutdown();
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('logs the inferred schema and output kind once', async () => {
    const log = logger();
    const predict = monitor((row: Record<string, unknown>) => (row.age as number) / 100, { ...(await offline()), logger: log });
    for (let i = 0; i < 40; i++) predict({ id: i, age: 30 + i, plan: 'pro', vip: i % 2 === 0, bio: 'a rather long free text description of a customer', nested: { a: 1 } });
    expect(log.infos.filter((m) => m.includes('inferred feature schema'))).toEqual([
      'monitor(m@1): inferred feature schema {age:numeric, plan:categorical, vip:boolean, bio:text}; not recorded (no usable value seen): nested; pass options.features to set it',
    ]);
    expect(log.infos.filter((m) => m.includes('inferred output kind'))).toEqual([
      "monitor(m@1): inferred output kind 'probability' from the first result; pass options.output to set it",
    ]);
    expect(predict.health().features).toBe(4);
    await predict.shutdown();
  });
});

describe('monitor(): bounded memory and series', () => {
  it('a categorical feature with 10^6 distinct values exports at most K + M + 1 = 115 series with every count kept', async () => {
    const r = await receiver();
    const predict = monitor((row: { user: string }) => row.user.length, {
      model: 'm',
      version: '1',
      features: { user: 'categorical' },
      output: 'regression',
      endpoint: r.url,
      protocol: 'http/json',
      exportIntervalMillis: 60_000,
      logger: logger(),
    });
    const row = { user: '' };
    for (let i = 0; i < 1_000_000; i++) {
      row.user = `user-${i}`;
      predict(row);
    }
    await predict.shutdown();
    const series = sumPoints(lastRequest(r), 'ml.model.feature.category');
    expect(series.length).toBeLessThanOrEqual(115);
    expect(series.filter((p) => !String(p.attributes['ml.feature.category']).startsWith('__dw_')).length).toBe(50);
    expect(series.reduce((a, p) => a + p.value, 0)).toBe(1_000_000);
  });

  it('the feedback join map is bounded by size and TTL; evictions and late labels are counted', async () => {
    const r = await receiver();
    const predict = monitor((row: { id: string; x: number }) => (row.x > 0 ? 'yes' : 'no'), {
      model: 'm',
      version: '1',
      features: { x: 'numeric' },
      output: 'class',
      feedback: { maxPending: 2, ttlMillis: 30 },
      endpoint: r.url,
      protocol: 'http/json',
      exportIntervalMillis: 60_000,
      logger: logger(),
    });
    predict({ id: 'a', x: 1 });
    predict({ id: 'b', x: -1 });
    predict({ id: 'c', x: 1 }); // evicts a (size)
    expect(predict.health().pendingPredictions).toBe(2);
    predict.feedback('a', 'yes'); // evicted → unknown id
    predict.feedback('b', 'yes'); // joined: actual yes, predicted no
    await new Promise((resolve) => setTimeout(resolve, 60));
    predict.feedback('c', 'yes'); // expired (ttl) → unknown id
    expect(predict.health().pendingPredictions).toBe(0);
    await predict.shutdown();
    const req = lastRequest(r);
    const by = (name: string, key: string): Record<string, number> =>
      Object.fromEntries(sumPoints(req, name).map((p) => [String(p.attributes[key]), p.value]));
    expect(by('ml.model.feedback.evictions', 'ml.feedback.reason')).toEqual({ size: 1, ttl: 1 });
    expect(by('ml.model.feedback.unmatched', 'ml.feedback.reason')).toEqual({ unknown_id: 2 });
    expect(sumPoints(req, 'ml.model.feedback.labels')[0]?.value).toBe(1);
    const confusion = sumPoints(req, 'ml.model.feedback.confusion');
    expect(confusion.map((p) => [p.attributes['ml.label.actual'], p.attributes['ml.label.predicted'], p.value])).toEqual([['yes', 'no', 1]]);
  });
});
