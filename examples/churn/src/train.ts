/**
 * Trains the churn model on generated data and writes a versioned artifact
 * (model.json + reference.json). Library function {@link trainChurnArtifact}
 * and a CLI:
 *
 *   node examples/churn/dist/train.js [--rows 20000] [--seed 42] [--version N]
 *        [--artifacts DIR] [--l2 0.001] [--evaluation-share 0.2] [--overwrite] [--json]
 */
import { parseArgs } from 'node:util';
import type { ReferenceProfile } from '@driftwatch/stats';
import type { LabelledRow } from './data/generate.js';
import { generateChurnData } from './data/generate.js';
import { isMainModule } from './is-main-module.js';
import type { ModelArtifact } from './model/artifact.js';
import { DEFAULT_ARTIFACTS_ROOT, MODEL_ARTIFACT_FORMAT, buildChurnReference, listArtifactVersions, saveArtifact } from './model/artifact.js';
import { CHURN_THRESHOLD, predictChurnProbability, trainChurnModel } from './model/churn-model.js';
import { accuracy, majorityBaselineAccuracy, rocAuc } from './model/metrics.js';
import { CHURN_MODEL_NAME } from './feature-schema.js';

export const DEFAULT_TRAINING_ROWS = 20_000;
export const DEFAULT_TRAINING_SEED = 42;
export const DEFAULT_L2 = 1e-3;
export const DEFAULT_EVALUATION_SHARE = 0.2;

export interface TrainOptions {
  /** root of the artifact tree; default examples/churn/artifacts */
  artifactsRoot?: string;
  /** default: one more than the highest integer version already saved, else "1" */
  version?: string;
  /** rows to generate (training + evaluation); default 20000. Ignored when `data` is given */
  rows?: number;
  /** seed of the generated data; default 42 */
  seed?: number;
  /** labelled rows to use instead of generated ones (e.g. recent production data for a retrain) */
  data?: readonly LabelledRow[];
  /** the last share of rows is held out for the metrics; default 0.2 */
  evaluationShare?: number;
  /** L2 penalty of the logistic regression; default 0.001 */
  l2?: number;
  /** replace an existing version; default false */
  overwrite?: boolean;
  /** training time to record; default now */
  now?: Date;
}

export interface TrainResult {
  dir: string;
  artifact: ModelArtifact;
  reference: ReferenceProfile;
}

/** The next free integer version under `artifactsRoot` ("1" when there is none). */
export async function nextArtifactVersion(artifactsRoot: string): Promise<string> {
  const numeric = (await listArtifactVersions(artifactsRoot)).filter((v) => /^\d+$/.test(v)).map(Number);
  return String(numeric.length === 0 ? 1 : Math.max(...numeric) + 1);
}

/**
 * Generates (or takes) labelled rows, holds out the last `evaluationShare`,
 * trains on the rest, measures accuracy and ROC AUC on the held-out rows,
 * profiles the training rows and their scores, and saves the artifact.
 */
export async function trainChurnArtifact(options: TrainOptions = {}): Promise<TrainResult> {
  const artifactsRoot = options.artifactsRoot ?? DEFAULT_ARTIFACTS_ROOT;
  const seed = options.seed ?? DEFAULT_TRAINING_SEED;
  const l2 = options.l2 ?? DEFAULT_L2;
  const evaluationShare = options.evaluationShare ?? DEFAULT_EVALUATION_SHARE;
  if (!(evaluationShare > 0 && evaluationShare < 1)) throw new Error(`evaluationShare must be in (0, 1), got ${evaluationShare}`);
  const rows = options.data ?? generateChurnData({ rows: options.rows ?? DEFAULT_TRAINING_ROWS, seed });
  const evaluationRows = Math.round(rows.length * evaluationShare);
  const trainingRows = rows.length - evaluationRows;
  if (evaluationRows < 1 || trainingRows < 1) throw new Error(`need at least 1 training and 1 evaluation row, got ${rows.length} rows`);
  const training = rows.slice(0, trainingRows);
  const evaluation = rows.slice(trainingRows);

  const fit = trainChurnModel(training, { l2 });
  const evaluationLabels = evaluation.map((r) => r.churn);
  const evaluationScores = evaluation.map((r) => predictChurnProbability(fit.model, r.features));
  const labelsBothPresent = evaluationLabels.includes(0) && evaluationLabels.includes(1);
  if (!labelsBothPresent) throw new Error('the evaluation rows need both churn labels to measure AUC; use more rows');

  const version = options.version ?? (await nextArtifactVersion(artifactsRoot));
  const artifact: ModelArtifact = {
    format: MODEL_ARTIFACT_FORMAT,
    name: CHURN_MODEL_NAME,
    version,
    trainedAt: (options.now ?? new Date()).toISOString(),
    trainingRows,
    seed,
    threshold: CHURN_THRESHOLD,
    metrics: {
      accuracy: accuracy(evaluationLabels, evaluationScores, CHURN_THRESHOLD),
      auc: rocAuc(evaluationLabels, evaluationScores),
      baselineAccuracy: majorityBaselineAccuracy(evaluationLabels),
      evaluationRows,
    },
    training: { l2, iterations: fit.iterations, converged: fit.converged },
    model: fit.model,
  };
  const trainingScores = training.map((r) => predictChurnProbability(fit.model, r.features));
  const reference = buildChurnReference(
    training.map((r) => r.features),
    trainingScores,
    version,
  );
  const dir = await saveArtifact(artifactsRoot, artifact, reference, { overwrite: options.overwrite ?? false });
  return { dir, artifact, reference };
}

/** One human-readable line about a trained artifact. */
export function describeTraining(result: TrainResult): string {
  const { artifact: a, dir } = result;
  const m = a.metrics;
  return (
    `trained ${a.name} v${a.version} on ${a.trainingRows} rows (seed ${a.seed}): ` +
    `accuracy ${m.accuracy.toFixed(3)} (majority baseline ${m.baselineAccuracy.toFixed(3)}), ` +
    `ROC AUC ${m.auc.toFixed(3)} on ${m.evaluationRows} held-out rows → ${dir}`
  );
}

const USAGE = `usage: train [--rows N] [--seed N] [--version V] [--artifacts DIR] [--l2 X] [--evaluation-share X] [--overwrite] [--json]`;

function parseNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new Error(`--${flag} must be a number, got "${value}"`);
  return n;
}

/** The CLI: parses `argv`, trains, prints a summary (or JSON); returns the process exit code. */
export async function trainCli(argv: readonly string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        rows: { type: 'string' },
        seed: { type: 'string' },
        version: { type: 'string' },
        artifacts: { type: 'string' },
        l2: { type: 'string' },
        'evaluation-share': { type: 'string' },
        overwrite: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    const result = await trainChurnArtifact({
      rows: parseNumber('rows', values.rows),
      seed: parseNumber('seed', values.seed),
      version: values.version,
      artifactsRoot: values.artifacts,
      l2: parseNumber('l2', values.l2),
      evaluationShare: parseNumber('evaluation-share', values['evaluation-share']),
      overwrite: values.overwrite ?? false,
    });
    if (values.json) console.log(JSON.stringify({ dir: result.dir, version: result.artifact.version, metrics: result.artifact.metrics }));
    else console.log(describeTraining(result));
    return 0;
  } catch (error) {
    console.error(`train: ${(error as Error).message}`);
    return 1;
  }
}

if (isMainModule(import.meta.url)) {
  process.exitCode = await trainCli(process.argv.slice(2));
}
