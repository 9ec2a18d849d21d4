/**
 * Versioned model artifacts: one directory per version,
 * `<artifactsRoot>/churn/<version>/`, holding
 *
 * - `model.json` — the {@link ModelArtifact}: weights, encoder, offline metrics,
 *   training time and row count;
 * - `reference.json` — the reference profile of the training data (features
 *   and the model's training-set scores), a `driftwatch.reference/v1`
 *   document built by `@driftwatch/stats`' `buildReferenceProfile`, which the
 *   aggregator compares live traffic against.
 *
 * The two files are written into a temporary sibling directory and renamed
 * into place, so a reader never sees a half-written version. Versions are
 * immutable: saving over an existing one needs `overwrite: true`.
 */
import { chmod, mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReferenceProfile } from '@driftwatch/stats';
import { buildReferenceProfile, validateReferenceProfile } from '@driftwatch/stats';
import type { ChurnFeatures } from '../data/generate.js';
import { CHURN_FEATURE_SCHEMA, CHURN_MODEL_NAME, CHURN_OUTPUT_SCHEMA } from '../feature-schema.js';
import type { ChurnModel } from './churn-model.js';
import { CHURN_THRESHOLD, validateChurnModel } from './churn-model.js';

export const MODEL_ARTIFACT_FORMAT = 'driftwatch.example.churn-model/v1';
export const MODEL_FILE = 'model.json';
/** `examples/churn/artifacts` (from both src/ and dist/). */
export const DEFAULT_ARTIFACTS_ROOT = fileURLToPath(new URL('../../artifacts', import.meta.url));
export const REFERENCE_FILE = 'reference.json';

/** Offline quality on held-out rows. */
export interface ArtifactMetrics {
  /** accuracy at the model's threshold, in [0, 1] */
  accuracy: number;
  /** ROC AUC, in [0, 1] */
  auc: number;
  /** accuracy of always predicting the majority label on the same rows */
  baselineAccuracy: number;
  /** rows the metrics were computed on (not used for training) */
  evaluationRows: number;
}

/** The content of `model.json`. */
export interface ModelArtifact {
  format: typeof MODEL_ARTIFACT_FORMAT;
  /** `ml.model.name` */
  name: string;
  /** `ml.model.version`; also the directory name */
  version: string;
  /** ISO 8601 */
  trainedAt: string;
  trainingRows: number;
  /** seed of the generated training data */
  seed: number;
  /** probability at or above which churn = 1 is predicted */
  threshold: number;
  metrics: ArtifactMetrics;
  training: { l2: number; iterations: number; converged: boolean };
  model: ChurnModel;
}

export interface LoadedArtifact {
  dir: string;
  artifact: ModelArtifact;
  reference: ReferenceProfile;
}

const VERSION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function checkVersion(version: string): void {
  if (!VERSION_PATTERN.test(version)) {
    throw new Error(`artifact version must match ${VERSION_PATTERN} (letters, digits, ".", "_", "-"), got "${version}"`);
  }
}

/** `<artifactsRoot>/<name>/<version>`. */
export function artifactDir(artifactsRoot: string, version: string, name = CHURN_MODEL_NAME): string {
  checkVersion(version);
  return join(artifactsRoot, name, version);
}

/**
 * The reference profile of the training data: every feature of
 * {@link CHURN_FEATURE_SCHEMA} plus the model's training-set score as output
 * `score` and its predicted class at {@link CHURN_THRESHOLD} as output `class`. O(rows).
 */
export function buildChurnReference(rows: readonly ChurnFeatures[], scores: readonly number[], version: string): ReferenceProfile {
  if (rows.length !== scores.length) throw new Error(`buildChurnReference: ${rows.length} rows but ${scores.length} scores`);
  const profileRows = rows.map((features, i) => {
    const score = scores[i] as number;
    return { ...features, score, class: score >= CHURN_THRESHOLD ? '1' : '0' };
  });
  return buildReferenceProfile(profileRows, CHURN_FEATURE_SCHEMA, {
    model: CHURN_MODEL_NAME,
    version,
    source: 'file',
    outputs: CHURN_OUTPUT_SCHEMA,
  });
}

const exists = async (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );

/**
 * Writes `model.json` and `reference.json` into
 * `<artifactsRoot>/<artifact.name>/<artifact.version>/` and returns that
 * directory. Throws if the version exists (unless `overwrite`), or if the
 * reference profile is for another model or version.
 */
export async function saveArtifact(
  artifactsRoot: string,
  artifact: ModelArtifact,
  reference: ReferenceProfile,
  options: { overwrite?: boolean } = {},
): Promise<string> {
  validateModelArtifact(artifact);
  validateReferenceProfile(reference);
  if (reference.model !== artifact.name || reference.version !== artifact.version) {
    throw new Error(
      `reference profile is for ${reference.model}@${reference.version} but the artifact is ${artifact.name}@${artifact.version}`,
    );
  }
  const dir = artifactDir(artifactsRoot, artifact.version, artifact.name);
  const parent = join(artifactsRoot, artifact.name);
  if ((await exists(dir)) && !options.overwrite) {
    throw new Error(`artifact ${dir} already exists (versions are immutable; save with overwrite, or train with --overwrite, to replace it)`);
  }
  await mkdir(parent, { recursive: true });
  const staging = await mkdtemp(join(parent, `.staging-${artifact.version}-`));
  try {
    await writeFile(join(staging, MODEL_FILE), `${JSON.stringify(artifact, null, 2)}\n`);
    await writeFile(join(staging, REFERENCE_FILE), `${JSON.stringify(reference)}\n`);
    await chmod(staging, 0o755); // mkdtemp creates 0700
    if (options.overwrite) await rm(dir, { recursive: true, force: true });
    await rename(staging, dir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return dir;
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Reads and validates an artifact directory written by {@link saveArtifact}. */
export async function loadArtifact(dir: string): Promise<LoadedArtifact> {
  const modelPath = join(dir, MODEL_FILE);
  const referencePath = join(dir, REFERENCE_FILE);
  let artifact: ModelArtifact;
  let reference: ReferenceProfile;
  try {
    artifact = validateModelArtifact(await readJson(modelPath));
  } catch (error) {
    throw new Error(`${modelPath}: ${(error as Error).message}`);
  }
  try {
    reference = validateReferenceProfile(await readJson(referencePath));
  } catch (error) {
    throw new Error(`${referencePath}: ${(error as Error).message}`);
  }
  return { dir, artifact, reference };
}

/**
 * The versions saved under `<artifactsRoot>/<name>/`, oldest first by
 * natural order ("2" < "10"); empty when there are none.
 */
export async function listArtifactVersions(artifactsRoot: string, name = CHURN_MODEL_NAME): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(join(artifactsRoot, name), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isDirectory() && VERSION_PATTERN.test(e.name))
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isUnit = (v: unknown): v is number => isFiniteNumber(v) && v >= 0 && v <= 1;

/** Checks the shape of `model.json`; throws an Error naming the bad field. */
export function validateModelArtifact(value: unknown): ModelArtifact {
  if (typeof value !== 'object' || value === null) throw new Error('model artifact must be a JSON object');
  const a = value as Record<string, unknown>;
  if (a.format !== MODEL_ARTIFACT_FORMAT) throw new Error(`format must be "${MODEL_ARTIFACT_FORMAT}", got ${JSON.stringify(a.format)}`);
  if (typeof a.name !== 'string' || a.name === '') throw new Error('name must be a non-empty string');
  if (typeof a.version !== 'string' || !VERSION_PATTERN.test(a.version)) throw new Error(`version must match ${VERSION_PATTERN}`);
  if (typeof a.trainedAt !== 'string' || Number.isNaN(Date.parse(a.trainedAt))) throw new Error('trainedAt must be an ISO 8601 date');
  if (!Number.isInteger(a.trainingRows) || (a.trainingRows as number) < 1) throw new Error('trainingRows must be a positive integer');
  if (!isFiniteNumber(a.seed)) throw new Error('seed must be a finite number');
  if (!isUnit(a.threshold)) throw new Error('threshold must be a number in [0, 1]');
  const m = a.metrics as Record<string, unknown> | null | undefined;
  if (typeof m !== 'object' || m === null) throw new Error('metrics must be an object');
  for (const key of ['accuracy', 'auc', 'baselineAccuracy'] as const) {
    if (!isUnit(m[key])) throw new Error(`metrics.${key} must be a number in [0, 1]`);
  }
  if (!Number.isInteger(m.evaluationRows) || (m.evaluationRows as number) < 1) throw new Error('metrics.evaluationRows must be a positive integer');
  const t = a.training as Record<string, unknown> | null | undefined;
  if (typeof t !== 'object' || t === null) throw new Error('training must be an object');
  if (!isFiniteNumber(t.l2) || t.l2 < 0) throw new Error('training.l2 must be a non-negative number');
  if (!Number.isInteger(t.iterations)) throw new Error('training.iterations must be an integer');
  if (typeof t.converged !== 'boolean') throw new Error('training.converged must be a boolean');
  validateChurnModel(a.model, 'model');
  return value as ModelArtifact;
}

/** The newest version's directory under `<artifactsRoot>/<name>/`, or undefined when none was saved. */
export async function latestArtifactDir(artifactsRoot: string, name = CHURN_MODEL_NAME): Promise<string | undefined> {
  const latest = (await listArtifactVersions(artifactsRoot, name)).at(-1);
  return latest === undefined ? undefined : join(artifactsRoot, name, latest);
}
