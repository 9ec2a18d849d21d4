import type { ExponentialHistogramDataPoint } from '@driftwatch/otlp';
import { ExponentialHistogram } from '@driftwatch/stats';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventually, settle, startTestApiServer } from './api-test-server.test-support.js';
import { monitor } from './monitor.js';
import type { ExportProtocol } from './options.js';
import { pointsWith, sumValue } from './otlp-decode.test-support.js';
import { startTestReceiver, unusedEndpoint } from './otlp-test-receiver.test-support.js';
import type { TestReceiver } from './otlp-test-receiver.test-support.js';

const silent = { info: () => {}, warn: () => {} };
const PRIMARY = { 'ml.model.name': 'churn', 'ml.model.version': '3', 'ml.deployment.role': 'primary' };
const SHADOW = { 'ml.model.name': 'churn', 'ml.model.version': '4', 'ml.deployment.role': 'shadow' };

let receivers: TestReceiver[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
});
async function receiver(): Promise<TestReceiver> {
  const r = await startTestReceiver();
  receivers.push(r);
  return r;
}

interface Row {
  id: string;
  age: number;
}

describe('shadow', () => {
  it('returns only the primary result, runs the candidate after the call returned, and records it as role=shadow', async () => {
    const calls: string[] = [];
    const primary = (row: Row): number => {
      calls.push(`primary ${row.id}`);
      return row.age / 100;
    };
    const candidate = (row: Row): number => {
      calls.push(`shadow ${row.id}`);
      return 0.99;
    };
    const predict = monitor(primary, { model: 'churn', version: '3', shadow: { model: candidate, version: '4' }, endpoint: (await receiver()).url, exportIntervalMillis: 60_000, logger: silent });
    expect(predict({ id: 'a', age: 30 })).toBe(0.3);
    expect(predict({ id: 'b', age: 70 })).toBe(0.7);
    // nothing of the shadow ran on the call path
    expect(calls).toEqual(['primary a', 'primary b']);
    await settle();
    expect(calls).toEqual(['primary a', 'primary b', 'shadow a', 'shadow b']);
    expect(predict.health().shadow).toMatchObject({ version: '4', sampleRate: 1, started: 2, completed: 2, errors: 0, dropped: 0, queued: 0, running: 0, agreements: 1, disagreements: 1 });
    await predict.shutdown();
  });

  it('never changes the primary result or error, even when the shadow throws or rejects; shadow errors are counted, not thrown', async () => {
    const r = await receiver();
    const primaryError = new RangeError('primary failed');
    const primary = async (row: Row): Promise<number> => {
      if (row.id === 'bad') throw primaryError;
      return 0.2;
    };
    const candidate = async (row: Row): Promise<number> => {
      if (row.id === 'x') throw new TypeError('shadow broke');
      if (row.id === 'y') return Promise.reject(new SyntaxError('shadow rejected'));
      return 0.8;
    };
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      const predict = monitor(primary, { model: 'churn', version: '3', shadow: { model: candidate, version: 4 }, endpoint: r.url, exportIntervalMillis: 60_000, logger: silent });
      await expect(predict({ id: 'x', age: 1 })).resolves.toBe(0.2);
      await expect(predict({ id: 'y', age: 1 })).resolves.toBe(0.2);
      await expect(predict({ id: 'z', age: 1 })).resolves.toBe(0.2);
      const rejection = predict({ id: 'bad', age: 1 });
      await expect(rejection).rejects.toBe(primaryError);
      await settle(5);
      expect(predict.health().shadow).toMatchObject({ started: 4, completed: 4, errors: 2 });
      expect(predict.health().drops).toEqual({});
      await predict.shutdown();
      expect(sumValue(r, 'ml.model.errors', { ...SHADOW, 'error.type': 'TypeError' })).toBe(1);
      expect(sumValue(r, 'ml.model.errors', { ...SHADOW, 'error.type': 'SyntaxError' })).toBe(1);
      expect(sumValue(r, 'ml.model.errors', { ...PRIMARY, 'error.type': 'RangeError' })).toBe(1);
      expect(sumValue(r, 'ml.model.calls', SHADOW)).toBe(4);
      expect(sumValue(r, 'ml.model.calls', PRIMARY)).toBe(4);
      // only 'z' (both succeeded, 0.2 vs 0.8) is compared: classes 0 and 1 disagree
      expect(sumValue(r, 'ml.model.shadow.comparisons', { ...SHADOW, 'ml.shadow.outcome': 'disagree' })).toBe(1);
      expect(sumValue(r, 'ml.model.shadow.comparisons', { ...SHADOW, 'ml.shadow.outcome': 'agree' })).toBe(0);
    } finally {
      process.off('unhandledRejection', unhandled);
    }
    expect(unhandled).not.toHaveBeenCalled();
  });

  it('a shadow result that throws when asked whether it is a promise (a then getter, a revoked proxy) is recorded, not thrown from setImmediate', async () => {
    const thenThrows = {
      get then(): never {
        throw new Error('then getter');
      },
    };
    const { proxy: revoked, revoke } = Proxy.revocable({}, {});
    revoke();
    const candidate = (row: Row): number => (row.id === 'a' ? thenThrows : revoked) as unknown as number;
    const predict = monitor((row: Row) => row.age / 100, { model: 'churn', version: '3', shadow: { model: candidate, version: '4' }, endpoint: await unusedEndpoint(), exportIntervalMillis: 60_000, exportTimeoutMillis: 200, logger: silent });
    expect(predict({ id: 'a', age: 30 })).toBe(0.3);
    expect(predict({ id: 'b', age: 70 })).toBe(0.7);
    await settle();
    expect(predict.health().shadow).toMatchObject({ started: 2, completed: 2, running: 0, errors: 0 });
    await predict.shutdown();
  });

  it('a hanging shadow does not delay the primary: its latency histogram and result are the primary alone', async () => {
    const r = await receiver();
    let started = 0;
    const predict = monitor((row: Row) => row.age, {
      model: 'churn',
      version: '3',
      output: 'regression',
      shadow: { model: () => { started++; return new Promise<number>(() => {}); }, version: '4', maxConcurrency: 1, maxQueueSize: 5 },
      endpoint: r.url,
      exportIntervalMillis: 60_000,
      logger: silent,
    });
    for (let i = 0; i < 100; i++) expect(predict({ id: String(i), age: i })).toBe(i);
    // bounded: maxQueueSize + free concurrency slots wait, the rest is dropped and counted
    expect(predict.health().shadow).toMatchObject({ queued: 6, dropped: 94, started: 0 });
    await settle();
    expect(started).toBe(1);
    expect(predict.health().shadow).toMatchObject({ queued: 5, running: 1, dropped: 94, started: 1, completed: 0 });
    await predict.shutdown();
    expect(sumValue(r, 'ml.model.shadow.dropped', SHADOW)).toBe(94);
    expect(sumValue(r, 'ml.model.calls', PRIMARY)).toBe(100);
    // the started shadow call never finished: counted as a call, no duration yet
    expect(sumValue(r, 'ml.model.calls', SHADOW)).toBe(1);
    expect(pointsWith(r, 'ml.model.duration', SHADOW)).toHaveLength(0);
  });

  it('exports agreement counts and |primary − shadow| by output kind: probability, class, regression (with tolerance), batches', async () => {
    const r = await receiver();
    const scores: Record<string, [number, number]> = { a: [0.9, 0.8], b: [0.2, 0.6], c: [0.7, 0.7], d: [0.4, 0.1], e: [0.5, 0.49] };
    const prob = monitor((row: Row) => (scores[row.id] as [number, number])[0], {
      model: 'churn',
      version: '3',
      output: 'probability',
      shadow: { model: (row: Row) => (scores[row.id] as [number, number])[1], version: '4' },
      endpoint: r.url,
      exportIntervalMillis: 60_000,
      logger: silent,
    });
    for (const id of Object.keys(scores)) prob({ id, age: 1 });
    await settle();
    await prob.shutdown();
    // a: 1/1 agree, b: 0/1 disagree, c: agree, d: 0/0 agree, e: 1/0 disagree
    expect(sumValue(r, 'ml.model.shadow.comparisons', { ...SHADOW, 'ml.shadow.outcome': 'agree' })).toBe(3);
    expect(sumValue(r, 'ml.model.shadow.comparisons', { ...SHADOW, 'ml.shadow.outcome': 'disagree' })).toBe(2);
    const diffs = Object.values(scores).map(([p, s]) => Math.abs(p - s));
    const expected = new ExponentialHistogram();
    for (const d of diffs) expected.record(d);
    const [difference] = pointsWith(r, 'ml.model.shadow.difference', SHADOW) as ExponentialHistogramDataPoint[];
    expect(difference?.count).toBe(5);
    expect(difference?.sum).toBe(expected.toData().sum);
    expect(difference?.zeroCount).toBe(1);
    expect(difference?.positive).toEqual(expected.toData().positive);
    expect(difference?.max).toBe(Math.max(...diffs));

    const r2 = await receiver();
    const regression = monitor((rows: Row[]) => rows.map((x) => x.age), {
      model: 'churn',
      version: '3',
      output: 'regression',
      shadow: { model: (rows: Row[]) => rows.map((x) => x.age * 1.05), version: '4', agreementTolerance: 0.1 },
      endpoint: r2.url,
      exportIntervalMillis: 60_000,
      logger: silent,
    });
    regression([{ id: 'a', age: 100 }, { id: 'b', age: 0 }, { id: 'c', age: -20 }]);
    const strict = monitor((row: Row) => (row.age > 1 ? 'stay' : 'churn'), {
      model: 'churn-class',
      version: '3',
      output: 'class',
      shadow: { model: (row: Row) => (row.age > 2 ? 'stay' : 'churn'), version: '4' },
      endpoint: r2.url,
      exportIntervalMillis: 60_000,
      logger: silent,
    });
    for (const age of [0, 1.5, 3]) strict({ id: 'x', age });
    await settle();
    await Promise.all([regression.shutdown(), strict.shutdown()]);
    // regression: |5| ≤ 0.1·105, |0| ≤ 0, |1| ≤ 0.1·21 → 3 agree, one per row of the batch
    expect(sumValue(r2, 'ml.model.shadow.comparisons', { ...SHADOW, 'ml.shadow.outcome': 'agree' })).toBe(3);
    expect(sumValue(r2, 'ml.model.shadow.comparisons', { ...SHADOW, 'ml.shadow.outcome': 'disagree' })).toBe(0);
    const regressionDiff = pointsWith(r2, 'ml.model.shadow.difference', SHADOW) as ExponentialHistogramDataPoint[];
    expect(regressionDiff[0]?.count).toBe(3);
    expect(regressionDiff[0]?.max).toBeCloseTo(5, 10);
    // class: 'churn'/'churn' agree, 'stay'/'churn' disagree, 'stay'/'stay' agree; no numeric difference for classes
    const classShadow = { ...SHADOW, 'ml.model.name': 'churn-class' };
    expect(sumValue(r2, 'ml.model.shadow.comparisons', { ...classShadow, 'ml.shadow.outcome': 'agree' })).toBe(2);
    expect(sumValue(r2, 'ml.model.shadow.comparisons', { ...classShadow, 'ml.shadow.outcome': 'disagree' })).toBe(1);
    expect(pointsWith(r2, 'ml.model.shadow.difference', classShadow)).toHaveLength(0);
  });

  it('shadowSampleRate picks the mirrored calls (0 mirrors none), feedback reaches the shadow too, and shutdown stops it', async () => {
    const r = await receiver();
    let shadowCalls = 0;
    const random = vi.spyOn(Math, 'random');
    const draws = [0.1, 0.6, 0.29, 0.3, 0.99];
    random.mockImplementation(() => draws.shift() ?? 0.5);
    const predict = monitor((row: Row) => (row.age > 50 ? 0.9 : 0.1), {
      model: 'churn',
      version: '3',
      shadow: (row: Row) => {
        shadowCalls++;
        return row.age > 40 ? 0.8 : 0.3;
      },
      shadowSampleRate: 0.3,
      api: { url: await unusedEndpoint() }, // no version given: the shadow asks the rollout API for it (nothing answers here)
      endpoint: r.url,
      exportIntervalMillis: 60_000,
      logger: silent,
    });
    for (const [id, age] of [['a', 60], ['b', 45], ['c', 45], ['d', 10], ['e', 70]] as const) predict({ id, age });
    await settle();
    random.mockRestore();
    // draws 0.1 and 0.29 are below 0.3: calls a and c are mirrored
    expect(shadowCalls).toBe(2);
    predict.feedback('a', 1);
    predict.feedback('c', 1);
    predict.feedback('b', 0);
    await predict.shutdown();
    const candidate = { ...SHADOW, 'ml.model.version': 'candidate' };
    expect(sumValue(r, 'ml.model.feedback.labels', PRIMARY)).toBe(3);
    expect(sumValue(r, 'ml.model.feedback.labels', candidate)).toBe(2);
    expect(sumValue(r, 'ml.model.feedback.unmatched', { ...candidate, 'ml.feedback.reason': 'unknown_id' })).toBe(0);
    expect(sumValue(r, 'ml.model.feedback.confusion', { ...candidate, 'ml.label.actual': '1', 'ml.label.predicted': '1' })).toBe(2);
    predict({ id: 'after', age: 1 });
    await settle();
    expect(shadowCalls).toBe(2);

    const none = monitor((_row: Row) => 1, { model: 'm', version: '1', shadow: () => { shadowCalls++; return 1; }, shadowSampleRate: 0, endpoint: r.url, logger: silent });
    for (let i = 0; i < 10; i++) none({ id: 'q', age: 1 });
    await settle();
    expect(shadowCalls).toBe(2);
    await none.shutdown();
  });
});

describe.each(['http/protobuf', 'http/json'] as ExportProtocol[])('shadow export (%s)', (protocol) => {
  it('the shadow series carries the candidate version and role alongside the primary', async () => {
    const r = await receiver();
    const predict = monitor((_row: Row) => 0.25, {
      model: 'churn',
      version: '3',
      features: { age: 'numeric' },
      shadow: { model: (_row: Row) => 0.75, version: '4' },
      endpoint: r.url,
      protocol,
      exportIntervalMillis: 60_000,
      logger: silent,
    });
    predict({ id: 'a', age: 33 });
    await settle();
    await predict.shutdown();
    expect(sumValue(r, 'ml.model.predictions', PRIMARY)).toBe(1);
    expect(sumValue(r, 'ml.model.predictions', SHADOW)).toBe(1);
    expect(pointsWith(r, 'ml.model.feature.value', { ...SHADOW, 'ml.feature.name': 'age' })).toHaveLength(1);
    expect(sumValue(r, 'ml.model.output.class', { ...SHADOW, 'ml.output.class': '1' })).toBe(1);
    expect(sumValue(r, 'ml.model.output.class', { ...PRIMARY, 'ml.output.class': '0' })).toBe(1);
    expect(sumValue(r, 'ml.model.shadow.comparisons', { ...SHADOW, 'ml.shadow.outcome': 'disagree' })).toBe(1);
    // agreement metrics are only on the shadow's series
    expect(pointsWith(r, 'ml.model.shadow.comparisons', PRIMARY)).toHaveLength(0);
  });
});

describe('shadow version from the rollout API', () => {
  it("without a configured version the shadow is recorded under the rollout's candidateVersion (a shadow-mode rollout)", async () => {
    const r = await receiver();
    const server = await startTestApiServer();
    try {
      server.answers.set('/api/v1/models/churn/rollout', { kind: 'json', body: { model: 'churn', phase: 'progressing', mode: 'shadow', candidateVersion: '4', weight: 0 } });
      const predict = monitor((_row: Row) => 0.25, {
        model: 'churn',
        version: '3',
        shadow: (_row: Row) => 0.75,
        api: { url: server.url, pollIntervalMillis: 20, timeoutMillis: 2000 },
        endpoint: r.url,
        exportIntervalMillis: 60_000,
        logger: silent,
      });
      expect(predict.health().shadow?.version).toBe('candidate');
      await eventually(() => predict.health().shadow?.version === '4', 5000, 'shadow version 4');
      predict({ id: 'a', age: 1 });
      await settle();
      expect(predict.health().shadow?.poll).toMatchObject({ failed: 0 });
      expect(predict.health().canary).toBeUndefined();
      await predict.shutdown();
      expect(sumValue(r, 'ml.model.calls', SHADOW)).toBe(1);
      expect(sumValue(r, 'ml.model.shadow.comparisons', { ...SHADOW, 'ml.shadow.outcome': 'disagree' })).toBe(1);
    } finally {
      await server.close();
    }
  });
});
