import { ExponentialHistogram } from '@driftwatch/stats';
import { BoundedTable, labelKey } from './bounded-labels.js';
import type { PendingPrediction } from './pending-predictions.js';

/** At most this many distinct actual (and, separately, predicted) labels; later ones share `__dw_other__`. */
export const MAX_FEEDBACK_LABELS = 50;

/** A mutable count cell (so bounded tables can hold plain numbers by reference). */
export interface Count {
  value: number;
}

/** Outcome of joining one label. */
export type FeedbackOutcome = 'joined' | 'unusable';

/**
 * Ground truth joined to predictions: the confusion matrix (actual × predicted, at most 51 × 51 cells)
 * and the binary score split by actual label for classifiers; |error| histogram and Σ error² for regression.
 */
export class FeedbackRecorder {
  labels = 0;
  unmatchedUnknownId = 0;
  readonly confusion = new BoundedTable<BoundedTable<Count>>(
    MAX_FEEDBACK_LABELS,
    () => new BoundedTable<Count>(MAX_FEEDBACK_LABELS, () => ({ value: 0 })),
  );
  readonly scoreByLabel = new BoundedTable<ExponentialHistogram>(MAX_FEEDBACK_LABELS, () => new ExponentialHistogram());
  absoluteError: ExponentialHistogram | null = null;
  squaredErrorSum = 0;

  /**
   * Joins `actual` to `prediction`. Regression (the prediction has a value and the label is a number):
   * e = prediction − actual, records |e| and adds e². Classification (the prediction has a class):
   * counts (actual, predicted) and records the score under the actual label.
   * Returns `unusable` (nothing recorded) when the label does not fit the prediction.
   */
  join(prediction: PendingPrediction, actual: unknown): FeedbackOutcome {
    if (!Number.isNaN(prediction.value)) {
      const a = typeof actual === 'bigint' ? Number(actual) : actual;
      if (typeof a !== 'number' || !Number.isFinite(a)) return 'unusable';
      const error = prediction.value - a;
      (this.absoluteError ??= new ExponentialHistogram()).record(Math.abs(error));
      this.squaredErrorSum += error * error;
      this.labels++;
      return 'joined';
    }
    if (prediction.predicted === undefined) return 'unusable';
    const a = labelKey(actual);
    if (a === undefined) return 'unusable';
    const cell = this.confusion.get(a).get(prediction.predicted);
    cell.value++;
    if (!Number.isNaN(prediction.score)) this.scoreByLabel.get(a).record(prediction.score);
    this.labels++;
    return 'joined';
  }
}
