import type { PerformanceConfig } from '../config/aggregator-config.js';
import { HistogramAccumulator } from '../sketch/histogram-accumulator.js';
import type { SliceAccumulator } from '../sketch/slice-accumulator.js';
import type { SeriesHandle, VersionState } from '../state/aggregator-state.js';
import { CONFUSION_SEPARATOR } from '../state/series-kinds.js';
import { classificationMetrics, positiveClassOf } from './classification-metrics.js';
import type { PerformanceEvaluation, PerformanceMetric } from './evaluation-types.js';
import { rocAucFromHistograms } from './roc-auc.js';

/**
 * Reads one series over the period being evaluated: a window snapshot (`series.snapshot(window, now)`) for the
 * drift engine, a range of slices (`series.capture(from, to, now)`) for a timeline.
 */
export type SeriesReader = <A extends SliceAccumulator>(handle: SeriesHandle<A>) => A;

/**
 * Performance of a model version from its joined feedback over one period (whatever `read` covers): accuracy,
 * precision, recall and F1 from the confusion matrix (`classificationMetrics`), ROC AUC from the score histograms
 * split by true label (`rocAucFromHistograms`, binary only), MAE = Σ|e| / n and RMSE = √(Σe² / n) for regression.
 * Nothing is published below `config.minSamples` joined labels. Cost: O(confusion cells + score buckets).
 */
export function performanceOf(v: VersionState, config: PerformanceConfig, read: SeriesReader): PerformanceEvaluation {
  const metrics = new Map<PerformanceMetric, number>();
  const confusion = v.confusion ? read(v.confusion) : undefined;
  const absError = v.absoluteError ? read(v.absoluteError) : undefined;
  const labels = v.labels ? read(v.labels).count : 0;
  const feedbackSamples = labels > 0 ? labels : Math.max(confusion?.total ?? 0, absError?.count ?? 0);
  let positiveClass: string | undefined;
  if (feedbackSamples < config.minSamples) return { feedbackSamples, metrics, positiveClass };
  const cells = (confusion?.entries() ?? []).map(([key, count]) => {
    const sep = key.indexOf(CONFUSION_SEPARATOR);
    return [key.slice(0, sep), key.slice(sep + 1), count] as const;
  });
  const labelSet = new Set<string>();
  for (const [a, p] of cells) labelSet.add(a).add(p);
  for (const label of v.scores.keys()) labelSet.add(label);
  if (labelSet.size > 0 && labelSet.size <= 2) positiveClass = positiveClassOf(labelSet, config.positiveClass);
  const cls = classificationMetrics(cells, positiveClass);
  if (cls) {
    metrics.set('accuracy', cls.accuracy);
    if (cls.precision !== undefined) metrics.set('precision', cls.precision);
    if (cls.recall !== undefined) metrics.set('recall', cls.recall);
    if (cls.f1 !== undefined) metrics.set('f1', cls.f1);
  }
  if (positiveClass !== undefined && v.scores.size > 0) {
    const posHandle = v.scores.get(positiveClass);
    const pos = posHandle ? read(posHandle) : undefined;
    const neg = new HistogramAccumulator();
    for (const [label, h] of v.scores) if (label !== positiveClass) neg.merge(read(h));
    const auc = pos ? rocAucFromHistograms(pos, neg) : undefined;
    if (auc !== undefined) metrics.set('roc_auc', auc);
  }
  if (absError && absError.count > 0) {
    metrics.set('mae', absError.sum / absError.count);
    const sq = v.squaredError ? read(v.squaredError).sum : undefined;
    if (sq !== undefined) metrics.set('rmse', Math.sqrt(Math.max(0, sq) / absError.count));
  }
  return { feedbackSamples, metrics, positiveClass };
}
