import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import {
  REFERENCE_PROFILE_FORMAT,
  buildReferenceProfile,
  datasetDrift,
  profileToSketch,
  validateReferenceProfile,
  type DriftMethod,
  type DriftResult,
  type FeatureProfile,
  type FeatureSchema,
  type ReferenceProfile,
} from '@driftwatch/stats';
import type { DriftConfig } from '../config/aggregator-config.js';
import { newCategoryRatio, outOfRangeRatio } from '../engine/data-quality.js';
import { featureDrift } from '../engine/feature-drift.js';
import { offlinePerformance } from './check-performance.js';
import type { CheckFeature, CheckSubject } from './check-suite.js';
import { readLines } from './line-reader.js';
import { csvRows, jsonlRows } from './reference-build.js';
import { UsageError } from './verbs.js';

type Row = Record<string, unknown>;

export interface OfflineCheckOptions {
  /** a reference profile (driftwatch.reference/v1 JSON) or training data (CSV or JSONL) */
  readonly referencePath: string;
  /** the current data (CSV or JSONL) */
  readonly currentPath: string;
  /** default: the reference profile's, else `model` */
  readonly model?: string;
  /** default: the reference profile's, else `current` */
  readonly version?: string;
  /** feature columns and types; default: the reference profile's features, else inferred from the reference data */
  readonly schema?: FeatureSchema;
  /** `csv` or `jsonl` for data files whose extension does not tell */
  readonly format?: 'csv' | 'jsonl';
  /** true-label column of the current data */
  readonly label?: string;
  /** prediction (score or class) column of the current data */
  readonly prediction?: string;
  /** score threshold for binary classification (default 0.5) */
  readonly threshold?: number;
  /** values a feature needs for a verdict; labels needed for performance (the aggregator's default: 100) */
  readonly minSamples: number;
  /** primary drift method (default: the stats default per feature) and its threshold */
  readonly method?: DriftMethod;
  readonly driftThreshold?: number;
  /** dataset drift when this share of the evaluated features drifted (default 0.5) */
  readonly datasetDriftShare: number;
}

/** Rows inferred from this many first rows when no schema is given (as `reference build`). */
const INFER_ROWS = 1000;

function formatOf(path: string, format: 'csv' | 'jsonl' | undefined): 'csv' | 'jsonl' {
  if (format) return format;
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (['.jsonl', '.ndjson', '.json'].includes(ext)) return 'jsonl';
  throw new UsageError(`cannot tell the format of ${path} from its extension; pass --format csv|jsonl`);
}

function rowsOf(path: string, format: 'csv' | 'jsonl', types: FeatureSchema | undefined): Generator<Row> {
  return format === 'csv' ? csvRows(readLines(path), () => types) : jsonlRows(readLines(path));
}

/** The file as a reference profile when it is one (a JSON document with the profile format), else undefined. */
function readProfile(path: string): ReferenceProfile | undefined {
  if (extname(path).toLowerCase() !== '.json') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined; // not one JSON document: JSON lines
  }
  if (value === null || typeof value !== 'object' || (value as { format?: unknown }).format !== REFERENCE_PROFILE_FORMAT) return undefined;
  try {
    return validateReferenceProfile(value);
  } catch (err) {
    throw new Error(`${path} is not a valid reference profile: ${(err as Error).message}`);
  }
}

async function inferredSchema(path: string, format: 'csv' | 'jsonl', exclude: readonly string[]): Promise<FeatureSchema> {
  const { inferSchema } = await import('@driftwatch/instrument');
  const sample: Row[] = [];
  for (const row of rowsOf(path, format, undefined)) {
    sample.push(row);
    if (sample.length >= INFER_ROWS) break;
  }
  const schema = inferSchema(sample);
  for (const name of exclude) delete schema[name];
  if (Object.keys(schema).length === 0) throw new Error(`no feature columns could be inferred from ${path}; pass --schema`);
  return schema;
}

function schemaOfProfile(p: ReferenceProfile, exclude: readonly string[]): FeatureSchema {
  const schema = Object.create(null) as FeatureSchema;
  for (const [name, f] of Object.entries(p.features)) if (!exclude.includes(name)) schema[name] = f.type;
  return schema;
}

const isCategorical = (p: FeatureProfile): boolean => p.type === 'categorical' || p.type === 'boolean';

function driftConfig(o: OfflineCheckOptions): DriftConfig {
  const thresholds = new Map<DriftMethod, number>();
  if (o.method !== undefined && o.driftThreshold !== undefined) thresholds.set(o.method, o.driftThreshold);
  return { ...(o.method === undefined ? {} : { method: o.method }), methods: [], thresholds, datasetDriftShare: o.datasetDriftShare, minSamples: o.minSamples, features: new Map() };
}

function compare(
  name: string,
  ref: FeatureProfile | undefined,
  cur: FeatureProfile | undefined,
  o: OfflineCheckOptions,
  config: DriftConfig,
  measureQuality: boolean,
): { feature: CheckFeature; result: DriftResult | undefined } {
  const profile = cur ?? ref;
  const kind = profile && isCategorical(profile) ? 'categorical' : 'numeric';
  const samples = cur?.count ?? 0;
  const rows = cur ? cur.count + cur.missing : 0;
  const enough = samples >= o.minSamples;
  let drift: DriftResult | undefined;
  let outOfRange: number | null = null;
  let newCategory: number | null = null;
  if (ref && cur && enough && ref.count > 0) {
    const curSketch = profileToSketch(cur);
    const outcome = featureDrift(profileToSketch(ref), curSketch, config, name);
    const failure = outcome.failures[0];
    if (!outcome.primary && failure) throw new Error(`drift on ${name}: ${failure[1]}`);
    drift = outcome.primary;
    if (measureQuality && curSketch.kind === 'numeric' && ref.numeric) outOfRange = outOfRangeRatio(curSketch.histogram, ref.numeric.min, ref.numeric.max);
    if (measureQuality && curSketch.kind === 'categorical' && ref.categorical) newCategory = newCategoryRatio(curSketch.counts.entries(), ref.categorical);
  }
  const refRows = ref ? ref.count + ref.missing : 0;
  const feature: CheckFeature = {
    name,
    kind,
    samples,
    hasReference: ref !== undefined,
    drift: drift ? { method: drift.method, statistic: drift.statistic, pValue: drift.pValue ?? null, threshold: drift.threshold, drifted: drift.drifted } : null,
    missingRatio: measureQuality && rows >= o.minSamples && cur ? cur.missing / rows : null,
    referenceMissingRatio: measureQuality && ref && refRows > 0 ? ref.missing / refRows : null,
    newCategoryRatio: newCategory,
    outOfRangeRatio: outOfRange,
  };
  return { feature, result: drift };
}

/**
 * The check subject of two data files, with the statistics the aggregator runs: both sides profiled
 * (`buildReferenceProfile`), compared on their sketches (`featureDrift`: the stats default method per feature, or
 * `method`), data quality from the sketches (`outOfRangeRatio`, `newCategoryRatio`), dataset drift (`datasetDrift`),
 * and performance from the label and prediction columns (exact metrics on the rows). Reads each file once
 * (plus the first rows again when a schema is inferred), with bounded memory except for label/prediction pairs.
 */
export async function offlineCheckSubject(o: OfflineCheckOptions): Promise<CheckSubject> {
  const exclude = [o.label, o.prediction].filter((x): x is string => x !== undefined);
  const refProfile = readProfile(o.referencePath);
  const model = o.model ?? refProfile?.model ?? 'model';
  const version = o.version ?? refProfile?.version ?? 'current';
  let schema = o.schema;
  if (!schema) schema = refProfile ? schemaOfProfile(refProfile, exclude) : await inferredSchema(o.referencePath, formatOf(o.referencePath, o.format), exclude);
  for (const name of exclude) if (Object.hasOwn(schema, name)) throw new UsageError(`--schema: ${name} is the --label/--prediction column, not a feature`);
  // outputs the reference profiled (e.g. a score) are compared too when the current data has those columns
  const outputSchema = Object.create(null) as FeatureSchema;
  for (const [name, p] of Object.entries(refProfile?.outputs ?? {})) if (!Object.hasOwn(schema, name) && name !== o.label) outputSchema[name] = p.type;
  const meta = { model, version, source: 'file' as const, ...(Object.keys(outputSchema).length > 0 ? { outputs: outputSchema } : {}) };
  const reference = refProfile ?? buildReferenceProfile(rowsOf(o.referencePath, formatOf(o.referencePath, o.format), schema), schema, meta);

  const labels: unknown[] = [];
  const predictions: unknown[] = [];
  const currentFormat = formatOf(o.currentPath, o.format);
  const columnTypes = { ...schema, ...outputSchema };
  const capture = function* (): Generator<Row> {
    for (const row of rowsOf(o.currentPath, currentFormat, columnTypes)) {
      if (o.label !== undefined) labels.push(row[o.label]);
      if (o.prediction !== undefined) predictions.push(row[o.prediction]);
      yield row;
    }
  };
  const current = buildReferenceProfile(capture(), schema, meta);
  if (current.rowCount === 0) throw new Error(`${o.currentPath} has no rows`);

  const config = driftConfig(o);
  const names = [...new Set([...Object.keys(schema), ...Object.keys(reference.features)].filter((n) => !exclude.includes(n)))].sort();
  const compared = names.map((name) => compare(name, reference.features[name], current.features[name], o, config, true));
  const outputs = Object.keys(outputSchema)
    .filter((name) => (current.outputs?.[name]?.count ?? 0) > 0)
    .map((name) => compare(name, reference.outputs?.[name], current.outputs?.[name], o, config, false).feature);
  const primaries = compared.map((c) => c.result).filter((r): r is DriftResult => r !== undefined);
  const dataset = primaries.length > 0 ? datasetDrift(primaries, { share: o.datasetDriftShare }) : undefined;
  const performance =
    o.label !== undefined && o.prediction !== undefined ? offlinePerformance(labels, predictions, o.threshold ?? 0.5, o.minSamples) : { feedbackSamples: 0, metrics: {} };
  return {
    model,
    version,
    window: null,
    source: `files ${o.referencePath} vs ${o.currentPath}`,
    evaluatedAt: new Date().toISOString(),
    minSamples: o.minSamples,
    features: compared.map((c) => c.feature),
    outputs,
    dataset: {
      drifted: dataset?.drifted ?? null,
      share: dataset?.share ?? null,
      threshold: o.datasetDriftShare,
      evaluated: primaries.length,
      driftedCount: dataset?.driftedCount ?? 0,
    },
    performance,
    sla: {},
  };
}
