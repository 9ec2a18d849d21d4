import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startRolloutHarness, type RolloutHarness } from '../testing/rollout-harness.test-support.js';
import { CLI_VERBS } from './verb-list.js';
import { bufferedIo } from '../testing/cli-io.test-support.js';
import { runCli } from './verbs.js';

const CLI_MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const run = promisify(execFile);

describe('driftwatch registry …', () => {
  let h: RolloutHarness;
  let url: string[];
  beforeAll(async () => {
    h = await startRolloutHarness();
    await h.registerVersions('churn', 3);
    url = ['--url', h.baseUrl, '--token', ADMIN_TOKEN];
  });
  afterAll(async () => {
    await h.stop();
  });
  const cli = async (args: string[], env: Record<string, string> = {}) => {
    const x = bufferedIo(env);
    const code = await runCli(args, CLI_VERBS, x);
    return { code, out: x.out, err: x.err };
  };

  it('is listed in the help', async () => {
    const help = await cli(['--help']);
    for (const verb of ['registry list', 'registry promote', 'registry rollback', 'registry history']) expect(help.out).toContain(verb);
    expect((await cli(['registry', 'rollback', '--help'])).out).toContain('Usage: driftwatch registry rollback <model>');
  });

  it('promotes, lists, rolls back (recording who and why) and walks further back on a second rollback', async () => {
    const promote2 = await cli(['registry', 'promote', 'churn', '2', '--reason', 'better AUC', '--by', 'alice', ...url]);
    expect(promote2).toMatchObject({ code: 0, out: 'churn: champion 1 → 2 (by alice)\n' });
    expect((await cli(['registry', 'promote', 'churn', '3', '--reason', 'retrained', ...url], { DRIFTWATCH_ACTOR: 'ci-bot' })).out).toBe('churn: champion 2 → 3 (by ci-bot)\n');
    expect((await cli(['registry', 'promote', 'churn', '3', '--by', 'x', ...url])).out).toBe('churn: champion is already version 3\n');

    const list = await cli(['registry', 'list', 'churn', ...url]);
    expect(list.code).toBe(0);
    const lines = list.out.trimEnd().split('\n');
    expect(lines[0]).toBe('churn: 3 version(s); champion 3');
    expect(lines[1]).toMatch(/^VERSION\s+ALIASES\s+CREATED\s+BY\s+METRICS\s+ARTIFACT$/);
    expect(lines[4]).toMatch(/^3\s+champion\s+2025-03-01T10:00:00Z\s+trainer\s+auc=0\.83\s+s3:\/\/models\/churn\/3$/);

    const rollback = await cli(['registry', 'rollback', 'churn', '--reason', 'conversion dropped', '--by', 'bob', ...url]);
    expect(rollback).toMatchObject({ code: 0, out: 'churn: champion 3 → 2 (rolled back by bob)\n' });
    const events = (await h.api('GET', '/api/v1/registry/models/churn/history?limit=1')).json['events'] as Array<Record<string, unknown>>;
    expect(events[0]).toMatchObject({ action: 'rollback', alias: 'champion', version: '2', previousVersion: '3', by: 'bob', reason: 'conversion dropped' });
    expect((await cli(['registry', 'rollback', 'churn', '--by', 'bob', ...url])).out).toBe('churn: champion 2 → 1 (rolled back by bob)\n');
    const none = await cli(['registry', 'rollback', 'churn', '--by', 'bob', ...url]);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/^driftwatch registry rollback: POST http:\/\/127\.0\.0\.1:\d+\/api\/v1\/registry\/models\/churn\/rollback: HTTP 409: model churn has no previous champion/);

    const history = await cli(['registry', 'history', 'churn', '--limit', '3', ...url]);
    expect(history.out.split('\n')[1]).toMatch(/^2025-03-01T10:00:00Z\s+bob\s+rollback champion: 2 → 1\s+-$/);
    expect(history.out).toMatch(/rollback champion: 3 → 2\s+conversion dropped\n/);
    expect(history.out).toMatch(/ci-bot\s+alias_set champion: 2 → 3\s+retrained\n/);
  });

  it('needs the admin token for changes and says so', async () => {
    const r = await cli(['registry', 'rollback', 'churn', '--by', 'eve', '--url', h.baseUrl]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('HTTP 401: admin endpoints need Authorization: Bearer <admin token> (pass --token or set DRIFTWATCH_ADMIN_TOKEN)');
    const fromEnv = await cli(['registry', 'promote', 'churn', '1', '--by', 'eve', '--url', h.baseUrl], { DRIFTWATCH_ADMIN_TOKEN: ADMIN_TOKEN });
    expect(fromEnv.code).toBe(0);
  });

  it('reports usage errors, unknown models and an unreachable aggregator', async () => {
    expect((await cli(['registry', 'promote', 'churn', ...url])).code).toBe(2);
    const unknown = await cli(['registry', 'list', 'fraud', ...url]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('HTTP 404: model fraud is not registered');
    const down = await cli(['registry', 'list', 'churn', '--url', 'http://127.0.0.1:9']);
    expect(down.code).toBe(1);
    expect(down.err).toMatch(/GET http:\/\/127\.0\.0\.1:9\/api\/v1\/registry\/models\/churn\/versions: .*\(is the aggregator running\? set --url\)/);
  });

  it('rolls back from the built `driftwatch` binary (one command)', async () => {
    expect(existsSync(CLI_MAIN), `${CLI_MAIN}: run npx tsc --build first`).toBe(true);
    await h.api('PUT', '/api/v1/registry/models/churn/aliases/champion', { version: '3', by: 'alice' });
    const { stdout } = await run(process.execPath, [CLI_MAIN, 'registry', 'rollback', 'churn', '--reason', 'from the shell'], {
      env: { PATH: process.env['PATH'] ?? '', DRIFTWATCH_URL: h.baseUrl, DRIFTWATCH_ADMIN_TOKEN: ADMIN_TOKEN, DRIFTWATCH_ACTOR: 'oncall' },
    });
    expect(stdout).toBe('churn: champion 3 → 1 (rolled back by oncall)\n');
  });
});
