import { detectDriftFromSketches, driftFromSketches } from '@driftwatch/stats';
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
 * the stats `detectDriftFromSketches` (its default method choice, or the configured/per-feature method and
 * threshold), plus every extra configured method via `driftFromSketches`. Pass prepared sketches (`prepareSketch`) when
 * calling it repeatedly: then the sketches are read once for all methods. Errors of a method (e.g. one that does not
 * accept categories) are returned, not thrown. Cost: that of the stats tests, O(buckets + categories) each.
 */
export function featureDrift(reference: FeatureSketch | PreparedSketch, current: FeatureSketch | PreparedSketch, config: DriftConfig, feature: string | undefined): FeatureDriftOutcome {
  const override = feature === undefined ? undefined : config.features.get(feature);
  const thresholds = thresholdsOf(config);
  const method = override?.method ?? config.method;
  const failures: Array<[DriftMethod | 'default', string]> = [];
  let primary: DriftResult | undefined;
  try {
    primary = detectDriftFromSketches(reference, current, {
      ...(method === undefined ? {} : { method }),
      ...(override?.threshold === undefined ? {} : { threshold: override.threshold }),
      thresholds,
    });
  } catch (err) {
    failures.push([method ?? 'default', (err as Error).message]);
  }
  const results: DriftResult[] = primary ? [primary] : [];
  for (const extra of config.methods) {
    if (primary && extra === primary.method) continue;
    try {
      const t = thresholds[extra];
      results.push(driftFromSketches(extra, reference, current, t === undefined ? {} : { threshold: t }));
    } catch (err) {
      failures.push([extra, (err as Error).message]);
    }
  }
  return { primary, results, failures };
}
