import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmbeddedRegistry } from './embedded-registry.js';
import { createMlflowRegistry, MLFLOW_TAGS } from './mlflow-registry.js';
import { CHAMPION, CHALLENGER, RegistryError } from './model-registry.js';
import type { ModelRegistry } from './model-registry.js';
import { MLFLOW_TEST_TOKEN as TOKEN, startFakeMlflow } from './testing/fake-mlflow.test-support.js';

// ---------------------------------------------------------------------------------------------
// The conformance suite: every ModelRegistry implementation must pass it.
// ---------------------------------------------------------------------------------------------

interface Harness {
  registry: ModelRegistry;
  clock: { now: number };
  close(): Promise<void>;
}

const T0 = Date.parse('2024-05-06T10:00:00Z');

const implementations: Array<[string, () => Promise<Harness>]> = [
  [
    'embedded (SQLite)',
    async () => {
      const clock = { now: T0 };
      let id = 0;
      const registry = createEmbeddedRegistry({ database: ':memory:', now: () => clock.now, newId: () => `ev-${++id}` });
      return { registry, clock, close: async () => registry.close() };
    },
  ],
  [
    'MLflow adapter (fake MLflow server)',
    async () => {
      const clock = { now: T0 };
      const fake = await startFakeMlflow(clock);
      let id = 0;
      const registry = createMlflowRegistry({ baseUrl: fake.url, token: TOKEN, now: () => clock.now, newId: () => `ev-${++id}` });
      return { registry, clock, close: fake.close };
    },
  ],
];

async function rejection(promise: Promise<unknown>): Promise<RegistryError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RegistryError) return error;
    throw error;
  }
  throw new Error('expected a RegistryError');
}

describe.each(implementations)('ModelRegistry conformance: %s', (_name, make) => {
  let h: Harness;
  beforeEach(async () => {
    h = await make();
  });
  afterEach(async () => {
    await h.close();
  });
  const by = { by: 'alice', reason: 'test' };
  const register = async (model = 'churn', extra: Record<string, unknown> = {}) => {
    h.clock.now += 1000;
    return h.registry.registerVersion({ model, artifactUri: `s3://models/${model}/${h.clock.now}`, by: 'trainer', reason: 'nightly', ...extra });
  };

  it('creates and reads models; a duplicate is a conflict; an unknown one is null', async () => {
    const created = await h.registry.createModel('churn', { by: 'alice', description: 'churn classifier' });
    expect(created).toEqual({ name: 'churn', description: 'churn classifier', createdAtMs: T0, aliases: {} });
    expect(await h.registry.getModel('churn')).toEqual(created);
    expect((await rejection(h.registry.createModel('churn', by))).code).toBe('conflict');
    expect(await h.registry.getModel('fraud')).toBeNull();
  });

  it('registers numbered versions with their metadata, creating the model on first use', async () => {
    const v1 = await register('churn', { metrics: { accuracy: 0.91, roc_auc: 0.95 }, description: 'first', runId: 'run-1' });
    expect(v1).toEqual({
      model: 'churn',
      version: '1',
      artifactUri: `s3://models/churn/${T0 + 1000}`,
      metrics: { accuracy: 0.91, roc_auc: 0.95 },
      description: 'first',
      runId: 'run-1',
      createdBy: 'trainer',
      createdAtMs: T0 + 1000,
      aliases: [],
    });
    const v2 = await register();
    expect(v2.version).toBe('2');
    expect(v2.metrics).toEqual({});
    expect(v2.runId).toBeNull();
    expect(await h.registry.getVersion('churn', '1')).toEqual(v1);
    expect(await h.registry.getVersion('churn', '9')).toBeNull();
    expect(await h.registry.getModel('churn')).toMatchObject({ name: 'churn' });
  });

  it('lists all versions oldest first (across result pages)', async () => {
    for (let i = 0; i < 5; i++) await register();
    await register('fraud');
    const versions = await h.registry.listVersions('churn');
    expect(versions.map((v) => v.version)).toEqual(['1', '2', '3', '4', '5']);
    expect((await rejection(h.registry.listVersions('nobody'))).code).toBe('not_found');
  });

  it('sets, reads, moves and deletes aliases', async () => {
    await register();
    await register();
    await h.registry.setAlias('churn', CHAMPION, '1', by);
    await h.registry.setAlias('churn', CHALLENGER, '2', by);
    expect((await h.registry.getVersionByAlias('churn', CHAMPION))?.version).toBe('1');
    expect((await h.registry.getVersion('churn', '2'))?.aliases).toEqual([CHALLENGER]);
    expect((await h.registry.getModel('churn'))?.aliases).toEqual({ champion: '1', challenger: '2' });
    await h.registry.setAlias('churn', CHAMPION, '2', by);
    expect((await h.registry.getVersion('churn', '2'))?.aliases).toEqual([CHALLENGER, CHAMPION]);
    await h.registry.deleteAlias('churn', CHALLENGER, by);
    expect(await h.registry.getVersionByAlias('churn', CHALLENGER)).toBeNull();
    expect((await rejection(h.registry.deleteAlias('churn', CHALLENGER, by))).code).toBe('not_found');
    expect((await rejection(h.registry.setAlias('churn', CHAMPION, '7', by))).code).toBe('not_found');
    expect((await rejection(h.registry.setAlias('nobody', CHAMPION, '1', by))).code).toBe('not_found');
  });

  it('records who changed what, when and why, newest first', async () => {
    await register();
    h.clock.now += 1000;
    await h.registry.setAlias('churn', CHAMPION, '1', { by: 'bob', reason: 'passed offline eval' });
    h.clock.now += 1000;
    await h.registry.setAlias('churn', CHAMPION, '1', { by: 'bob', reason: 'again' }); // no-op: no event
    await h.registry.deleteAlias('churn', CHAMPION, { by: 'carol', reason: 'incident 42' });
    const history = await h.registry.history('churn');
    expect(history.map((e) => [e.action, e.alias, e.previousVersion, e.version, e.by, e.reason, e.atMs])).toEqual([
      ['alias_deleted', CHAMPION, '1', null, 'carol', 'incident 42', T0 + 3000],
      ['alias_set', CHAMPION, null, '1', 'bob', 'passed offline eval', T0 + 2000],
      ['version_registered', null, null, '1', 'trainer', 'nightly', T0 + 1000],
      ['model_created', null, null, null, 'trainer', 'nightly', T0 + 1000],
    ]);
    expect(new Set(history.map((e) => e.id)).size).toBe(4);
    expect(history.every((e) => e.model === 'churn')).toBe(true);
    expect(await h.registry.history('churn', { limit: 1 })).toEqual([history[0]]);
    expect(await h.registry.history('nobody')).toEqual([]);
  });

  it('rolls the champion back through earlier champions, then refuses', async () => {
    for (let i = 0; i < 3; i++) await register();
    expect((await rejection(h.registry.rollback('churn', by))).code).toBe('conflict'); // no champion
    await h.registry.setAlias('churn', CHAMPION, '1', by);
    expect((await rejection(h.registry.rollback('churn', by))).message).toContain('no previous champion');
    await h.registry.setAlias('churn', CHAMPION, '2', by);
    await h.registry.setAlias('churn', CHAMPION, '3', by);

    expect(await h.registry.rollback('churn', { by: 'pager', reason: 'canary failed' })).toEqual({ alias: CHAMPION, from: '3', to: '2' });
    expect((await h.registry.getVersionByAlias('churn', CHAMPION))?.version).toBe('2');
    expect(await h.registry.rollback('churn', by)).toEqual({ alias: CHAMPION, from: '2', to: '1' });
    expect((await rejection(h.registry.rollback('churn', by))).code).toBe('conflict');

    const [latest] = await h.registry.history('churn', { limit: 1 });
    expect(latest).toMatchObject({ action: 'rollback', alias: CHAMPION, previousVersion: '2', version: '1' });
    const rollbacks = (await h.registry.history('churn')).filter((e) => e.action === 'rollback');
    expect(rollbacks.map((e) => [e.by, e.reason])).toEqual([
      ['alice', 'test'],
      ['pager', 'canary failed'],
    ]);
  });

  it('after a rollback and a new release, rolls back to the champion before the release', async () => {
    for (let i = 0; i < 3; i++) await register();
    await h.registry.setAlias('churn', CHAMPION, '1', by);
    await h.registry.setAlias('churn', CHAMPION, '2', by);
    await h.registry.rollback('churn', by); // back to 1
    await h.registry.setAlias('churn', CHAMPION, '3', by);
    expect(await h.registry.rollback('churn', by)).toEqual({ alias: CHAMPION, from: '3', to: '1' });
  });

  it('rejects invalid input', async () => {
    await register();
    expect((await rejection(h.registry.createModel('bad name', by))).code).toBe('invalid');
    expect((await rejection(h.registry.setAlias('churn', 'latest', '1', by))).code).toBe('invalid');
    expect((await rejection(h.registry.setAlias('churn', 'v1', '1', by))).code).toBe('invalid');
    expect((await rejection(h.registry.setAlias('churn', CHAMPION, 'one', by))).code).toBe('invalid');
    expect((await rejection(h.registry.setAlias('churn', CHAMPION, '1', { by: ' ' }))).code).toBe('invalid');
    expect((await rejection(h.registry.setAlias('churn', CHAMPION, '1', { by: 'x', reason: 'r'.repeat(1001) }))).code).toBe('invalid');
    expect((await rejection(h.registry.registerVersion({ model: 'churn', artifactUri: '', by: 'x' }))).code).toBe('invalid');
    expect((await rejection(h.registry.registerVersion({ model: 'churn', artifactUri: 's3://x', by: 'x', metrics: { auc: Number.NaN } }))).code).toBe('invalid');
    expect((await rejection(h.registry.history('churn', { limit: 0 }))).code).toBe('invalid');
    expect((await rejection(h.registry.rollback('nobody', by))).code).toBe('not_found');
  });

  it('maps error codes to HTTP statuses', async () => {
    const error = await rejection(h.registry.listVersions('nobody'));
    expect(error.httpStatus).toBe(404);
    expect(new RegistryError('conflict', 'x').httpStatus).toBe(409);
    expect(new RegistryError('invalid', 'x').httpStatus).toBe(400);
    expect(new RegistryError('upstream', 'x').httpStatus).toBe(502);
  });
});

// ---------------------------------------------------------------------------------------------
// MLflow-specific: the exact requests, auth, out-of-band changes and upstream failures.
// ---------------------------------------------------------------------------------------------

describe('MLflow adapter requests', () => {
  let fake: Awaited<ReturnType<typeof startFakeMlflow>>;
  const clock = { now: T0 };
  beforeEach(async () => {
    fake = await startFakeMlflow(clock);
  });
  afterEach(async () => {
    await fake.close();
  });
  const by = { by: 'alice', reason: 'ship it' };

  it('uses the documented endpoints and bodies', async () => {
    const registry = createMlflowRegistry({ baseUrl: `${fake.url}/`, token: TOKEN, now: () => clock.now });
    await registry.registerVersion({ model: 'churn', artifactUri: 'runs:/abc/model', runId: 'abc', metrics: { accuracy: 0.9 }, by: 'trainer' });
    await registry.setAlias('churn', CHAMPION, '1', by);
    await registry.getVersionByAlias('churn', CHAMPION);
    await registry.deleteAlias('churn', CHAMPION, by);

    const calls = fake.requests.map((r) => `${r.method} ${r.path}`);
    expect(calls).toEqual([
      'GET registered-models/get',
      'POST registered-models/create',
      'POST registered-models/set-tag',
      'POST model-versions/create',
      'POST registered-models/set-tag',
      'GET registered-models/get',
      'GET model-versions/get',
      'GET registered-models/alias',
      'POST registered-models/alias',
      'POST registered-models/set-tag',
      'GET registered-models/alias',
      'GET registered-models/alias',
      'DELETE registered-models/alias',
      'POST registered-models/set-tag',
    ]);
    const create = fake.requests.find((r) => r.path === 'model-versions/create');
    expect(create?.body).toEqual({
      name: 'churn',
      source: 'runs:/abc/model',
      run_id: 'abc',
      tags: [
        { key: MLFLOW_TAGS.createdBy, value: 'trainer' },
        { key: `${MLFLOW_TAGS.metricPrefix}accuracy`, value: '0.9' },
      ],
    });
    const setAlias = fake.requests.find((r) => r.method === 'POST' && r.path === 'registered-models/alias');
    expect(setAlias?.body).toEqual({ name: 'churn', alias: CHAMPION, version: '1' });
    const getAlias = fake.requests.find((r) => r.method === 'GET' && r.path === 'registered-models/alias');
    expect(Object.fromEntries(getAlias?.query ?? [])).toEqual({ name: 'churn', alias: CHAMPION });
    const del = fake.requests.find((r) => r.method === 'DELETE');
    expect(del?.body).toEqual({ name: 'churn', alias: CHAMPION });
    const historyTags = [...(fake.models.get('churn')?.tags.keys() ?? [])].filter((k) => k.startsWith(MLFLOW_TAGS.historyPrefix));
    expect(historyTags).toHaveLength(4);
  });

  it('sends basic auth when configured (and the fake rejects it: unauthenticated maps to upstream)', async () => {
    const registry = createMlflowRegistry({ baseUrl: fake.url, username: 'u', password: 'p' });
    const error = await rejection(registry.getModel('churn'));
    expect(error.code).toBe('upstream');
    expect(error.message).toContain('HTTP 401 UNAUTHENTICATED');
    expect(fake.authorizations).toEqual([`Basic ${Buffer.from('u:p').toString('base64')}`]);
  });

  it('rolls back from the real champion when the alias was moved outside driftwatch', async () => {
    const registry = createMlflowRegistry({ baseUrl: fake.url, token: TOKEN, now: () => clock.now });
    for (let i = 0; i < 3; i++) await registry.registerVersion({ model: 'churn', artifactUri: `s3://m/${i}`, by: 't' });
    await registry.setAlias('churn', CHAMPION, '1', by);
    await registry.setAlias('churn', CHAMPION, '2', by);
    fake.models.get('churn')?.aliases.set(CHAMPION, '3'); // someone used the MLflow UI
    expect(await registry.rollback('churn', by)).toEqual({ alias: CHAMPION, from: '3', to: '2' });
  });

  it('reports server and network failures as upstream errors', async () => {
    const registry = createMlflowRegistry({ baseUrl: fake.url, token: TOKEN });
    fake.faults.next = 503;
    const error = await rejection(registry.getModel('churn'));
    expect(error.code).toBe('upstream');
    expect(error.message).toBe('MLflow GET registered-models/get: HTTP 503 INTERNAL_ERROR injected fault');
    await fake.close();
    expect((await rejection(registry.getModel('churn'))).code).toBe('upstream');
    fake = await startFakeMlflow(clock);
  });
});
