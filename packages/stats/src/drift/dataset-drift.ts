import type { DriftResult } from '../types.js';

export interface DatasetDriftOptions {
  /** Dataset drift when the share of drifted features ≥ share (default 0.5, Evidently's `drift_share`). */
  readonly share?: number;
}

export interface DatasetDrift {
  /** Drifted features / features. */
  readonly share: number;
  /** share ≥ the configured share. */
  readonly drifted: boolean;
  readonly driftedCount: number;
  readonly total: number;
}

export const DEFAULT_DATASET_DRIFT_SHARE = 0.5;

/**
 * Dataset-level drift from per-feature results, Evidently's `get_dataset_drift`: drifted when
 * (number of drifted features) / (number of features) ≥ share (default 0.5).
 * Reference: https://github.com/evidentlyai/evidently/blob/main/src/evidently/calculations/data_drift.py . Cost: O(features).
 */
export function datasetDrift(results: readonly DriftResult[], options: DatasetDriftOptions = {}): DatasetDrift {
  const shareThreshold = options.share ?? DEFAULT_DATASET_DRIFT_SHARE;
  if (typeof shareThreshold !== 'number' || !(shareThreshold >= 0 && shareThreshold <= 1)) {
    throw new Error(`datasetDrift: options.share must be a number in [0, 1], got ${String(shareThreshold)}`);
  }
  if (!Array.isArray(results) || results.length === 0) throw new Error('datasetDrift requires at least 1 feature result');
  const driftedCount = results.filter((r) => r.drifted).length;
  const share = driftedCount / results.length;
  return { share, drifted: share >= shareThreshold, driftedCount, total: results.length };
}
