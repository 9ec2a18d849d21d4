/** Hand-made evaluations for the demo's unit tests. */
import type { ApiFeature, ApiWindow } from './drift-api.js';
import type { Observation } from './drift-observer.js';

export function apiFeature(name: string, over: Partial<ApiFeature> = {}): ApiFeature {
  return {
    feature: name,
    kind: 'numeric',
    important: false,
    hasReference: true,
    samples: 1000,
    missingRatio: 0,
    outOfRangeRatio: 0,
    newCategoryRatio: null,
    drift: { method: 'wasserstein', statistic: 0.02, pValue: null, threshold: 0.1, drifted: false },
    scores: [],
    distribution: null,
    summary: null,
    ...over,
  };
}

export function observation(atMs: number, features: ApiFeature[], over: { lastSeenMs?: number; metrics?: Record<string, number>; sla?: Record<string, number> } = {}): Observation {
  const drifted = features.filter((f) => f.drift?.drifted).length;
  const evaluated = features.filter((f) => f.drift).length;
  const window: ApiWindow = {
    window: '1h',
    predictions: 1000,
    evaluatedFeatures: evaluated,
    driftedFeatures: drifted,
    driftShare: evaluated > 0 ? drifted / evaluated : null,
    datasetDrift: evaluated > 0 ? drifted / evaluated >= 0.5 : null,
    features,
    outputs: [],
    performance: { feedbackSamples: 900, metrics: over.metrics ?? {} },
    minSamples: 100,
  };
  return { atMs, lastSeenMs: 'lastSeenMs' in over ? over.lastSeenMs : atMs, window, sla: over.sla ?? {} };
}
