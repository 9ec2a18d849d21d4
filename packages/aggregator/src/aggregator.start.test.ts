import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAggregator } from './aggregator.js';

const quiet = { info() {}, warn() {}, error() {} };
const busy: Array<ReturnType<typeof createServer>> = [];

afterEach(async () => {
  await Promise.all(busy.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function occupiedPort(): Promise<number> {
  const server = createServer();
  busy.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('a start that fails half-way', () => {
  it('releases everything it opened: stop() succeeds and a later start() works', async () => {
    const port = await occupiedPort();
    const aggregator = createAggregator({ dataDir: ':memory:', otlpPort: 0, httpPort: port }, { logger: quiet, timers: false });
    await expect(aggregator.start()).rejects.toThrow(/EADDRINUSE/);
    await expect(aggregator.stop()).resolves.toBeUndefined();

    const again = createAggregator({ dataDir: ':memory:', otlpPort: 0, httpPort: 0 }, { logger: quiet, timers: false });
    await again.start();
    const res = await fetch(`http://127.0.0.1:${again.httpPort}/healthz`);
    expect(res.status).toBe(200);
    await again.stop();
  });

  it('does not register the built-in routes twice when started again after a failure', async () => {
    const port = await occupiedPort();
    const aggregator = createAggregator({ dataDir: ':memory:', otlpPort: 0, httpPort: port }, { logger: quiet, timers: false });
    await expect(aggregator.start()).rejects.toThrow(/EADDRINUSE/);
    await new Promise((resolve) => (busy.pop() as ReturnType<typeof createServer>).close(resolve));
    await aggregator.start();
    const res = await fetch(`http://127.0.0.1:${aggregator.httpPort}/api/v1/models`);
    expect(res.status).toBe(200);
    await aggregator.stop();
  });
});

describe('a data directory that cannot be created', () => {
  it('fails the start naming config.dataDir, and the aggregator can still be stopped', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'driftwatch-datadir-')), 'a-file');
    writeFileSync(file, 'not a directory');
    const aggregator = createAggregator({ dataDir: join(file, 'data'), otlpPort: 0, httpPort: 0 }, { logger: quiet, timers: false });
    await expect(aggregator.start()).rejects.toThrow(/^config\.dataDir: ".*a-file\/data": .*(ENOTDIR|EEXIST)/);
    await expect(aggregator.stop()).resolves.toBeUndefined();
  });
});
