/**
 * Seeded feature rows for the alerting end-to-end test: five features and a score that depends on four
 * of them, in three distributions.
 *
 * - `baseline`: the reference distribution. x1..x4 ~ Normal(0, 1) truncated to [-3, 3]; segment a/b/c
 *   with weights 0.5/0.3/0.2.
 * - `strong`: a covariate shift of four of the five features (x1 +1σ, x2 +1σ, x3 −1σ, segment
 *   weights 0.2/0.3/0.5), and so of the score. Values stay inside [-2.5, 2.5], within the reference's range,
 *   so the drift is a drift and not an out-of-range data-quality problem.
 * - `minor`: x4 alone moves by +0.5σ (inside [-2.5, 2.5]); the score does not read x4, so the
 *   predictions do not drift and the dataset drift share is 1/5.
 */
import type { FeatureSchema } from '@driftwatch/stats';

export type DriftMode = 'baseline' | 'strong' | 'minor';

export interface ScenarioRow {
  readonly x1: number;
  readonly x2: number;
  readonly x3: number;
  readonly x4: number;
  readonly segment: string;
}

export const SCENARIO_SCHEMA: FeatureSchema = { x1: 'numeric', x2: 'numeric', x3: 'numeric', x4: 'numeric', segment: 'categorical' };
export const SCENARIO_FEATURES = Object.keys(SCENARIO_SCHEMA);

/** mulberry32: a small, fast, seeded uniform generator in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function truncatedNormal(random: () => number, mean: number, lo: number, hi: number): number {
  for (;;) {
    const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    const x = mean + z;
    if (x >= lo && x <= hi) return x;
  }
}

function pick(random: () => number, weights: readonly [number, number, number]): string {
  const u = random();
  return u < weights[0] ? 'a' : u < weights[0] + weights[1] ? 'b' : 'c';
}

/** A generator of rows; `mode` may change between calls. */
export function scenarioRowSource(seed: number): (mode: DriftMode) => ScenarioRow {
  const random = seededRandom(seed);
  return (mode) => {
    if (mode === 'baseline') {
      return {
        x1: truncatedNormal(random, 0, -3, 3),
        x2: truncatedNormal(random, 0, -3, 3),
        x3: truncatedNormal(random, 0, -3, 3),
        x4: truncatedNormal(random, 0, -3, 3),
        segment: pick(random, [0.5, 0.3, 0.2]),
      };
    }
    if (mode === 'strong') {
      return {
        x1: truncatedNormal(random, 1, -2.5, 2.5),
        x2: truncatedNormal(random, 1, -2.5, 2.5),
        x3: truncatedNormal(random, -1, -2.5, 2.5),
        x4: truncatedNormal(random, 0, -3, 3),
        segment: pick(random, [0.2, 0.3, 0.5]),
      };
    }
    return {
      x1: truncatedNormal(random, 0, -3, 3),
      x2: truncatedNormal(random, 0, -3, 3),
      x3: truncatedNormal(random, 0, -3, 3),
      x4: truncatedNormal(random, 0.5, -2.5, 2.5),
      segment: pick(random, [0.5, 0.3, 0.2]),
    };
  };
}

const SEGMENT_EFFECT: Readonly<Record<string, number>> = { a: 0, b: 0.3, c: -0.3 };

/** The model: a logistic score of x1, x2, x3 and the segment (x4 is not used). */
export function scenarioScore(row: ScenarioRow): number {
  const z = 0.8 * row.x1 + 0.5 * row.x2 - 0.5 * row.x3 + (SEGMENT_EFFECT[row.segment] ?? 0);
  return 1 / (1 + Math.exp(-z));
}
