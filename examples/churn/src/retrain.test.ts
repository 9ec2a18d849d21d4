// The retrain script against a running aggregator: labelled prediction records posted as OTLP logs (the SDK's
// shape), exported through GET /api/v1/models/churn/records, a challenger trained on the rolling window and
// compared with the registry's champion on the most recent records.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAggregator, type Aggregator } from '@driftwatch/aggregator';
import { CHAMPION, createEmbeddedRegistry, type ModelRegistry } from '@driftwatch/lifecycle';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateChurnData, type LabelledRow } from './data/generate.js';
import { retrainCli, retrainFromRecords, churnLabel, parseWindowMs } from './retrain.js';
import { CONCEPT_RELATION } from './scenarios.js';
import { trainChurnArtifact } from './train.js';

const NOW = Date.UTC(2026, 0, 12, 12, 0, 0);
const ADMIN = 'admin-secret';

let dir: string;
let aggregator: Aggregator;
let registry: ModelRegistry & { close(): void };

/** Posts labelled rows as the SDK sends them: `ml.model.record` with the label in a later `ml.model.label`. */
async function sendRecords(rows: readonly LabelledRow[], startMs: number, prefix: string): Promise<void> {
  const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
  for (let at = 0; at < rows.length; at += 500) {
    const batch = rows.slice(at, at + 500);
    const logRecords = batch.flatMap((row, i) => {
      const id = `${prefix}-${at + i}`;
      const t = String(BigInt(startMs + (at + i) * 1000) * 1_000_000n);
      return [
        { timeUnixNano: t, eventName: 'ml.model.record', attributes: [str('ml.model.name', 'churn'), str('ml.model.version', '1'), str('ml.prediction.id', id)], body: { stringValue: JSON.stringify({ features: row.features, output: 0.5 }) } },
        { timeUnixNano: t, eventName: 'ml.model.label', attributes: [str('ml.model.name', 'churn'), str('ml.prediction.id', id)], body: { stringValue: JSON.stringify({ label: row.churn }) } },
      ];
    });
    const res = await fetch(`http://127.0.0.1:${aggregator.otlpPort}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resourceLogs: [{ resource: { attributes: [str('service.name', 'churn')] }, scopeLogs: [{ scope: { name: 'test' }, logRecords }] }] }),
    });
    expect(await res.json()).toEqual({});
  }
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dw-churn-retrain-'));
  aggregator = createAggregator({ dataDir: join(dir, 'data'), httpPort: 0, otlpPort: 0, adminToken: ADMIN }, { now: () => NOW, timers: false, logger: { info() {}, warn() {}, error() {} } });
  await aggregator.start();
  registry = createEmbeddedRegistry({ database: ':memory:', now: () => NOW });
  // the champion: trained on the baseline relation
  const v1 = await trainChurnArtifact({ artifactsRoot: join(dir, 'artifacts'), rows: 4000, seed: 1, version: '1', now: new Date(NOW - 30 * 86_400_000) });
  await registry.registerVersion({ model: 'churn', artifactUri: v1.dir, metrics: { auc: v1.artifact.metrics.auc }, by: 'test' });
  await registry.setAlias('churn', CHAMPION, '1', { by: 'test', reason: 'initial' });
});

afterEach(async () => {
  await aggregator.stop();
  registry.close();
  rmSync(dir, { recursive: true, force: true });
});

const options = () => ({ aggregatorUrl: `http://127.0.0.1:${aggregator.httpPort}`, adminToken: ADMIN, registry, artifactsRoot: join(dir, 'artifacts'), now: () => new Date(NOW) });

describe('retrainFromRecords', () => {
  it('after concept drift: trains on the window, beats the champion on recent data, registers v2 as challenger once per run', async () => {
    await sendRecords(generateChurnData({ rows: 3000, seed: 5, relation: CONCEPT_RELATION }), NOW - 3 * 3_600_000, 'c');
    const result = await retrainFromRecords({ ...options(), runId: 'dw-churn-abc', reason: 'drift trigger' });
    expect(result).toMatchObject({ decision: 'registered', records: 3000, trainingRows: 2400, holdoutRows: 600, champion: { version: '1' } });
    expect(result.challenger?.auc).toBeGreaterThan((result.champion?.auc ?? 1) + 0.05);
    expect(result.version).toMatchObject({ model: 'churn', version: '2', runId: 'dw-churn-abc', artifactUri: join(dir, 'artifacts', 'churn', '2') });
    expect((await registry.getVersionByAlias('churn', 'challenger'))?.version).toBe('2');
    expect((await registry.getVersionByAlias('churn', CHAMPION))?.version).toBe('1');
    const history = await registry.history('churn', { limit: 2 });
    expect(history.map((e) => [e.action, e.version, e.by])).toEqual([
      ['alias_set', '2', 'churn-retrain'],
      ['version_registered', '2', 'churn-retrain'],
    ]);
    // the same retraining event delivered again: nothing new
    const again = await retrainFromRecords({ ...options(), runId: 'dw-churn-abc' });
    expect(again).toMatchObject({ decision: 'already_registered', version: { version: '2' } });
    expect(await registry.listVersions('churn')).toHaveLength(2);
  });

  it('without drift: the challenger is no better than the champion, so nothing is registered', async () => {
    await sendRecords(generateChurnData({ rows: 3000, seed: 9 }), NOW - 3 * 3_600_000, 'b');
    const result = await retrainFromRecords(options());
    expect(result.decision).toBe('kept_champion');
    expect(result.reasons[2]).toMatch(/does not beat it by more than 0\.005/);
    expect(await registry.listVersions('churn')).toHaveLength(1);
  });

  it('uses only the rolling window and refuses to train on too few records', async () => {
    await sendRecords(generateChurnData({ rows: 600, seed: 3, relation: CONCEPT_RELATION }), NOW - 10 * 86_400_000, 'old');
    await sendRecords(generateChurnData({ rows: 300, seed: 4, relation: CONCEPT_RELATION }), NOW - 3_600_000, 'new');
    const result = await retrainFromRecords({ ...options(), windowMs: 7 * 86_400_000 });
    expect(result).toMatchObject({ decision: 'insufficient_data', records: 300, reasons: ['300 labelled records in the window, fewer than 500'] });
    expect((await retrainFromRecords({ ...options(), windowMs: 30 * 86_400_000 })).records).toBe(900);
  });

  it('reads labels in their JSON forms', () => {
    expect([1, 0, true, false, '1', '0', 'true', 'false', 2, null, 'yes'].map(churnLabel)).toEqual([1, 0, 1, 0, 1, 0, 1, 0, undefined, undefined, undefined]);
  });
});

describe('retrain CLI', () => {
  it('runs on an event file, writing its JSON result to the given output (what the demo receiver calls)', async () => {
    await sendRecords(generateChurnData({ rows: 1000, seed: 5, relation: CONCEPT_RELATION }), NOW - 1_000_000, 'w');
    const registryPath = join(dir, 'registry.db');
    const shared = createEmbeddedRegistry({ database: registryPath, now: () => NOW });
    const v1 = await registry.getVersionByAlias('churn', CHAMPION);
    await shared.registerVersion({ model: 'churn', artifactUri: v1?.artifactUri ?? '', by: 'test' });
    await shared.setAlias('churn', CHAMPION, '1', { by: 'test' });
    shared.close();
    const eventFile = join(dir, 'event.json');
    writeFileSync(eventFile, JSON.stringify({ model: 'churn', trigger: 'performance', incident_id: 'performance:accuracy:1', reasons: ['accuracy low'], idempotency_key: 'dw-churn-0123456789abcdef01234567', requested_at: new Date(NOW).toISOString() }));
    const lines: string[] = [];
    const errors: string[] = [];
    // the CLI measures its window from the real clock (the aggregator's is fixed at NOW): a window reaching back to NOW
    const days = Math.ceil((Date.now() - NOW) / 86_400_000) + 1;
    const argv = ['--aggregator', `http://127.0.0.1:${aggregator.httpPort}`, '--registry', registryPath, '--artifacts', join(dir, 'artifacts'), '--event', eventFile, '--window', `${days}d`, '--json'];
    const run = (args: string[]) => retrainCli(args, { DRIFTWATCH_ADMIN_TOKEN: ADMIN }, { log: (l) => lines.push(l), error: (l) => errors.push(l) });
    expect(await run([...argv, '--min-records', '5000'])).toBe(3);
    expect(errors).toEqual([]);
    expect(JSON.parse(lines.at(-1) ?? '{}')).toMatchObject({ decision: 'insufficient_data', records: 1000 });
    expect(await run([...argv, '--min-records', '300'])).toBe(0);
    expect(JSON.parse(lines.at(-1) ?? '{}')).toMatchObject({ decision: 'registered', version: { version: '2', runId: 'dw-churn-0123456789abcdef01234567' } });
    expect(await run(argv.map((a) => (a === `${days}d` ? '5x' : a)))).toBe(1);
    expect(errors.at(-1)).toBe('retrain: --window must look like 90s, 30m, 12h or 7d, got "5x"');
  });

  it('reads --window in seconds, minutes, hours or days', () => {
    expect([parseWindowMs('90s'), parseWindowMs('30m'), parseWindowMs('12h'), parseWindowMs('7d')]).toEqual([90_000, 1_800_000, 43_200_000, 604_800_000]);
    for (const bad of ['0s', '1w', '', '1.5h', '-1d']) expect(() => parseWindowMs(bad), bad).toThrow(/--window must look like/);
  });

  it('checks its arguments', async () => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (m: string) => errors.push(m);
    try {
      expect(await retrainCli(['--registry', 'x.db'], {})).toBe(2);
      expect(await retrainCli(['--aggregator', 'http://127.0.0.1:1', '--registry', 'a.db', '--mlflow', 'http://m'], {})).toBe(2);
      expect(await retrainCli(['--nope'], {})).toBe(2);
    } finally {
      console.error = original;
    }
    expect(errors.join('\n')).toMatch(/--aggregator and exactly one of --registry or --mlflow/);
  });
});
