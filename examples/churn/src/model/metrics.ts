/**
 * Offline quality metrics of a binary classifier, for the training report
 * and the model artifact.
 */

function checkInputs(name: string, labels: readonly number[], scores: readonly number[]): void {
  if (labels.length === 0) throw new Error(`${name} requires at least 1 data point`);
  if (labels.length !== scores.length) throw new Error(`${name}: ${labels.length} labels but ${scores.length} scores`);
  labels.forEach((label, i) => {
    if (label !== 0 && label !== 1) throw new Error(`${name}: label ${i} must be 0 or 1, got ${label}`);
  });
  scores.forEach((score, i) => {
    if (Number.isNaN(score)) throw new Error(`${name}: score ${i} is NaN`);
  });
}

/**
 * Share of rows where (score ≥ threshold) equals the label:
 * accuracy = (1/n) Σᵢ [ 1{sᵢ ≥ t} = yᵢ ]. O(n).
 */
export function accuracy(labels: readonly number[], scores: readonly number[], threshold = 0.5): number {
  checkInputs('accuracy', labels, scores);
  let correct = 0;
  for (let i = 0; i < labels.length; i++) {
    if (((scores[i] as number) >= threshold ? 1 : 0) === labels[i]) correct++;
  }
  return correct / labels.length;
}

/**
 * Accuracy of always predicting the more frequent label: max(p, 1 − p) for a
 * positive share p. The bar a useful model must clear. O(n).
 */
export function majorityBaselineAccuracy(labels: readonly number[]): number {
  if (labels.length === 0) throw new Error('majorityBaselineAccuracy requires at least 1 data point');
  const positives = labels.reduce((sum, y) => sum + (y === 1 ? 1 : 0), 0);
  const share = positives / labels.length;
  return Math.max(share, 1 - share);
}

/**
 * Area under the ROC curve by its rank (Mann–Whitney U) form:
 *   AUC = (R₊ − n₊(n₊ + 1)/2) / (n₊ · n₋)
 * where R₊ is the sum of the ranks (1-based, ascending score) of the positive
 * rows and tied scores all get the average of their ranks. This equals the
 * probability that a random positive scores above a random negative, ties
 * counting one half. Reference: Hanley & McNeil (1982), Radiology 143:29–36;
 * https://en.wikipedia.org/wiki/Mann%E2%80%93Whitney_U_test#Area-under-curve_(AUC)_statistic_for_ROC_curves
 * Cost: O(n log n) time, O(n) memory. Throws unless both labels occur.
 */
export function rocAuc(labels: readonly number[], scores: readonly number[]): number {
  checkInputs('rocAuc', labels, scores);
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
    const sa = scores[a] as number;
    const sb = scores[b] as number;
    return sa < sb ? -1 : sa > sb ? 1 : 0; // not sa − sb, which is NaN for two equal infinities
  });
  let positives = 0;
  let positiveRankSum = 0;
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && scores[order[end] as number] === scores[order[start] as number]) end++;
    // rows order[start..end) are tied; their ranks start+1..end average to (start + 1 + end) / 2
    const averageRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) {
      if (labels[order[k] as number] === 1) {
        positives++;
        positiveRankSum += averageRank;
      }
    }
    start = end;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) throw new Error('rocAuc requires at least one positive and one negative label');
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
