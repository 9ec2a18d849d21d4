/**
 * Metric names, units and attribute keys of the driftwatch OTLP wire contract
 * (docs/semantic-conventions.md). Everything the SDK emits is named here, nowhere else.
 */

export const ATTR_MODEL_NAME = 'ml.model.name';
export const ATTR_MODEL_VERSION = 'ml.model.version';
export const ATTR_DEPLOYMENT_ROLE = 'ml.deployment.role';
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_FEATURE_NAME = 'ml.feature.name';
export const ATTR_MISSING_REASON = 'ml.feature.missing_reason';
export const ATTR_FEATURE_CATEGORY = 'ml.feature.category';
export const ATTR_OUTPUT_NAME = 'ml.output.name';
export const ATTR_OUTPUT_CLASS = 'ml.output.class';
export const ATTR_FEEDBACK_REASON = 'ml.feedback.reason';
export const ATTR_LABEL_ACTUAL = 'ml.label.actual';
export const ATTR_LABEL_PREDICTED = 'ml.label.predicted';
export const ATTR_KPI_NAME = 'ml.kpi.name';
export const ATTR_SHADOW_OUTCOME = 'ml.shadow.outcome';
export const ATTR_PREDICTION_ID = 'ml.prediction.id';
export const ATTR_RECORD_SAMPLE_RATE = 'ml.record.sample_rate';

/** Log event of a sampled prediction record (body `{"features": …, "output": …}`). */
export const EVENT_RECORD = 'ml.model.record';
/** Log event of the label of a sampled prediction (body `{"label": …}`). */
export const EVENT_LABEL = 'ml.model.label';

export const ATTR_SERVICE_NAME = 'service.name';
export const ATTR_SERVICE_INSTANCE_ID = 'service.instance.id';

/** `error.type` value for thrown values that are not objects with a class name. */
export const ERROR_TYPE_OTHER = '_OTHER';

/** Output names used under `ml.output.name`. */
export const OUTPUT_SCORE = 'score';
export const OUTPUT_VALUE = 'value';

/** Reasons under `ml.feature.missing_reason`. */
export type MissingReason = 'missing' | 'null' | 'nan' | 'type_mismatch';

/** OTLP data kinds the SDK produces. */
export type MetricKind = 'sum' | 'histogram' | 'exponentialHistogram';

/** Whether a Sum's values are integers (asInt) or doubles (asDouble). */
export type SumValueType = 'int' | 'double';

export interface MetricDefinition {
  readonly name: string;
  readonly kind: MetricKind;
  readonly unit: string;
  readonly description: string;
  /** only for sums */
  readonly valueType?: SumValueType;
}

const sum = (name: string, unit: string, description: string, valueType: SumValueType = 'int'): MetricDefinition => ({
  name,
  kind: 'sum',
  unit,
  description,
  valueType,
});
const expHistogram = (name: string, description: string): MetricDefinition => ({ name, kind: 'exponentialHistogram', unit: '1', description });

/** Every metric of the contract, by a short key. */
export const METRICS = {
  calls: sum('ml.model.calls', '{call}', 'Calls of the wrapped function (a batch call counts once).'),
  predictions: sum('ml.model.predictions', '{prediction}', 'Predictions made (a batch of N rows counts N).'),
  errors: sum('ml.model.errors', '{error}', 'Calls that threw, by error class name.'),
  duration: { name: 'ml.model.duration', kind: 'histogram', unit: 's', description: 'Wall time of each call.' } satisfies MetricDefinition,
  featureValue: expHistogram('ml.model.feature.value', 'Values of a numeric feature (embedding norms, text lengths).'),
  featureMissing: sum('ml.model.feature.missing', '{value}', 'Feature values that were not usable, by reason.'),
  featureCategory: sum('ml.model.feature.category', '{value}', 'Counts of a categorical or boolean feature value.'),
  outputValue: expHistogram('ml.model.output.value', 'Numeric model outputs: scores, regression values, class probabilities.'),
  outputClass: sum('ml.model.output.class', '{prediction}', 'Predicted class counts.'),
  feedbackLabels: sum('ml.model.feedback.labels', '{label}', 'Ground-truth labels joined to a prediction.'),
  feedbackUnmatched: sum('ml.model.feedback.unmatched', '{label}', 'Labels that could not be joined to a prediction.'),
  feedbackEvictions: sum('ml.model.feedback.evictions', '{prediction}', 'Predictions dropped from the join map before a label came.'),
  feedbackConfusion: sum('ml.model.feedback.confusion', '{prediction}', 'Confusion matrix of joined classification labels.'),
  feedbackScore: expHistogram('ml.model.feedback.score', 'Predicted score of a binary classifier split by true label.'),
  feedbackAbsoluteError: expHistogram('ml.model.feedback.absolute_error', 'Absolute error of regression predictions.'),
  feedbackSquaredError: sum('ml.model.feedback.squared_error', '1', 'Sum of squared errors of regression predictions.', 'double'),
  kpi: sum('ml.model.kpi', '1', 'Running total of a business KPI.', 'double'),
  kpiEvents: sum('ml.model.kpi.events', '{event}', 'KPI events recorded.'),
  kpiValue: expHistogram('ml.model.kpi.value', 'Distribution of KPI values.'),
  shadowComparisons: sum('ml.model.shadow.comparisons', '{comparison}', 'Predictions compared between the primary and the shadow, by outcome (agree, disagree).'),
  shadowDifference: expHistogram('ml.model.shadow.difference', '|primary - shadow| of the binary score or regression value.'),
  shadowDropped: sum('ml.model.shadow.dropped', '{call}', 'Calls picked for shadowing that were dropped because the shadow queue was full.'),
} as const satisfies Record<string, MetricDefinition>;

export type MetricKey = keyof typeof METRICS;
