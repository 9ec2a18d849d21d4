import { routeCanary } from '@driftwatch/lifecycle';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startTestApiServer } from './api-test-server.test-support.js';
import type { TestApiServer } from './api-test-server.test-support.js';
import { monitor } from './monitor.js';
import type { MonitorLogger } from './options.js';
import { sumValue } from './otlp-decode.test-support.js';
import { startTestReceiver, unusedEndpoint } from './otlp-test-receiver.test-support.js';
import type { TestReceiver } from './otlp-test-receiver.test-support.js';

const ROLLOUT = '/api/v1/models/churn/rollout';
// polls never overlap, so a generous timeout with a short interval is fine
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

interface Request {
  userId: string;
  age: number;
}
const primaryModel = (req: Request): string => `primary:${req.userId}`;
const candidateModel = (req: Request): string => `canary:${req.userId}`;
const users = Array.from({ length: 2000 }, (_, i) => `user-${i}`);

describe('canary', () => {
  it('routes deterministically by a hash of the key, exactly like routeCanary, and records the canary arm as role=canary', async () => {
    const r = await receiver();
    const predict = monitor(primaryModel, {
      model: 'churn',
      version: '3',
      output: 'class',
      canary: { model: candidateModel, weight: 0.1, key: (req) => req.userId, version: '4', followRollout: false },
      endpoint: r.url,
      exportIntervalMillis: 60_000,
      logger: recordingLogger(),
    });
    let canaryCalls = 0;
    for (const userId of users) {
      const first = predict({ userId, age: 1 });
      // same key → same arm, every time
      expect(predict({ userId, age: 2 })).toBe(first);
      expect(first).toBe(routeCanary(userId, 10) ? `canary:${userId}` : `primary:${userId}`);
      if (first.startsWith('canary')) canaryCalls += 2;
    }
    expect(canaryCalls / 2 / users.length).toBeGreaterThan(0.07);
    expect(canaryCalls / 2 / users.length).toBeLessThan(0.13);
    expect(predict.health().canary).toMatchObject({ version: '4', weight: 0.1, source: 'option', calls: canaryCalls, poll: undefined });
    expect(predict.health().calls).toBe(2 * users.length - canaryCalls);
    await predict.shutdown();
    expect(sumValue(r, 'ml.model.calls', { 'ml.model.name': 'churn', 'ml.model.version': '4', 'ml.deployment.role': 'canary' })).toBe(canaryCalls);
    expect(sumValue(r, 'ml.model.calls', { 'ml.model.name': 'churn', 'ml.model.version': '3', 'ml.deployment.role': 'primary' })).toBe(2 * users.length - canaryCalls);
  });

  it("a canary-routed caller gets the canary's result and errors; a bad key goes to the primary (counted)", async () => {
    const boom = new TypeError('canary failed');
    const predict = monitor(async (req: Request) => `p:${req.userId}`, {
      model: 'churn',
      version: '3',
      canary: {
        model: async (req: Request) => {
          if (req.age < 0) throw boom;
          return `c:${req.userId}`;
        },
        weight: 1,
        key: (req) => {
          if (req.userId === 'throw') throw new Error('no key');
          return req.userId === 'obj' ? (({}) as string) : req.userId;
        },
        followRollout: false,
      },
      endpoint: await unusedEndpoint(),
      exportIntervalMillis: 60_000,
      exportTimeoutMillis: 100,
      logger: recordingLogger(),
    });
    await expect(predict({ userId: 'a', age: 1 })).resolves.toBe('c:a');
    await expect(predict({ userId: 'a', age: -1 })).rejects.toBe(boom);
    await expect(predict({ userId: 'throw', age: 1 })).resolves.toBe('p:throw');
    await expect(predict({ userId: 'obj', age: 1 })).resolves.toBe('p:obj');
    expect(predict.health().drops).toEqual({ canary_key: 2 });
    expect(predict.health().canary?.calls).toBe(2);
    await predict.shutdown();
  });

  it('after a promotion, once the primary follows the alias to the candidate, the calls are the primary\'s again (role=primary)', async () => {
    const server = await api();
    const ALIAS = '/api/v1/models/churn/aliases/champion';
    server.answers.set(ROLLOUT, { kind: 'json', body: { model: 'churn', candidateVersion: '4', weight: 1, phase: 'promoted' } });
    server.answers.set(ALIAS, { kind: 'json', body: { model: 'churn', version: '3' } });
    const loads: string[] = [];
    const predict = monitor(primaryModel, {
      model: 'churn',
      version: '3',
      alias: 'champion',
      load: (version: string) => {
        loads.push(version);
        return candidateModel;
      },
      canary: { model: candidateModel, key: (req) => req.userId },
      api: { url: server.url, ...FAST_POLL },
      endpoint: await unusedEndpoint(),
      exportIntervalMillis: 60_000,
      exportTimeoutMillis: 100,
      logger: recordingLogger(),
    });
    // promoted, but the primary still serves version 3: the new champion is the canary arm, at weight 1
    await eventually(() => predict.health().canary?.weight === 1, 5000, 'weight 1 while the alias still names 3');
    expect(predict({ userId: 'user-1', age: 1 })).toBe('canary:user-1');
    // the alias moves: the primary loads version 4, and the canary arm is no longer used
    server.answers.set(ALIAS, { kind: 'json', body: { model: 'churn', version: '4' } });
    await eventually(() => predict.health().version === '4' && predict.health().canary?.weight === 0, 5000, 'primary on 4, canary at 0');
    expect(loads).toEqual(['4']);
    const canaryCallsBefore = predict.health().canary?.calls ?? 0;
    for (const u of users.slice(0, 200)) expect(predict({ userId: u, age: 1 })).toBe(`canary:${u}`); // the loaded v4 function, as primary
    expect(predict.health().canary?.calls).toBe(canaryCallsBefore);
    await predict.shutdown();
  });

  it('polls the rollout API: the weight is picked up and followed as it changes, and raising it only moves keys to the canary', async () => {
    const server = await api();
    server.answers.set(ROLLOUT, { kind: 'json', body: { model: 'churn', candidateVersion: '4', weight: 0.1, phase: 'progressing', step: 0 } });
    const logger = recordingLogger();
    const predict = monitor(primaryModel, {
      model: 'churn',
      version: '3',
      canary: { model: candidateModel, key: (req) => req.userId, version: '4' },
      api: { url: server.url, ...FAST_POLL, headers: { authorization: 'Bearer t0ken' } },
      endpoint: await unusedEndpoint(),
      exportIntervalMillis: 60_000,
      exportTimeoutMillis: 100,
      logger,
    });
    // until the first answer the option's weight (default 0) holds: everything on the primary, and no request was made on the call path
    expect(server.requests).toHaveLength(0);
    expect(predict({ userId: 'user-1', age: 1 })).toBe('primary:user-1');
    await eventually(() => predict.health().canary?.weight === 0.1, 5000, 'weight 0.1');
    const at10 = new Set(users.filter((u) => predict({ userId: u, age: 1 }).startsWith('canary')));
    expect([...at10].sort()).toEqual(users.filter((u) => routeCanary(u, 10)).sort());

    server.answers.set(ROLLOUT, { kind: 'json', body: { model: 'churn', candidateVersion: '4', weight: 0.5, phase: 'progressing' } });
    await eventually(() => predict.health().canary?.weight === 0.5, 5000, 'weight 0.5');
    const at50 = new Set(users.filter((u) => predict({ userId: u, age: 1 }).startsWith('canary')));
    for (const u of at10) expect(at50.has(u)).toBe(true);
    expect(at50.size).toBe(users.filter((u) => routeCanary(u, 50)).length);

    server.answers.set(ROLLOUT, { kind: 'json', body: { model: 'churn', candidateVersion: '4', weight: 0.5, phase: 'rolled_back' } });
    await eventually(() => predict.health().canary?.phase === 'rolled_back', 5000, 'rolled back');
    expect(predict.health().canary?.weight).toBe(0);
    expect(users.every((u) => predict({ userId: u, age: 1 }).startsWith('primary'))).toBe(true);

    expect(server.requests[0]?.headers['authorization']).toBe('Bearer t0ken');
    expect(server.requests[0]?.headers['accept']).toBe('application/json');
    expect(predict.health().canary?.poll).toMatchObject({ url: `${server.url}${ROLLOUT}`, failed: 0 });
    expect(logger.warnings).toEqual([]);
    await predict.shutdown();
    const polls = server.requests.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(server.requests.length).toBe(polls); // shutdown stops polling
  });

  it("records the canary under the rollout's candidateVersion when no version is configured, and routes nothing to a mismatched candidate", async () => {
    const r = await receiver();
    const server = await api();
    server.answers.set(ROLLOUT, { kind: 'json', body: { model: 'churn', candidateVersion: '7', weight: 1, phase: 'progressing' } });
    const predict = monitor(primaryModel, {
      model: 'churn',
      version: '3',
      canary: { model: candidateModel, key: (req) => req.userId },
      api: { url: server.url, ...FAST_POLL },
      endpoint: r.url,
      exportIntervalMillis: 60_000,
      logger: recordingLogger(),
    });
    expect(predict.health().canary?.version).toBe('candidate');
    await eventually(() => predict.health().canary?.version === '7', 5000, 'candidate version 7');
    expect(predict({ userId: 'u', age: 1 })).toBe('canary:u');
    await predict.shutdown();
    expect(sumValue(r, 'ml.model.calls', { 'ml.model.name': 'churn', 'ml.model.version': '7', 'ml.deployment.role': 'canary' })).toBe(1);

    const logger = recordingLogger();
    const pinned = monitor(primaryModel, {
      model: 'churn',
      version: '3',
      canary: { model: candidateModel, key: (req) => req.userId, version: '4', weight: 1 },
      api: { url: server.url, ...FAST_POLL },
      endpoint: r.url,
      exportIntervalMillis: 60_000,
      logger,
    });
    expect(pinned({ userId: 'u', age: 1 })).toBe('canary:u'); // the option's weight until the first answer
    await eventually(() => pinned.health().canary?.source === 'rollout', 5000, 'first rollout answer');
    expect(pinned.health().canary).toMatchObject({ weight: 0, requestedWeight: 1, candidateVersion: '7', version: '4' });
    expect(pinned({ userId: 'u', age: 1 })).toBe('primary:u');
    expect(logger.warnings.filter((w) => w.includes('version 7'))).toHaveLength(1);
    await pinned.shutdown();
  });
});

describe('canary: the aggregator\'s full rollout answer', () => {
  it('reads weight/candidateVersion/phase from the whole answer, and revalidates with If-None-Match (304 keeps the weight)', async () => {
    const server = await api();
    const answer = (weightPercent: number) => ({
      model: 'churn', rolloutId: 3, phase: 'progressing', mode: 'canary', primaryVersion: '3', candidateVersion: '4',
      weight: weightPercent / 100, weightPercent, pollIntervalSeconds: 15, steps: [10, 25, 50, 100], stepIndex: 1,
      measurements: 4, passesInStep: 1, measurementsPerStep: 3, failures: 0, failureLimit: 0, inconclusives: 0, inconclusiveLimit: 3,
      startedAt: '2025-03-01T10:00:00.000Z', startedBy: 'alice', reason: 'retrained', updatedAt: '2025-03-01T10:01:00.000Z',
      aliasesBefore: { champion: '3', challenger: null }, lastDecision: null, lastJudgement: null, measurement: null, registrySync: null,
    });
    server.answers.set(ROLLOUT, { kind: 'json', body: answer(25), etag: '"r3-1"' });
    const predict = monitor(primaryModel, {
      model: 'churn',
      version: '3',
      canary: { model: candidateModel, key: (req) => req.userId, version: '4' },
      api: { url: server.url, ...FAST_POLL },
      endpoint: await unusedEndpoint(),
      exportIntervalMillis: 60_000,
      exportTimeoutMillis: 100,
      logger: recordingLogger(),
    });
    await eventually(() => (predict.health().canary?.poll?.notModified ?? 0) >= 2, 5000, 'two 304s');
    expect(predict.health().canary).toMatchObject({ weight: 0.25, phase: 'progressing', candidateVersion: '4', poll: { failed: 0 } });
    expect(server.requests[0]?.headers['if-none-match']).toBeUndefined();
    expect(server.requests[1]?.headers['if-none-match']).toBe('"r3-1"');
    // a shadow-mode rollout has weight 0 until it turns into a canary
    server.answers.set(ROLLOUT, { kind: 'json', body: { ...answer(0), mode: 'shadow' }, etag: '"r3-2"' });
    await eventually(() => predict.health().canary?.weight === 0, 5000, 'weight 0');
    server.answers.set(ROLLOUT, { kind: 'json', body: answer(50), etag: '"r3-3"' });
    await eventually(() => predict.health().canary?.weight === 0.5, 5000, 'weight 0.5');
    await predict.shutdown();
  });
});

describe('canary: rollout API faults keep the last weight, are counted and logged, never thrown', () => {
  async function canaryWithApi(server: TestApiServer | string, logger: MonitorLogger, timeoutMillis = 2000) {
    return monitor(primaryModel, {
      model: 'churn',
      version: '3',
      canary: { model: candidateModel, key: (req) => req.userId, version: '4', weight: 0.25 },
      api: { url: typeof server === 'string' ? server : server.url, pollIntervalMillis: 20, timeoutMillis },
      endpoint: await unusedEndpoint(),
      exportIntervalMillis: 60_000,
      exportTimeoutMillis: 100,
      logger,
    });
  }
  const routedAt25 = users.filter((u) => routeCanary(u, 25)).sort();
  const canaryUsers = (p: (req: Request) => string): string[] => users.filter((u) => p({ userId: u, age: 1 }).startsWith('canary')).sort();

  it('endpoint down: the option weight stays in force', async () => {
    const logger = recordingLogger();
    const predict = await canaryWithApi(await unusedEndpoint(), logger);
    await eventually(() => (predict.health().canary?.poll?.failed ?? 0) >= 3, 5000, 'three failed polls');
    expect(canaryUsers(predict)).toEqual(routedAt25);
    expect(predict.health().canary).toMatchObject({ weight: 0.25, source: 'option', poll: { succeeded: 0 } });
    expect(predict.health().canary?.poll?.lastError).toMatch(/fetch failed|ECONNREFUSED/);
    expect(logger.warnings.filter((w) => w.includes('rollout of churn') && w.includes('failed'))).toHaveLength(1);
    await predict.shutdown();
  });

  it.each([
    ['HTTP 500', { kind: 'text', body: 'boom', status: 500 }, /HTTP 500: boom/],
    ['HTTP 404', { kind: 'json', body: { error: 'unknown model' }, status: 404 }, /HTTP 404/],
    ['not JSON', { kind: 'text', body: '<html>', status: 200 }, /not JSON/],
    ['a percentage weight', { kind: 'json', body: { model: 'churn', candidateVersion: '4', weight: 25, phase: 'progressing' } }, /rollout.weight must be a number in \[0, 1\]/],
    ['another model', { kind: 'json', body: { model: 'other', candidateVersion: '4', weight: 0.5, phase: 'progressing' } }, /rollout.model/],
    ['an unknown phase', { kind: 'json', body: { model: 'churn', candidateVersion: '4', weight: 0.5, phase: 'done' } }, /rollout.phase/],
  ] as const)('%s: the last good weight is kept, then a good answer recovers', async (_name, fault, message) => {
    const server = await api();
    server.answers.set(ROLLOUT, { kind: 'json', body: { model: 'churn', candidateVersion: '4', weight: 0.5, phase: 'progressing' } });
    const logger = recordingLogger();
    const predict = await canaryWithApi(server, logger);
    await eventually(() => predict.health().canary?.weight === 0.5, 5000, 'weight 0.5');
    server.answers.set(ROLLOUT, fault);
    await eventually(() => (predict.health().canary?.poll?.consecutiveFailures ?? 0) >= 2, 5000, 'two failed polls');
    expect(predict.health().canary?.weight).toBe(0.5);
    expect(canaryUsers(predict)).toEqual(users.filter((u) => routeCanary(u, 50)).sort());
    expect(predict.health().canary?.poll?.lastError).toMatch(message);
    server.answers.set(ROLLOUT, { kind: 'json', body: { model: 'churn', candidateVersion: '4', weight: 0.25, phase: 'progressing' } });
    await eventually(() => predict.health().canary?.weight === 0.25, 5000, 'weight 0.25');
    expect(predict.health().canary?.poll?.consecutiveFailures).toBe(0);
    expect(logger.warnings.some((w) => w.includes('recovered'))).toBe(true);
    await predict.shutdown();
  });

  it('endpoint slow (never answers): each poll times out, calls stay synchronous and unaffected', async () => {
    const server = await api();
    server.answers.set(ROLLOUT, { kind: 'hang' });
    const logger = recordingLogger();
    const predict = await canaryWithApi(server, logger, 50);
    await server.waitForRequests(ROLLOUT, 1);
    const t0 = performance.now();
    expect(canaryUsers(predict)).toEqual(routedAt25);
    expect(performance.now() - t0).toBeLessThan(1000);
    await eventually(() => (predict.health().canary?.poll?.failed ?? 0) >= 2, 5000, 'two timed-out polls');
    expect(predict.health().canary?.poll?.lastError).toMatch(/no answer within 50 ms/);
    expect(predict.health().canary?.weight).toBe(0.25);
    await predict.shutdown();
  });
});
