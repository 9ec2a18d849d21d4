import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAggregator, type Aggregator } from '../aggregator.js';
import { RoleTraffic, type CallShape } from './role-traffic.test-support.js';

export const ADMIN_TOKEN = 'admin-secret';
export const T0 = Date.parse('2025-03-01T10:00:00Z');

export interface ApiReply {
  readonly status: number;
  readonly json: Record<string, unknown>;
  readonly headers: Headers;
}

export interface RolloutHarness {
  readonly agg: Aggregator;
  readonly clock: { now: number };
  readonly baseUrl: string;
  readonly logs: string[];
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiReply>;
  /** Records traffic on each side, moves the clock, ingests one export per side, evaluates and runs one analysis pass. */
  tick(sides: ReadonlyArray<readonly [RoleTraffic, number, CallShape?]>, advanceMs?: number): Promise<void>;
  /** Registers `count` versions of `model` and makes version 1 champion. */
  registerVersions(model: string, count: number): Promise<void>;
  rollout(model: string): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'dw-rollout-'));
}

/** A started aggregator on loopback (ports 0) with a test clock and no timers, and helpers to drive rollouts. */
export async function startRolloutHarness(config: Record<string, unknown> = {}, clock = { now: T0 }): Promise<RolloutHarness> {
  const logs: string[] = [];
  const agg = createAggregator(
    { dataDir: ':memory:', httpPort: 0, otlpPort: 0, adminToken: ADMIN_TOKEN, ...config },
    {
      now: () => clock.now,
      timers: false,
      logger: { info: (m) => logs.push(`info: ${m}`), warn: (m) => logs.push(`warn: ${m}`), error: (m) => logs.push(`error: ${m}`) },
    },
  );
  await agg.start();
  const baseUrl = `http://127.0.0.1:${agg.httpPort}`;
  const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiReply> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), headers: res.headers };
  };
  return {
    agg,
    clock,
    baseUrl,
    logs,
    api,
    async tick(sides, advanceMs = 15_000) {
      clock.now += advanceMs;
      for (const [side, n, shape] of sides) {
        side.record(n, shape);
        agg.ingest(side.export(BigInt(clock.now) * 1_000_000n));
      }
      agg.evaluateNow();
      await agg.rollouts?.analyzeNow();
    },
    async registerVersions(model, count) {
      for (let i = 1; i <= count; i++) {
        const r = await api('POST', `/api/v1/registry/models/${model}/versions`, { artifactUri: `s3://models/${model}/${i}`, metrics: { auc: 0.8 + i / 100 }, by: 'trainer', reason: `training run ${i}` });
        if (r.status !== 201) throw new Error(`register ${model} ${i}: ${r.status} ${JSON.stringify(r.json)}`);
      }
      const r = await api('PUT', `/api/v1/registry/models/${model}/aliases/champion`, { version: '1', by: 'alice', reason: 'first release' });
      if (r.status !== 200) throw new Error(`champion: ${r.status} ${JSON.stringify(r.json)}`);
    },
    async rollout(model) {
      return (await api('GET', `/api/v1/models/${model}/rollout`)).json;
    },
    stop: () => agg.stop(),
  };
}

export { RoleTraffic };
