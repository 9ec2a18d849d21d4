// Contract test against the real aggregator (docs/rollout.md): the SDK follows a rollout started through
// `PUT /api/v1/models/{model}/rollout` and an alias moved through the registry API, and the candidate's
// telemetry arrives with the role and version the rollout analysis looks for.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAggregator } from '@driftwatch/aggregator';
import type { Aggregator } from '@driftwatch/aggregator';
import { routeCanary } from '@driftwatch/lifecycle';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from './api-test-server.test-support.js';
import { monitor } from './monitor.js';

let dir: string;
let aggregator: Aggregator;
const quiet = { info() {}, warn() {}, error() {} };

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dw-sdk-rollout-'));
  aggregator = createAggregator({ dataDir: dir, httpPort: 0, otlpPort: 0 }, { timers: false, logger: quiet });
  await aggregator.start();
});
afterEach(async () => {
  await aggregator.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${aggregator.httpPort}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
  return JSON.parse(text) as unknown;
}

interface Request {
  userId: string;
}
const users = Array.from({ length: 1000 }, (_, i) => `user-${i}`);

describe('SDK ↔ aggregator rollout and registry', () => {
  it('follows the rollout weight and the champion alias served by the aggregator', async () => {
    for (let v = 1; v <= 2; v++) await call('POST', '/api/v1/registry/models/churn/versions', { artifactUri: `file:///models/churn/${v}`, by: 'test' });
    await call('PUT', '/api/v1/registry/models/churn/aliases/champion', { version: '1', by: 'test' });

    const predict = monitor((req: Request) => `v1:${req.userId}`, {
      model: 'churn',
      version: '1',
      alias: 'champion',
      canary: { model: (req: Request) => `v2:${req.userId}`, key: (req) => req.userId },
      api: { url: `http://127.0.0.1:${aggregator.httpPort}`, pollIntervalMillis: 25, timeoutMillis: 2000 },
      endpoint: `http://127.0.0.1:${aggregator.otlpPort}`,
      exportIntervalMillis: 60_000,
      logger: { info() {}, warn() {} },
    });
    // no rollout yet: weight 0, everything on the primary
    await eventually(() => predict.health().canary?.phase === 'none', 5000, 'phase none');
    expect(users.every((u) => predict({ userId: u }).startsWith('v1:'))).toBe(true);

    await call('PUT', '/api/v1/models/churn/rollout', { candidateVersion: '2', by: 'test', reason: 'contract test' });
    await eventually(() => predict.health().canary?.weight === 0.1, 5000, 'first step, 10 %');
    expect(predict.health().canary).toMatchObject({ version: '2', candidateVersion: '2', phase: 'progressing' });
    const canaryUsers = users.filter((u) => predict({ userId: u }).startsWith('v2:'));
    expect(canaryUsers).toEqual(users.filter((u) => routeCanary(u, 10)));

    await call('PUT', '/api/v1/models/churn/rollout', { weightPercent: 50, by: 'test' });
    await eventually(() => predict.health().canary?.weight === 0.5, 5000, 'weight 50 %');
    await call('PUT', '/api/v1/models/churn/rollout', { phase: 'rolled_back', by: 'test' });
    await eventually(() => predict.health().canary?.weight === 0, 5000, 'rolled back');
    expect(users.every((u) => predict({ userId: u }).startsWith('v1:'))).toBe(true);

    await call('PUT', '/api/v1/registry/models/churn/aliases/champion', { version: '2', by: 'test', reason: 'promote by hand' });
    await eventually(() => predict.health().version === '2', 5000, 'champion → 2');
    expect(predict.health().alias?.poll.failed).toBe(0);
    expect(predict.health().canary?.poll?.failed).toBe(0);
    await predict.shutdown();
  });
});
