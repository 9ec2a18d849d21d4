import { validateHeaderName, validateHeaderValue } from 'node:http';
import type { FeatureSchema, FeatureType } from '@driftwatch/stats';
import type { AnyFunction, CanaryCandidate, FirstParameter, ShadowCandidate } from './function-types.js';

/** A row of named feature values, as the model sees it. */
export type FeatureRow = Readonly<Record<string, unknown>>;

/** How the model's result is read. */
export type OutputKind = 'probability' | 'class' | 'regression' | 'probabilities';

/** What an output extractor returns for one prediction; every field is optional. */
export interface ExtractedOutput {
  /** score of a binary classifier in [0, 1] (recorded as `ml.output.name=score`) */
  readonly score?: number;
  /** predicted class (recorded under `ml.model.output.class`) */
  readonly class?: string | number | boolean;
  /** regression value (recorded as `ml.output.name=value`) */
  readonly value?: number;
  /** class probabilities: an array (classes named by `options.classes` or by index) or a map class → probability */
  readonly probabilities?: readonly number[] | Readonly<Record<string, number>>;
}

export type DeploymentRole = 'primary' | 'canary' | 'shadow';
export type ExportProtocol = 'http/protobuf' | 'http/json';
export type PredictionId = string | number;

/** Where the SDK writes its own messages (schema inference, dropped recordings, failed exports). */
export interface MonitorLogger {
  info(message: string): void;
  warn(message: string): void;
}

/** Sampling of full prediction records (features, output, id; labels later) exported as OTLP logs. */
export interface RecordsOptions {
  /** fraction of predictions (with an id) whose full record is exported, in [0, 1]; 0 = off */
  sampleRate: number;
  /** records waiting for export at most (per export pipeline); more are dropped and counted; default 2048 */
  maxQueueSize?: number;
}

/** A candidate model run in shadow: after the primary's result is returned, never affecting it. */
export interface ShadowOptions<F extends AnyFunction = AnyFunction> {
  /** the candidate, called with the same arguments (as a plain function: bind methods) */
  model: ShadowCandidate<F>;
  /**
   * `ml.model.version` recorded for the candidate; default: the `candidateVersion` of the aggregator's rollout
   * (polled like the canary's weight), `candidate` until it answers
   */
  version?: string | number;
  /** shadow calls running at once at most (async candidates); default 2 */
  maxConcurrency?: number;
  /** calls waiting for the shadow at most; more are dropped and counted (`ml.model.shadow.dropped`); default 100 */
  maxQueueSize?: number;
  /** regression outputs agree when |p − s| ≤ agreementTolerance × max(|p|, |s|); default 0.01 */
  agreementTolerance?: number;
}

/** A candidate model serving a deterministic share of the traffic, routed by a hash of `key(input)`. */
export interface CanaryOptions<F extends AnyFunction = AnyFunction> {
  /** the candidate; its result and its errors are what a canary-routed caller gets */
  model: CanaryCandidate<F>;
  /** the routing key of a call (a user or entity id): the same key always takes the same arm at a given weight */
  key: (input: FirstParameter<F>) => string | number;
  /** share of traffic for the canary in [0, 1] until the rollout API answers (or always, with followRollout false); default 0 */
  weight?: number;
  /** `ml.model.version` of the candidate; default: the rollout's `candidateVersion`, else `candidate` */
  version?: string | number;
  /** poll the aggregator's `GET /api/v1/models/{model}/rollout` for the weight (docs/rollout.md); default true */
  followRollout?: boolean;
}

/** Where the aggregator's API is, for the rollout weight and alias lookups (polled from a timer, never on the call path). */
export interface ApiOptions {
  /** base URL of the aggregator API; default env `DRIFTWATCH_API_URL`, else `http://localhost:9464` */
  url?: string;
  /** default 10000 */
  pollIntervalMillis?: number;
  /** how long one poll may take; default min(5000, pollIntervalMillis) */
  timeoutMillis?: number;
  /** extra HTTP headers (e.g. `authorization: Bearer …`) */
  headers?: Readonly<Record<string, string>>;
}

/**
 * Options of {@link monitor}. `I` is the wrapped function's first parameter, `O` its (awaited) result,
 * `F` the wrapped function itself (for the shadow, canary and loader types).
 */
export interface MonitorOptions<I = unknown, O = unknown, F extends AnyFunction = AnyFunction> {
  /** model name, `ml.model.name` */
  model: string;
  /** model version, `ml.model.version` */
  version: string | number;
  /** feature schema; inferred from the first calls (and logged once) when omitted */
  features?: FeatureSchema;
  /** maps the first argument to a row (or an array of rows for a batch call); default: the object itself, or an array of objects */
  extract?: (input: I) => FeatureRow | readonly FeatureRow[] | undefined;
  /** how to read the result; inferred from the first result when omitted */
  output?: OutputKind | ((output: O) => ExtractedOutput | readonly ExtractedOutput[] | undefined);
  /** prediction id(s) used to join feedback later: one id, or one per row for a batch; default: the row's (or the result's) `id` field */
  predictionId?: (input: I, output: O) => PredictionId | readonly PredictionId[] | undefined;
  /** `ml.deployment.role`, default `primary` */
  role?: DeploymentRole;
  /** OTLP/HTTP base URL; `/v1/metrics` is appended. Default: env `OTEL_EXPORTER_OTLP_ENDPOINT`, else `http://localhost:4318` */
  endpoint?: string;
  /**
   * Default: env `OTEL_EXPORTER_OTLP_METRICS_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`, else `http/protobuf`
   * (prediction records go the same way). A variable naming another protocol (`grpc`) is ignored with a warning.
   */
  protocol?: ExportProtocol;
  /** default 10000 */
  exportIntervalMillis?: number;
  /** how long one export may take (OTel's timeout, retries included); default min(10000, exportIntervalMillis) */
  exportTimeoutMillis?: number;
  /** extra resource attributes (`service.name`, `service.instance.id`, …) */
  resource?: Readonly<Record<string, string | number | boolean>>;
  /** extra HTTP headers for the exporter (authentication) */
  headers?: Readonly<Record<string, string>>;
  /** default true; when false the wrapper only calls the model */
  enabled?: boolean;
  /** decision threshold turning a binary score into a predicted class `1`/`0`; default 0.5 */
  threshold?: number;
  /** class names for array-shaped `probabilities` outputs (index i → classes[i]) */
  classes?: readonly string[];
  /** the join map of predictions awaiting feedback: at most `maxPending` entries (default 10000), each kept `ttlMillis` (default 1 hour) */
  feedback?: { maxPending?: number; ttlMillis?: number };
  /** default: OTel's diag logger (component `@driftwatch/instrument`) */
  logger?: MonitorLogger;
  /** sample full prediction records as OTLP logs (training data); default off */
  records?: RecordsOptions;
  /** a candidate run in shadow (a function, or options with its version and queue bounds) */
  shadow?: ShadowCandidate<F> | ShadowOptions<F>;
  /** fraction of calls mirrored to the shadow, in [0, 1]; default 1 */
  shadowSampleRate?: number;
  /** a candidate serving a share of the traffic */
  canary?: CanaryOptions<F>;
  /** follow a registry alias (e.g. `champion`): the recorded version (and, with `load`, the model) switches when the alias moves */
  alias?: string;
  /** loads the model of a version when the alias moves to it; without it only the recorded version switches */
  load?: (version: string) => F | PromiseLike<F>;
  /** the aggregator's API, for the canary rollout and the alias */
  api?: ApiOptions;
}

/** Options after validation and defaults. */
export interface ResolvedOptions {
  readonly model: string;
  readonly version: string;
  readonly role: DeploymentRole;
  readonly features: FeatureSchema | undefined;
  readonly extract: ((input: unknown) => FeatureRow | readonly FeatureRow[] | undefined) | undefined;
  readonly output: OutputKind | ((output: unknown) => ExtractedOutput | readonly ExtractedOutput[] | undefined) | undefined;
  readonly predictionId: ((input: unknown, output: unknown) => PredictionId | readonly PredictionId[] | undefined) | undefined;
  readonly enabled: boolean;
  readonly threshold: number;
  readonly classes: readonly string[] | undefined;
  readonly feedbackMaxPending: number;
  readonly feedbackTtlMillis: number;
  readonly logger: MonitorLogger | undefined;
  readonly export: ExportOptions;
  /** record sampling rate; 0 = off */
  readonly recordSampleRate: number;
  readonly shadow: ResolvedShadow | undefined;
  readonly canary: ResolvedCanary | undefined;
  readonly alias: string | undefined;
  readonly load: ((version: string) => unknown) | undefined;
  readonly api: ResolvedApi;
  /** environment variables that were set but ignored (not an http(s) URL), for the monitor to warn about */
  readonly envWarnings: readonly string[];
}

export interface ResolvedShadow {
  readonly model: AnyFunction;
  /** undefined: taken from the rollout's candidateVersion */
  readonly version: string | undefined;
  readonly sampleRate: number;
  readonly maxConcurrency: number;
  readonly maxQueueSize: number;
  readonly agreementTolerance: number;
}

export interface ResolvedCanary {
  readonly model: AnyFunction;
  readonly key: (input: unknown) => unknown;
  readonly weight: number;
  /** undefined: taken from the rollout's candidateVersion */
  readonly version: string | undefined;
  readonly followRollout: boolean;
}

export interface ResolvedApi {
  /** base URL without a trailing slash */
  readonly url: string;
  readonly pollIntervalMillis: number;
  readonly timeoutMillis: number;
  readonly headers: Readonly<Record<string, string>>;
}

/** What identifies an export pipeline; monitors with equal export options share one. */
export interface ExportOptions {
  readonly url: string;
  readonly protocol: ExportProtocol;
  readonly exportIntervalMillis: number;
  readonly exportTimeoutMillis: number;
  readonly resource: Readonly<Record<string, string | number | boolean>>;
  readonly headers: Readonly<Record<string, string>>;
  /** OTLP logs URL of the prediction records */
  readonly logsUrl: string;
  readonly recordsMaxQueueSize: number;
}

export const DEFAULT_ENDPOINT = 'http://localhost:4318';
export const DEFAULT_EXPORT_INTERVAL_MILLIS = 10_000;
export const DEFAULT_EXPORT_TIMEOUT_MILLIS = 10_000;
export const DEFAULT_FEEDBACK_MAX_PENDING = 10_000;
export const DEFAULT_FEEDBACK_TTL_MILLIS = 3_600_000;
export const DEFAULT_THRESHOLD = 0.5;
export const DEFAULT_RECORDS_MAX_QUEUE_SIZE = 2048;
export const DEFAULT_API_URL = 'http://localhost:9464';
export const DEFAULT_POLL_INTERVAL_MILLIS = 10_000;
export const DEFAULT_POLL_TIMEOUT_MILLIS = 5_000;
export const DEFAULT_CANDIDATE_VERSION = 'candidate';
export const DEFAULT_SHADOW_MAX_CONCURRENCY = 2;
export const DEFAULT_SHADOW_MAX_QUEUE_SIZE = 100;
export const DEFAULT_AGREEMENT_TOLERANCE = 0.01;

const FEATURE_TYPES: readonly FeatureType[] = ['numeric', 'categorical', 'boolean', 'embedding', 'text'];
const OUTPUT_KINDS: readonly OutputKind[] = ['probability', 'class', 'regression', 'probabilities'];
const ROLES: readonly DeploymentRole[] = ['primary', 'canary', 'shadow'];
const PROTOCOLS: readonly ExportProtocol[] = ['http/protobuf', 'http/json'];
const KNOWN_OPTIONS = new Set<string>([
  'model', 'version', 'features', 'extract', 'output', 'predictionId', 'role', 'endpoint', 'protocol',
  'exportIntervalMillis', 'exportTimeoutMillis', 'resource', 'headers', 'enabled', 'threshold', 'classes', 'feedback', 'logger',
  'records', 'shadow', 'shadowSampleRate', 'canary', 'alias', 'load', 'api',
]);

/** Thrown (only at construction) for bad options; the message names the field. */
function fail(field: string, requirement: string): never {
  throw new TypeError(`monitor: options.${field} ${requirement}`);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isPositiveNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** The longest delay Node.js timers take (2^31 − 1 ms, ~24.8 days); a longer one fires after 1 ms. */
const MAX_TIMER_MILLIS = 2 ** 31 - 1;

/** A positive duration that a timer can wait for, else throws naming the field. */
function readTimerMillis(value: unknown, field: string): number {
  if (!isPositiveNumber(value)) fail(field, 'must be a positive number');
  if (value > MAX_TIMER_MILLIS) fail(field, `must be at most ${MAX_TIMER_MILLIS} (the longest timer Node.js runs, ~24.8 days)`);
  return value;
}

/**
 * Validates `options` and fills in defaults. Throws a `TypeError` naming the first bad field.
 * `env` is read for the OTLP endpoint (`OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` is a full URL,
 * `OTEL_EXPORTER_OTLP_ENDPOINT` a base URL to which `/v1/metrics` is appended) and protocol
 * (`OTEL_EXPORTER_OTLP_METRICS_PROTOCOL`, then `OTEL_EXPORTER_OTLP_PROTOCOL`).
 */
export function resolveOptions(options: unknown, env: Readonly<Record<string, string | undefined>> = process.env): ResolvedOptions {
  if (!isPlainObject(options)) throw new TypeError('monitor: options must be an object with at least model and version');
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) fail(key, `is not a known option (known: ${[...KNOWN_OPTIONS].join(', ')})`);
  }
  const o = options as unknown as MonitorOptions;

  if (typeof o.model !== 'string' || o.model.trim() === '') fail('model', 'must be a non-empty string');
  let version: string;
  if (typeof o.version === 'string' && o.version.trim() !== '') version = o.version;
  else if (typeof o.version === 'number' && Number.isFinite(o.version)) version = String(o.version);
  else fail('version', 'must be a non-empty string (or a finite number)');

  const features = resolveFeatures(o.features);
  if (o.extract !== undefined && typeof o.extract !== 'function') fail('extract', 'must be a function (input) => row | rows');
  if (o.output !== undefined && typeof o.output !== 'function' && !OUTPUT_KINDS.includes(o.output)) {
    fail('output', `must be one of ${OUTPUT_KINDS.join(', ')} or a function`);
  }
  if (o.predictionId !== undefined && typeof o.predictionId !== 'function') fail('predictionId', 'must be a function (input, output) => id');
  const role = o.role ?? 'primary';
  if (!ROLES.includes(role)) fail('role', `must be one of ${ROLES.join(', ')}`);
  if (o.protocol !== undefined && !PROTOCOLS.includes(o.protocol)) fail('protocol', `must be one of ${PROTOCOLS.join(', ')}`);

  const exportIntervalMillis = readTimerMillis(o.exportIntervalMillis ?? DEFAULT_EXPORT_INTERVAL_MILLIS, 'exportIntervalMillis');
  const exportTimeoutMillis = readTimerMillis(o.exportTimeoutMillis ?? Math.min(DEFAULT_EXPORT_TIMEOUT_MILLIS, exportIntervalMillis), 'exportTimeoutMillis');
  if (exportTimeoutMillis > exportIntervalMillis) fail('exportTimeoutMillis', 'must not exceed options.exportIntervalMillis');

  const resource = resolveResource(o.resource);
  const headers = resolveHeaders(o.headers);
  const enabled = o.enabled ?? true;
  if (typeof enabled !== 'boolean') fail('enabled', 'must be a boolean');
  const threshold = o.threshold ?? DEFAULT_THRESHOLD;
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) fail('threshold', 'must be a number in [0, 1]');
  if (o.classes !== undefined && (!Array.isArray(o.classes) || !o.classes.every((c) => typeof c === 'string' && c !== ''))) {
    fail('classes', 'must be an array of non-empty strings');
  }
  const { maxPending, ttlMillis } = resolveFeedback(o.feedback);
  if (o.logger !== undefined && (!isPlainObject(o.logger) || typeof o.logger.info !== 'function' || typeof o.logger.warn !== 'function')) {
    fail('logger', 'must be an object with info(message) and warn(message) functions');
  }

  const recordsOptions = resolveRecords(o.records);
  const shadow = resolveShadow(o.shadow, o.shadowSampleRate);
  const canary = resolveCanary(o.canary);
  if ((shadow || canary) && role !== 'primary') fail(shadow ? 'shadow' : 'canary', `needs options.role primary (the monitor wraps the primary), got ${role}`);
  if (o.alias !== undefined && (typeof o.alias !== 'string' || o.alias.trim() === '')) fail('alias', 'must be a non-empty string (a registry alias such as champion)');
  if (o.load !== undefined && typeof o.load !== 'function') fail('load', 'must be a function (version) => model function');
  if (o.load !== undefined && o.alias === undefined) fail('load', 'needs options.alias (the model is loaded when the alias moves)');
  const envWarnings = new Set<string>();
  const envUrl = (name: string): string | undefined => readEnvUrl(env, name, envWarnings);
  const api = resolveApi(o.api, envUrl);
  const protocol = o.protocol ?? readEnvProtocol(env, 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL', envWarnings) ?? readEnvProtocol(env, 'OTEL_EXPORTER_OTLP_PROTOCOL', envWarnings) ?? 'http/protobuf';

  return {
    model: o.model,
    version,
    role,
    features,
    extract: o.extract as ResolvedOptions['extract'],
    output: o.output as ResolvedOptions['output'],
    predictionId: o.predictionId as ResolvedOptions['predictionId'],
    enabled,
    threshold,
    classes: o.classes ? [...o.classes] : undefined,
    feedbackMaxPending: maxPending,
    feedbackTtlMillis: ttlMillis,
    logger: o.logger,
    export: {
      url: resolveUrl(o.endpoint, envUrl),
      logsUrl: resolveLogsUrl(o.endpoint, envUrl),
      protocol,
      exportIntervalMillis,
      exportTimeoutMillis,
      resource,
      headers,
      recordsMaxQueueSize: recordsOptions.maxQueueSize,
    },
    recordSampleRate: recordsOptions.sampleRate,
    shadow,
    canary,
    alias: o.alias,
    load: o.load as ResolvedOptions['load'],
    api,
    envWarnings: [...envWarnings],
  };
}

const isFraction = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 1;
const isPositiveInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

function rejectUnknown(obj: Record<string, unknown>, field: string, known: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!known.includes(key)) fail(`${field}.${key}`, `is not a known option (known: ${known.join(', ')})`);
  }
}

function resolveVersionValue(value: unknown, field: string): string {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return fail(field, 'must be a non-empty string or a finite number');
}

function resolveRecords(records: unknown): { sampleRate: number; maxQueueSize: number } {
  if (records === undefined) return { sampleRate: 0, maxQueueSize: DEFAULT_RECORDS_MAX_QUEUE_SIZE };
  if (!isPlainObject(records)) fail('records', 'must be an object { sampleRate, maxQueueSize? }');
  rejectUnknown(records, 'records', ['sampleRate', 'maxQueueSize']);
  if (!isFraction(records.sampleRate)) fail('records.sampleRate', 'must be a number in [0, 1]');
  const maxQueueSize = records.maxQueueSize ?? DEFAULT_RECORDS_MAX_QUEUE_SIZE;
  if (!isPositiveInteger(maxQueueSize) || maxQueueSize > 1_000_000) fail('records.maxQueueSize', 'must be an integer in [1, 1000000]');
  return { sampleRate: records.sampleRate, maxQueueSize };
}

const SHADOW_KEYS = ['model', 'version', 'maxConcurrency', 'maxQueueSize', 'agreementTolerance'] as const;

function resolveShadow(shadow: unknown, sampleRate: unknown): ResolvedShadow | undefined {
  if (shadow === undefined) {
    if (sampleRate !== undefined) fail('shadowSampleRate', 'needs options.shadow');
    return undefined;
  }
  const rate = sampleRate ?? 1;
  if (!isFraction(rate)) fail('shadowSampleRate', 'must be a number in [0, 1]');
  if (typeof shadow === 'function') {
    return {
      model: shadow as AnyFunction,
      version: undefined,
      sampleRate: rate,
      maxConcurrency: DEFAULT_SHADOW_MAX_CONCURRENCY,
      maxQueueSize: DEFAULT_SHADOW_MAX_QUEUE_SIZE,
      agreementTolerance: DEFAULT_AGREEMENT_TOLERANCE,
    };
  }
  if (!isPlainObject(shadow)) fail('shadow', 'must be the candidate function or { model, version?, maxConcurrency?, maxQueueSize?, agreementTolerance? }');
  rejectUnknown(shadow, 'shadow', SHADOW_KEYS);
  if (typeof shadow.model !== 'function') fail('shadow.model', 'must be the candidate function');
  const version = shadow.version === undefined ? undefined : resolveVersionValue(shadow.version, 'shadow.version');
  const maxConcurrency = shadow.maxConcurrency ?? DEFAULT_SHADOW_MAX_CONCURRENCY;
  if (!isPositiveInteger(maxConcurrency) || maxConcurrency > 1000) fail('shadow.maxConcurrency', 'must be an integer in [1, 1000]');
  const maxQueueSize = shadow.maxQueueSize ?? DEFAULT_SHADOW_MAX_QUEUE_SIZE;
  if (typeof maxQueueSize !== 'number' || !Number.isInteger(maxQueueSize) || maxQueueSize < 0 || maxQueueSize > 100_000) {
    fail('shadow.maxQueueSize', 'must be an integer in [0, 100000]');
  }
  const agreementTolerance = shadow.agreementTolerance ?? DEFAULT_AGREEMENT_TOLERANCE;
  if (typeof agreementTolerance !== 'number' || !Number.isFinite(agreementTolerance) || agreementTolerance < 0) {
    fail('shadow.agreementTolerance', 'must be a finite number ≥ 0');
  }
  return { model: shadow.model as AnyFunction, version, sampleRate: rate, maxConcurrency, maxQueueSize, agreementTolerance };
}

const CANARY_KEYS = ['model', 'key', 'weight', 'version', 'followRollout'] as const;

function resolveCanary(canary: unknown): ResolvedCanary | undefined {
  if (canary === undefined) return undefined;
  if (!isPlainObject(canary)) fail('canary', 'must be an object { model, key, weight?, version?, followRollout? }');
  rejectUnknown(canary, 'canary', CANARY_KEYS);
  if (typeof canary.model !== 'function') fail('canary.model', 'must be the candidate function');
  if (typeof canary.key !== 'function') fail('canary.key', 'must be a function input => routing key (string or number)');
  const weight = canary.weight ?? 0;
  if (!isFraction(weight)) fail('canary.weight', 'must be a number in [0, 1] (the canary share: 0.1 = 10 %)');
  const version = canary.version === undefined ? undefined : resolveVersionValue(canary.version, 'canary.version');
  const followRollout = canary.followRollout ?? true;
  if (typeof followRollout !== 'boolean') fail('canary.followRollout', 'must be a boolean');
  return { model: canary.model as AnyFunction, key: canary.key as (input: unknown) => unknown, weight, version, followRollout };
}

function resolveApi(api: unknown, envUrl: (name: string) => string | undefined): ResolvedApi {
  if (api !== undefined && !isPlainObject(api)) fail('api', 'must be an object { url?, pollIntervalMillis?, timeoutMillis?, headers? }');
  const a = (api ?? {}) as Record<string, unknown>;
  rejectUnknown(a, 'api', ['url', 'pollIntervalMillis', 'timeoutMillis', 'headers']);
  let url: string;
  if (a.url !== undefined) {
    if (typeof a.url !== 'string' || !isHttpUrl(a.url)) fail('api.url', 'must be an http(s) URL such as http://localhost:9464');
    const apiPath = /\/api\/v1(?:\/.*)?$/;
    if (apiPath.test(a.url)) fail('api.url', `is the aggregator's base URL (/api/v1/… is appended): use ${a.url.replace(apiPath, '')}`);
    url = a.url;
  } else {
    url = envUrl('DRIFTWATCH_API_URL') ?? DEFAULT_API_URL;
  }
  const pollIntervalMillis = readTimerMillis(a.pollIntervalMillis ?? DEFAULT_POLL_INTERVAL_MILLIS, 'api.pollIntervalMillis');
  const timeoutMillis = readTimerMillis(a.timeoutMillis ?? Math.min(DEFAULT_POLL_TIMEOUT_MILLIS, pollIntervalMillis), 'api.timeoutMillis');
  const headers = resolveHeaders(a.headers, 'api.headers');
  return { url: url.replace(/\/+$/, ''), pollIntervalMillis, timeoutMillis, headers };
}

function resolveFeatures(features: unknown): FeatureSchema | undefined {
  if (features === undefined) return undefined;
  if (!isPlainObject(features)) fail('features', 'must be an object mapping feature name to a feature type');
  const schema = Object.create(null) as FeatureSchema;
  for (const [name, type] of Object.entries(features)) {
    if (name === '') fail('features', 'must not contain an empty feature name');
    if (!FEATURE_TYPES.includes(type as FeatureType)) fail(`features.${name}`, `must be one of ${FEATURE_TYPES.join(', ')}`);
    schema[name] = type as FeatureType;
  }
  return schema;
}

function resolveResource(resource: unknown): Readonly<Record<string, string | number | boolean>> {
  if (resource === undefined) return {};
  if (!isPlainObject(resource)) fail('resource', 'must be an object of attribute name → string, number or boolean');
  for (const [key, value] of Object.entries(resource)) {
    const t = typeof value;
    if (t !== 'string' && t !== 'boolean' && !(t === 'number' && Number.isFinite(value))) {
      fail(`resource.${key}`, 'must be a string, a finite number or a boolean');
    }
  }
  return { ...(resource as Record<string, string | number | boolean>) };
}

function resolveHeaders(headers: unknown, field = 'headers'): Readonly<Record<string, string>> {
  if (headers === undefined) return {};
  if (!isPlainObject(headers)) fail(field, 'must be an object of header name → string');
  for (const [key, value] of Object.entries(headers)) {
    if (typeof value !== 'string') fail(`${field}.${key}`, 'must be a string');
    // what Node.js would reject at every request, rejected once here
    try {
      validateHeaderName(key);
    } catch {
      fail(`${field}.${key}`, 'must be a valid HTTP header name (a token: letters, digits and !#$%&\'*+-.^_`|~)');
    }
    try {
      validateHeaderValue(key, value);
    } catch {
      fail(`${field}.${key}`, 'must be a valid HTTP header value (no CR, LF or other control characters; a token read from a file may end in a newline)');
    }
  }
  return { ...(headers as Record<string, string>) };
}

function resolveFeedback(feedback: unknown): { maxPending: number; ttlMillis: number } {
  if (feedback === undefined) return { maxPending: DEFAULT_FEEDBACK_MAX_PENDING, ttlMillis: DEFAULT_FEEDBACK_TTL_MILLIS };
  if (!isPlainObject(feedback)) fail('feedback', 'must be an object { maxPending?, ttlMillis? }');
  for (const key of Object.keys(feedback)) {
    if (key !== 'maxPending' && key !== 'ttlMillis') fail(`feedback.${key}`, 'is not a known option (known: maxPending, ttlMillis)');
  }
  const maxPending = feedback.maxPending ?? DEFAULT_FEEDBACK_MAX_PENDING;
  if (typeof maxPending !== 'number' || !Number.isInteger(maxPending) || maxPending < 0) {
    fail('feedback.maxPending', 'must be a non-negative integer');
  }
  const ttlMillis = feedback.ttlMillis ?? DEFAULT_FEEDBACK_TTL_MILLIS;
  if (!isPositiveNumber(ttlMillis)) fail('feedback.ttlMillis', 'must be a positive number');
  return { maxPending, ttlMillis };
}

function resolveUrl(endpoint: unknown, envUrl: (name: string) => string | undefined): string {
  if (endpoint !== undefined) {
    if (typeof endpoint !== 'string' || !isHttpUrl(endpoint)) fail('endpoint', 'must be an http(s) URL such as http://localhost:4318');
    const signalPath = /\/v1\/(?:metrics|logs)\/*$/;
    if (signalPath.test(endpoint)) fail('endpoint', `is the OTLP base URL (/v1/metrics and /v1/logs are appended): use ${endpoint.replace(signalPath, '')}`);
    return appendMetricsPath(endpoint);
  }
  const metricsEndpoint = envUrl('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT');
  if (metricsEndpoint) return metricsEndpoint;
  return appendMetricsPath(envUrl('OTEL_EXPORTER_OTLP_ENDPOINT') ?? DEFAULT_ENDPOINT);
}

function resolveLogsUrl(endpoint: unknown, envUrl: (name: string) => string | undefined): string {
  if (typeof endpoint === 'string') return appendPath(endpoint, '/v1/logs');
  const logsEndpoint = envUrl('OTEL_EXPORTER_OTLP_LOGS_ENDPOINT');
  if (logsEndpoint) return logsEndpoint;
  return appendPath(envUrl('OTEL_EXPORTER_OTLP_ENDPOINT') ?? DEFAULT_ENDPOINT, '/v1/logs');
}

/**
 * An OTLP protocol from the environment (OTel's `OTEL_EXPORTER_OTLP_*PROTOCOL` values); undefined when the variable is
 * unset or blank, and also when it names a protocol the SDK does not export with (`grpc`): ignored with a warning.
 */
function readEnvProtocol(env: Readonly<Record<string, string | undefined>>, name: string, warnings: Set<string>): ExportProtocol | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  const known = PROTOCOLS.find((p) => p === value);
  if (known !== undefined) return known;
  warnings.add(`ignoring env ${name}: ${JSON.stringify(value)} is not a protocol driftwatch exports with (${PROTOCOLS.join(', ')}; OTLP/gRPC is not supported)`);
  return undefined;
}

/**
 * An http(s) URL from the environment; undefined when the variable is unset or blank, and also when it is
 * not a URL — then, as OTel treats invalid environment values, it is ignored with a warning added to `warnings`.
 */
function readEnvUrl(env: Readonly<Record<string, string | undefined>>, name: string, warnings: Set<string>): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  if (isHttpUrl(value)) return value;
  warnings.add(`ignoring env ${name}: ${JSON.stringify(value)} is not an http(s) URL`);
  return undefined;
}

function appendPath(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** `http://host:4318` → `http://host:4318/v1/metrics` (also for a base with a path or a trailing slash). */
export function appendMetricsPath(base: string): string {
  return `${base.replace(/\/+$/, '')}/v1/metrics`;
}
