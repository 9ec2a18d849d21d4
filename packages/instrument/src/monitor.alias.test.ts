import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startTestApiServer } from './api-test-server.test-support.js';
import type { TestApiServer } from './api-test-server.test-support.js';
import { monitor } from './monitor.js';
import type { MonitorLogger } from './options.js';
import { sumValue } from './otlp-decode.test-support.js';
import { startTestReceiver } from './otlp-test-receiver.test-support.js';
import type { TestReceiver } from './otlp-test-receiver.test-support.js';

const ALIAS = '/api/v1/models/churn/aliases/champion';
const FAST_POLL = { pollIntervalMillis: 20, timeoutMillis: 2000 } as const;

let closers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(closers.map((c) => c.close()));
  closers = [];
});
async function receiver(): Promise<TestReceiver> {
  const r = await startTestReceiver();
  closers.push(r);
  return r;
}
async function api(): Promise<TestApiServer> {
  const s = await startTestApiServer();
  closers.push(s);
  return s;
}
function recordingLogger(): MonitorLogger & { warnings: string[]; infos: string[] } {
  const warnings: string[] = [];
  const infos: string[] = [];
  return { warnings, infos, info: (m) => infos.push(m), warn: (m) => warnings.push(m) };
}
const series = (version: string) => ({ 'ml.model.name': 'churn', 'ml.model.version': version, 'ml.deployment.role': 'primary' });

interface Row {
  id: string;
  x: number;
}

describe('serving follows the alias', () => {
  it('switches the recorded version when the alias moves; the old version keeps its late labels and is still exported', async () => {
    const r = await receiver();
    const server = await api();
    server.answers.set(ALIAS, { kind: 'json', body: { model: 'churn', version: '3', aliases: ['champion'] } });
    const logger = recordingLogger();
    const predict = monitor((row: Row) => (row.x > 0 ? 0.9 : 0.1), {
      model: 'churn',
      version: '3',
      alias: 'champion',
      api: { url: server.url, ...FAST_POLL },
      endpoint: r.url,
      exportIntervalMillis: 60_000,
      logger,
    });
    await server.waitForRequests(ALIAS, 2);
    expect(predict.health().version).toBe('3');
    expect(predict({ id: 'a', x: 1 })).toBe(0.9);
    server.answers.set(ALIAS, { kind: 'json', body: { model: 'churn', version: 4 } });
    await eventually(() => predict.health().version === '4', 5000, 'version 4');
    expect(predict({ id: 'b', x: -1 })).toBe(0.1);
    predict.feedback('a', 1); // made under version 3
    predict.feedback('b', 0);
    predict.feedback('zzz', 0);
    expect(predict.health().alias).toMatchObject({ alias: 'champion', target: '4', switches: 1, loads: 0, poll: { failed: 0 } });
    expect(logger.infos.some((m) => m.includes('alias champion moved') && m.includes('version 4 (was 3)'))).toBe(true);
    await predict.shutdown();
    expect(sumValue(r, 'ml.model.calls', series('3'))).toBe(1);
    expect(sumValue(r, 'ml.model.calls', series('4'))).toBe(1);
    expect(sumValue(r, 'ml.model.feedback.confusion', { ...series('3'), 'ml.label.actual': '1', 'ml.label.predicted': '1' })).toBe(1);
    expect(sumValue(r, 'ml.model.feedback.confusion', { ...series('4'), 'ml.label.actual': '0', 'ml.label.predicted': '0' })).toBe(1);
    expect(sumValue(r, 'ml.model.feedback.unmatched', { ...series('4'), 'ml.feedback.reason': 'unknown_id' })).toBe(1);
    expect(sumValue(r, 'ml.model.feedback.unmatched', { ...series('3'), 'ml.feedback.reason': 'unknown_id' })).toBe(0);
  });

  it('with a loader: the old model serves while the new one loads, then model and version switch together', async () => {
    const server = await api();
    server.answers.set(ALIAS, { kind: 'json', body: { version: '4' } });
    let finishLoad: ((fn: (row: Row) => string) => void) | undefined;
    const loads: string[] = [];
    const predict = monitor((row: Row) => `v3:${row.id}`, {
      model: 'churn',
      version: '3',
      alias: 'champion',
      load: (version) => {
        loads.push(version);
        return new Promise((resolve) => {
          finishLoad = resolve;
        });
      },
      api: { url: server.url, ...FAST_POLL },
      endpoint: (await receiver()).url,
      exportIntervalMillis: 60_000,
      logger: recordingLogger(),
    });
    await eventually(() => loads.length === 1, 5000, 'load(4) called');
    await server.waitForRequests(ALIAS, 4); // polls keep coming while loading, without loading twice
    expect(loads).toEqual(['4']);
    expect(predict({ id: 'a', x: 1 })).toBe('v3:a');
    expect(predict.health()).toMatchObject({ version: '3', alias: { loading: '4', target: '4' } });
    finishLoad?.((row: Row) => `v4:${row.id}`);
    await eventually(() => predict.health().version === '4', 5000, 'version 4');
    expect(predict({ id: 'b', x: 1 })).toBe('v4:b');
    expect(predict.health().alias).toMatchObject({ loading: undefined, switches: 1, loads: 1, loadFailures: 0 });
    await predict.shutdown();
  });

  it('a failing loader keeps the old version serving, is counted and logged, and is retried at the next poll', async () => {
    const server = await api();
    server.answers.set(ALIAS, { kind: 'json', body: { version: '5' } });
    let attempts = 0;
    const logger = recordingLogger();
    const predict = monitor((_row: Row) => 'old', {
      model: 'churn',
      version: '3',
      alias: 'champion',
      load: async () => {
        attempts++;
        if (attempts === 1) throw new Error('artifact store down');
        if (attempts === 2) return 'not a function' as unknown as (row: Row) => string;
        return () => 'new';
      },
      api: { url: server.url, ...FAST_POLL },
      endpoint: (await receiver()).url,
      exportIntervalMillis: 60_000,
      logger,
    });
    await eventually(() => predict.health().version === '5', 5000, 'version 5');
    expect(predict({ id: 'a', x: 1 })).toBe('new');
    expect(predict.health().alias).toMatchObject({ loads: 3, loadFailures: 2, switches: 1 });
    expect(predict.health().alias?.lastLoadError).toMatch(/must return the model function/);
    expect(logger.warnings.filter((w) => w.includes('loading version 5') && w.includes('still serving 3'))).toHaveLength(2);
    await predict.shutdown();
  });

  it('an unknown alias (404), a broken answer or the API down: the version stays, failures counted', async () => {
    const server = await api();
    const logger = recordingLogger();
    const predict = monitor((_row: Row) => 1, {
      model: 'churn',
      version: '3',
      alias: 'champion',
      api: { url: server.url, ...FAST_POLL },
      endpoint: (await receiver()).url,
      exportIntervalMillis: 60_000,
      logger,
    });
    await eventually(() => (predict.health().alias?.poll.failed ?? 0) >= 2, 5000, 'two 404s');
    expect(predict.health().alias?.poll.lastError).toMatch(/HTTP 404/);
    server.answers.set(ALIAS, { kind: 'json', body: { version: '' } });
    await eventually(() => /version must be a non-empty string/.test(predict.health().alias?.poll.lastError ?? ''), 5000, 'shape error');
    await server.close();
    await eventually(() => /fetch failed/.test(predict.health().alias?.poll.lastError ?? ''), 5000, 'connection error');
    expect(predict.health().version).toBe('3');
    expect(predict({ id: 'a', x: 1 })).toBe(1);
    expect(logger.warnings.filter((w) => w.includes('alias champion of churn') && w.includes('failed'))).toHaveLength(1);
    await predict.shutdown();
  });
});
