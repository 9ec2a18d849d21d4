import { describe, expect, it } from 'vitest';
import type { DriftResult } from '../types.js';
import { datasetDrift } from './dataset-drift.js';

const result = (drifted: boolean): DriftResult => ({ method: 'psi', statistic: drifted ? 0.3 : 0.01, threshold: 0.1, drifted });

describe('datasetDrift', () => {
  it('drifts when the drifted share reaches the configured share (≥, Evidently)', () => {
    expect(datasetDrift([result(true), result(false)])).toEqual({ share: 0.5, drifted: true, driftedCount: 1, total: 2 });
    expect(datasetDrift([result(true), result(false), result(false)])).toMatchObject({ drifted: false, driftedCount: 1, total: 3 });
    expect(datasetDrift([result(true), result(false), result(false)], { share: 0.3 }).drifted).toBe(true);
    expect(datasetDrift([result(false)], { share: 0 }).drifted).toBe(true);
  });
  it('rejects empty input and bad shares', () => {
    expect(() => datasetDrift([])).toThrow('datasetDrift requires at least 1 feature result');
    expect(() => datasetDrift([result(true)], { share: 1.5 })).toThrow('datasetDrift: options.share must be a number in [0, 1], got 1.5');
  });
});
