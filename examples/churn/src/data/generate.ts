/**
 * A synthetic telco-churn data set, shaped after the public IBM "Telco
 * Customer Churn" sample: a handful of account features and a churn label.
 *
 * The generative model (documented in examples/churn/README.md) is:
 *
 * 1. `senior_citizen` ~ Bernoulli(0.16)
 * 2. `contract` ~ Categorical(Month-to-month 0.55, One year 0.21, Two year 0.24)
 * 3. `tenure` (whole months, clamped to 0–72) depends on the contract:
 *    Month-to-month ~ Exponential(mean 16); One year ~ Normal(38, 17);
 *    Two year ~ Normal(56, 13)
 * 4. `internet_service` ~ Categorical(DSL 0.34, Fiber optic 0.44, No 0.22)
 * 5. `monthly_charges` (USD) depends on the internet service:
 *    No ~ Normal(21, 2.5) clamped to [18, 30]; DSL ~ Normal(58, 12) clamped to
 *    [25, 95]; Fiber optic ~ Normal(92, 13) clamped to [65, 120]
 * 6. `payment_method` depends on the contract: month-to-month customers pay
 *    by electronic check far more often (weights in {@link PAYMENT_WEIGHTS})
 * 7. `total_charges` = tenure × monthly_charges × (1 + ε), ε ~ Normal(0, 0.05)
 *    clamped to [−0.2, 0.2] (past prices varied), never negative
 * 8. `churn` ~ Bernoulli(σ(η)) where η is the linear predictor of a
 *    {@link ChurnRelation} ({@link BASELINE_RELATION} for normal traffic).
 *
 * Features and labels are drawn from separate random streams (see
 * {@link generateChurnData}), so two scenarios with the same seed share the
 * same customers and differ only where the scenario says they do.
 */
import type { Random } from './random.js';
import { createRandom, deriveSeed } from './random.js';

export const CONTRACTS = ['Month-to-month', 'One year', 'Two year'] as const;
export const PAYMENT_METHODS = ['Electronic check', 'Mailed check', 'Bank transfer (automatic)', 'Credit card (automatic)'] as const;
export const INTERNET_SERVICES = ['DSL', 'Fiber optic', 'No'] as const;

export type Contract = (typeof CONTRACTS)[number];
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export type InternetService = (typeof INTERNET_SERVICES)[number];

/**
 * One customer's features, as a model server receives them. Categorical
 * fields are plain strings because traffic scenarios may send values the
 * training data never had (e.g. a new payment method).
 */
export interface ChurnFeatures {
  /** months as a customer, 0–72 */
  tenure: number;
  /** current monthly bill, USD */
  monthly_charges: number;
  /** billed so far, USD (≈ tenure × monthly_charges) */
  total_charges: number;
  contract: string;
  payment_method: string;
  internet_service: string;
  /** 1 for customers aged 65 or more, else 0 (coded as in the IBM data set) */
  senior_citizen: 0 | 1;
}

/** A customer with the label that eventually becomes known: 1 = churned. */
export interface LabelledRow {
  features: ChurnFeatures;
  churn: 0 | 1;
}

/**
 * The log-odds of churn as a linear function of the features:
 * η = intercept + contract[c] + internet_service[i] + payment_method[p]
 *     + senior_citizen · s + monthlyCharges · (monthly_charges − 65)
 *     + tenure · (tenure − 24).
 * A category missing from a table contributes 0.
 */
export interface ChurnRelation {
  intercept: number;
  contract: Readonly<Record<string, number>>;
  internet_service: Readonly<Record<string, number>>;
  payment_method: Readonly<Record<string, number>>;
  senior_citizen: number;
  /** per USD of monthly charges above 65 */
  monthlyCharges: number;
  /** per month of tenure above 24 */
  tenure: number;
}

/**
 * The relation of normal traffic: month-to-month contracts, fiber, electronic
 * checks, high charges, short tenure and senior customers all raise churn.
 * The intercept is calibrated so that about 25% of generated customers churn.
 * "Crypto wallet" is not in the training data; its coefficient is the world's
 * truth for the `new-category` scenario.
 */
export const BASELINE_RELATION: ChurnRelation = {
  intercept: -2.2,
  contract: { 'Month-to-month': 1.0, 'One year': -0.3, 'Two year': -1.4 },
  internet_service: { DSL: 0, 'Fiber optic': 0.7, No: -0.6 },
  payment_method: {
    'Electronic check': 0.6,
    'Mailed check': 0,
    'Bank transfer (automatic)': -0.15,
    'Credit card (automatic)': -0.15,
    'Crypto wallet': 0.9,
  },
  senior_citizen: 0.45,
  monthlyCharges: 0.012,
  tenure: -0.035,
};

/** Payment-method weights, in the order of {@link PAYMENT_METHODS}, by contract. */
export const PAYMENT_WEIGHTS: Readonly<Record<Contract, readonly number[]>> = {
  'Month-to-month': [0.45, 0.2, 0.17, 0.18],
  'One year': [0.15, 0.25, 0.3, 0.3],
  'Two year': [0.1, 0.25, 0.32, 0.33],
};

const CONTRACT_WEIGHTS = [0.55, 0.21, 0.24] as const;
const INTERNET_WEIGHTS = [0.34, 0.44, 0.22] as const;
const SENIOR_SHARE = 0.16;
const MAX_TENURE_MONTHS = 72;

const clamp = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));
const cents = (value: number): number => Math.round(value * 100) / 100;

function sampleTenure(random: Random, contract: Contract): number {
  const months =
    contract === 'Month-to-month' ? random.exponential(16) : contract === 'One year' ? random.normal(38, 17) : random.normal(56, 13);
  return clamp(Math.round(months), 0, MAX_TENURE_MONTHS);
}

function sampleMonthlyCharges(random: Random, internet: InternetService): number {
  if (internet === 'No') return clamp(random.normal(21, 2.5), 18, 30);
  if (internet === 'DSL') return clamp(random.normal(58, 12), 25, 95);
  return clamp(random.normal(92, 13), 65, 120);
}

export interface SampleFeaturesOptions {
  /**
   * Multiplies the monthly charges before total charges are derived from them
   * (a price change); 1 = no change. Because total charges are computed from
   * the multiplied value, they shift by the same factor.
   */
  monthlyChargesFactor?: number;
}

/**
 * Draws one customer's features (steps 1–7 of the generative model).
 * Always consumes the same number of draws from `random`, whatever the
 * options, so that streams stay aligned across scenarios. O(1).
 */
export function sampleFeatures(random: Random, options: SampleFeaturesOptions = {}): ChurnFeatures {
  const factor = options.monthlyChargesFactor ?? 1;
  const senior = random.bernoulli(SENIOR_SHARE);
  const contract = random.pick(CONTRACTS, CONTRACT_WEIGHTS);
  const tenure = sampleTenure(random, contract);
  const internet = random.pick(INTERNET_SERVICES, INTERNET_WEIGHTS);
  const monthly = cents(sampleMonthlyCharges(random, internet) * factor);
  const payment = random.pick(PAYMENT_METHODS, PAYMENT_WEIGHTS[contract]);
  const historyNoise = clamp(random.normal(0, 0.05), -0.2, 0.2);
  return {
    tenure,
    monthly_charges: monthly,
    total_charges: cents(Math.max(0, tenure * monthly * (1 + historyNoise))),
    contract,
    payment_method: payment,
    internet_service: internet,
    senior_citizen: senior,
  };
}

/** The linear predictor η of `relation` at `features` (see {@link ChurnRelation}). O(1). */
export function churnLogit(features: ChurnFeatures, relation: ChurnRelation): number {
  return (
    relation.intercept +
    (relation.contract[features.contract] ?? 0) +
    (relation.internet_service[features.internet_service] ?? 0) +
    (relation.payment_method[features.payment_method] ?? 0) +
    relation.senior_citizen * features.senior_citizen +
    relation.monthlyCharges * (features.monthly_charges - 65) +
    relation.tenure * (features.tenure - 24)
  );
}

/** P(churn = 1 | features) = σ(η) = 1 / (1 + e^−η). O(1). */
export function churnProbability(features: ChurnFeatures, relation: ChurnRelation): number {
  return 1 / (1 + Math.exp(-churnLogit(features, relation)));
}

/** Draws the churn label of one customer from `relation` (step 8). O(1). */
export function sampleLabel(random: Random, features: ChurnFeatures, relation: ChurnRelation): 0 | 1 {
  return random.bernoulli(churnProbability(features, relation));
}

/** Sub-stream ids used with {@link deriveSeed}. */
export const FEATURE_STREAM = 1;
export const LABEL_STREAM = 2;

export interface GenerateOptions {
  /** number of customers, ≥ 1 */
  rows: number;
  /** any integer; the same seed gives the same data */
  seed: number;
  /** the label relation; {@link BASELINE_RELATION} by default */
  relation?: ChurnRelation;
}

/**
 * Generates `rows` labelled customers. Features come from the stream
 * `deriveSeed(seed, FEATURE_STREAM)`, labels from `deriveSeed(seed, LABEL_STREAM)`.
 * O(rows).
 */
export function generateChurnData(options: GenerateOptions): LabelledRow[] {
  const { rows, seed } = options;
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`generateChurnData: rows must be a positive integer, got ${rows}`);
  const relation = options.relation ?? BASELINE_RELATION;
  const featureRandom = createRandom(deriveSeed(seed, FEATURE_STREAM));
  const labelRandom = createRandom(deriveSeed(seed, LABEL_STREAM));
  const out: LabelledRow[] = [];
  for (let i = 0; i < rows; i++) {
    const features = sampleFeatures(featureRandom);
    out.push({ features, churn: sampleLabel(labelRandom, features, relation) });
  }
  return out;
}
