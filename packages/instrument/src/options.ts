import type { FeatureSchema, FeatureType } from '@driftwatch/stats';

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

/** Options of {@link monitor}. `I` is the wrapped function's first parameter, `O` its (awaited) result. */
export interface MonitorOptions<I = unknown, O = unknown> {
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
  /** default `http/protobuf` */
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
}

/** What identifies an export pipeline; monitors with equal export options share one. */
export interface ExportOptions {
  readonly url: string;
  readonly protocol: ExportProtocol;
  readonly exportIntervalMillis: number;
  readonly exportTimeoutMillis: number;
  readonly resource: Readonly<Record<string, string | number | boolean>>;
  readonly headers: Readonly<Record<string, string>>;
}

export const DEFAULT_ENDPOINT = 'http://localhost:4318';
export const DEFAULT_EXPORT_INTERVAL_MILLIS = 10_000;
export const DEFAULT_EXPORT_TIMEOUT_MILLIS = 10_000;
export const DEFAULT_FEEDBACK_MAX_PENDING = 10_000;
export const DEFAULT_FEEDBACK_TTL_MILLIS = 3_600_000;
export const DEFAULT_THRESHOLD = 0.5;

const FEATURE_TYPES: readonly FeatureType[] = ['numeric', 'categorical', 'boolean', 'embedding', 'text'];
const OUTPUT_KINDS: readonly OutputKind[] = ['probability', 'class', 'regression', 'probabilities'];
const ROLES: readonly DeploymentRole[] = ['primary', 'canary', 'shadow'];
const PROTOCOLS: readonly ExportProtocol[] = ['http/protobuf', 'http/json'];
const KNOWN_OPTIONS = new Set<string>([
  'model', 'version', 'features', 'extract', 'output', 'predictionId', 'role', 'endpoint', 'protocol',
  'exportIntervalMillis', 'exportTimeoutMillis', 'resource', 'headers', 'enabled', 'threshold', 'classes', 'feedback', 'logger',
]);

/** Thrown (only at construction) for bad options; the message names the field. */
function fail(field: string, requirement: string): never {
  throw new TypeError(`monitor: options.${field} ${requirement}`);
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isPositiveNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/**
 * Validates `options` and fills in defaults. Throws a `TypeError` naming the first bad field.
 * `env` is read for the OTLP endpoint (`OTEL_EXPORTER_OTLP_METRICS_ENDPOINT` is a full URL,
 * `OTEL_EXPORTER_OTLP_ENDPOINT` a base URL to which `/v1/metrics` is appended).
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
  const protocol = o.protocol ?? 'http/protobuf';
  if (!PROTOCOLS.includes(protocol)) fail('protocol', `must be one of ${PROTOCOLS.join(', ')}`);

  const exportIntervalMillis = o.exportIntervalMillis ?? DEFAULT_EXPORT_INTERVAL_MILLIS;
  if (!isPositiveNumber(exportIntervalMillis)) fail('exportIntervalMillis', 'must be a positive number');
  const exportTimeoutMillis = o.exportTimeoutMillis ?? Math.min(DEFAULT_EXPORT_TIMEOUT_MILLIS, exportIntervalMillis);
  if (!isPositiveNumber(exportTimeoutMillis)) fail('exportTimeoutMillis', 'must be a positive number');
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
    export: { url: resolveUrl(o.endpoint, env), protocol, exportIntervalMillis, exportTimeoutMillis, resource, headers },
  };
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

function resolveHeaders(headers: unknown): Readonly<Record<string, string>> {
  if (headers === undefined) return {};
  if (!isPlainObject(headers)) fail('headers', 'must be an object of header name → string');
  for (const [key, value] of Object.entries(headers)) {
    if (typeof value !== 'string') fail(`headers.${key}`, 'must be a string');
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

function resolveUrl(endpoint: unknown, env: Readonly<Record<string, string | undefined>>): string {
  if (endpoint !== undefined) {
    if (typeof endpoint !== 'string' || !isHttpUrl(endpoint)) fail('endpoint', 'must be an http(s) URL such as http://localhost:4318');
    return appendMetricsPath(endpoint);
  }
  const metricsEndpoint = env['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT']?.trim();
  if (metricsEndpoint && isHttpUrl(metricsEndpoint)) return metricsEndpoint;
  const base = env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim();
  if (base && isHttpUrl(base)) return appendMetricsPath(base);
  return appendMetricsPath(DEFAULT_ENDPOINT);
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
