import type { BucketsView, HistogramView } from '../sketch/histogram-view.js';

/** Counts of a range at a (lower or equal) scale, keyed by bucket index. */
function atScale(b: BucketsView, shift: number): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = b.start; i <= b.end; i++) {
    const c = b.counts[i - b.offset] as number;
    if (c !== 0) out.set(i >> shift, (out.get(i >> shift) ?? 0) + c);
  }
  return out;
}

/**
 * ROC AUC from the score histograms of the positive and the negative examples, as the Mann–Whitney statistic
 * `AUC = P(S⁺ > S⁻) + ½·P(S⁺ = S⁻)` on a common bucket grid (the coarser of the two scales):
 * `AUC ≈ Σ_b pos_b · (neg_{<b} + ½·neg_b) / (P · N)`.
 *
 * Approximation: pairs whose scores fall in the same bucket count as ties (½). The error is therefore at most
 * `½ · Σ_b pos_b · neg_b / (P · N)` — the share of positive/negative pairs sharing a bucket; at the SDK's
 * resolution (160 buckets, relative width ≈ 2^-scale · ln 2) this is typically below 0.005.
 * Reference: Hanley & McNeil (1982), https://doi.org/10.1148/radiology.143.1.7063747
 * Cost: O(buckets). Undefined when either class has no scores.
 */
export function rocAucFromHistograms(positive: HistogramView, negative: HistogramView): number | undefined {
  const P = positive.count;
  const N = negative.count;
  if (!(P > 0 && N > 0)) return undefined;
  const scale = Math.min(positive.scale, negative.scale);
  const pNeg = atScale(positive.negative, positive.scale - scale);
  const nNeg = atScale(negative.negative, negative.scale - scale);
  const pPos = atScale(positive.positive, positive.scale - scale);
  const nPos = atScale(negative.positive, negative.scale - scale);
  // ascending value order: negative buckets by descending index, the zero bucket, positive buckets by ascending index
  const cells: Array<[number, number]> = [];
  for (const i of [...new Set([...pNeg.keys(), ...nNeg.keys()])].sort((a, b) => b - a)) cells.push([pNeg.get(i) ?? 0, nNeg.get(i) ?? 0]);
  cells.push([positive.zeroCount, negative.zeroCount]);
  for (const i of [...new Set([...pPos.keys(), ...nPos.keys()])].sort((a, b) => a - b)) cells.push([pPos.get(i) ?? 0, nPos.get(i) ?? 0]);
  let negBelow = 0;
  let u = 0;
  for (const [p, n] of cells) {
    u += p * (negBelow + n / 2);
    negBelow += n;
  }
  return u / (P * N);
}
