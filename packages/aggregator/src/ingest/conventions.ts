/**
 * The OTLP names the aggregator understands (docs/semantic-conventions.md). Anything else is ignored and counted.
 */
export const ATTR = {
  modelName: 'ml.model.name',
  modelVersion: 'ml.model.version',
  role: 'ml.deployment.role',
  errorType: 'error.type',
  featureName: 'ml.feature.name',
  missingReason: 'ml.feature.missing_reason',
  category: 'ml.feature.category',
  outputName: 'ml.output.name',
  outputClass: 'ml.output.class',
  labelActual: 'ml.label.actual',
  labelPredicted: 'ml.label.predicted',
  kpiName: 'ml.kpi.name',
  eventName: 'event.name',
  predictionId: 'ml.prediction.id',
  sampleRate: 'ml.record.sample_rate',
  shadowOutcome: 'ml.shadow.outcome',
} as const;

export const ROLES = ['primary', 'canary', 'shadow'] as const;
export type Role = (typeof ROLES)[number];

/** The output name under which `ml.model.output.class` counts are compared with the reference outputs. */
export const CLASS_OUTPUT = 'class';

export type MetricType = 'sum' | 'histogram' | 'exponentialHistogram';

/** Every metric of the contract, with its OTLP type. */
export const CONVENTION_METRICS: ReadonlyMap<string, MetricType> = new Map<string, MetricType>([
  ['ml.model.calls', 'sum'],
  ['ml.model.predictions', 'sum'],
  ['ml.model.errors', 'sum'],
  ['ml.model.duration', 'histogram'],
  ['ml.model.feature.value', 'exponentialHistogram'],
  ['ml.model.feature.missing', 'sum'],
  ['ml.model.feature.category', 'sum'],
  ['ml.model.output.value', 'exponentialHistogram'],
  ['ml.model.output.class', 'sum'],
  ['ml.model.feedback.labels', 'sum'],
  ['ml.model.feedback.unmatched', 'sum'],
  ['ml.model.feedback.evictions', 'sum'],
  ['ml.model.feedback.confusion', 'sum'],
  ['ml.model.feedback.score', 'exponentialHistogram'],
  ['ml.model.feedback.absolute_error', 'exponentialHistogram'],
  ['ml.model.feedback.squared_error', 'sum'],
  ['ml.model.kpi', 'sum'],
  ['ml.model.kpi.events', 'sum'],
  ['ml.model.kpi.value', 'exponentialHistogram'],
  ['ml.model.shadow.comparisons', 'sum'],
  ['ml.model.shadow.difference', 'exponentialHistogram'],
  ['ml.model.shadow.dropped', 'sum'],
]);

/** Log records of this event name carry sampled prediction records. */
export const RECORD_EVENT = 'ml.model.record';

/** Log records of this event name carry the late label of a sampled prediction (joined by `ml.prediction.id`). */
export const LABEL_EVENT = 'ml.model.label';
