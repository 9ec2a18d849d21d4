import { describe, expect, it } from 'vitest';
import { generateChurnData } from '../data/generate.js';
import { namedWeights, predictChurnProbability, trainChurnModel, validateChurnModel } from './churn-model.js';
import { accuracy, majorityBaselineAccuracy, rocAuc } from './metrics.js';

const train = generateChurnData({ rows: 3000, seed: 21 });
const holdout = generateChurnData({ rows: 3000, seed: 22 });
const { model, converged } = trainChurnModel(train);

describe('trainChurnModel', () => {
  it('learns something: held-out AUC > 0.75 and accuracy above the majority baseline', () => {
    expect(converged).toBe(true);
    const labels = holdout.map((r) => r.churn);
    const scores = holdout.map((r) => predictChurnProbability(model, r.features));
    expect(rocAuc(labels, scores)).toBeGreaterThan(0.75);
    expect(accuracy(labels, scores)).toBeGreaterThan(majorityBaselineAccuracy(labels) + 0.02);
  });

  it('finds the directions of the generative model', () => {
    const w = namedWeights(model);
    const weight = (name: string): number => {
      const value = w[name];
      if (value === undefined) throw new Error(`no weight ${name}`);
      return value;
    };
    expect(weight('contract=Month-to-month')).toBeGreaterThan(weight('contract=Two year'));
    expect(weight('internet_service=Fiber optic')).toBeGreaterThan(weight('internet_service=DSL'));
    expect(weight('payment_method=Electronic check')).toBeGreaterThan(weight('payment_method=Credit card (automatic)'));
    expect(weight('senior_citizen=1')).toBeGreaterThan(weight('senior_citizen=0'));
    expect(weight('tenure')).toBeLessThan(0);
  });

  it('scores rows with unseen categories and missing values', () => {
    const p = predictChurnProbability(model, { tenure: 3, monthly_charges: 90, payment_method: 'Crypto wallet', contract: 'Month-to-month' });
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1);
    expect(predictChurnProbability(model, {})).toBeGreaterThan(0);
  });

  it('round-trips through JSON and validation', () => {
    const copy = validateChurnModel(JSON.parse(JSON.stringify(model)));
    const features = holdout[0]?.features;
    if (!features) throw new Error('no holdout row');
    expect(predictChurnProbability(copy, features)).toBe(predictChurnProbability(model, features));
    expect(() => validateChurnModel({ ...model, weights: [1] })).toThrow(/model.weights has 1 entries but the encoder produces/);
    expect(() => validateChurnModel({ ...model, intercept: 'x' })).toThrow('model.intercept must be a finite number');
  });
});
