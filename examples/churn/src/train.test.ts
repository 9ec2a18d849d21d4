import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { takeScenarioRows } from './scenarios.js';
import { describeTraining, nextArtifactVersion, trainChurnArtifact, trainCli } from './train.js';
import { loadArtifact } from './model/artifact.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'churn-train-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('trainChurnArtifact', () => {
  it('trains, measures held-out quality and saves a loadable artifact with its reference', async () => {
    const now = new Date('2025-06-01T12:00:00Z');
    const result = await trainChurnArtifact({ artifactsRoot: root, rows: 4000, seed: 5, now });
    expect(result.artifact.version).toBe('1');
    expect(result.artifact.trainingRows).toBe(3200);
    expect(result.artifact.trainedAt).toBe('2025-06-01T12:00:00.000Z');
    expect(result.artifact.metrics.evaluationRows).toBe(800);
    expect(result.artifact.metrics.auc).toBeGreaterThan(0.75);
    expect(result.artifact.metrics.accuracy).toBeGreaterThan(result.artifact.metrics.baselineAccuracy);
    expect(result.reference.rowCount).toBe(3200);
    expect(result.reference.outputs?.score?.count).toBe(3200);
    const loaded = await loadArtifact(result.dir);
    expect(loaded.artifact).toEqual(result.artifact);
    expect(describeTraining(result)).toMatch(/^trained churn v1 on 3200 rows \(seed 5\): accuracy 0\.\d{3} .*ROC AUC 0\.\d{3} on 800 held-out rows/);
  });

  it('numbers versions after the highest one and is deterministic for a seed', async () => {
    expect(await nextArtifactVersion(root)).toBe('2');
    const again = await trainChurnArtifact({ artifactsRoot: root, rows: 4000, seed: 5 });
    expect(again.artifact.version).toBe('2');
    const first = await loadArtifact(join(root, 'churn', '1'));
    expect(again.artifact.model).toEqual(first.artifact.model);
    expect(again.artifact.metrics).toEqual(first.artifact.metrics);
  });

  it('retrains on given rows, e.g. recent traffic after a concept drift', async () => {
    const recent = takeScenarioRows('concept', { seed: 77 }, 3000);
    const result = await trainChurnArtifact({ artifactsRoot: root, data: recent, version: 'concept-1' });
    expect(result.artifact.trainingRows).toBe(2400);
    // the new relation is learnable too
    expect(result.artifact.metrics.auc).toBeGreaterThan(0.7);
  });

  it('rejects bad options', async () => {
    await expect(trainChurnArtifact({ artifactsRoot: root, evaluationShare: 1 })).rejects.toThrow(/evaluationShare must be in \(0, 1\)/);
    await expect(trainChurnArtifact({ artifactsRoot: root, rows: 1 })).rejects.toThrow(/need at least 1 training and 1 evaluation row/);
  });
});

describe('trainCli', () => {
  it('trains from flags and prints JSON', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const code = await trainCli(['--artifacts', root, '--rows', '2000', '--seed', '3', '--version', 'cli', '--json']);
      expect(code).toBe(0);
      const printed = JSON.parse(String(log.mock.calls[0]?.[0])) as { version: string; dir: string; metrics: { auc: number } };
      expect(printed.version).toBe('cli');
      expect(printed.dir).toBe(join(root, 'churn', 'cli'));
      expect(printed.metrics.auc).toBeGreaterThan(0.7);
    } finally {
      log.mockRestore();
    }
  });

  it('exits 2 on unknown flags and 1 on failures', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await trainCli(['--nope'])).toBe(2);
      expect(await trainCli(['--artifacts', root, '--rows', 'many'])).toBe(1);
      expect(String(error.mock.calls.at(-1)?.[0])).toMatch(/--rows must be a number/);
      expect(await trainCli(['--artifacts', root, '--rows', '2000', '--version', 'cli'])).toBe(1);
      expect(String(error.mock.calls.at(-1)?.[0])).toMatch(/already exists/);
    } finally {
      error.mockRestore();
    }
  });
});
