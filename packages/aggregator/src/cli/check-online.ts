import type { CheckDriftResult, CheckFeature, CheckSubject } from './check-suite.js';

/** What `GET /api/v1/models/{model}/drift` answers (the fields the check reads; see http/drift-report.ts). */
interface DriftJson {
  evaluatedAt: string;
  versions: Array<{
    version: string;
    windows: Array<{
      window: string;
      evaluatedFeatures: number;
      driftedFeatures: number;
      driftShare: number | null;
      datasetDrift: boolean | null;
      minSamples: number;
      datasetDriftShareThreshold?: number;
      features: Array<{
        feature: string;
        kind: 'numeric' | 'categorical';
        samples: number;
        hasReference: boolean;
        drift: CheckDriftResult | null;
        missingRatio: number | null;
        referenceMissingRatio?: number | null;
        newCategoryRatio: number | null;
        outOfRangeRatio: number | null;
      }>;
      outputs: Array<{ output: string; kind: 'numeric' | 'categorical'; samples: number; hasReference: boolean; drift: CheckDriftResult | null }>;
      performance: { feedbackSamples: number; metrics: Record<string, number> };
    }>;
  }>;
  sla: Record<string, number>;
}

export interface OnlineCheckOptions {
  /** the aggregator's API, e.g. http://127.0.0.1:9464 */
  readonly url: string;
  readonly model: string;
  readonly version: string;
  /** default: the model's first window */
  readonly window?: string;
  /** sent as `Authorization: Bearer <token>` when set */
  readonly token?: string;
  readonly fetch?: typeof fetch;
}

/** Default share of drifted features for dataset drift (the aggregator's embedded default). */
const DEFAULT_DATASET_DRIFT_SHARE = 0.5;

async function errorMessage(response: Response): Promise<string> {
  const text = await response.text();
  try {
    return (JSON.parse(text) as { error?: string }).error ?? text;
  } catch {
    return text;
  }
}

/** Reads the latest evaluation of one model version from a running aggregator. Throws naming the URL on any failure. */
export async function onlineCheckSubject(o: OnlineCheckOptions): Promise<CheckSubject> {
  const base = o.url.replace(/\/+$/, '');
  const q = new URLSearchParams({ version: o.version });
  if (o.window !== undefined) q.set('window', o.window);
  const url = `${base}/api/v1/models/${encodeURIComponent(o.model)}/drift?${q.toString()}`;
  let response: Response;
  try {
    response = await (o.fetch ?? fetch)(url, { headers: { accept: 'application/json', ...(o.token ? { authorization: `Bearer ${o.token}` } : {}) } });
  } catch (err) {
    const e = err as Error & { cause?: { message?: string } };
    throw new Error(`cannot reach the aggregator at ${base}: ${e.cause?.message ?? e.message}`);
  }
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}: ${await errorMessage(response)}`);
  const body = (await response.json()) as DriftJson;
  const v = body.versions?.find((x) => x.version === o.version);
  if (!v) throw new Error(`the aggregator has no evaluation of model ${JSON.stringify(o.model)} version ${JSON.stringify(o.version)} yet`);
  const w = o.window === undefined ? v.windows[0] : v.windows.find((x) => x.window === o.window);
  if (!w) throw new Error(`model ${JSON.stringify(o.model)} version ${JSON.stringify(o.version)} has no window ${JSON.stringify(o.window ?? '')}`);
  const features: CheckFeature[] = w.features.map((f) => ({
    name: f.feature,
    kind: f.kind,
    samples: f.samples,
    hasReference: f.hasReference,
    drift: f.drift,
    missingRatio: f.missingRatio,
    referenceMissingRatio: f.referenceMissingRatio ?? null,
    newCategoryRatio: f.newCategoryRatio,
    outOfRangeRatio: f.outOfRangeRatio,
  }));
  const outputs: CheckFeature[] = w.outputs.map((x) => ({
    name: x.output,
    kind: x.kind,
    samples: x.samples,
    hasReference: x.hasReference,
    drift: x.drift,
    missingRatio: null,
    referenceMissingRatio: null,
    newCategoryRatio: null,
    outOfRangeRatio: null,
  }));
  return {
    model: o.model,
    version: o.version,
    window: w.window,
    source: `aggregator ${base}`,
    evaluatedAt: body.evaluatedAt,
    minSamples: w.minSamples,
    features,
    outputs,
    dataset: {
      drifted: w.datasetDrift,
      share: w.driftShare,
      threshold: w.datasetDriftShareThreshold ?? DEFAULT_DATASET_DRIFT_SHARE,
      evaluated: w.evaluatedFeatures,
      driftedCount: w.driftedFeatures,
    },
    performance: { feedbackSamples: w.performance.feedbackSamples, metrics: w.performance.metrics },
    sla: body.sla ?? {},
  };
}
