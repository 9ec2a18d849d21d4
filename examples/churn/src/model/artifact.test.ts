import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profileToSketch } from '@driftwatch/stats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateChurnData } from '../data/generate.js';
import { CHURN_FEATURE_SCHEMA } from '../feature-schema.js';
import type { ModelArtifact } from './artifact.js';
import {
  MODEL_ARTIFACT_FORMAT,
  artifactDir,
  buildChurnReference,
  listArtifactVersions,
  loadArtifact,
  saveArtifact,
  validateModelArtifact,
} from './artifact.js';
import { predictChurnProbability, trainChurnModel } from './churn-model.js';

const rows = generateChurnData({ rows: 800, seed: 9 });
const { model } = trainChurnModel(rows);
const scores = rows.map((r) => predictChurnProbability(model, r.features));

const artifactFor = (version: string): ModelArtifact => ({
  format: MODEL_ARTIFACT_FORMAT,
  name: 'churn',
  version,
  trainedAt: '2025-01-02T03:04:05.000Z',
  trainingRows: rows.length,
  seed: 9,
  threshold: 0.5,
  metrics: { accuracy: 0.8, auc: 0.85, baselineAccuracy: 0.75, evaluationRows: 200 },
  training: { l2: 0.001, iterations: 6, converged: true },
  model,
});

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'churn-artifact-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('buildChurnReference', () => {
  it('profiles every monitored feature and the training scores', () => {
    const reference = buildChurnReference(
      rows.map((r) => r.features),
      scores,
      '3',
    );
    expect(reference).toMatchObject({ format: 'driftwatch.reference/v1', model: 'churn', version: '3', rowCount: rows.length });
    expect(Object.keys(reference.features).sort()).toEqual(Object.keys(CHURN_FEATURE_SCHEMA).sort());
    expect(reference.features.senior_citizen?.categorical?.exact).toEqual({
      '0': rows.filter((r) => r.features.senior_citizen === 0).length,
      '1': rows.filter((r) => r.features.senior_citizen === 1).length,
    });
    const meanCharges = rows.reduce((s, r) => s + r.features.monthly_charges, 0) / rows.length;
    expect(reference.features.monthly_charges?.numeric?.mean).toBeCloseTo(meanCharges, 8);
    const score = reference.outputs?.score;
    expect(score?.count).toBe(rows.length);
    expect(score?.numeric?.mean).toBeCloseTo(scores.reduce((s, x) => s + x, 0) / scores.length, 8);
    // usable by the drift engine
    expect(profileToSketch(reference.features.contract as NonNullable<typeof reference.features.contract>).kind).toBe('categorical');
  });

  it('needs one score per row', () => {
    expect(() => buildChurnReference([], [0.5], '1')).toThrow(/0 rows but 1 scores/);
  });
});

describe('saveArtifact / loadArtifact', () => {
  it('writes model.json and reference.json into <root>/churn/<version> and reads them back', async () => {
    const reference = buildChurnReference(
      rows.map((r) => r.features),
      scores,
      '1',
    );
    const dir = await saveArtifact(root, artifactFor('1'), reference);
    expect(dir).toBe(join(root, 'churn', '1'));
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'reference.json']);
    const loaded = await loadArtifact(dir);
    expect(loaded.artifact).toEqual(artifactFor('1'));
    expect(loaded.reference).toEqual(reference);
    const features = rows[0]?.features;
    if (!features) throw new Error('no rows');
    expect(predictChurnProbability(loaded.artifact.model, features)).toBe(predictChurnProbability(model, features));
  });

  it('keeps versions immutable unless overwrite is asked for', async () => {
    const reference = buildChurnReference(
      rows.slice(0, 1).map((r) => r.features),
      [0.3],
      '2',
    );
    await saveArtifact(root, artifactFor('2'), reference);
    await expect(saveArtifact(root, artifactFor('2'), reference)).rejects.toThrow(/already exists/);
    const changed = { ...artifactFor('2'), seed: 10 };
    await saveArtifact(root, changed, reference, { overwrite: true });
    expect((await loadArtifact(join(root, 'churn', '2'))).artifact.seed).toBe(10);
    // no staging directories are left behind
    expect((await readdir(join(root, 'churn'))).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('refuses a reference profile of another version', async () => {
    const reference = buildChurnReference([], [], '9');
    await expect(saveArtifact(root, artifactFor('8'), reference)).rejects.toThrow(/reference profile is for churn@9 but the artifact is churn@8/);
  });

  it('lists versions in natural order', async () => {
    const reference10 = buildChurnReference([], [], '10');
    await saveArtifact(root, artifactFor('10'), reference10);
    expect(await listArtifactVersions(root)).toEqual(['1', '2', '10']);
    expect(await listArtifactVersions(join(root, 'nowhere'))).toEqual([]);
  });

  it('names the file and field when loading a broken artifact', async () => {
    const dir = join(root, 'churn', '1');
    const good = await readFile(join(dir, 'model.json'), 'utf8');
    await writeFile(join(dir, 'model.json'), JSON.stringify({ ...JSON.parse(good), metrics: { accuracy: 2 } }));
    await expect(loadArtifact(dir)).rejects.toThrow(/model\.json: metrics\.accuracy must be a number in \[0, 1\]/);
    await writeFile(join(dir, 'model.json'), '{');
    await expect(loadArtifact(dir)).rejects.toThrow(/model\.json is not valid JSON/);
    await expect(loadArtifact(join(root, 'missing'))).rejects.toThrow(/cannot read .*model\.json/);
    await writeFile(join(dir, 'model.json'), good);
    await writeFile(join(dir, 'reference.json'), JSON.stringify({ format: 'nope' }));
    await expect(loadArtifact(dir)).rejects.toThrow(/reference\.json: /);
  });
});

describe('validateModelArtifact / artifactDir', () => {
  it('names the bad field', () => {
    expect(() => validateModelArtifact(null)).toThrow('model artifact must be a JSON object');
    expect(() => validateModelArtifact({ ...artifactFor('1'), format: 'x' })).toThrow(/format must be/);
    expect(() => validateModelArtifact({ ...artifactFor('1'), trainingRows: 0 })).toThrow('trainingRows must be a positive integer');
    expect(() => validateModelArtifact({ ...artifactFor('1'), model: { ...model, weights: [] } })).toThrow(/model.weights has 0 entries/);
  });

  it('rejects versions that are not safe directory names', () => {
    expect(artifactDir('/a', '7')).toBe(join('/a', 'churn', '7'));
    expect(() => artifactDir('/a', '../x')).toThrow(/artifact version must match/);
    expect(() => artifactDir('/a', '')).toThrow(/artifact version must match/);
  });
});
