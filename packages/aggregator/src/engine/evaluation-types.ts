import type { DriftMethod, DriftResult } from '@driftwatch/stats';
import type { ReferenceProfile } from '@driftwatch/stats';

/** The numbers of one feature in one window (what /metrics and the drift API publish). */
export interface FeatureEvaluation {
  readonly feature: string;
  readonly kind: 'numeric' | 'categorical';
  /** Values in the window (missing ones excluded). */
  readonly samples: number;
  readonly missing: number;
  /** Published once missing + samples reach the minimum sample. */
  readonly missingRatio: number | undefined;
  readonly hasReference: boolean;
  /** Results of the primary method and the extra configured methods (only with the minimum sample). */
  readonly results: readonly DriftResult[];
  /** The primary (verdict) result; undefined below the minimum sample or without a reference. */
  readonly primary: DriftResult | undefined;
  readonly outOfRangeRatio: number | undefined;
  readonly newCategoryRatio: number | undefined;
  readonly frozen: boolean | undefined;
  readonly important: boolean;
}

export interface OutputEvaluation {
  readonly output: string;
  readonly kind: 'numeric' | 'categorical';
  readonly samples: number;
  readonly hasReference: boolean;
  readonly primary: DriftResult | undefined;
}

export type PerformanceMetric = 'accuracy' | 'precision' | 'recall' | 'f1' | 'roc_auc' | 'mae' | 'rmse';

export interface PerformanceEvaluation {
  /** Joined labels in the window. */
  readonly feedbackSamples: number;
  /** Published only with at least the minimum feedback sample. */
  readonly metrics: ReadonlyMap<PerformanceMetric, number>;
  /** The positive class used for binary precision/recall/F1/ROC AUC (undefined: macro averages or regression). */
  readonly positiveClass: string | undefined;
}

export interface WindowEvaluation {
  readonly window: string;
  readonly predictions: number;
  readonly features: readonly FeatureEvaluation[];
  readonly evaluatedFeatures: number;
  readonly driftedFeatures: number;
  /** drifted / evaluated, when at least one feature was evaluated. */
  readonly driftShare: number | undefined;
  readonly datasetDrift: boolean | undefined;
  readonly outputs: readonly OutputEvaluation[];
  readonly performance: PerformanceEvaluation;
}

export interface VersionEvaluation {
  readonly version: string;
  readonly lastSeenMs: number;
  readonly reference: Pick<ReferenceProfile, 'source' | 'createdAt' | 'rowCount'> | undefined;
  readonly windows: readonly WindowEvaluation[];
}

export interface KpiEvaluation {
  readonly kpi: string;
  readonly window: string;
  readonly events: number;
  /** sum / events, when events > 0. */
  readonly mean: number | undefined;
}

export interface ModelEvaluation {
  readonly model: string;
  readonly versions: readonly VersionEvaluation[];
  readonly kpis: readonly KpiEvaluation[];
}

export interface EvaluationResult {
  readonly timestampMs: number;
  readonly durationSeconds: number;
  readonly models: readonly ModelEvaluation[];
}

export type { DriftMethod };
