import { chooseSketchDriftMethod, detectDriftFromSketches, driftFromSketches, driftSuiteFromSketches, thresholdFor } from '@driftwatch/stats';
import type { DriftMethod, DriftResult, FeatureSketch, PreparedSketch } from '@driftwatch/stats';
import type { DriftConfig } from '../config/aggregator-config.js';

export interface FeatureDriftOutcome {
  readonly primary: DriftResult | undefined;
  /** Primary first, then each extra method that applies to this kind of data. */
  readonly results: readonly DriftResult[];
  /** Methods that failed (e.g. KS on categories), with the error text. */
  readonly failures: ReadonlyArray<readonly [DriftMethod | 'default', string]>;
}

function thresholdsOf(config: DriftConfig): Partial<Record<DriftMethod, number>> {
  const out: Partial<Record<DriftMethod, number>> = {};
  for (const [m, t] of config.thresholds) out[m] = t;
  return out;
}

/**
 * Drift of one feature (or output) between its reference sketch and the window's sketch: the primary verdict from
 * the stats `detectDriftFromSketches` rule (its default method choice, or the configured/per-feature method and
 * threshold), plus every extra configured method — all in one stats `driftSuiteFromSketches`, which reads both sketches
 * once for every method. Pass prepared sketches (`prepareSketch`) when calling it repeatedly: then the sketches are read
 * once for all features' evaluations too. Errors of a method (e.g. one that does not accept categories) are returned,
 * not thrown: when the suite fails, each method runs alone so that the others still give results.
 * Cost: that of the stats tests, O(buckets + categories).
 */
export function featureDrift(reference: FeatureSketch | PreparedSketch, current: FeatureSketch | PreparedSketch, config: DriftConfig, feature: string | undefined): FeatureDriftOutcome {
  const override = feature === undefined ? undefined : config.features.get(feature);
  const thresholds = thresholdsOf(config);
  const method = override?.method ?? config.method;
  const choice = {
    ...(method === undefined ? {} : { method }),
    ...(override?.threshold === undefined ? {} : { threshold: override.threshold }),
    thresholds,
  };
  let chosen: DriftMethod;
  try {
    chosen = chooseSketchDriftMethod(reference, current, choice);
  } catch (err) {
    return { primary: undefined, ...eachAlone(config.methods, reference, current, thresholds, [[method ?? 'default', (err as Error).message]]) };
  }
  const extras = config.methods.filter((m) => m !== chosen);
  try {
    const results = driftSuiteFromSketches([chosen, ...extras], reference, current, { thresholds: { ...thresholds, [chosen]: thresholdFor(chosen, choice) } });
    return { primary: results[0], results, failures: [] };
  } catch {
    // one method failed: run each alone, so that the error is its own and the others still give results
    let primary: DriftResult | undefined;
    const failures: Array<[DriftMethod | 'default', string]> = [];
    try {
      primary = detectDriftFromSketches(reference, current, choice);
    } catch (err) {
      failures.push([method ?? 'default', (err as Error).message]);
    }
    const rest = eachAlone(primary ? extras : config.methods, reference, current, thresholds, failures);
    return { primary, results: primary ? [primary, ...rest.results] : rest.results, failures: rest.failures };
  }
}

/** Each method alone on the pair (`driftFromSketches`), failures collected after `failures`. */
function eachAlone(
  methods: readonly DriftMethod[],
  reference: FeatureSketch | PreparedSketch,
  current: FeatureSketch | PreparedSketch,
  thresholds: Partial<Record<DriftMethod, number>>,
  failures: Array<[DriftMethod | 'default', string]>,
): { results: DriftResult[]; failures: Array<[DriftMethod | 'default', string]> } {
  const results: DriftResult[] = [];
  for (const m of methods) {
    try {
      const t = thresholds[m];
      results.push(driftFromSketches(m, reference, current, t === undefined ? {} : { threshold: t }));
    } catch (err) {
      failures.push([m, (err as Error).message]);
    }
  }
  return { results, failures };
}
