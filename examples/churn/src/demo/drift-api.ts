/**
 * What the demo reads from the aggregator's JSON API (`GET /api/v1/models/{model}/drift`, see
 * packages/aggregator/src/http/drift-report.ts): the latest evaluation of one model version in one window. The demo
 * goes through HTTP like any client would, so what it prints is what the report page and `driftwatch check` see.
 */

export interface ApiDriftResult {
  readonly method: string;
  readonly statistic: number | null;
  readonly pValue: number | null;
  readonly threshold: number;
  readonly drifted: boolean;
}

export type ApiDistribution =
  | { readonly kind: 'numeric'; readonly edges: readonly number[]; readonly reference: readonly number[] | null; readonly current: readonly number[] | null }
  | { readonly kind: 'categorical'; readonly categories: ReadonlyArray<{ readonly key: string; readonly reference: number | null; readonly current: number | null }> };

export interface ApiFeature {
  readonly feature: string;
  readonly kind: 'numeric' | 'categorical';
  readonly important: boolean;
  readonly hasReference: boolean;
  readonly samples: number;
  readonly missingRatio: number | null;
  readonly outOfRangeRatio: number | null;
  readonly newCategoryRatio: number | null;
  readonly drift: ApiDriftResult | null;
  readonly scores: ReadonlyArray<ApiDriftResult | null>;
  readonly distribution: ApiDistribution | null;
  readonly summary?: {
    readonly reference: { readonly mean: number } | null;
    readonly current: { readonly mean: number } | null;
  } | null;
}

export interface ApiOutput {
  readonly output: string;
  readonly kind: 'numeric' | 'categorical';
  readonly samples: number;
  readonly hasReference: boolean;
  readonly drift: ApiDriftResult | null;
}

export interface ApiWindow {
  readonly window: string;
  readonly predictions: number;
  readonly evaluatedFeatures: number;
  readonly driftedFeatures: number;
  readonly driftShare: number | null;
  readonly datasetDrift: boolean | null;
  readonly features: readonly ApiFeature[];
  readonly outputs: readonly ApiOutput[];
  readonly performance: { readonly feedbackSamples: number; readonly metrics: Readonly<Record<string, number>> };
  readonly minSamples: number;
}

export interface ApiVersion {
  readonly version: string;
  readonly lastSeen: string | null;
  readonly windows: readonly ApiWindow[];
}

export interface ApiDriftReport {
  readonly model: string;
  readonly evaluatedAt: string;
  readonly versions: readonly ApiVersion[];
  readonly sla: Readonly<Record<string, number>>;
}

/** GETs a JSON document; throws naming the URL on a network error or a non-2xx answer. */
export async function getJson(url: string, signal?: AbortSignal): Promise<unknown> {
  const response = await fetch(url, { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as unknown;
}

/** The drift report of one model version and window. */
export async function fetchDriftReport(apiUrl: string, model: string, version: string, window: string): Promise<ApiDriftReport> {
  const q = new URLSearchParams({ version, window });
  const body = await getJson(`${apiUrl}/api/v1/models/${encodeURIComponent(model)}/drift?${q.toString()}`);
  const report = body as ApiDriftReport;
  if (typeof report !== 'object' || report === null || !Array.isArray(report.versions) || typeof report.evaluatedAt !== 'string') {
    throw new Error(`unexpected drift report from ${apiUrl}: ${JSON.stringify(body).slice(0, 200)}`);
  }
  return report;
}

/** The drift result of `method` for a feature: the verdict's when it used that method, else the extra scores'. */
export function scoreOf(feature: ApiFeature, method: string): ApiDriftResult | undefined {
  if (feature.drift?.method === method) return feature.drift;
  return feature.scores.find((s): s is ApiDriftResult => s !== null && s.method === method);
}

/** The value compared with the threshold: the p-value for tests that have one, else the statistic. */
export function comparedValue(r: ApiDriftResult): number {
  return r.pValue ?? r.statistic ?? Number.NaN;
}

/** `wasserstein 0.196 ≥ 0.1` / `ks p = 0.0001 < 0.05`: the verdict's comparison in words. */
export function describeResult(r: ApiDriftResult): string {
  const v = (x: number): string => (Math.abs(x) >= 0.001 || x === 0 ? x.toFixed(3) : x.toExponential(1));
  // KS flags drift at p ≤ threshold, the other tests with a p-value at p < threshold
  if (r.pValue !== null) return `${r.method} p = ${v(r.pValue)} ${r.drifted ? (r.method === 'ks' ? '≤' : '<') : r.method === 'ks' ? '>' : '≥'} ${r.threshold}`;
  return `${r.method} ${v(r.statistic ?? Number.NaN)} ${r.drifted ? '≥' : '<'} ${r.threshold}`;
}
