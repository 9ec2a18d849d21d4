import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDispatchTarget } from './dispatch-target.js';
import { readOptionalSecret, readSecret } from './secret-field.js';

const dir = mkdtempSync(join(tmpdir(), 'driftwatch-secret-'));
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe('readSecret', () => {
  const env = { GH_TOKEN: 'ghp_env', EMPTY: '' };

  it('reads the secret inline, from a file (one trailing newline dropped) or from the environment', () => {
    expect(readSecret({ token: 'ghp_inline' }, 'token', 't', env)).toBe('ghp_inline');
    expect(readSecret({ token_file: file('token', 'ghp_file\n') }, 'token', 't', env)).toBe('ghp_file');
    expect(readSecret({ token_file: file('crlf', 'ghp_crlf\r\n') }, 'token', 't', env)).toBe('ghp_crlf');
    expect(readSecret({ token_env: 'GH_TOKEN' }, 'token', 't', env)).toBe('ghp_env');
    expect(readOptionalSecret({}, 'api_key', 't', env)).toBeUndefined();
  });

  it.each([
    [{}, 't.token: expected a non-empty string (or token_file, or token_env)'],
    [{ token: 'a', token_env: 'GH_TOKEN' }, 't.token_env: give only one of token, token_file and token_env'],
    [{ token_file: join(dir, 'missing') }, `t.token_file: cannot read ${join(dir, 'missing')} (ENOENT)`],
    [{ token_file: file('empty', '\n') }, 't.token_file:'],
    [{ token_env: 'UNSET_DRIFTWATCH_VAR' }, 't.token_env: environment variable UNSET_DRIFTWATCH_VAR is not set'],
    [{ token_env: 'EMPTY' }, 't.token_env: environment variable EMPTY is not set'],
    [{ token_file: 3 }, 't.token_file: expected a non-empty string'],
  ])('rejects %j, naming the field', (obj, message) => {
    expect(() => readSecret(obj, 'token', 't', env)).toThrow(message);
  });
});

describe('dispatch targets take every secret from a file or the environment', () => {
  it.each([
    [{ kind: 'webhook', name: 'h', url: 'https://x', secret_file: file('hmac', 's3cret\n') }, 'secret', 's3cret'],
    [{ kind: 'github_repository_dispatch', name: 'g', repository: 'a/b', token_file: file('gh', 'ghp_f\n') }, 'token', 'ghp_f'],
    [{ kind: 'github_workflow_dispatch', name: 'g', repository: 'a/b', workflow: 'w.yml', ref: 'main', token_file: file('gh2', 'ghp_w') }, 'token', 'ghp_w'],
    [{ kind: 'airflow', name: 'a', base_url: 'http://x', dag_id: 'd', username: 'u', password_file: file('pw', 'pw\n') }, 'password', 'pw'],
    [{ kind: 'prefect', name: 'p', base_url: 'http://x', deployment_id: 'd', api_key_file: file('pf', 'pnu_k\n') }, 'apiKey', 'pnu_k'],
  ])('%j', (raw, field, secret) => {
    expect(parseDispatchTarget(raw)).toMatchObject({ [field]: secret });
  });

  it('names the target field when the file is missing', () => {
    expect(() => parseDispatchTarget({ kind: 'github_repository_dispatch', name: 'g', repository: 'a/b', token_file: '/nonexistent/gh' }, 'retraining.targets[1]')).toThrow(
      'retraining.targets[1].token_file: cannot read /nonexistent/gh (ENOENT)',
    );
  });
});
