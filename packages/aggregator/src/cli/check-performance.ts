import { classificationMetrics } from '../engine/classification-metrics.js';

const BINARY: ReadonlyMap<unknown, '0' | '1'> = new Map<unknown, '0' | '1'>([
  [0, '0'],
  [1, '1'],
  [false, '0'],
  [true, '1'],
  ['0', '0'],
  ['1', '1'],
  ['false', '0'],
  ['true', '1'],
]);

const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '' && !(typeof v === 'number' && !Number.isFinite(v));

/**
 * ROC AUC of scores against binary labels, exactly: the Mann–Whitney statistic with ties counted ½,
 * `AUC = (R⁺ − n⁺(n⁺+1)/2) / (n⁺·n⁻)` with R⁺ the rank sum of the positives (average ranks for ties).
 * Reference: Hanley & McNeil (1982), https://doi.org/10.1148/radiology.143.1.7063747. Cost: O(n log n).
 * Undefined when either class is absent.
 */
export function exactRocAuc(scores: readonly number[], positive: readonly boolean[]): number | undefined {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  let rankSumPositive = 0;
  let nPos = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && (order[j + 1] as readonly [number, number])[0] === (order[i] as readonly [number, number])[0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (positive[(order[k] as readonly [number, number])[1]]) {
        rankSumPositive += rank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = order.length - nPos;
  if (nPos === 0 || nNeg === 0) return undefined;
  return (rankSumPositive - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

export interface OfflinePerformance {
  readonly feedbackSamples: number;
  readonly metrics: Record<string, number>;
}

/**
 * Performance of predictions against labels read from a data file, with the aggregator's metric names:
 * binary labels (0/1, true/false) with numeric scores in [0, 1] → accuracy, precision, recall and F1 at `threshold`
 * (positive class 1) and exact ROC AUC; binary labels with class predictions → the same without ROC AUC; other
 * numeric labels with numeric predictions → MAE and RMSE; anything else → accuracy by equality. Rows missing either
 * value are skipped; no metric is given below `minSamples` pairs (as the aggregator).
 */
export function offlinePerformance(labels: readonly unknown[], predictions: readonly unknown[], threshold: number, minSamples: number): OfflinePerformance {
  const pairs: Array<[unknown, unknown]> = [];
  for (let i = 0; i < labels.length; i++) if (present(labels[i]) && present(predictions[i])) pairs.push([labels[i], predictions[i]]);
  const metrics: Record<string, number> = {};
  if (pairs.length < minSamples || pairs.length === 0) return { feedbackSamples: pairs.length, metrics };
  const binary = pairs.every(([l]) => BINARY.has(l));
  const scores = pairs.every(([, p]) => typeof p === 'number' && p >= 0 && p <= 1);
  if (binary && (scores || pairs.every(([, p]) => BINARY.has(p)))) {
    const actual = pairs.map(([l]) => BINARY.get(l) as '0' | '1');
    const predicted = pairs.map(([, p]) => (scores ? ((p as number) >= threshold ? '1' : '0') : (BINARY.get(p) as '0' | '1')));
    const confusion = { '00': 0, '01': 0, '10': 0, '11': 0 };
    actual.forEach((a, i) => confusion[`${a}${predicted[i] as '0' | '1'}`]++);
    const cls = classificationMetrics(
      (['0', '1'] as const).flatMap((a) => (['0', '1'] as const).map((pr) => [a, pr, confusion[`${a}${pr}`]] as const)),
      '1',
    );
    if (cls) {
      metrics['accuracy'] = cls.accuracy;
      if (cls.precision !== undefined) metrics['precision'] = cls.precision;
      if (cls.recall !== undefined) metrics['recall'] = cls.recall;
      if (cls.f1 !== undefined) metrics['f1'] = cls.f1;
    }
    if (scores) {
      const auc = exactRocAuc(
        pairs.map(([, p]) => p as number),
        actual.map((a) => a === '1'),
      );
      if (auc !== undefined) metrics['roc_auc'] = auc;
    }
  } else if (pairs.every(([l, p]) => typeof l === 'number' && typeof p === 'number')) {
    let abs = 0;
    let sq = 0;
    for (const [l, p] of pairs as Array<[number, number]>) {
      abs += Math.abs(p - l);
      sq += (p - l) ** 2;
    }
    metrics['mae'] = abs / pairs.length;
    metrics['rmse'] = Math.sqrt(sq / pairs.length);
  } else {
    metrics['accuracy'] = pairs.filter(([l, p]) => String(l) === String(p)).length / pairs.length;
  }
  return { feedbackSamples: pairs.length, metrics };
}
