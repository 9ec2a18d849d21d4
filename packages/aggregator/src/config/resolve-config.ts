import type { DriftMethod } from '@driftwatch/stats';
import {
  DEFAULT_LIMITS,
  SLA_OBJECTIVES,
  type AggregatorConfig,
  type DriftConfig,
  type FeatureDriftConfig,
  type LimitsConfig,
  type ModelConfig,
  type PerformanceConfig,
  type SlaObjective,
  type WindowConfig,
} from './aggregator-config.js';
import { ConfigError } from './config-error.js';
import {
  describe,
  readArray,
  readDurationMs,
  readEnum,
  readInteger,
  readNumber,
  readObject,
  readPort,
  readString,
} from './config-reader.js';
import { formatDurationMs } from './duration.js';
import { isLoopbackHost } from './loopback.js';
import { readRecordsConfig } from '../records/records-config.js';
import { readRetrainingConfig, type ModelRetrainingInput } from '../retraining/retraining-config.js';
import { readRegistryConfig } from '../registry/registry-config.js';
import { readRolloutConfig } from '../rollout/rollout-config.js';

/** Every drift method name (metric label `method`). */
export const DRIFT_METHODS: readonly DriftMethod[] = ['psi', 'ks', 'chisquare', 'z', 'jensenshannon', 'wasserstein', 'hellinger', 'mmd'];

const TOP_KEYS = [
  'host',
  'otlpPort',
  'httpPort',
  'dataDir',
  'ingestToken',
  'adminToken',
  'flushInterval',
  'evaluationInterval',
  'streamIdleTtl',
  'windows',
  'drift',
  'performance',
  'limits',
  'models',
  'retraining',
  'alertsSecret',
  'records',
  'registry',
  'rollout',
] as const;

/** The embedded defaults: `driftwatch serve` with no config file runs with these. */
export const DEFAULTS = {
  host: '127.0.0.1',
  otlpPort: 4318,
  httpPort: 9464,
  dataDir: './data',
  flushIntervalMs: 2_000,
  evaluationIntervalMs: 15_000,
  streamIdleTtlMs: 3_600_000,
  windows: [
    { name: '1h', durationMs: 3_600_000, sliceMs: 300_000 },
    { name: '24h', durationMs: 86_400_000, sliceMs: 3_600_000 },
  ] satisfies WindowConfig[],
  datasetDriftShare: 0.5,
  minSamples: 100,
} as const;

/** Flushes must be at least this frequent: a crash loses at most one flush interval. */
export const MAX_FLUSH_INTERVAL_MS = 5_000;
const MAX_SLICES_PER_WINDOW = 1_000;
const MAX_WINDOWS = 8;
const LABEL_SAFE = /^[A-Za-z0-9_.:-]{1,32}$/;
/** Candidate slice lengths for a window without an explicit `slice`, largest first. */
const SLICE_CANDIDATES_MS = [86_400_000, 21_600_000, 3_600_000, 900_000, 300_000, 60_000, 10_000, 1_000];

/**
 * Validates a config (the file's shape, already merged with environment variables and flags) and
 * fills in the defaults. Throws {@link ConfigError} naming the first bad field.
 */
export function resolveConfig(input: unknown = {}): AggregatorConfig {
  const top = readObject(input ?? {}, 'config', TOP_KEYS);
  const opt = <T>(key: string, read: (v: unknown, path: string) => T, fallback: T): T => {
    const v = top.get(key);
    return v === undefined ? fallback : read(v, `config.${key}`);
  };
  const host = opt('host', readString, DEFAULTS.host);
  const ingestToken = opt<string | undefined>('ingestToken', readString, undefined);
  const adminToken = opt<string | undefined>('adminToken', readString, undefined);
  if (!isLoopbackHost(host)) {
    if (ingestToken === undefined) {
      throw new ConfigError('config.ingestToken', `required when binding to the non-loopback address ${JSON.stringify(host)} (set DRIFTWATCH_INGEST_TOKEN)`);
    }
    if (adminToken === undefined) {
      throw new ConfigError('config.adminToken', `required when binding to the non-loopback address ${JSON.stringify(host)} (set DRIFTWATCH_ADMIN_TOKEN)`);
    }
  }
  const flushIntervalMs = opt('flushInterval', readDurationMs, DEFAULTS.flushIntervalMs);
  if (flushIntervalMs > MAX_FLUSH_INTERVAL_MS) {
    throw new ConfigError('config.flushInterval', `${formatDurationMs(flushIntervalMs)} is longer than the maximum 5s (a crash may lose one flush interval)`);
  }
  const windows = top.has('windows') ? readWindows(top.get('windows'), 'config.windows') : DEFAULTS.windows;
  const drift = readDrift(top.get('drift'), 'config.drift', undefined);
  const performance = readPerformance(top.get('performance'), 'config.performance', undefined);
  const models = new Map<string, ModelConfig>();
  const retrainingInputs: ModelRetrainingInput[] = [];
  const rolloutInputs: Array<{ name: string; raw: unknown }> = [];
  const rawModels = top.get('models');
  if (rawModels !== undefined) {
    for (const [name, raw] of readObject(rawModels, 'config.models')) {
      const model = readModel(raw, `config.models[${JSON.stringify(name)}]`, { drift, performance, windows });
      models.set(name, model);
      const rawRetraining = raw !== null && typeof raw === 'object' && Object.hasOwn(raw, 'retraining') ? (raw as Record<string, unknown>)['retraining'] : undefined;
      retrainingInputs.push({ name, raw: rawRetraining, sla: model.sla, datasetDriftShare: model.drift.datasetDriftShare });
      rolloutInputs.push({ name, raw: raw !== null && typeof raw === 'object' && Object.hasOwn(raw, 'rollout') ? (raw as Record<string, unknown>)['rollout'] : undefined });
    }
  }
  const records = readRecordsConfig(top.get('records'));
  const retraining = readRetrainingConfig(top.get('retraining'), opt<string | undefined>('alertsSecret', readString, undefined), retrainingInputs, records.enabled);
  const otlpPort = opt('otlpPort', readPort, DEFAULTS.otlpPort);
  const httpPort = opt('httpPort', readPort, DEFAULTS.httpPort);
  if (httpPort !== 0 && httpPort === otlpPort) {
    throw new ConfigError('config.httpPort', `${httpPort} is the OTLP port too (otlpPort); the receiver and the API need a port each`);
  }
  return {
    host,
    otlpPort,
    httpPort,
    dataDir: opt('dataDir', readString, DEFAULTS.dataDir),
    ...(ingestToken === undefined ? {} : { ingestToken }),
    ...(adminToken === undefined ? {} : { adminToken }),
    flushIntervalMs,
    evaluationIntervalMs: opt('evaluationInterval', readDurationMs, DEFAULTS.evaluationIntervalMs),
    streamIdleTtlMs: opt('streamIdleTtl', readDurationMs, DEFAULTS.streamIdleTtlMs),
    windows,
    drift,
    performance,
    limits: readLimits(top.get('limits'), 'config.limits'),
    models,
    retraining,
    records,
    registry: readRegistryConfig(top.get('registry')),
    rollout: readRolloutConfig(top.get('rollout'), rolloutInputs),
  };
}

/** Reads the window list; slices default to the largest standard length giving at least 12 slices. */
export function readWindows(value: unknown, path: string): WindowConfig[] {
  const list = readArray(value, path);
  if (list.length === 0 || list.length > MAX_WINDOWS) throw new ConfigError(path, `expected 1 to ${MAX_WINDOWS} windows, got ${list.length}`);
  const windows = list.map((raw, i): WindowConfig => {
    const p = `${path}[${i}]`;
    const w = readObject(raw, p, ['name', 'duration', 'slice']);
    const durationMs = readDurationMs(w.get('duration'), `${p}.duration`);
    const name = w.has('name') ? readString(w.get('name'), `${p}.name`) : formatDurationMs(durationMs);
    if (!LABEL_SAFE.test(name)) throw new ConfigError(`${p}.name`, `${describe(name)} must be 1-32 characters of A-Z a-z 0-9 _ . : -`);
    const sliceMs = w.has('slice') ? readDurationMs(w.get('slice'), `${p}.slice`) : defaultSliceMs(durationMs);
    if (sliceMs === undefined) throw new ConfigError(`${p}.slice`, `no default slice divides ${formatDurationMs(durationMs)}; set slice explicitly`);
    if (sliceMs < 1_000 || sliceMs % 1_000 !== 0) throw new ConfigError(`${p}.slice`, `${formatDurationMs(sliceMs)} must be a whole number of seconds, at least 1s`);
    if (durationMs % sliceMs !== 0) {
      throw new ConfigError(`${p}.slice`, `${formatDurationMs(sliceMs)} does not divide the duration ${formatDurationMs(durationMs)}`);
    }
    if (durationMs / sliceMs > MAX_SLICES_PER_WINDOW) {
      throw new ConfigError(`${p}.slice`, `${formatDurationMs(sliceMs)} gives ${durationMs / sliceMs} slices (max ${MAX_SLICES_PER_WINDOW})`);
    }
    return { name, durationMs, sliceMs };
  });
  const names = new Set<string>();
  const baseMs = Math.min(...windows.map((w) => w.sliceMs));
  windows.forEach((w, i) => {
    if (names.has(w.name)) throw new ConfigError(`${path}[${i}].name`, `duplicate window name ${describe(w.name)}`);
    names.add(w.name);
    if (w.sliceMs % baseMs !== 0) {
      throw new ConfigError(`${path}[${i}].slice`, `${formatDurationMs(w.sliceMs)} is not a multiple of the smallest slice ${formatDurationMs(baseMs)}`);
    }
  });
  return windows;
}

function defaultSliceMs(durationMs: number): number | undefined {
  return SLICE_CANDIDATES_MS.find((s) => durationMs % s === 0 && durationMs / s >= 12) ?? SLICE_CANDIDATES_MS.find((s) => durationMs % s === 0);
}

function readDrift(value: unknown, path: string, base: DriftConfig | undefined): DriftConfig {
  const d = value === undefined ? new Map<string, unknown>() : readObject(value, path, ['method', 'methods', 'thresholds', 'datasetDriftShare', 'minSamples', 'features']);
  const thresholds = new Map<DriftMethod, number>(base?.thresholds ?? []);
  if (d.has('thresholds')) {
    for (const [method, t] of readObject(d.get('thresholds'), `${path}.thresholds`)) {
      const m = readEnum(method, `${path}.thresholds.${method}`, DRIFT_METHODS);
      thresholds.set(m, readNumber(t, `${path}.thresholds.${method}`, 0, Number.MAX_VALUE));
    }
  }
  const features = new Map<string, FeatureDriftConfig>(base?.features ?? []);
  if (d.has('features')) {
    for (const [name, raw] of readObject(d.get('features'), `${path}.features`)) {
      const fp = `${path}.features[${JSON.stringify(name)}]`;
      const f = readObject(raw, fp, ['method', 'threshold']);
      features.set(name, {
        ...(f.has('method') ? { method: readEnum(f.get('method'), `${fp}.method`, DRIFT_METHODS) } : {}),
        ...(f.has('threshold') ? { threshold: readNumber(f.get('threshold'), `${fp}.threshold`, 0, Number.MAX_VALUE) } : {}),
      });
    }
  }
  const method = d.has('method') ? readEnum(d.get('method'), `${path}.method`, DRIFT_METHODS) : base?.method;
  return {
    ...(method === undefined ? {} : { method }),
    methods: d.has('methods') ? readArray(d.get('methods'), `${path}.methods`).map((m, i) => readEnum(m, `${path}.methods[${i}]`, DRIFT_METHODS)) : (base?.methods ?? []),
    thresholds,
    datasetDriftShare: d.has('datasetDriftShare')
      ? readNumber(d.get('datasetDriftShare'), `${path}.datasetDriftShare`, 0, 1)
      : (base?.datasetDriftShare ?? DEFAULTS.datasetDriftShare),
    minSamples: d.has('minSamples') ? readInteger(d.get('minSamples'), `${path}.minSamples`, 1, 1e12) : (base?.minSamples ?? DEFAULTS.minSamples),
    features,
  };
}

function readPerformance(value: unknown, path: string, base: PerformanceConfig | undefined): PerformanceConfig {
  const p = value === undefined ? new Map<string, unknown>() : readObject(value, path, ['positiveClass', 'minSamples']);
  const positiveClass = p.has('positiveClass') ? String(readScalar(p.get('positiveClass'), `${path}.positiveClass`)) : base?.positiveClass;
  return {
    ...(positiveClass === undefined ? {} : { positiveClass }),
    minSamples: p.has('minSamples') ? readInteger(p.get('minSamples'), `${path}.minSamples`, 1, 1e12) : (base?.minSamples ?? DEFAULTS.minSamples),
  };
}

function readScalar(value: unknown, path: string): string | number | boolean {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  throw new ConfigError(path, `${describe(value)} is not a string, number or boolean`);
}

const SLA_RANGES: Record<SlaObjective, [number, number]> = {
  min_accuracy: [0, 1],
  min_roc_auc: [0, 1],
  max_mae: [0, Number.MAX_VALUE],
  max_latency_seconds: [Number.MIN_VALUE, Number.MAX_VALUE],
  latency_slo_ratio: [0, 1],
  max_error_ratio: [0, 1],
  max_drift_share: [0, 1],
};

function readModel(value: unknown, path: string, global: Pick<ModelConfig, 'drift' | 'performance' | 'windows'>): ModelConfig {
  const m = readObject(value ?? {}, path, ['sla', 'importantFeatures', 'drift', 'performance', 'windows', 'retraining', 'rollout']);
  const sla = new Map<SlaObjective, number>();
  if (m.has('sla')) {
    for (const [objective, raw] of readObject(m.get('sla'), `${path}.sla`)) {
      const o = readEnum(objective, `${path}.sla.${objective}`, SLA_OBJECTIVES);
      const [min, max] = SLA_RANGES[o];
      sla.set(o, readNumber(raw, `${path}.sla.${objective}`, min, max));
    }
  }
  const important = m.has('importantFeatures')
    ? readArray(m.get('importantFeatures'), `${path}.importantFeatures`).map((f, i) => readString(f, `${path}.importantFeatures[${i}]`))
    : [];
  return {
    sla,
    importantFeatures: [...new Set(important)],
    drift: m.has('drift') ? readDrift(m.get('drift'), `${path}.drift`, global.drift) : global.drift,
    performance: m.has('performance') ? readPerformance(m.get('performance'), `${path}.performance`, global.performance) : global.performance,
    windows: m.has('windows') ? readWindows(m.get('windows'), `${path}.windows`) : global.windows,
  };
}

const LIMIT_RANGES: Record<keyof LimitsConfig, [number, number]> = {
  maxModels: [1, 100_000],
  maxVersionsPerModel: [1, 10_000],
  maxFeaturesPerModel: [1, 100_000],
  maxOutputsPerModel: [1, 10_000],
  maxKpisPerModel: [1, 10_000],
  maxErrorTypesPerModel: [1, 10_000],
  maxClassesPerModel: [2, 10_000],
  maxStreams: [1, 100_000_000],
  maxBodyBytes: [1_024, 1_073_741_824],
  maxQueueDepth: [1, 100_000],
};

function readLimits(value: unknown, path: string): LimitsConfig {
  if (value === undefined) return DEFAULT_LIMITS;
  const keys = Object.keys(LIMIT_RANGES) as (keyof LimitsConfig)[];
  const l = readObject(value, path, keys);
  const out: Record<string, number> = { ...DEFAULT_LIMITS };
  for (const key of keys) {
    if (l.has(key)) {
      const [min, max] = LIMIT_RANGES[key];
      out[key] = readInteger(l.get(key), `${path}.${key}`, min, max);
    }
  }
  return out as unknown as LimitsConfig;
}
