/**
 * What the monitoring sees: the feature schema passed to `monitor()` and to
 * `buildReferenceProfile`, so that live traffic and the reference profile are
 * sketched the same way.
 *
 * `senior_citizen` is `categorical`, not `boolean`: it is a 0/1 code (as in
 * the IBM Telco data set), and as a category it is recorded as the strings
 * "0" / "1" — exactly how the model's encoder reads it — so a client that
 * starts sending, say, 2 or "yes" shows up as a new category instead of a
 * type mismatch hidden inside a boolean.
 */
import type { FeatureSchema } from '@driftwatch/stats';

export const CHURN_FEATURE_SCHEMA: FeatureSchema = {
  tenure: 'numeric',
  monthly_charges: 'numeric',
  total_charges: 'numeric',
  contract: 'categorical',
  payment_method: 'categorical',
  internet_service: 'categorical',
  senior_citizen: 'categorical',
};

/**
 * The model's outputs as profiled: the churn probability (`ml.output.name=score`) and the predicted class at the
 * model's threshold (`class`, the categories "0"/"1" that the SDK counts as `ml.model.output.class`).
 */
export const CHURN_OUTPUT_SCHEMA: FeatureSchema = { score: 'numeric', class: 'categorical' };

/** `ml.model.name` of the example. */
export const CHURN_MODEL_NAME = 'churn';
