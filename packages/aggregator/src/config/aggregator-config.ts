import type { DriftMethod } from '@driftwatch/stats';
import type { RecordsConfig } from '../records/records-config.js';
import type { RetrainingConfig } from '../retraining/retraining-config.js';
import type { RegistryConfig } from '../registry/registry-config.js';
import type { RolloutConfig } from '../rollout/rollout-config.js';

/** A drift window: the last `durationMs` of traffic, kept as a ring of `sliceMs` slices. */
export interface WindowConfig {
  /** The `window` label value, e.g. `1h`. */
  readonly name: string;
  readonly durationMs: number;
  readonly sliceMs: number;
}

/** Per-feature drift override. */
export interface FeatureDriftConfig {
  readonly method?: DriftMethod;
  readonly threshold?: number;
}

export interface DriftConfig {
  /** The primary method whose verdict is `driftwatch_feature_drift_detected`; undefined = the stats default (`detectDriftFromSketches`). */
  readonly method?: DriftMethod;
  /** Extra methods evaluated and published as scores (`driftFromSketches`). */
  readonly methods: readonly DriftMethod[];
  /** Threshold overrides per method (p-value bound for tests with a p-value, statistic bound otherwise). */
  readonly thresholds: ReadonlyMap<DriftMethod, number>;
  /** Dataset drift verdict when drifted features / evaluated features ≥ this share. */
  readonly datasetDriftShare: number;
  /** Minimum values in the window before a score or verdict is published. */
  readonly minSamples: number;
  readonly features: ReadonlyMap<string, FeatureDriftConfig>;
}

export interface PerformanceConfig {
  /** Positive class of binary classifiers; undefined = `1` or `true`, whichever the labels use. */
  readonly positiveClass?: string;
  /** Minimum joined labels in the window before performance metrics are published. */
  readonly minSamples: number;
}

/** Business objectives of `driftwatch_model_sla_threshold{objective}`. */
export const SLA_OBJECTIVES = [
  'min_accuracy',
  'min_roc_auc',
  'max_mae',
  'max_latency_seconds',
  'latency_slo_ratio',
  'max_error_ratio',
  'max_drift_share',
] as const;
export type SlaObjective = (typeof SLA_OBJECTIVES)[number];

export interface ModelConfig {
  readonly sla: ReadonlyMap<SlaObjective, number>;
  readonly importantFeatures: readonly string[];
  readonly drift: DriftConfig;
  readonly performance: PerformanceConfig;
  readonly windows: readonly WindowConfig[];
}

/** Bounds on label values and state (excess is rejected and counted). */
export interface LimitsConfig {
  readonly maxModels: number;
  readonly maxVersionsPerModel: number;
  readonly maxFeaturesPerModel: number;
  readonly maxOutputsPerModel: number;
  readonly maxKpisPerModel: number;
  readonly maxErrorTypesPerModel: number;
  /** Distinct actual/predicted labels of the confusion matrix and of the score histograms. */
  readonly maxClassesPerModel: number;
  /** Cumulative streams remembered for cumulative-to-delta (one per instance × metric × attribute set). */
  readonly maxStreams: number;
  readonly maxBodyBytes: number;
  readonly maxQueueDepth: number;
}

export interface AggregatorConfig {
  readonly host: string;
  readonly otlpPort: number;
  readonly httpPort: number;
  /** Directory of the SQLite database, or `:memory:`. */
  readonly dataDir: string;
  readonly ingestToken?: string;
  readonly adminToken?: string;
  readonly flushIntervalMs: number;
  readonly evaluationIntervalMs: number;
  /** A cumulative stream not updated for this long is forgotten (its process is gone). */
  readonly streamIdleTtlMs: number;
  readonly windows: readonly WindowConfig[];
  readonly drift: DriftConfig;
  readonly performance: PerformanceConfig;
  readonly limits: LimitsConfig;
  /** Per-model sections, already merged over the global drift/performance/windows settings. */
  readonly models: ReadonlyMap<string, ModelConfig>;
  /** Retraining targets, retry policy, the alerts webhook secret and the per-model `retraining` policies. */
  readonly retraining: RetrainingConfig;
  /** Retention of sampled prediction records. */
  readonly records: RecordsConfig;
  /** The model registry (embedded SQLite or MLflow). */
  readonly registry: RegistryConfig;
  /** Canary/shadow rollout policies (global defaults and `models.<name>.rollout`). */
  readonly rollout: RolloutConfig;
}

export const DEFAULT_LIMITS: LimitsConfig = {
  maxModels: 100,
  maxVersionsPerModel: 10,
  maxFeaturesPerModel: 500,
  maxOutputsPerModel: 50,
  maxKpisPerModel: 50,
  maxErrorTypesPerModel: 50,
  maxClassesPerModel: 100,
  maxStreams: 1_000_000,
  maxBodyBytes: 64 * 1024 * 1024,
  maxQueueDepth: 64,
};

/** Resolves the effective settings of a model: its own section, or the global defaults. */
export function modelConfigOf(config: AggregatorConfig, model: string): ModelConfig {
  return (
    config.models.get(model) ?? {
      sla: new Map(),
      importantFeatures: [],
      drift: config.drift,
      performance: config.performance,
      windows: config.windows,
    }
  );
}
