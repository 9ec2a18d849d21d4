// `driftwatch serve` as a child process with a temporary data directory: exports from simulated instances, a
// kill -9 in the middle of an export, a restart on the same directory, and the instances' cumulative points sent
// again (as the SDK does on its next interval). Nothing is double-counted, windows, last cumulative points and
// references survive, and — cumulative points carrying their whole history — nothing is lost either.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReferenceProfile } from '@driftwatch/stats';
import { afterAll, describe, expect, it } from 'vitest';
import { postExport, send } from './testing/http-client.test-support.js';
import { parsePrometheusText, type PromExposition } from './testing/prometheus-text.test-support.js';
import { spawnServe, type ServeProcess } from './testing/serve-process.test-support.js';
import { SimulatedInstance } from './testing/simulated-instance.test-support.js';

const MODEL = { name: 'churn', version: '3' } as const;
const FLUSH_MS = 200;
const ENV = { DRIFTWATCH_FLUSH_INTERVAL: `${FLUSH_MS}ms`, DRIFTWATCH_EVALUATION_INTERVAL: '100ms' };
const T0 = BigInt(Date.now()) * 1_000_000n;
const at = (s: number): bigint => T0 + BigInt(s) * 1_000_000_000n;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const dirs: string[] = [];
const processes: ServeProcess[] = [];
afterAll(async () => {
  for (const p of processes) await p.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function scrape(serve: ServeProcess): Promise<PromExposition> {
  const r = await send(`${serve.apiUrl}/metrics`, 'GET', undefined);
  expect(r.status).toBe(200);
  return parsePrometheusText(r.body.toString('utf8'));
}

const labels = { model: MODEL.name, version: MODEL.version };
const predictions = (m: PromExposition): number => m.find('driftwatch_predictions_total', { ...labels, role: 'primary' })[0]?.value ?? 0;
const samples = (m: PromExposition, feature: string): number => m.find('driftwatch_feature_samples', { ...labels, feature, window: '1h' })[0]?.value ?? 0;

/** Scrapes until the evaluation (every 100 ms) has caught up with the counters. */
async function settled(serve: ServeProcess, expected: number): Promise<PromExposition> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const m = await scrape(serve);
    if ((samples(m, 'age') === expected && predictions(m) === expected) || Date.now() > deadline) return m;
    await sleep(50);
  }
}

describe('driftwatch serve: kill -9 and restart on the same data directory', () => {
  it('counts nothing twice, loses nothing of the cumulative streams, and keeps windows, stream points and references', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'driftwatch-restart-'));
    dirs.push(dir);
    let serve = await spawnServe(['--data-dir', dir], ENV);
    processes.push(serve);

    const rows = Array.from({ length: 200 }, (_, i) => ({ age: 20 + (i % 50), plan: i % 3 === 0 ? 'pro' : 'free' }));
    const profile = buildReferenceProfile(rows, { age: 'numeric', plan: 'categorical' }, { model: MODEL.name, version: MODEL.version, source: 'http' });
    const put = await send(`${serve.apiUrl}/api/v1/models/churn/versions/3/reference`, 'PUT', JSON.stringify(profile), { 'content-type': 'application/json' });
    expect(put.status, put.body.toString()).toBe(200);

    const instances = ['pod-a', 'pod-b', 'pod-c'].map((id) => new SimulatedInstance(id, MODEL));
    const delta = new SimulatedInstance('pod-delta', { name: 'churn-delta', version: '1' }, 'delta', at(0));
    const latest = new Map<SimulatedInstance, ReturnType<SimulatedInstance['export']>>();
    const exportAll = async (step: number): Promise<void> => {
      for (const inst of instances) {
        inst.record(100, (i) => i + step);
        const req = inst.export(at(step * 10));
        latest.set(inst, req);
        expect((await postExport(serve.otlpUrl, req, step % 2 ? 'protobuf' : 'json')).status).toBe(200);
      }
      delta.record(10, (i) => i);
      expect((await postExport(serve.otlpUrl, delta.export(at(step * 10)))).status).toBe(200);
    };

    for (let step = 1; step <= 5; step++) await exportAll(step);
    await sleep(3 * FLUSH_MS); // at least one flush has written all of that
    const deltaFlushed = delta.totalPredictions;
    for (let step = 6; step <= 7; step++) await exportAll(step);
    const deltaSent = delta.totalPredictions;

    // kill -9 while the next exports are on the wire
    for (const inst of instances) inst.record(100, (i) => -i);
    const inFlight = instances.map((inst) => {
      const req = inst.export(at(80));
      latest.set(inst, req);
      return postExport(serve.otlpUrl, req).catch(() => undefined);
    });
    const killed = await serve.kill('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    await Promise.all(inFlight);

    serve = await spawnServe(['--data-dir', dir], ENV);
    processes.push(serve);
    expect(serve.output()).toMatch(/restored 2 versions, \d+ series, \d+ streams, 1 references/);

    // what survived, before anything is sent again: windows and counters from the same transaction
    let m = await scrape(serve);
    const restored = predictions(m);
    expect(restored).toBeGreaterThanOrEqual(3 * 500);
    expect(restored).toBeLessThanOrEqual(3 * 800);
    expect(samples(m, 'age')).toBe(restored);
    expect(samples(m, 'plan')).toBe(restored);
    expect(m.value('driftwatch_reference_info', { ...labels, source: 'http' })).toBe(1);
    const ref = await send(`${serve.apiUrl}/api/v1/models/churn/versions/3/reference`, 'GET', undefined);
    expect(JSON.parse(ref.body.toString())).toEqual(profile);
    // delta streams cannot be sent again: at most what arrived after the last flush is lost (one flush interval)
    const deltaRestored = m.find('driftwatch_predictions_total', { model: 'churn-delta', version: '1' })[0]?.value ?? 0;
    expect(deltaRestored).toBeGreaterThanOrEqual(deltaFlushed);
    expect(deltaRestored).toBeLessThanOrEqual(deltaSent);

    // the SDKs send their cumulative points again: each instance's latest point, twice (a retry), then an older one
    for (const inst of instances) {
      const req = latest.get(inst);
      if (!req) throw new Error('no export');
      for (const format of ['protobuf', 'json'] as const) expect((await postExport(serve.otlpUrl, req, format)).status).toBe(200);
    }
    m = await settled(serve, 3 * 800);
    expect(predictions(m)).toBe(3 * 800);
    expect(samples(m, 'age')).toBe(3 * 800);
    expect(samples(m, 'plan')).toBe(3 * 800);
    expect(m.value('driftwatch_ingest_resets_total')).toBe(0); // the persisted last points were diffed, not reset

    // and the next regular export adds exactly its new predictions
    for (const inst of instances) {
      inst.record(50, (i) => i);
      expect((await postExport(serve.otlpUrl, inst.export(at(90)))).status).toBe(200);
    }
    m = await settled(serve, 3 * 850);
    expect(predictions(m)).toBe(3 * 850);
    expect(samples(m, 'age')).toBe(3 * 850);
    expect(instances.reduce((n, i) => n + i.totalPredictions, 0)).toBe(3 * 850);

    const stopped = await serve.kill('SIGTERM');
    expect(stopped.code, serve.output()).toBe(0);
  });
});
