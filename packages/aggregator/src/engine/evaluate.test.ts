import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/resolve-config.js';
import { HistogramAccumulator } from '../sketch/histogram-accumulator.js';
import { bucketsView } from '../sketch/histogram-view.js';
import { AggregatorState } from '../state/aggregator-state.js';
import { evaluate, histogramSketch } from './evaluate.js';

const NOW = 1_700_000_000_000;

/** A window accumulator as a broken producer can leave it: valid buckets, contradictory min/max or a NaN sum. */
function broken(fields: { min?: number; max?: number; sum?: number }): HistogramAccumulator {
  const h = new HistogramAccumulator();
  h.merge({ scale: 0, zeroCount: 0, zeroThreshold: 0, count: 6, sum: 8, min: 1.1, max: 1.9, positive: bucketsView(0, [6]), negative: bucketsView(0, []) });
  Object.assign(h, fields);
  return h;
}

describe('evaluate on windows a bad producer left behind', () => {
  it('histogramSketch falls back to the buckets for min > max and a non-finite sum', () => {
    const a = histogramSketch(broken({ min: 1000, max: 2 }));
    expect(a.count).toBe(6);
    expect(a.min).toBeLessThanOrEqual(a.max);
    const b = histogramSketch(broken({ sum: NaN }));
    expect(b.sum).toBeGreaterThan(6 * 1); // bucket (1, 2] midpoint estimate
    expect(b.sum).toBeLessThan(6 * 2);
  });

  it('evaluates every feature, the broken one included, instead of throwing', () => {
    const state = new AggregatorState(resolveConfig({}));
    const v = state.admitVersion('churn', '3', NOW);
    if (typeof v === 'string') throw new Error(v);
    state.slice(state.featureNumeric(v, 'bad'), NOW).merge(broken({ min: 5, max: 1, sum: NaN }));
    state.slice(state.featureNumeric(v, 'good'), NOW).merge(broken({}));
    const result = evaluate(state, NOW);
    const features = result.models[0]?.versions[0]?.windows[0]?.features ?? [];
    expect(features.map((f) => [f.feature, f.samples])).toEqual([
      ['bad', 6],
      ['good', 6],
    ]);
  });
});
