/**
 * Traffic scenarios: named, seeded, pure generators of the requests a
 * model server receives, each with the churn label that becomes known later
 * (sent as feedback). Every scenario draws its customers from the same
 * feature stream as `no-drift`, so for one seed the scenarios differ only in
 * what the scenario changes.
 *
 * | scenario | what changes |
 * |---|---|
 * | `no-drift` | nothing: the training distribution and label relation |
 * | `shift` | `monthly_charges` × 1.15 (a price rise); `total_charges` is derived from it and shifts by the same factor; labels follow the unchanged relation (covariate shift) |
 * | `concept` | features unchanged; churn follows {@link CONCEPT_RELATION} instead of the baseline (concept drift) |
 * | `outage` | traffic stops (after `outageAfterRows` normal rows, 0 by default) |
 * | `new-category` | a share of rows (30% by default) pay by "Crypto wallet", a payment method the model never saw |
 */
import type { ChurnRelation, LabelledRow } from './data/generate.js';
import { BASELINE_RELATION, FEATURE_STREAM, LABEL_STREAM, sampleFeatures, sampleLabel } from './data/generate.js';
import { createRandom, deriveSeed } from './data/random.js';

export const SCENARIO_NAMES = ['no-drift', 'shift', 'concept', 'outage', 'new-category'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** One line per scenario, for CLI help and reports. */
export const SCENARIO_DESCRIPTIONS: Readonly<Record<ScenarioName, string>> = {
  'no-drift': 'requests from the training distribution',
  shift: 'monthly_charges +15% (total_charges follows); the label relation is unchanged',
  concept: 'same features, but churn is now driven by tenure and DSL service (a competitor targets loyal DSL customers)',
  outage: 'traffic stops',
  'new-category': 'a share of requests pay by "Crypto wallet", a payment method unseen in training',
};

/**
 * The label relation of the `concept` scenario: a competitor's fibre launch
 * wins over long-standing DSL customers. Tenure now raises churn, DSL is the
 * riskiest service, contracts matter much less and payment method, age and
 * price not at all. The intercept keeps the churn rate near the baseline's
 * ~25%, so the drift is invisible in the label rate and in every feature
 * distribution, and shows only in the model's live accuracy and AUC.
 */
export const CONCEPT_RELATION: ChurnRelation = {
  intercept: -1.55,
  contract: { 'Month-to-month': -0.2, 'One year': 0.3, 'Two year': 0.1 },
  internet_service: { DSL: 1.4, 'Fiber optic': -0.6, No: -0.9 },
  payment_method: {},
  senior_citizen: 0,
  monthlyCharges: 0,
  tenure: 0.03,
};

export const DEFAULT_MONTHLY_CHARGES_FACTOR = 1.15;
export const DEFAULT_NEW_CATEGORY_SHARE = 0.3;
export const DEFAULT_NEW_PAYMENT_METHOD = 'Crypto wallet';

/** Sub-stream of scenario-specific draws (which rows get the new category). */
const SCENARIO_STREAM = 3;

export interface ScenarioOptions {
  /** any integer; the same seed and options give the same requests */
  seed: number;
  /** `shift`: factor applied to monthly_charges; default 1.15 */
  monthlyChargesFactor?: number;
  /** `new-category`: share of rows with the new payment method, in [0, 1]; default 0.3 */
  newCategoryShare?: number;
  /** `new-category`: the new payment method; default "Crypto wallet" */
  newPaymentMethod?: string;
  /** `outage`: normal rows before traffic stops; default 0 */
  outageAfterRows?: number;
}

export function isScenarioName(value: string): value is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(value);
}

/**
 * The requests of a scenario, in order. Infinite, except `outage`, which ends
 * after `outageAfterRows` rows. Each row costs O(1).
 * Throws at call time for an unknown scenario or bad options.
 */
export function scenarioRows(name: ScenarioName, options: ScenarioOptions): Generator<LabelledRow, void, undefined> {
  if (!isScenarioName(name)) throw new Error(`unknown scenario "${String(name)}" (known: ${SCENARIO_NAMES.join(', ')})`);
  const factor = options.monthlyChargesFactor ?? DEFAULT_MONTHLY_CHARGES_FACTOR;
  if (!(factor > 0) || !Number.isFinite(factor)) throw new Error(`scenario option monthlyChargesFactor must be a positive number, got ${factor}`);
  const share = options.newCategoryShare ?? DEFAULT_NEW_CATEGORY_SHARE;
  if (!(share >= 0 && share <= 1)) throw new Error(`scenario option newCategoryShare must be in [0, 1], got ${share}`);
  const newPaymentMethod = options.newPaymentMethod ?? DEFAULT_NEW_PAYMENT_METHOD;
  if (newPaymentMethod === '') throw new Error('scenario option newPaymentMethod must be a non-empty string');
  const outageAfterRows = options.outageAfterRows ?? 0;
  if (!Number.isInteger(outageAfterRows) || outageAfterRows < 0) {
    throw new Error(`scenario option outageAfterRows must be a non-negative integer, got ${outageAfterRows}`);
  }
  return generate(name, options.seed, { factor, share, newPaymentMethod, outageAfterRows });
}

function* generate(
  name: ScenarioName,
  seed: number,
  o: { factor: number; share: number; newPaymentMethod: string; outageAfterRows: number },
): Generator<LabelledRow, void, undefined> {
  const featureRandom = createRandom(deriveSeed(seed, FEATURE_STREAM));
  const labelRandom = createRandom(deriveSeed(seed, LABEL_STREAM));
  const scenarioRandom = createRandom(deriveSeed(seed, SCENARIO_STREAM));
  const relation = name === 'concept' ? CONCEPT_RELATION : BASELINE_RELATION;
  for (let row = 0; name !== 'outage' || row < o.outageAfterRows; row++) {
    const features = sampleFeatures(featureRandom, { monthlyChargesFactor: name === 'shift' ? o.factor : 1 });
    if (name === 'new-category' && scenarioRandom.uniform() < o.share) features.payment_method = o.newPaymentMethod;
    yield { features, churn: sampleLabel(labelRandom, features, relation) };
  }
}

/** The first `count` rows of a scenario (fewer if it ends first). O(count). */
export function takeScenarioRows(name: ScenarioName, options: ScenarioOptions, count: number): LabelledRow[] {
  const out: LabelledRow[] = [];
  if (count <= 0) return out;
  for (const row of scenarioRows(name, options)) {
    out.push(row);
    if (out.length >= count) break;
  }
  return out;
}
