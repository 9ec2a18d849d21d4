import { describe, expect, it } from 'vitest';
import type { LabelledRow } from './generate.js';
import {
  BASELINE_RELATION,
  CONTRACTS,
  INTERNET_SERVICES,
  PAYMENT_METHODS,
  churnProbability,
  generateChurnData,
} from './generate.js';

const rows = generateChurnData({ rows: 20_000, seed: 11 });

const churnRate = (subset: readonly LabelledRow[]): number => subset.reduce((s, r) => s + r.churn, 0) / subset.length;
const where = (predicate: (r: LabelledRow) => boolean): LabelledRow[] => rows.filter(predicate);
const meanOf = (subset: readonly LabelledRow[], f: (r: LabelledRow) => number): number =>
  subset.reduce((s, r) => s + f(r), 0) / subset.length;

describe('generateChurnData', () => {
  it('is deterministic for a seed', () => {
    expect(generateChurnData({ rows: 50, seed: 5 })).toEqual(generateChurnData({ rows: 50, seed: 5 }));
    expect(generateChurnData({ rows: 50, seed: 5 })).not.toEqual(generateChurnData({ rows: 50, seed: 6 }));
  });

  it('keeps every column in its documented range and vocabulary', () => {
    const violations = rows.filter(({ features: f, churn }) => {
      const ok =
        Number.isInteger(f.tenure) &&
        f.tenure >= 0 &&
        f.tenure <= 72 &&
        f.monthly_charges >= 18 &&
        f.monthly_charges <= 120 &&
        f.total_charges >= 0 &&
        Math.abs(f.total_charges - f.tenure * f.monthly_charges) <= 0.2 * f.tenure * f.monthly_charges + 0.01 &&
        (CONTRACTS as readonly string[]).includes(f.contract) &&
        (PAYMENT_METHODS as readonly string[]).includes(f.payment_method) &&
        (INTERNET_SERVICES as readonly string[]).includes(f.internet_service) &&
        (f.senior_citizen === 0 || f.senior_citizen === 1) &&
        (churn === 0 || churn === 1);
      return !ok;
    });
    expect(violations).toEqual([]);
    // every value of every categorical column occurs
    expect(new Set(rows.map((r) => r.features.payment_method)).size).toBe(PAYMENT_METHODS.length);
    expect(new Set(rows.map((r) => r.features.contract)).size).toBe(CONTRACTS.length);
    expect(new Set(rows.map((r) => r.features.internet_service)).size).toBe(INTERNET_SERVICES.length);
  });

  it('has a churn base rate near 25%', () => {
    const rate = churnRate(rows);
    expect(rate).toBeGreaterThan(0.22);
    expect(rate).toBeLessThan(0.28);
  });

  it('prices by internet service and lengthens tenure with the contract', () => {
    const monthly = (service: string): number => meanOf(where((r) => r.features.internet_service === service), (r) => r.features.monthly_charges);
    expect(monthly('No')).toBeLessThan(monthly('DSL'));
    expect(monthly('DSL')).toBeLessThan(monthly('Fiber optic'));
    const tenure = (contract: string): number => meanOf(where((r) => r.features.contract === contract), (r) => r.features.tenure);
    expect(tenure('Month-to-month')).toBeLessThan(tenure('One year'));
    expect(tenure('One year')).toBeLessThan(tenure('Two year'));
  });

  it('raises churn for month-to-month, fiber, electronic check, seniors and short tenure', () => {
    const rate = (predicate: (r: LabelledRow) => boolean): number => churnRate(where(predicate));
    expect(rate((r) => r.features.contract === 'Month-to-month')).toBeGreaterThan(rate((r) => r.features.contract === 'Two year') + 0.2);
    expect(rate((r) => r.features.internet_service === 'Fiber optic')).toBeGreaterThan(rate((r) => r.features.internet_service === 'DSL'));
    expect(rate((r) => r.features.payment_method === 'Electronic check')).toBeGreaterThan(
      rate((r) => r.features.payment_method === 'Credit card (automatic)'),
    );
    expect(rate((r) => r.features.senior_citizen === 1)).toBeGreaterThan(rate((r) => r.features.senior_citizen === 0));
    expect(rate((r) => r.features.tenure < 12)).toBeGreaterThan(rate((r) => r.features.tenure >= 48));
  });

  it('computes the documented logistic probability', () => {
    const features = {
      tenure: 24,
      monthly_charges: 65,
      total_charges: 1560,
      contract: 'Month-to-month',
      payment_method: 'Mailed check',
      internet_service: 'DSL',
      senior_citizen: 0 as const,
    };
    // every term but the intercept and the month-to-month effect is zero here
    const eta = BASELINE_RELATION.intercept + (BASELINE_RELATION.contract['Month-to-month'] ?? Number.NaN);
    expect(churnProbability(features, BASELINE_RELATION)).toBeCloseTo(1 / (1 + Math.exp(-eta)), 12);
  });

  it('rejects a bad row count', () => {
    expect(() => generateChurnData({ rows: 0, seed: 1 })).toThrow(/rows must be a positive integer/);
  });
});
