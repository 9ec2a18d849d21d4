/**
 * A histogram with explicit upper bounds (Prometheus/OTel explicit buckets): `counts[i]` values
 * fell in (boundsSeconds[i−1], boundsSeconds[i]], and the last count, `counts[bounds.length]`, in
 * (last bound, +∞). Bounds strictly increase.
 */
export interface BucketedHistogram {
  readonly bounds: readonly number[];
  readonly counts: readonly number[];
}

/** Throws a clear Error for a malformed histogram. O(buckets). */
export function checkHistogram(h: BucketedHistogram, what = 'histogram'): void {
  if (h.counts.length !== h.bounds.length + 1) {
    throw new Error(`${what} needs bounds.length + 1 counts (the last is the +Inf bucket), got ${h.bounds.length} bounds and ${h.counts.length} counts`);
  }
  for (let i = 0; i < h.bounds.length; i++) {
    const bound = h.bounds[i] as number;
    if (!Number.isFinite(bound) || (i > 0 && bound <= (h.bounds[i - 1] as number))) throw new Error(`${what} bounds must be finite and strictly increasing`);
  }
  for (const count of h.counts) if (!Number.isFinite(count) || count < 0) throw new Error(`${what} counts must be finite and non-negative`);
}

export function histogramTotal(h: BucketedHistogram): number {
  let total = 0;
  for (const count of h.counts) total += count;
  return total;
}

/**
 * The q-quantile (0 < q < 1) by linear interpolation inside the bucket that holds rank q·n, as
 * Prometheus' `histogram_quantile` does: the first bucket starts at 0 (if its bound is positive),
 * and a rank in the +Inf bucket yields the highest finite bound. NaN for an empty histogram. O(buckets).
 */
export function histogramQuantile(h: BucketedHistogram, q: number): number {
  if (!(q > 0 && q < 1)) throw new RangeError(`quantile must be within (0, 1), got ${q}`);
  checkHistogram(h);
  const total = histogramTotal(h);
  if (total === 0) return Number.NaN;
  const rank = q * total;
  let cumulative = 0;
  for (let i = 0; i < h.counts.length; i++) {
    const count = h.counts[i] as number;
    if (cumulative + count >= rank && count > 0) {
      if (i === h.bounds.length) return h.bounds[h.bounds.length - 1] ?? Number.NaN;
      const upper = h.bounds[i] as number;
      const lower = i === 0 ? Math.min(0, upper) : (h.bounds[i - 1] as number);
      return lower + (upper - lower) * ((rank - cumulative) / count);
    }
    cumulative += count;
  }
  return h.bounds[h.bounds.length - 1] ?? Number.NaN;
}

/**
 * One-sided Mann–Whitney U test on two bucketed samples over the same bounds: is `x` stochastically
 * larger than `y`? Values sharing a bucket are ties (mid-ranks). U_x = R_x − n_x(n_x+1)/2;
 * z = (U_x − n_x·n_y/2 − ½) / σ with the tie-corrected σ² = n_x·n_y/12 · (N+1 − Σ(t³−t)/(N(N−1)));
 * p = P(Z > z). Matches `scipy.stats.mannwhitneyu(x, y, alternative='greater', method='asymptotic')`
 * on the same (tied) values. Reference: Mann & Whitney (1947); tie correction per Lehmann,
 * Nonparametrics (1975). O(buckets).
 */
export function mannWhitneyGreater(x: BucketedHistogram, y: BucketedHistogram, survival: (z: number) => number): { u: number; z: number; pValue: number } {
  checkHistogram(x, 'x');
  checkHistogram(y, 'y');
  if (x.bounds.length !== y.bounds.length || x.bounds.some((b, i) => b !== y.bounds[i])) {
    throw new Error('mannWhitneyGreater requires both histograms to have the same bounds');
  }
  const nx = histogramTotal(x);
  const ny = histogramTotal(y);
  if (nx === 0 || ny === 0) throw new Error('mannWhitneyGreater requires at least 1 value in each histogram');
  const n = nx + ny;
  let before = 0;
  let rankSumX = 0;
  let tieTerm = 0;
  for (let i = 0; i < x.counts.length; i++) {
    const cx = x.counts[i] as number;
    const t = cx + (y.counts[i] as number);
    rankSumX += cx * (before + (t + 1) / 2);
    tieTerm += t * t * t - t;
    before += t;
  }
  const u = rankSumX - (nx * (nx + 1)) / 2;
  const variance = ((nx * ny) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return { u, z: 0, pValue: 1 };
  const z = (u - (nx * ny) / 2 - 0.5) / Math.sqrt(variance);
  return { u, z, pValue: survival(z) };
}
