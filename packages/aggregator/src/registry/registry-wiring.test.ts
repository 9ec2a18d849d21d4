import { afterEach, describe, expect, it } from 'vitest';
import { MLFLOW_TEST_TOKEN, startFakeMlflow, type FakeMlflow } from '../../../lifecycle/src/testing/fake-mlflow.test-support.js';
import { createAggregator } from '../aggregator.js';
import { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import { resolveConfig } from '../config/resolve-config.js';
import { RoleTraffic, T0, startRolloutHarness, type RolloutHarness } from '../testing/rollout-harness.test-support.js';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function fakeMlflow(clock: { now: number }): Promise<FakeMlflow> {
  const fake = await startFakeMlflow(clock);
  cleanup.push(fake.close);
  return fake;
}

describe('registry and rollout config', () => {
  it('defaults to the embedded registry and the lifecycle rollout policy', () => {
    const c = resolveConfig({});
    expect(c.registry).toEqual({ kind: 'embedded' });
    expect(c.rollout.defaults.policy.steps).toEqual([10, 25, 50, 100]);
    expect(c.rollout.defaults.measurementTimeoutMs).toBe(300_000);
  });

  it('reads an MLflow registry, from the file and from DRIFTWATCH_REGISTRY_* variables', () => {
    expect(resolveConfig({ registry: { kind: 'mlflow', url: 'http://mlflow:5000/', token: 't', timeout: '3s' } }).registry).toEqual({ kind: 'mlflow', url: 'http://mlflow:5000', token: 't', timeoutMs: 3000 });
    const c = loadConfig({ env: { DRIFTWATCH_REGISTRY_KIND: 'mlflow', DRIFTWATCH_REGISTRY_URL: 'https://mlflow.example.com', DRIFTWATCH_REGISTRY_USERNAME: 'svc', DRIFTWATCH_REGISTRY_PASSWORD: 'pw' } });
    expect(c.registry).toEqual({ kind: 'mlflow', url: 'https://mlflow.example.com', username: 'svc', password: 'pw', timeoutMs: 10_000 });
  });

  it.each([
    [{ registry: { kind: 'dvc' } }, 'config.registry.kind: "dvc" is not one of embedded, mlflow'],
    [{ registry: { kind: 'mlflow' } }, /^config\.registry\.url: required for kind: mlflow/],
    [{ registry: { kind: 'mlflow', url: 'mlflow:5000' } }, /^config\.registry\.url: "mlflow:5000" must be an http or https URL/],
    [{ registry: { kind: 'mlflow', url: 'http://m', token: 't', username: 'u', password: 'p' } }, 'config.registry.token: give either a token or username/password, not both'],
    [{ registry: { kind: 'mlflow', url: 'http://m', username: 'u' } }, 'config.registry.password: username and password go together'],
    [{ registry: { url: 'http://m' } }, /^config\.registry\.url: only applies to kind: mlflow/],
    [{ registry: { kind: 'mlflow', url: 'http://m', tokn: 'x' } }, /^config\.registry\.tokn: unknown key/],
    [{ rollout: { steps: [10, 50] } }, 'config.rollout.steps: the last weight must be 100 (the promotion)'],
    [{ rollout: { measurement_timeout: 'soon' } }, /^config\.rollout\.measurement_timeout: "soon" is not a duration/],
    [{ models: { churn: { rollout: { analysis: { error_rate: { alpha: 2 } } } } } }, /^config\.models\["churn"\]\.rollout\.analysis\.error_rate\.alpha: /],
    [{ models: { churn: { rollout: { failure_limt: 1 } } } }, /^config\.models\["churn"\]\.rollout\.failure_limt: unknown key/],
  ])('rejects %j naming the field', (input, message) => {
    expect(() => resolveConfig(input)).toThrow(ConfigError);
    expect(() => resolveConfig(input)).toThrow(message);
  });

  it('merges a model’s rollout section over the top-level one', () => {
    const c = resolveConfig({ rollout: { steps: [5, 50, 100], failure_limit: 1 }, models: { churn: { rollout: { failure_limit: 0, analysis: { latency: { blocking: false } } } } } });
    const churn = c.rollout.models.get('churn');
    expect(churn?.policy.steps).toEqual([5, 50, 100]);
    expect(churn?.policy.failureLimit).toBe(0);
    expect(churn?.policy.analysis.latency.blocking).toBe(false);
    expect(churn?.policy.analysis.errorRate.minSamples).toBe(200);
    expect(c.rollout.defaults.policy.failureLimit).toBe(1);
  });
});

describe('MLflow registry in the aggregator', () => {
  it('fails the start when MLflow refuses the token, naming the field', async () => {
    const fake = await fakeMlflow({ now: T0 });
    const agg = createAggregator({ dataDir: ':memory:', httpPort: 0, otlpPort: 0, registry: { kind: 'mlflow', url: fake.url, token: 'wrong' } }, { timers: false, logger: { info: () => {}, warn: () => {}, error: () => {} } });
    await expect(agg.start()).rejects.toThrow(/^config\.registry\.token: MLflow at http:\/\/127\.0\.0\.1:\d+ refused the credentials \(HTTP 401\)/);
    await agg.stop();
  });

  it('starts with a warning when MLflow is unreachable', async () => {
    const h = await startRolloutHarness({ registry: { kind: 'mlflow', url: 'http://127.0.0.1:9', token: 't', timeout: '2s' } });
    cleanup.push(() => h.stop());
    expect(h.logs.some((l) => l.startsWith('warn: MLflow registry at http://127.0.0.1:9 is not reachable'))).toBe(true);
    const r = await h.api('GET', '/api/v1/registry/models/churn/versions');
    expect(r.status).toBe(502);
  });

  it('registers, resolves aliases and rolls out against MLflow; an outage keeps the rollback pending until MLflow is back', async () => {
    const clock = { now: T0 };
    const fake = await fakeMlflow(clock);
    const h: RolloutHarness = await startRolloutHarness({ registry: { kind: 'mlflow', url: fake.url, token: MLFLOW_TEST_TOKEN } }, clock);
    cleanup.push(() => h.stop());
    await h.registerVersions('churn', 2);
    expect(fake.models.get('churn')?.versions.map((v) => v.source)).toEqual(['s3://models/churn/1', 's3://models/churn/2']);
    const create = fake.requests.find((r) => r.method === 'POST' && r.path === 'model-versions/create');
    expect(create?.body).toMatchObject({ name: 'churn', source: 's3://models/churn/1' });
    expect(fake.authorizations.every((a) => a === `Bearer ${MLFLOW_TEST_TOKEN}`)).toBe(true);
    expect((await h.api('GET', '/api/v1/registry/models/churn/aliases/champion')).json).toMatchObject({ version: '1' });

    const start = await h.api('PUT', '/api/v1/models/churn/rollout', { candidateVersion: '2', by: 'alice' });
    expect(start.status).toBe(201);
    expect(fake.models.get('churn')?.aliases.get('challenger')).toBe('2');
    const setAlias = fake.requests.filter((r) => r.method === 'POST' && r.path === 'registered-models/alias').at(-1);
    expect(setAlias?.body).toEqual({ name: 'churn', alias: 'challenger', version: '2' });

    fake.faults.down = true;
    const primary = new RoleTraffic('churn', '1', 'primary');
    const canary = new RoleTraffic('churn', '2', 'canary');
    await h.tick([
      [primary, 1000, { errorRate: 0.01 }],
      [canary, 400, { errorRate: 0.2 }],
    ]);
    const pending = await h.rollout('churn');
    expect(pending).toMatchObject({ phase: 'rolled_back', weightPercent: 0, registrySync: { pending: 'rollback', attempts: 1 } });
    expect((pending['registrySync'] as { lastError: string }).lastError).toMatch(/HTTP 503/);
    expect(await h.agg.metricsText()).toContain('driftwatch_rollout_alias_sync_pending{model="churn",version="2"} 1');
    expect(fake.models.get('churn')?.aliases.get('challenger')).toBe('2');
    await h.tick([], 15_000);
    expect(((await h.rollout('churn'))['registrySync'] as { attempts: number }).attempts).toBe(2);

    fake.faults.down = false;
    await h.tick([], 15_000);
    expect((await h.rollout('churn'))['registrySync']).toBeNull();
    expect([...(fake.models.get('churn')?.aliases ?? [])]).toEqual([['champion', '1']]);
    const del = fake.requests.filter((r) => r.method === 'DELETE' && r.path === 'registered-models/alias').at(-1);
    expect(del?.body).toEqual({ name: 'churn', alias: 'challenger' });
    expect(await h.agg.metricsText()).toContain('driftwatch_rollout_alias_sync_pending{model="churn",version="2"} 0');
    expect(h.logs.some((l) => l.includes('registry aliases written after 3 attempts (rollback)'))).toBe(true);
    const events = (await h.api('GET', '/api/v1/registry/models/churn/history')).json['events'] as Array<{ action: string; alias: string; by: string }>;
    expect(events[0]).toMatchObject({ action: 'alias_deleted', alias: 'challenger', by: 'driftwatch-rollout' });
  });
});
