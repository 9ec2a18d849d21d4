import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRolloutHarness, type RolloutHarness } from '../testing/rollout-harness.test-support.js';

describe('registry HTTP API (embedded registry)', () => {
  let h: RolloutHarness;
  beforeAll(async () => {
    h = await startRolloutHarness();
  });
  afterAll(async () => {
    await h.stop();
  });
  const noAuth = { authorization: '' };

  it('registers versions (admin token and who are required) and lists them oldest first', async () => {
    const body = { artifactUri: 's3://m/churn/1', metrics: { accuracy: 0.91 }, description: 'baseline', runId: 'run-1', by: 'trainer', reason: 'weekly retrain' };
    expect((await h.api('POST', '/api/v1/registry/models/churn/versions', body, noAuth)).status).toBe(401);
    expect((await h.api('POST', '/api/v1/registry/models/churn/versions', { ...body, by: undefined })).json).toEqual({ error: 'by: required' });
    expect((await h.api('POST', '/api/v1/registry/models/churn/versions', { ...body, artifactUri: '' })).json).toEqual({ error: 'artifactUri: expected a non-empty string' });
    expect((await h.api('POST', '/api/v1/registry/models/churn/versions', { ...body, metrics: { accuracy: 'high' } })).json).toEqual({ error: 'metrics.accuracy: expected a finite number' });
    expect((await h.api('POST', '/api/v1/registry/models/churn/versions', { ...body, artifact: 'x' })).status).toBe(400);
    expect((await h.api('POST', '/api/v1/registry/models/bad%20name/versions', body)).status).toBe(400);
    const created = await h.api('POST', '/api/v1/registry/models/churn/versions', body);
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/api/v1/registry/models/churn/versions/1');
    expect(created.json).toMatchObject({ model: 'churn', version: '1', artifactUri: 's3://m/churn/1', metrics: { accuracy: 0.91 }, runId: 'run-1', createdBy: 'trainer', aliases: [], createdAt: '2025-03-01T10:00:00.000Z' });
    await h.api('POST', '/api/v1/registry/models/churn/versions', { artifactUri: 's3://m/churn/2', by: 'trainer' });
    const list = await h.api('GET', '/api/v1/registry/models/churn/versions', undefined, noAuth);
    expect((list.json['versions'] as Array<{ version: string }>).map((v) => v.version)).toEqual(['1', '2']);
    expect((await h.api('GET', '/api/v1/registry/models/churn/versions/2', undefined, noAuth)).json).toMatchObject({ version: '2', description: '' });
    expect((await h.api('GET', '/api/v1/registry/models/churn/versions/7', undefined, noAuth)).status).toBe(404);
    expect((await h.api('GET', '/api/v1/registry/models/fraud/versions', undefined, noAuth)).status).toBe(404);
  });

  it('sets, resolves (with an ETag) and deletes aliases', async () => {
    expect((await h.api('GET', '/api/v1/registry/models/churn/aliases/champion', undefined, noAuth)).json).toEqual({ error: 'model churn has no alias champion' });
    expect((await h.api('PUT', '/api/v1/registry/models/churn/aliases/champion', { version: '2', by: 'alice' }, noAuth)).status).toBe(401);
    expect((await h.api('PUT', '/api/v1/registry/models/churn/aliases/champion', { version: '9', by: 'alice' })).status).toBe(404);
    expect((await h.api('PUT', '/api/v1/registry/models/churn/aliases/latest', { version: '1', by: 'alice' })).status).toBe(400);
    const set = await h.api('PUT', '/api/v1/registry/models/churn/aliases/champion', { version: 2, by: 'alice', reason: 'go' });
    expect(set.json).toEqual({ model: 'churn', alias: 'champion', version: '2', previousVersion: null });
    const resolved = await h.api('GET', '/api/v1/registry/models/churn/aliases/champion', undefined, noAuth);
    expect(resolved.json).toMatchObject({ model: 'churn', alias: 'champion', version: '2', artifactUri: 's3://m/churn/2', aliases: ['champion'] });
    const etag = resolved.headers.get('etag') ?? '';
    expect((await fetch(`${h.baseUrl}/api/v1/registry/models/churn/aliases/champion`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    await h.api('PUT', '/api/v1/registry/models/churn/aliases/champion', { version: '1', by: 'alice' });
    expect((await fetch(`${h.baseUrl}/api/v1/registry/models/churn/aliases/champion`, { headers: { 'if-none-match': etag } })).status).toBe(200);
    expect((await h.api('GET', '/api/v1/registry/models/churn', undefined, noAuth)).json).toMatchObject({ name: 'churn', aliases: { champion: '1' } });
    expect((await h.api('DELETE', '/api/v1/registry/models/churn/aliases/champion', { by: 'alice', reason: 'retire' })).json).toEqual({ model: 'churn', alias: 'champion', version: null, previousVersion: '1' });
    expect((await h.api('DELETE', '/api/v1/registry/models/churn/aliases/champion', { by: 'alice' })).status).toBe(404);
  });

  it('serves the history newest first and refuses a rollback without an earlier champion', async () => {
    const r = await h.api('GET', '/api/v1/registry/models/churn/history?limit=2', undefined, noAuth);
    const events = r.json['events'] as Array<Record<string, unknown>>;
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ action: 'alias_deleted', alias: 'champion', version: null, previousVersion: '1', by: 'alice', reason: 'retire', at: '2025-03-01T10:00:00.000Z' });
    expect((await h.api('GET', '/api/v1/registry/models/churn/history?limit=0')).status).toBe(400);
    expect((await h.api('GET', '/api/v1/registry/models/nope/history')).status).toBe(404);
    const rb = await h.api('POST', '/api/v1/registry/models/churn/rollback', { by: 'bob' });
    expect(rb.status).toBe(409);
    expect(rb.json['error']).toBe('model churn has no champion to roll back');
  });
});
