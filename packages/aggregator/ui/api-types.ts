// The JSON the report page reads: GET /api/v1/models, /api/v1/models/{model}/drift and /api/v1/models/{model}/timeline
// (packages/aggregator/src/http/models-report.ts, drift-report.ts and timeline-report.ts are the producers).

export type VersionStatus = 'drift' | 'ok' | 'insufficient_data' | 'no_data' | 'no_reference';

export interface ReferenceInfo {
  readonly source: string;
  readonly createdAt: string;
  readonly rowCount: number;
}

export interface WindowSummary {
  readonly window: string;
  readonly predictions: number;
  readonly evaluatedFeatures: number;
  readonly driftedFeatures: number;
  readonly driftShare: number | null;
  readonly datasetDrift: boolean | null;
}

export interface VersionEntry {
  readonly version: string;
  readonly status: VersionStatus;
  readonly lastSeen: string | null;
  readonly reference: ReferenceInfo | null;
  readonly predictions: number;
  readonly features: number;
  readonly windows?: readonly WindowSummary[];
}

export interface ModelEntry {
  readonly name: string;
  readonly status: VersionStatus;
  readonly lastSeen: string | null;
  readonly versions: readonly VersionEntry[];
}

export interface ModelsResponse {
  readonly evaluatedAt: string | null;
  readonly models: readonly ModelEntry[];
}

export interface DriftResultJson {
  readonly method: string;
  readonly statistic: number | null;
  readonly pValue: number | null;
  readonly threshold: number;
  readonly drifted: boolean;
}

export type Distribution =
  | { readonly kind: 'numeric'; readonly edges: readonly number[]; readonly reference: readonly number[] | null; readonly current: readonly number[] | null }
  | {
      readonly kind: 'categorical';
      readonly categories: ReadonlyArray<{ readonly key: string; readonly reference: number | null; readonly current: number | null }>;
    };

export interface NumericSummary {
  readonly reference: { readonly mean: number; readonly std: number; readonly min: number; readonly max: number } | null;
  readonly current: { readonly mean: number; readonly min: number | null; readonly max: number | null } | null;
}

export interface FeatureReport {
  readonly feature: string;
  readonly kind: 'numeric' | 'categorical';
  readonly important: boolean;
  readonly hasReference: boolean;
  readonly samples: number;
  readonly missing: number;
  readonly missingRatio: number | null;
  readonly referenceMissingRatio?: number | null;
  readonly outOfRangeRatio: number | null;
  readonly newCategoryRatio: number | null;
  readonly frozen: boolean | null;
  readonly drift: DriftResultJson | null;
  readonly scores: ReadonlyArray<DriftResultJson | null>;
  readonly distribution: Distribution | null;
  readonly summary?: NumericSummary | null;
}

export interface OutputReport {
  readonly output: string;
  readonly kind: 'numeric' | 'categorical';
  readonly samples: number;
  readonly hasReference: boolean;
  readonly drift: DriftResultJson | null;
  readonly distribution?: Distribution | null;
}

export interface WindowReport {
  readonly window: string;
  readonly predictions: number;
  readonly evaluatedFeatures: number;
  readonly driftedFeatures: number;
  readonly driftShare: number | null;
  readonly datasetDrift: boolean | null;
  readonly features: readonly FeatureReport[];
  readonly outputs: readonly OutputReport[];
  readonly performance: {
    readonly feedbackSamples: number;
    readonly positiveClass: string | null;
    readonly metrics: Readonly<Record<string, number>>;
  };
  readonly minSamples: number;
  readonly datasetDriftShareThreshold?: number;
}

export interface VersionReport {
  readonly version: string;
  readonly lastSeen: string | null;
  readonly reference: ReferenceInfo | null;
  readonly windows: readonly WindowReport[];
}

export interface DriftResponse {
  readonly model: string;
  readonly evaluatedAt: string;
  readonly versions: readonly VersionReport[];
  readonly kpis: ReadonlyArray<{ readonly kpi: string; readonly window: string; readonly events: number; readonly mean: number | null }>;
  readonly important: readonly string[];
  readonly sla: Readonly<Record<string, number>>;
}

export interface TimelinePoint {
  readonly start: string;
  readonly end: string;
  /** false for the point still being filled */
  readonly complete?: boolean;
  readonly predictions: number;
  readonly feedbackSamples: number;
  readonly metrics: Readonly<Record<string, number>>;
  readonly kpis: Readonly<Record<string, { readonly events: number; readonly mean: number | null }>>;
}

export interface TimelineResponse {
  readonly model: string;
  readonly window: string;
  readonly generatedAt: string;
  readonly minFeedbackSamples: number;
  readonly sla: Readonly<Record<string, number>>;
  readonly kpis: readonly string[];
  readonly versions: ReadonlyArray<{ readonly version: string; readonly stepSeconds: number; readonly points: readonly TimelinePoint[] }>;
}
