/**
 * Retrains the churn model on a rolling window of production data and registers the new version only if it
 * beats the current champion on held-out recent data. What a retraining job started by the aggregator's
 * retraining loop (a webhook, a GitHub workflow, an Airflow DAG or a Prefect flow) runs:
 *
 * 1. exports the labelled prediction records of the window from the aggregator
 *    (`GET /api/v1/models/churn/records?since=…&format=jsonl&labelled=true`, read as a stream, line by line);
 * 2. holds out the most recent `holdoutShare` of them (time order: the model is judged on the newest data);
 * 3. trains a challenger on the rest and scores it and the `champion` (from the registry) on the hold-out;
 * 4. registers the challenger (artifact + reference saved first) and points `alias` (default `challenger`, the
 *    rollout's candidate) at it only when its ROC AUC beats the champion's by more than `minImprovement`; with no
 *    champion yet, the first version becomes `champion`.
 *
 * The retraining event's `idempotency_key` is the registry `runId`: a job started twice for one incident
 * registers at most one version.
 *
 *   node examples/churn/dist/retrain.js --aggregator http://127.0.0.1:9464 --registry ./data/registry.db
 *        [--window 7d (90s, 30m, 12h, 7d)] [--holdout 0.2] [--min-records 500] [--min-improvement 0.005] [--alias challenger]
 *        [--artifacts DIR] [--event event.json | --run-id KEY] [--by NAME] [--json]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CHAMPION, createEmbeddedRegistry, createMlflowRegistry, formatDurationMs } from '@driftwatch/lifecycle';
import type { ModelRegistry, ModelVersion } from '@driftwatch/lifecycle';
import type { ChurnFeatures, LabelledRow } from './data/generate.js';
import { CHURN_MODEL_NAME } from './feature-schema.js';
import { isMainModule } from './is-main-module.js';
import type { ModelArtifact } from './model/artifact.js';
import { DEFAULT_ARTIFACTS_ROOT, MODEL_ARTIFACT_FORMAT, artifactDir, buildChurnReference, loadArtifact, saveArtifact } from './model/artifact.js';
import type { ChurnModel } from './model/churn-model.js';
import { CHURN_THRESHOLD, predictChurnProbability, trainChurnModel } from './model/churn-model.js';
import { accuracy, majorityBaselineAccuracy, rocAuc } from './model/metrics.js';
import { DEFAULT_L2 } from './train.js';

export const DEFAULT_RETRAIN_WINDOW_MS = 7 * 86_400_000;
export const DEFAULT_HOLDOUT_SHARE = 0.2;
export const DEFAULT_MIN_RECORDS = 500;
/** ROC AUC points the challenger must gain over the champion on the hold-out. */
export const DEFAULT_MIN_IMPROVEMENT = 0.005;

export interface RetrainOptions {
  /** The aggregator's API, e.g. `http://127.0.0.1:9464`. */
  readonly aggregatorUrl: string;
  /** The aggregator's admin token (the records export needs it when one is set). */
  readonly adminToken?: string;
  readonly registry: ModelRegistry;
  readonly artifactsRoot?: string;
  /** Rolling window of records to use; default 7 days. */
  readonly windowMs?: number;
  /** The most recent share of labelled records held out for the comparison; default 0.2. */
  readonly holdoutShare?: number;
  /** Fewer labelled records than this: no retraining; default 500. */
  readonly minRecords?: number;
  readonly minImprovement?: number;
  /** The alias given to a registered challenger; default `challenger`. */
  readonly alias?: string;
  /** The retraining event's idempotency key (stored as the version's runId). */
  readonly runId?: string;
  /** Who registers (registry history); default `churn-retrain`. */
  readonly by?: string;
  /** Why (registry history), e.g. the retraining event's reasons. */
  readonly reason?: string;
  readonly l2?: number;
  readonly now?: () => Date;
  readonly fetch?: typeof fetch;
}

export interface ModelScore {
  readonly accuracy: number;
  readonly auc: number;
}

export type RetrainDecision = 'registered' | 'kept_champion' | 'insufficient_data' | 'already_registered';

export interface RetrainResult {
  readonly decision: RetrainDecision;
  readonly reasons: readonly string[];
  /** Labelled records of the window (after dropping unreadable labels). */
  readonly records: number;
  readonly skippedRecords: number;
  readonly trainingRows: number;
  readonly holdoutRows: number;
  readonly challenger: ModelScore | null;
  readonly champion: (ModelScore & { readonly version: string }) | null;
  /** The registered (or, for `already_registered`, the existing) version. */
  readonly version: ModelVersion | null;
  readonly artifactDir: string | null;
}

/** A record label as 0/1: numbers 0/1, booleans, and the strings "0"/"1"/"true"/"false"; anything else is unreadable. */
export function churnLabel(label: unknown): 0 | 1 | undefined {
  if (label === 1 || label === true || label === '1' || label === 'true') return 1;
  if (label === 0 || label === false || label === '0' || label === 'false') return 0;
  return undefined;
}

/**
 * Reads the aggregator's JSONL records export as a stream and returns the labelled rows in time order (the
 * export's order). Lines whose label is unreadable are counted in `skipped`.
 */
export async function fetchLabelledRecords(
  options: Pick<RetrainOptions, 'aggregatorUrl' | 'adminToken' | 'fetch'>,
  sinceMs: number,
  untilMs: number,
): Promise<{ rows: LabelledRow[]; skipped: number }> {
  const url = new URL(`/api/v1/models/${encodeURIComponent(CHURN_MODEL_NAME)}/records`, options.aggregatorUrl);
  url.searchParams.set('since', new Date(sinceMs).toISOString());
  url.searchParams.set('until', new Date(untilMs).toISOString());
  url.searchParams.set('format', 'jsonl');
  url.searchParams.set('labelled', 'true');
  const res = await (options.fetch ?? fetch)(url, { headers: options.adminToken ? { authorization: `Bearer ${options.adminToken}` } : {} });
  if (res.status === 404) return { rows: [], skipped: 0 };
  if (!res.ok || !res.body) throw new Error(`GET ${url.pathname}: HTTP ${res.status} ${await res.text()}`);
  const rows: LabelledRow[] = [];
  let skipped = 0;
  const take = (line: string): void => {
    if (line.trim() === '') return;
    const r = JSON.parse(line) as { features?: unknown; label?: unknown };
    const churn = churnLabel(r.label);
    if (churn === undefined || r.features === null || typeof r.features !== 'object') skipped++;
    else rows.push({ features: r.features as ChurnFeatures, churn });
  };
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    pending += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      take(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
    }
  }
  take(pending + decoder.decode());
  return { rows, skipped };
}

function score(model: ChurnModel, rows: readonly LabelledRow[]): ModelScore {
  const labels = rows.map((r) => r.churn);
  const scores = rows.map((r) => predictChurnProbability(model, r.features));
  return { accuracy: accuracy(labels, scores, CHURN_THRESHOLD), auc: rocAuc(labels, scores) };
}

const fmt = (x: number): string => x.toFixed(4);

/** The next integer version of the registry (the artifact is saved under it before registering). */
async function nextVersion(registry: ModelRegistry): Promise<string> {
  const versions = (await registry.listVersions(CHURN_MODEL_NAME).catch(() => [])).map((v) => Number(v.version)).filter(Number.isInteger);
  return String(versions.length === 0 ? 1 : Math.max(...versions) + 1);
}

/** See the file's header. Never registers a version that does not beat the champion. */
export async function retrainFromRecords(options: RetrainOptions): Promise<RetrainResult> {
  const now = (options.now ?? (() => new Date()))();
  const holdoutShare = options.holdoutShare ?? DEFAULT_HOLDOUT_SHARE;
  if (!(holdoutShare > 0 && holdoutShare < 1)) throw new Error(`holdoutShare must be in (0, 1), got ${holdoutShare}`);
  const minRecords = options.minRecords ?? DEFAULT_MIN_RECORDS;
  const minImprovement = options.minImprovement ?? DEFAULT_MIN_IMPROVEMENT;
  const registry = options.registry;
  const empty = { challenger: null, champion: null, version: null, artifactDir: null };

  if (options.runId !== undefined) {
    const existing = (await registry.listVersions(CHURN_MODEL_NAME).catch(() => [])).find((v) => v.runId === options.runId);
    if (existing) {
      return { ...empty, decision: 'already_registered', reasons: [`version ${existing.version} was already registered for run ${options.runId}`], records: 0, skippedRecords: 0, trainingRows: 0, holdoutRows: 0, version: existing };
    }
  }

  const windowMs = options.windowMs ?? DEFAULT_RETRAIN_WINDOW_MS;
  const { rows, skipped } = await fetchLabelledRecords(options, now.getTime() - windowMs, now.getTime() + 1);
  const holdoutRows = Math.round(rows.length * holdoutShare);
  const training = rows.slice(0, rows.length - holdoutRows);
  const holdout = rows.slice(rows.length - holdoutRows);
  const counts = { records: rows.length, skippedRecords: skipped, trainingRows: training.length, holdoutRows };
  const bothClasses = (r: readonly LabelledRow[]): boolean => r.some((x) => x.churn === 1) && r.some((x) => x.churn === 0);
  if (rows.length < minRecords || !bothClasses(training) || !bothClasses(holdout)) {
    const why = rows.length < minRecords ? `${rows.length} labelled records in the window, fewer than ${minRecords}` : 'the training or hold-out rows lack one of the churn labels';
    return { ...empty, ...counts, decision: 'insufficient_data', reasons: [why] };
  }

  const fit = trainChurnModel(training, { l2: options.l2 ?? DEFAULT_L2 });
  const challenger = score(fit.model, holdout);
  const championVersion = await registry.getVersionByAlias(CHURN_MODEL_NAME, CHAMPION);
  let champion: RetrainResult['champion'] = null;
  if (championVersion) {
    const loaded = await loadArtifact(championVersion.artifactUri);
    champion = { version: championVersion.version, ...score(loaded.artifact.model, holdout) };
  }
  const reasons = [
    `challenger: ROC AUC ${fmt(challenger.auc)}, accuracy ${fmt(challenger.accuracy)} on the ${holdoutRows} most recent labelled records (trained on ${training.length})`,
    champion ? `champion v${champion.version}: ROC AUC ${fmt(champion.auc)}, accuracy ${fmt(champion.accuracy)} on the same rows` : 'no champion yet',
  ];
  if (champion && !(challenger.auc > champion.auc + minImprovement)) {
    reasons.push(`kept the champion: the challenger's ROC AUC does not beat it by more than ${minImprovement}`);
    return { ...empty, ...counts, decision: 'kept_champion', reasons, challenger, champion };
  }

  const version = await nextVersion(registry);
  const artifactsRoot = options.artifactsRoot ?? DEFAULT_ARTIFACTS_ROOT;
  const labels = holdout.map((r) => r.churn);
  const artifact: ModelArtifact = {
    format: MODEL_ARTIFACT_FORMAT,
    name: CHURN_MODEL_NAME,
    version,
    trainedAt: now.toISOString(),
    trainingRows: training.length,
    seed: 0,
    threshold: CHURN_THRESHOLD,
    metrics: { accuracy: challenger.accuracy, auc: challenger.auc, baselineAccuracy: majorityBaselineAccuracy(labels), evaluationRows: holdoutRows },
    training: { l2: options.l2 ?? DEFAULT_L2, iterations: fit.iterations, converged: fit.converged },
    model: fit.model,
  };
  const reference = buildChurnReference(
    training.map((r) => r.features),
    training.map((r) => predictChurnProbability(fit.model, r.features)),
    version,
  );
  const dir = await saveArtifact(artifactsRoot, artifact, reference, { overwrite: true });
  const by = options.by ?? 'churn-retrain';
  const why = options.reason ?? `retrained on ${training.length} records of the last ${formatDurationMs(Math.max(0, Math.round(windowMs)))}`;
  const registered = await registry.registerVersion({
    model: CHURN_MODEL_NAME,
    artifactUri: dir,
    metrics: { auc: challenger.auc, accuracy: challenger.accuracy, holdout_rows: holdoutRows, training_rows: training.length, ...(champion ? { champion_auc: champion.auc } : {}) },
    description: reasons.join('; '),
    ...(options.runId === undefined ? {} : { runId: options.runId }),
    by,
    reason: why,
  });
  if (registered.version !== version) {
    throw new Error(`the registry gave version ${registered.version} while the artifact was saved as ${version} (a concurrent registration?); ${artifactDir(artifactsRoot, version)} holds it`);
  }
  const alias = champion ? (options.alias ?? 'challenger') : CHAMPION;
  await registry.setAlias(CHURN_MODEL_NAME, alias, registered.version, { by, reason: champion ? `beats champion v${champion.version} on recent data` : 'first version' });
  reasons.push(`registered v${registered.version} as ${alias}`);
  return { ...counts, decision: 'registered', reasons, challenger, champion, version: registered, artifactDir: dir };
}

const USAGE =
  'usage: retrain --aggregator URL (--registry FILE | --mlflow URL) [--window 7d] [--holdout 0.2] [--min-records N] [--min-improvement X] [--alias NAME] [--artifacts DIR] [--event FILE | --run-id KEY] [--by NAME] [--json]';

/** `--window`: a whole number of seconds, minutes, hours or days (`90s`, `30m`, `12h`, `7d`). */
export function parseWindowMs(text: string): number {
  const m = /^(\d+)(s|m|h|d)$/.exec(text.trim());
  const ms = m ? Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'] : 0;
  if (!(ms > 0) || !Number.isSafeInteger(ms)) throw new Error(`--window must look like 90s, 30m, 12h or 7d, got "${text}"`);
  return ms;
}

function parseNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new Error(`--${flag} must be a number, got "${value}"`);
  return n;
}

/** Where the CLI writes: its result line (or JSON) and its errors. */
export interface RetrainCliOutput {
  log(line: string): void;
  error(line: string): void;
}

const consoleOutput: RetrainCliOutput = { log: (line) => console.log(line), error: (line) => console.error(line) };

/** The CLI: returns the exit code (0 registered, kept or already registered; 3 insufficient data; 1 error; 2 usage). */
export async function retrainCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
  output: RetrainCliOutput = consoleOutput,
): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        aggregator: { type: 'string' },
        registry: { type: 'string' },
        mlflow: { type: 'string' },
        window: { type: 'string' },
        holdout: { type: 'string' },
        'min-records': { type: 'string' },
        'min-improvement': { type: 'string' },
        alias: { type: 'string' },
        artifacts: { type: 'string' },
        event: { type: 'string' },
        'run-id': { type: 'string' },
        by: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    output.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    output.log(USAGE);
    return 0;
  }
  const aggregatorUrl = values.aggregator ?? env['DRIFTWATCH_URL'];
  if (aggregatorUrl === undefined || (values.registry === undefined) === (values.mlflow === undefined)) {
    output.error(`retrain: --aggregator and exactly one of --registry or --mlflow are needed\n${USAGE}`);
    return 2;
  }
  let registry: ModelRegistry | undefined;
  try {
    let runId = values['run-id'];
    let reason: string | undefined;
    if (values.event !== undefined) {
      const event = JSON.parse(readFileSync(values.event, 'utf8')) as { idempotency_key?: unknown; reasons?: unknown; trigger?: unknown };
      if (typeof event.idempotency_key === 'string') runId = event.idempotency_key;
      if (Array.isArray(event.reasons)) reason = `${String(event.trigger)} trigger: ${event.reasons.join('; ')}`.slice(0, 1000);
    }
    registry = values.registry !== undefined ? createEmbeddedRegistry({ database: values.registry }) : createMlflowRegistry({ baseUrl: values.mlflow as string, ...(env['MLFLOW_TRACKING_TOKEN'] ? { token: env['MLFLOW_TRACKING_TOKEN'] } : {}) });
    const result = await retrainFromRecords({
      aggregatorUrl,
      ...(env['DRIFTWATCH_ADMIN_TOKEN'] ? { adminToken: env['DRIFTWATCH_ADMIN_TOKEN'] } : {}),
      registry,
      ...(values.artifacts === undefined ? {} : { artifactsRoot: values.artifacts }),
      ...(values.window === undefined ? {} : { windowMs: parseWindowMs(values.window) }),
      ...(values.holdout === undefined ? {} : { holdoutShare: parseNumber('holdout', values.holdout) as number }),
      ...(values['min-records'] === undefined ? {} : { minRecords: parseNumber('min-records', values['min-records']) as number }),
      ...(values['min-improvement'] === undefined ? {} : { minImprovement: parseNumber('min-improvement', values['min-improvement']) as number }),
      ...(values.alias === undefined ? {} : { alias: values.alias }),
      ...(runId === undefined ? {} : { runId }),
      ...(reason === undefined ? {} : { reason }),
      ...(values.by === undefined ? {} : { by: values.by }),
    });
    if (values.json) output.log(JSON.stringify(result));
    else output.log(`retrain: ${result.decision} — ${result.reasons.join('; ')}`);
    return result.decision === 'insufficient_data' ? 3 : 0;
  } catch (error) {
    output.error(`retrain: ${(error as Error).message}`);
    return 1;
  } finally {
    const closable = registry as { close?: () => void } | undefined;
    closable?.close?.();
  }
}

if (isMainModule(import.meta.url)) {
  process.exitCode = await retrainCli(process.argv.slice(2));
}
