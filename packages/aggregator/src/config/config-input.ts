import type { DriftMethod } from '@driftwatch/stats';
import type { LimitsConfig, SlaObjective } from './aggregator-config.js';

/** The config file's shape (YAML or JSON); every key is optional and has an embedded default. */
export interface ConfigInput {
  host?: string;
  otlpPort?: number;
  httpPort?: number;
  dataDir?: string;
  ingestToken?: string;
  adminToken?: string;
  flushInterval?: string;
  evaluationInterval?: string;
  streamIdleTtl?: string;
  windows?: WindowInput[];
  drift?: DriftInput;
  performance?: PerformanceInput;
  limits?: Partial<Record<keyof LimitsConfig, number>>;
  models?: Record<string, ModelInput>;
  /** Dispatch targets (`@driftwatch/lifecycle` `parseDispatchTarget` shape, snake_case) and the retry policy. */
  retraining?: { targets?: unknown[]; retry?: Record<string, number> };
  /** Shared secret of `POST /api/v1/alerts` (Alertmanager's `Authorization: Bearer`). */
  alertsSecret?: string;
  records?: { enabled?: boolean; maxRowsPerModel?: number; maxAge?: string; maxColumnsPerModel?: number };
  /** `{ kind: embedded }` (default) or `{ kind: mlflow, url, token? | username/password?, timeout? }` (docs/rollout.md). */
  registry?: { kind?: 'embedded' | 'mlflow'; url?: string; token?: string; username?: string; password?: string; timeout?: string };
  /** Default rollout policy: `@driftwatch/lifecycle` `parseRolloutPolicy` shape (snake_case) plus `measurement_timeout`. */
  rollout?: Record<string, unknown>;
}

export interface WindowInput {
  name?: string;
  duration: string;
  slice?: string;
}

export interface DriftInput {
  method?: DriftMethod;
  methods?: DriftMethod[];
  thresholds?: Partial<Record<DriftMethod, number>>;
  datasetDriftShare?: number;
  minSamples?: number;
  features?: Record<string, { method?: DriftMethod; threshold?: number }>;
}

export interface PerformanceInput {
  positiveClass?: string;
  minSamples?: number;
}

export interface ModelInput {
  sla?: Partial<Record<SlaObjective, number>>;
  importantFeatures?: string[];
  drift?: DriftInput;
  performance?: PerformanceInput;
  windows?: WindowInput[];
  /** `@driftwatch/lifecycle` `parseRetrainingPolicy` shape (snake_case). */
  retraining?: Record<string, unknown>;
  /** This model's rollout policy, merged over the top-level `rollout`. */
  rollout?: Record<string, unknown>;
}
