import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReferenceProfile } from '@driftwatch/stats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAggregator, type Aggregator } from '../aggregator.js';
import { bufferedIo } from '../testing/cli-io.test-support.js';
import { CLI_VERBS } from './verb-list.js';
import { runCli } from './verbs.js';

const TOKEN = 'push-secret';

describe('driftwatch reference push', () => {
  let agg: Aggregator;
  let baseUrl: string;
  const file = join(mkdtempSync(join(tmpdir(), 'dw-push-')), 'ref.json');
  beforeAll(async () => {
    agg = createAggregator({ dataDir: ':memory:', otlpPort: 0, httpPort: 0, adminToken: TOKEN }, { logger: { info() {}, warn() {}, error() {} }, timers: false });
    await agg.start();
    baseUrl = `http://127.0.0.1:${agg.httpPort}`;
    const rows = Array.from({ length: 50 }, (_, i) => ({ tenure: i }));
    writeFileSync(file, JSON.stringify(buildReferenceProfile(rows, { tenure: 'numeric' }, { model: 'churn', version: '7', source: 'file' })));
  });
  afterAll(async () => {
    await agg.stop();
  });
  const cli = async (args: string[], env: Record<string, string> = {}) => {
    const x = bufferedIo(env);
    return { code: await runCli(['reference', 'push', file, ...args], CLI_VERBS, x), out: x.out, err: x.err };
  };

  it('uploads to DRIFTWATCH_URL with the admin token, like the other verbs talking to the aggregator', async () => {
    const pushed = await cli([], { DRIFTWATCH_URL: baseUrl, DRIFTWATCH_ADMIN_TOKEN: TOKEN });
    expect(pushed).toMatchObject({ code: 0, out: 'pushed reference for model churn version 7 (50 rows, 1 features)\n' });
    expect(agg.state.models.get('churn')?.versions.get('7')?.reference?.profile.rowCount).toBe(50);
  });

  it('says what went wrong: a missing token, an aggregator that is not there', async () => {
    const denied = await cli(['--url', baseUrl]);
    expect(denied.code).toBe(1);
    expect(denied.err).toContain('HTTP 401: admin endpoints need Authorization: Bearer <admin token> (pass --token or set DRIFTWATCH_ADMIN_TOKEN)');

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const away = await cli(['--url', `http://127.0.0.1:${port}`, '--token', TOKEN]);
    expect(away.code).toBe(1);
    expect(away.err).toMatch(/ECONNREFUSED.*\(is the aggregator running\? set --url\)/);
  });
});
