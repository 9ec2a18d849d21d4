import { describe, expect, it } from 'vitest';
import { parseDispatchTarget } from './dispatch-target.js';

describe('parseDispatchTarget', () => {
  it('normalizes each kind with defaults', () => {
    expect(parseDispatchTarget({ kind: 'github_repository_dispatch', name: 'g', repository: 'acme/models', token: 't' })).toEqual({
      kind: 'github_repository_dispatch', name: 'g', owner: 'acme', repo: 'models', token: 't', eventType: 'driftwatch-retrain', baseUrl: 'https://api.github.com',
    });
    expect(parseDispatchTarget({ kind: 'github_workflow_dispatch', name: 'w', repository: 'acme/models', token: 't', workflow: 1234, ref: 'main' })).toMatchObject({
      workflow: '1234', inputs: {}, eventInputs: true,
    });
    expect(parseDispatchTarget({ kind: 'airflow', name: 'a', base_url: 'http://airflow:8080/', dag_id: 'd', username: 'u', password: 'p' })).toMatchObject({
      version: 2, baseUrl: 'http://airflow:8080', conf: {},
    });
    expect(parseDispatchTarget({ kind: 'prefect', name: 'p', base_url: 'http://127.0.0.1:4200/api', deployment_id: 'x' })).toMatchObject({
      apiKey: null, tags: [], parameters: {}, eventParameter: 'driftwatch',
    });
    expect(parseDispatchTarget({ kind: 'webhook', name: 'h', url: 'https://ml.example.com/retrain', secret: 's' })).toMatchObject({ headers: {} });
  });

  it.each([
    [{ kind: 'jenkins', name: 'j' }, 'targets[0].kind: "jenkins" is not a dispatch target kind'],
    [{ kind: 'webhook' }, 'targets[0].name: expected a non-empty string'],
    [{ kind: 'webhook', name: 'h', url: 'ftp://x', secret: 's' }, 'targets[0].url: "ftp://x" must use http or https'],
    [{ kind: 'webhook', name: 'h', url: 'not a url', secret: 's' }, 'targets[0].url: "not a url" is not a URL'],
    [{ kind: 'webhook', name: 'h', url: 'https://x', secret: '' }, 'targets[0].secret: expected a non-empty string'],
    [{ kind: 'webhook', name: 'h', url: 'https://x', secret: 's', headers: { a: 1 } }, 'targets[0].headers.a: expected a string'],
    [{ kind: 'github_repository_dispatch', name: 'g', repository: 'acme', token: 't' }, 'targets[0].repository: "acme" is not "owner/repo"'],
    [{ kind: 'github_repository_dispatch', name: 'g', repository: 'a/b', token: 't', event_type: 'x'.repeat(101) }, 'targets[0].event_type: GitHub allows at most 100'],
    [{ kind: 'github_workflow_dispatch', name: 'g', repository: 'a/b', token: 't', workflow: 'w.yml' }, 'targets[0].ref: expected a non-empty string'],
    [
      { kind: 'github_workflow_dispatch', name: 'g', repository: 'a/b', token: 't', workflow: 'w.yml', ref: 'main', inputs: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`i${i}`, 'v'])) },
      'targets[0].inputs: GitHub accepts at most 25 workflow inputs, this target would send 26',
    ],
    [{ kind: 'airflow', name: 'a', base_url: 'http://x', dag_id: 'd', username: 'u', password: 'p', version: 1 }, 'targets[0].version: expected 2 or 3, got 1'],
    [{ kind: 'prefect', name: 'p', base_url: 'http://x', deployment_id: 'd', apikey: 'k' }, 'targets[0].apikey: unknown field'],
  ])('rejects %j', (raw, message) => {
    expect(() => parseDispatchTarget(raw, 'targets[0]')).toThrow(message);
  });
});
