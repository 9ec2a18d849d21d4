import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ExportMetricsServiceRequest, Metric } from '@driftwatch/otlp';
import { decodeMetricsProtobuf } from '@driftwatch/otlp';
import { routeCanary } from '@driftwatch/lifecycle';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { predictChurnProbability } from './model/churn-model.js';
import { takeScenarioRows } from './scenarios.js';
import type { ModelServer, PredictionResponse } from './server.js';
import { latestArtifactDir } from './model/artifact.js';
import { createModelServer, serverCli } from './server.js';
import { trainChurnArtifact } from './train.js';
import type { TrainResult } from './train.js';

/** A stand-in for the aggregator: accepts OTLP/HTTP protobuf metrics and keeps them decoded. */
async function startOtlpSink(): Promise<{ url: string; requests: ExportMetricsServiceRequest[]; server: Server }> {
  const requests: ExportMetricsServiceRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      if (req.url === '/v1/metrics') requests.push(decodeMetricsProtobuf(body));
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

function metricsNamed(requests: readonly ExportMetricsServiceRequest[], name: string): Metric[] {
  return requests.flatMap((r) => r.resourceMetrics.flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics.filter((m) => m.name === name))));
}

/** The largest value of a cumulative Sum over every export, for points matching `attributes`. */
function lastSum(requests: readonly ExportMetricsServiceRequest[], name: string, attributes: Record<string, string>): number {
  let value = 0;
  for (const metric of metricsNamed(requests, name)) {
    if (metric.data.type !== 'sum') continue;
    for (const point of metric.data.points) {
      if (Object.entries(attributes).every(([k, v]) => point.attributes[k] === v)) value = Math.max(value, point.value);
    }
  }
  return value;
}

const post = async (url: string, body: unknown, contentType = 'application/json'): Promise<{ status: number; json: unknown }> => {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
};

const warnings: string[] = [];
const quietLogger = { info: () => undefined, warn: (m: string) => warnings.push(m) };

let root: string;
let trained: TrainResult;
let sink: Awaited<ReturnType<typeof startOtlpSink>>;
let server: ModelServer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'churn-server-'));
  trained = await trainChurnArtifact({ artifactsRoot: root, rows: 3000, seed: 8 });
  sink = await startOtlpSink();
  server = await createModelServer({
    artifactDir: trained.dir,
    otlpEndpoint: sink.url,
    exportIntervalMillis: 60_000,
    maxBatchRows: 50,
    logger: quietLogger,
  });
});

afterAll(async () => {
  await server.close();
  sink.server.close();
  await rm(root, { recursive: true, force: true });
});

describe('createModelServer', () => {
  const customers = takeScenarioRows('no-drift', { seed: 2 }, 30);

  it('serves one prediction per row, matching the artifact model', async () => {
    const customer = customers[0];
    if (!customer) throw new Error('no customer');
    const { status, json } = await post(`${server.url}/predict`, customer.features);
    expect(status).toBe(200);
    const prediction = json as PredictionResponse;
    expect(prediction.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(prediction.churn_probability).toBe(predictChurnProbability(trained.artifact.model, customer.features));
    expect(prediction.churn).toBe(prediction.churn_probability >= 0.5 ? 1 : 0);
  });

  it('serves batches and keeps client ids', async () => {
    const rows = customers.slice(1, 11).map((c, i) => ({ ...c.features, id: `batch-${i}` }));
    const { status, json } = await post(`${server.url}/predict`, rows);
    expect(status).toBe(200);
    const predictions = json as PredictionResponse[];
    expect(predictions.map((p) => p.id)).toEqual(rows.map((r) => r.id));
    predictions.forEach((p, i) => expect(p.churn_probability).toBe(predictChurnProbability(trained.artifact.model, rows[i] ?? {})));
  });

  it('joins feedback to predictions (the monitor holds them until the label comes)', async () => {
    const rows = customers.slice(11, 21).map((c, i) => ({ ...c.features, id: `fb-${i}` }));
    await post(`${server.url}/predict`, rows);
    const before = ((await (await fetch(`${server.url}/healthz`)).json()) as { monitor: { pendingPredictions: number } }).monitor.pendingPredictions;
    const labels = rows.map((r, i) => ({ id: r.id, churn: customers[11 + i]?.churn ?? 0 }));
    const { status, json } = await post(`${server.url}/feedback`, labels);
    expect(status).toBe(200);
    expect(json).toEqual({ received: 10 });
    const after = ((await (await fetch(`${server.url}/healthz`)).json()) as { monitor: { pendingPredictions: number } }).monitor.pendingPredictions;
    expect(before - after).toBe(10);
  });

  it('answers bad requests with a status and a message', async () => {
    expect(await post(`${server.url}/predict`, '{"tenure":', 'application/json')).toEqual({ status: 400, json: { error: 'request body is not valid JSON' } });
    expect(await post(`${server.url}/predict`, [1])).toEqual({ status: 400, json: { error: 'rows[0] must be a JSON object of feature values' } });
    expect((await post(`${server.url}/predict`, [])).status).toBe(400);
    expect((await post(`${server.url}/predict`, Array.from({ length: 51 }, () => ({})))).json).toEqual({ error: 'at most 50 predict items per request, got 51' });
    expect((await post(`${server.url}/predict`, 'tenure=3', 'text/plain')).status).toBe(415);
    expect(await post(`${server.url}/feedback`, { id: 'x', churn: 'maybe' })).toEqual({ status: 400, json: { error: 'feedback.churn must be 0 or 1' } });
    const missing = await fetch(`${server.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'no route GET /nope' });
  });

  it('scores rows with missing values and unseen categories instead of failing', async () => {
    const { status, json } = await post(`${server.url}/predict`, { payment_method: 'Crypto wallet', tenure: null });
    expect(status).toBe(200);
    expect((json as PredictionResponse).churn_probability).toBeGreaterThan(0);
  });

  it('reports health and model metadata', async () => {
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { status: string; version: string; monitor: { enabled: boolean; features: number } };
    expect(health).toMatchObject({ status: 'ok', model: 'churn', version: '1', monitor: { enabled: true, features: 7 } });
    const model = (await (await fetch(`${server.url}/model`)).json()) as Record<string, unknown>;
    expect(model).toMatchObject({ name: 'churn', version: '1', metrics: trained.artifact.metrics });
    expect(model).not.toHaveProperty('model');
  });

  it('exports the monitoring over OTLP when closed (one monitor call covers predictions, features, outputs and feedback)', async () => {
    await server.close();
    const model = { 'ml.model.name': 'churn', 'ml.model.version': '1' };
    // 1 + 10 + 10 + 1 rows were predicted in 4 successful /predict calls
    expect(lastSum(sink.requests, 'ml.model.predictions', model)).toBe(22);
    expect(lastSum(sink.requests, 'ml.model.calls', model)).toBe(4);
    expect(lastSum(sink.requests, 'ml.model.feedback.labels', model)).toBe(10);
    expect(lastSum(sink.requests, 'ml.model.feature.category', { ...model, 'ml.feature.name': 'payment_method', 'ml.feature.category': 'Crypto wallet' })).toBe(1);
    expect(lastSum(sink.requests, 'ml.model.feature.missing', { ...model, 'ml.feature.name': 'tenure', 'ml.feature.missing_reason': 'null' })).toBe(1);
    const featureNames = new Set(
      metricsNamed(sink.requests, 'ml.model.feature.value').flatMap((m) => (m.data.type === 'exponentialHistogram' ? m.data.points.map((p) => p.attributes['ml.feature.name']) : [])),
    );
    expect([...featureNames].sort()).toEqual(['monthly_charges', 'tenure', 'total_charges']);
    const scores = metricsNamed(sink.requests, 'ml.model.output.value').flatMap((m) => (m.data.type === 'exponentialHistogram' ? m.data.points : []));
    expect(Math.max(...scores.filter((p) => p.attributes['ml.output.name'] === 'score').map((p) => p.count))).toBe(22);
    expect(warnings).toEqual([]);
  });
});

describe('createModelServer options', () => {
  it('rejects bad options and broken artifacts with the field named', async () => {
    await expect(createModelServer({ artifactDir: '' })).rejects.toThrow('createModelServer: options.artifactDir must be a directory path');
    await expect(createModelServer({ artifactDir: root, port: 70_000 })).rejects.toThrow(/options.port must be an integer/);
    await expect(createModelServer({ artifactDir: join(root, 'churn', 'nope') })).rejects.toThrow(/cannot read/);
  });

  it('finds the latest trained version', async () => {
    expect(await latestArtifactDir(root)).toBe(trained.dir);
    expect(await latestArtifactDir(join(root, 'empty'))).toBeUndefined();
  });
});

describe('serverCli', () => {
  it('reports startup problems with an exit code instead of serving', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await serverCli(['--nope'])).toBe(2);
      expect(await serverCli(['--artifacts', join(root, 'empty')])).toBe(1);
      expect(String(error.mock.calls.at(-1)?.[0])).toMatch(/no trained model under .*empty; run train first/);
      expect(await serverCli(['--artifacts', root, '--role', 'boss'])).toBe(1);
      expect(String(error.mock.calls.at(-1)?.[0])).toMatch(/--role must be one of primary, canary, shadow/);
      expect(await serverCli(['--artifacts', root, '--version', '../x'])).toBe(1);
      expect(String(error.mock.calls.at(-1)?.[0])).toMatch(/artifact version must match/);
    } finally {
      error.mockRestore();
    }
  });
});

describe('createModelServer with rollout (docs/rollout.md)', () => {
  /** A stand-in for the aggregator's API: the rollout, the champion alias and the registry's versions. */
  async function startApi(state: { rollout: Record<string, unknown>; champion: string; artifacts: Record<string, string> }): Promise<{ url: string; server: Server }> {
    const server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (path === '/api/v1/models/churn/rollout') return json(200, state.rollout);
      if (path === '/api/v1/models/churn/aliases/champion') return json(200, { model: 'churn', alias: 'champion', version: state.champion });
      const version = /^\/api\/v1\/registry\/models\/churn\/versions\/([^/]+)$/.exec(path)?.[1];
      const dir = version === undefined ? undefined : state.artifacts[version];
      if (dir !== undefined) return json(200, { model: 'churn', version, artifactUri: dir });
      return json(404, { error: `no ${path}` });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
  }

  const until = async (what: string, ok: () => boolean): Promise<void> => {
    const deadline = Date.now() + 5_000;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('routes the rollout weight to the deployed candidate by prediction id, and follows the champion alias', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'churn-rollout-'));
    const v1 = await trainChurnArtifact({ artifactsRoot: dir, rows: 3000, seed: 8, version: '1' });
    const v2 = await trainChurnArtifact({ artifactsRoot: dir, rows: 3000, seed: 9, version: '2' });
    const state = { rollout: { model: 'churn', candidateVersion: '2', weight: 0.5, phase: 'progressing' }, champion: '1', artifacts: { '1': v1.dir, '2': v2.dir } };
    const api = await startApi(state);
    const sink = await startOtlpSink();
    const s = await createModelServer({ artifactDir: v1.dir, otlpEndpoint: sink.url, exportIntervalMillis: 60_000, logger: quietLogger, rollout: { apiUrl: api.url, pollIntervalMillis: 50 } });
    try {
      expect((await s.deployCandidate('2')).version).toBe('2');
      expect(s.candidate?.version).toBe('2');
      await until('the canary weight', () => s.health().canary?.weight === 0.5);
      const rows = takeScenarioRows('no-drift', { seed: 3 }, 60).map((r, i) => ({ ...r.features, id: `customer-${i}` }));
      // one request per row: the SDK routes each request by a hash of its (first) prediction id
      let canaryServed = 0;
      for (const row of rows) {
        const p = ((await post(`${s.url}/predict`, row)).json as PredictionResponse).churn_probability;
        const toCanary = routeCanary(row.id, 50);
        expect(p, row.id).toBe(predictChurnProbability((toCanary ? v2 : v1).artifact.model, row));
        if (toCanary) canaryServed++;
      }
      expect(canaryServed).toBeGreaterThan(10);
      expect(s.health().canary).toMatchObject({ version: '2', calls: canaryServed });

      // the champion moves to v2: the primary loads it from the registry's artifactUri, then serves and records it
      state.rollout = { model: 'churn', candidateVersion: '2', weight: 0, phase: 'rolled_back' };
      state.champion = '2';
      await until('the champion switch', () => s.health().version === '2' && s.health().canary?.weight === 0);
      expect(s.artifact.version).toBe('2');
      const health = (await (await fetch(`${s.url}/healthz`)).json()) as { version: string; monitor: { alias: { target: string; loads: number } } };
      expect(health).toMatchObject({ version: '2', monitor: { alias: { target: '2', loads: 1 } } });
      expect(((await (await fetch(`${s.url}/model`)).json()) as { version: string }).version).toBe('2');
      const row = rows[0] ?? {};
      expect(((await post(`${s.url}/predict`, row)).json as PredictionResponse).churn_probability).toBe(predictChurnProbability(v2.artifact.model, row));

      await expect(s.deployCandidate('7')).rejects.toThrow(/versions\/7: HTTP 404/);
    } finally {
      await s.close();
      sink.server.close();
      api.server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses rollout options it cannot honour', async () => {
    await expect(createModelServer({ artifactDir: trained.dir, rollout: { apiUrl: 'nope' } })).rejects.toThrow('createModelServer: options.rollout.apiUrl must be an absolute URL, got "nope"');
    await expect(createModelServer({ artifactDir: trained.dir, role: 'canary', rollout: { apiUrl: 'http://127.0.0.1:1' } })).rejects.toThrow('createModelServer: options.rollout needs role primary, got canary');
    const plain = await createModelServer({ artifactDir: trained.dir, otlpEndpoint: sink.url, exportIntervalMillis: 60_000, logger: quietLogger });
    try {
      await expect(plain.deployCandidate('2')).rejects.toThrow('deployCandidate needs the rollout option');
      expect(plain.health().canary).toBeUndefined();
    } finally {
      await plain.close();
    }
  });
});
