import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { takeScenarioRows } from './scenarios.js';
import type { ModelServer } from './server.js';
import { createModelServer } from './server.js';
import type { TrafficProgress } from './traffic.js';
import { describeTraffic, playTraffic, trafficCli } from './traffic.js';
import { trainChurnArtifact } from './train.js';

/** A model server stand-in that records every request body and answers like the real one. */
async function startRecordingServer(): Promise<{ url: string; predicted: unknown[]; feedback: unknown[]; server: Server }> {
  const predicted: unknown[] = [];
  const feedback: unknown[] = [];
  let nextId = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
      const answer = (): { id: string; churn_probability: number; churn: 0 } => ({ id: `id-${nextId++}`, churn_probability: 0.25, churn: 0 });
      let reply: unknown;
      if (req.url === '/predict') {
        const rows = Array.isArray(body) ? body : [body];
        predicted.push(...rows);
        reply = Array.isArray(body) ? rows.map(answer) : answer();
      } else {
        const items = Array.isArray(body) ? body : [body];
        feedback.push(...items);
        reply = { received: items.length };
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, predicted, feedback, server };
}

describe('playTraffic against a recording server', () => {
  let fake: Awaited<ReturnType<typeof startRecordingServer>>;
  beforeAll(async () => {
    fake = await startRecordingServer();
  });
  afterAll(() => {
    fake.server.close();
  });

  it('sends exactly rate × duration scenario rows, then their labels by the ids the server gave', async () => {
    fake.predicted.length = 0;
    fake.feedback.length = 0;
    const progress: TrafficProgress[] = [];
    const summary = await playTraffic({
      url: fake.url,
      scenario: 'shift',
      ratePerSecond: 40,
      durationSeconds: 0.5,
      seed: 6,
      feedbackDelayMillis: 20,
      onProgress: (p) => progress.push(p),
    });
    expect(summary).toMatchObject({ scenario: 'shift', sent: 20, predicted: 20, feedbackSent: 20, errors: 0, exhausted: false, done: true });
    const expected = takeScenarioRows('shift', { seed: 6 }, 20);
    // requests sent in the same tick may arrive in any order
    const sorted = (rows: readonly unknown[]): string[] => rows.map((r) => JSON.stringify(r)).sort();
    expect(sorted(fake.predicted)).toEqual(sorted(expected.map((r) => r.features)));
    // labels go back under the server's ids (id-k names the k-th row it received), each with that row's true churn
    const churnByRow = new Map(expected.map((r) => [JSON.stringify(r.features), r.churn]));
    const feedback = fake.feedback as { id: string; churn: number }[];
    expect(new Set(feedback.map((f) => f.id)).size).toBe(20);
    for (const { id, churn } of feedback) {
      const row = fake.predicted[Number(id.slice('id-'.length))];
      expect(churn).toBe(churnByRow.get(JSON.stringify(row)));
    }
    expect(progress.at(-1)?.done).toBe(true);
  });

  it('batches rows and samples feedback', async () => {
    fake.predicted.length = 0;
    fake.feedback.length = 0;
    const summary = await playTraffic({
      url: fake.url,
      scenario: 'new-category',
      ratePerSecond: 200,
      durationSeconds: 0.5,
      batchSize: 25,
      feedbackShare: 0.5,
      feedbackDelayMillis: 0,
    });
    expect(summary.sent).toBe(100);
    expect(summary.predicted).toBe(100);
    expect(fake.predicted).toHaveLength(100);
    expect(summary.feedbackSent).toBe(fake.feedback.length);
    expect(summary.feedbackSent).toBeGreaterThan(25);
    expect(summary.feedbackSent).toBeLessThan(75);
    expect(fake.predicted.some((row) => (row as { payment_method: string }).payment_method === 'Crypto wallet')).toBe(true);
  });

  it('plays silence for an outage', async () => {
    fake.predicted.length = 0;
    const summary = await playTraffic({ url: fake.url, scenario: 'outage', ratePerSecond: 50, durationSeconds: 0.3 });
    expect(summary).toMatchObject({ sent: 0, predicted: 0, exhausted: true, errors: 0 });
    const partial = await playTraffic({ url: fake.url, scenario: 'outage', ratePerSecond: 50, durationSeconds: 0.3, scenarioOptions: { outageAfterRows: 4 }, feedbackDelayMillis: 0 });
    expect(partial).toMatchObject({ sent: 4, predicted: 4, exhausted: true });
  });

  it('stops early when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const summary = await playTraffic({ url: fake.url, scenario: 'no-drift', ratePerSecond: 50, durationSeconds: 5, signal: controller.signal });
    expect(summary.sent).toBe(0);
    expect(summary.done).toBe(true);
  });
});

describe('playTraffic failures', () => {
  it('counts failed requests instead of throwing', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    closed.close();
    const summary = await playTraffic({ url: `http://127.0.0.1:${port}`, scenario: 'no-drift', ratePerSecond: 20, durationSeconds: 0.2 });
    expect(summary.sent).toBe(4);
    expect(summary.predicted).toBe(0);
    expect(summary.errors).toBe(4);
    expect(describeTraffic(summary)).toMatch(/errors 4 — last error: /);
  });

  it('rejects bad options', async () => {
    const base = { url: 'http://127.0.0.1:1', scenario: 'no-drift' as const, ratePerSecond: 1, durationSeconds: 1 };
    await expect(playTraffic({ ...base, url: 'not a url' })).rejects.toThrow(/url must be an absolute URL/);
    await expect(playTraffic({ ...base, scenario: 'drift' as never })).rejects.toThrow(/unknown scenario "drift"/);
    await expect(playTraffic({ ...base, ratePerSecond: 0 })).rejects.toThrow(/ratePerSecond must be a positive number/);
    await expect(playTraffic({ ...base, durationSeconds: -1 })).rejects.toThrow(/durationSeconds must be a positive number/);
    await expect(playTraffic({ ...base, batchSize: 0 })).rejects.toThrow(/batchSize must be a positive integer/);
    await expect(playTraffic({ ...base, feedbackShare: 2 })).rejects.toThrow(/feedbackShare must be in \[0, 1\]/);
  });
});

describe('playTraffic against the real model server', () => {
  let root: string;
  let server: ModelServer;
  let sink: Server;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'churn-traffic-'));
    const trained = await trainChurnArtifact({ artifactsRoot: root, rows: 2000, seed: 4 });
    sink = createServer((_req, res) => res.writeHead(200).end());
    sink.listen(0, '127.0.0.1');
    await once(sink, 'listening');
    server = await createModelServer({
      artifactDir: trained.dir,
      otlpEndpoint: `http://127.0.0.1:${(sink.address() as AddressInfo).port}`,
      exportIntervalMillis: 60_000,
      logger: { info: () => undefined, warn: () => undefined },
    });
  });
  afterAll(async () => {
    await server.close();
    sink.close();
    await rm(root, { recursive: true, force: true });
  });

  it('gets every prediction answered and every label joined', async () => {
    const summary = await playTraffic({ url: server.url, scenario: 'concept', ratePerSecond: 100, durationSeconds: 0.5, batchSize: 5, feedbackDelayMillis: 10 });
    expect(summary).toMatchObject({ sent: 50, predicted: 50, feedbackSent: 50, errors: 0 });
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { monitor: { predictions: number; pendingPredictions: number } };
    expect(health.monitor).toMatchObject({ predictions: 50, pendingPredictions: 0 });
  });

  it('runs as a CLI', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const code = await trafficCli(['--url', server.url, '--scenario', 'no-drift', '--rate', '20', '--duration', '0.25', '--feedback-delay', '0']);
      expect(code).toBe(0);
      expect(String(log.mock.calls.at(-1)?.[0])).toMatch(/^no-drift 0s: sent 5, predicted 5, feedback 5, errors 0$/);
      const outage = await trafficCli(['--url', server.url, '--scenario', 'outage', '--outage-after-rows', '3', '--rate', '40', '--duration', '0.25', '--feedback-delay', '0']);
      expect(outage).toBe(0);
      expect(String(log.mock.calls.at(-1)?.[0])).toMatch(/^outage 0s: sent 3, predicted 3, feedback 3, errors 0 \(traffic stopped\)$/);
    } finally {
      log.mockRestore();
    }
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await trafficCli(['--scenario', 'shift'])).toBe(2);
      expect(String(error.mock.calls.at(-1)?.[0])).toMatch(/--url is required/);
      expect(await trafficCli(['--url', server.url, '--scenario', 'nope'])).toBe(2);
    } finally {
      error.mockRestore();
    }
  });
});
