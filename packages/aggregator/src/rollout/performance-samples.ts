import type { ConfusionCounts } from '../engine/classification-metrics.js';
import type { AggregatorState } from '../state/aggregator-state.js';
import { CONFUSION_SEPARATOR } from '../state/series-kinds.js';

/**
 * The sample each classification metric is a proportion of, from a confusion matrix — what the canary analysis needs
 * to judge a difference in that metric against its sampling noise (`PerformanceComparison.effectiveSamples`):
 *
 * - accuracy: every label;
 * - precision: the predicted positives, TP + FP; recall: the actual positives, TP + FN;
 * - F1 = 2TP / (2TP + FP + FN) = TP / (TP + (FP + FN)/2): TP + (FP + FN)/2;
 * - ROC AUC: the smaller of the two classes (its variance is about A(1−A) over that count or less; Hanley & McNeil,
 *   Radiology 143:29, 1982), so a conservative stand-in.
 *
 * With a positive class (binary) for that class; without one (macro averages) the smallest over the classes, so
 * the noisiest class bounds the test. Cost: O(cells × classes).
 */
export function effectiveSamples(cells: ConfusionCounts, positiveClass: string | undefined): Map<string, number> {
  let total = 0;
  const classes = new Set<string>();
  for (const [a, p, c] of cells) {
    total += c;
    classes.add(a).add(p);
  }
  const out = new Map<string, number>();
  if (total === 0) return out;
  out.set('accuracy', total);
  const perClass = (cls: string): { precision: number; recall: number; f1: number; negatives: number } => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const [a, p, c] of cells) {
      if (a === cls && p === cls) tp += c;
      else if (p === cls) fp += c;
      else if (a === cls) fn += c;
    }
    return { precision: tp + fp, recall: tp + fn, f1: tp + (fp + fn) / 2, negatives: total - tp - fn };
  };
  const per = positiveClass !== undefined ? [perClass(positiveClass)] : [...classes].map(perClass);
  const smallest = (pick: (x: ReturnType<typeof perClass>) => number): number => Math.min(...per.map(pick));
  out.set('precision', smallest((x) => x.precision));
  out.set('recall', smallest((x) => x.recall));
  out.set('f1', smallest((x) => x.f1));
  if (positiveClass !== undefined) out.set('roc_auc', Math.min(per[0]?.recall ?? 0, per[0]?.negatives ?? 0));
  return out;
}

/** A version's confusion matrix in one window now (empty when it has no joined labels there). */
export function confusionIn(state: AggregatorState, model: string, version: string, windowName: string, nowMs: number): ConfusionCounts {
  const handle = state.models.get(model)?.versions.get(version)?.confusion;
  if (!handle) return [];
  return handle.series.snapshot(windowName, nowMs).entries().map(([key, count]) => {
    const sep = key.indexOf(CONFUSION_SEPARATOR);
    return [key.slice(0, sep), key.slice(sep + 1), count] as const;
  });
}
