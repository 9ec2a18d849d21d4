import { describe, expect, it } from 'vitest';
import type { LabelledRow } from './data/generate.js';
import { BASELINE_RELATION, churnProbability } from './data/generate.js';
import { CONCEPT_RELATION, SCENARIO_NAMES, isScenarioName, scenarioRows, takeScenarioRows } from './scenarios.js';

const N = 5000;
const base = takeScenarioRows('no-drift', { seed: 3 }, N);
const mean = (rows: readonly LabelledRow[], f: (r: LabelledRow) => number): number => rows.reduce((s, r) => s + f(r), 0) / rows.length;
const shareOf = (rows: readonly LabelledRow[], key: 'contract' | 'payment_method', value: string): number =>
  rows.filter((r) => r.features[key] === value).length / rows.length;

describe('scenarioRows', () => {
  it('is deterministic for a seed and varies with it', () => {
    expect(takeScenarioRows('no-drift', { seed: 3 }, 20)).toEqual(base.slice(0, 20));
    expect(takeScenarioRows('no-drift', { seed: 4 }, 20)).not.toEqual(base.slice(0, 20));
  });

  it('shift raises monthly_charges (and total_charges) by ~15% and leaves the contract mix unchanged', () => {
    const shifted = takeScenarioRows('shift', { seed: 3 }, N);
    const ratio = mean(shifted, (r) => r.features.monthly_charges) / mean(base, (r) => r.features.monthly_charges);
    expect(ratio).toBeGreaterThan(1.14);
    expect(ratio).toBeLessThan(1.16);
    const totalRatio = mean(shifted, (r) => r.features.total_charges) / mean(base, (r) => r.features.total_charges);
    expect(totalRatio).toBeGreaterThan(1.14);
    expect(totalRatio).toBeLessThan(1.16);
    for (const contract of ['Month-to-month', 'One year', 'Two year']) {
      expect(shareOf(shifted, 'contract', contract)).toBe(shareOf(base, 'contract', contract));
    }
    // same customers: only the charges moved
    shifted.slice(0, 100).forEach((row, i) => {
      const { monthly_charges: _m, total_charges: _t, ...rest } = row.features;
      const { monthly_charges: _bm, total_charges: _bt, ...baseRest } = (base[i] as LabelledRow).features;
      expect(rest).toEqual(baseRest);
    });
  });

  it('shift honours a custom factor', () => {
    const shifted = takeScenarioRows('shift', { seed: 3, monthlyChargesFactor: 0.5 }, 500);
    const ratio = mean(shifted, (r) => r.features.monthly_charges) / mean(base.slice(0, 500), (r) => r.features.monthly_charges);
    expect(ratio).toBeCloseTo(0.5, 2);
  });

  it('concept keeps the features identical but changes P(churn | x)', () => {
    const concept = takeScenarioRows('concept', { seed: 3 }, N);
    expect(concept.map((r) => r.features)).toEqual(base.map((r) => r.features));
    // the true probability of the same customer differs substantially…
    const gap = mean(concept, (r) => Math.abs(churnProbability(r.features, CONCEPT_RELATION) - churnProbability(r.features, BASELINE_RELATION)));
    expect(gap).toBeGreaterThan(0.15);
    // …and the observed labels follow the new relation: DSL customers now churn more than fiber customers
    const rate = (rows: readonly LabelledRow[], service: string): number => {
      const subset = rows.filter((r) => r.features.internet_service === service);
      return mean(subset, (r) => r.churn);
    };
    expect(rate(base, 'Fiber optic')).toBeGreaterThan(rate(base, 'DSL'));
    expect(rate(concept, 'DSL')).toBeGreaterThan(rate(concept, 'Fiber optic') + 0.2);
    // while the overall churn rate stays close
    expect(Math.abs(mean(concept, (r) => r.churn) - mean(base, (r) => r.churn))).toBeLessThan(0.04);
  });

  it('new-category adds the new payment method to about the requested share of rows', () => {
    const rows = takeScenarioRows('new-category', { seed: 3 }, N);
    expect(shareOf(rows, 'payment_method', 'Crypto wallet')).toBeGreaterThan(0.27);
    expect(shareOf(rows, 'payment_method', 'Crypto wallet')).toBeLessThan(0.33);
    expect(shareOf(base, 'payment_method', 'Crypto wallet')).toBe(0);
    const custom = takeScenarioRows('new-category', { seed: 3, newCategoryShare: 1, newPaymentMethod: 'Voucher' }, 50);
    expect(custom.every((r) => r.features.payment_method === 'Voucher')).toBe(true);
    // other columns are untouched
    expect(rows.map((r) => r.features.contract)).toEqual(base.map((r) => r.features.contract));
  });

  it('outage stops traffic, after the requested number of rows', () => {
    expect([...scenarioRows('outage', { seed: 3 })]).toEqual([]);
    const rows = [...scenarioRows('outage', { seed: 3, outageAfterRows: 7 })];
    expect(rows).toEqual(base.slice(0, 7));
  });

  it('every other scenario is endless', () => {
    for (const name of SCENARIO_NAMES.filter((n) => n !== 'outage')) {
      expect(takeScenarioRows(name, { seed: 1 }, 3000)).toHaveLength(3000);
    }
  });

  it('validates names and options', () => {
    expect(isScenarioName('shift')).toBe(true);
    expect(isScenarioName('drift')).toBe(false);
    expect(() => scenarioRows('drift' as never, { seed: 1 })).toThrow(/unknown scenario "drift"/);
    expect(() => scenarioRows('shift', { seed: 1, monthlyChargesFactor: 0 })).toThrow(/monthlyChargesFactor must be a positive number/);
    expect(() => scenarioRows('new-category', { seed: 1, newCategoryShare: 2 })).toThrow(/newCategoryShare must be in \[0, 1\]/);
    expect(() => scenarioRows('outage', { seed: 1, outageAfterRows: -1 })).toThrow(/outageAfterRows must be a non-negative integer/);
  });
});
