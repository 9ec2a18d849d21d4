/**
 * The churn model: the feature encoder plus a logistic regression over the
 * encoded columns. Plain data, so it serialises straight into model.json.
 */
import type { ChurnFeatures, LabelledRow } from '../data/generate.js';
import type { EncoderData, EncoderSpec } from './encoder.js';
import { encodeRow, encodedColumnNames, encodedWidth, fitEncoder, validateEncoder } from './encoder.js';
import type { LogisticRegressionOptions } from './logistic-regression.js';
import { fitLogisticRegression, logisticProbability } from './logistic-regression.js';

/**
 * How the model sees the features. `senior_citizen` is a 0/1 code and is
 * one-hot encoded like the other categoricals ("0" / "1").
 */
export const CHURN_ENCODER_SPEC: EncoderSpec = {
  numeric: ['tenure', 'monthly_charges', 'total_charges'],
  categorical: ['contract', 'payment_method', 'internet_service', 'senior_citizen'],
};

/** Probability at or above which the model predicts churn = 1. */
export const CHURN_THRESHOLD = 0.5;

export interface ChurnModel {
  encoder: EncoderData;
  intercept: number;
  /** one weight per encoded column, in {@link encodedColumnNames} order */
  weights: number[];
}

export interface TrainChurnModelResult {
  model: ChurnModel;
  iterations: number;
  converged: boolean;
}

/** Fits the encoder and the logistic regression on labelled rows. O(n·d²) per Newton step. */
export function trainChurnModel(rows: readonly LabelledRow[], options: LogisticRegressionOptions = {}): TrainChurnModelResult {
  const featureRows = rows.map((r) => r.features as unknown as Readonly<Record<string, unknown>>);
  const encoder = fitEncoder(featureRows, CHURN_ENCODER_SPEC);
  const x = featureRows.map((row) => encodeRow(encoder, row));
  const fit = fitLogisticRegression(
    x,
    rows.map((r) => r.churn),
    options,
  );
  return { model: { encoder, intercept: fit.intercept, weights: fit.weights }, iterations: fit.iterations, converged: fit.converged };
}

/**
 * P(churn = 1) for one request row. Accepts any object: missing or
 * malformed values are imputed by the encoder (see encoder.ts). O(d).
 */
export function predictChurnProbability(model: ChurnModel, features: Readonly<Record<string, unknown>> | ChurnFeatures): number {
  return logisticProbability(model.intercept, model.weights, encodeRow(model.encoder, features as Readonly<Record<string, unknown>>));
}

/** The weights by encoded column name, for reports. */
export function namedWeights(model: ChurnModel): Record<string, number> {
  const names = encodedColumnNames(model.encoder);
  return Object.fromEntries(names.map((name, i) => [name, model.weights[i] as number]));
}

/** Checks that `value` is a well-formed {@link ChurnModel}; throws an Error naming the bad field. */
export function validateChurnModel(value: unknown, field = 'model'): ChurnModel {
  if (typeof value !== 'object' || value === null) throw new Error(`${field} must be an object`);
  const data = value as Record<string, unknown>;
  const encoder = validateEncoder(data.encoder, `${field}.encoder`);
  if (typeof data.intercept !== 'number' || !Number.isFinite(data.intercept)) throw new Error(`${field}.intercept must be a finite number`);
  const weights = data.weights;
  if (!Array.isArray(weights) || !weights.every((w) => typeof w === 'number' && Number.isFinite(w))) {
    throw new Error(`${field}.weights must be an array of finite numbers`);
  }
  if (weights.length !== encodedWidth(encoder)) {
    throw new Error(`${field}.weights has ${weights.length} entries but the encoder produces ${encodedWidth(encoder)} columns`);
  }
  return { encoder, intercept: data.intercept, weights: weights as number[] };
}
