// @driftwatch/lifecycle — continuous retraining and safe rollout building blocks.

// Configuration and payload validation
export { ValidationError } from './validation-error.js';
export { parseDurationMs, formatDurationMs } from './duration.js';

// Retraining triggers
export { parseCron, cronMatches, nextCronMatch, CronSyntaxError } from './cron.js';
export type { CronSchedule } from './cron.js';
export { parseRetrainingPolicy } from './retraining-policy.js';
export type { RetrainingPolicy, DriftTriggerPolicy, PerformanceTriggerPolicy, VolumeTriggerPolicy } from './retraining-policy.js';
export { evaluateTriggers, initialTriggerState, MAX_HANDLED_INCIDENTS } from './trigger-evaluation.js';
export type {
  TriggerKind,
  TriggerObservations,
  FeatureDriftObservation,
  AlertObservation,
  TriggerState,
  TriggerIncident,
  TriggerDecision,
} from './trigger-evaluation.js';
export { parseAlertmanagerWebhook, alertsForModel } from './alertmanager-webhook.js';
export type { AlertmanagerWebhook, AlertmanagerAlert } from './alertmanager-webhook.js';
export { secretsEqual, bearerToken, isAuthorizedWebhook } from './shared-secret.js';

// Dispatch
export { retrainingIdempotencyKey } from './idempotency-key.js';
export { retrainingEvent, requestIdempotencyKey, retrainingRequestFor } from './retraining-request.js';
export type { RetrainingRequest, RetrainingEvent } from './retraining-request.js';
export { parseDispatchTarget } from './dispatch-target.js';
export type {
  DispatchTarget,
  DispatchTargetKind,
  WebhookTarget,
  GithubRepositoryDispatchTarget,
  GithubWorkflowDispatchTarget,
  AirflowTarget,
  PrefectTarget,
} from './dispatch-target.js';
export type { HttpRequest } from './http-request.js';
export { signWebhookBody, verifyWebhookSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './webhook-signature.js';
export type { WebhookVerification } from './webhook-signature.js';
export { buildWebhookRequest } from './webhook-dispatch.js';
export { buildRepositoryDispatchRequest, buildWorkflowDispatchRequest } from './github-dispatch.js';
export { buildAirflowTokenRequest, buildAirflowDagRunRequest } from './airflow-dispatch.js';
export { buildPrefectFlowRunRequest } from './prefect-dispatch.js';
export {
  DEFAULT_RETRY_POLICY,
  parseRetryPolicy,
  backoffDelayMs,
  parseRetryAfterMs,
  serverRequestedDelayMs,
  classifyResponse,
} from './retry-policy.js';
export type { RetryPolicy, ResponseClass } from './retry-policy.js';
export { createDispatcher } from './dispatcher.js';
export type { Dispatcher, DispatcherOptions } from './dispatcher.js';
export { createAuditLog } from './audit-log.js';
export type { AuditLog, DispatchRecord, DispatchStatus } from './audit-log.js';

// Registry
export { RegistryError, CHAMPION, CHALLENGER } from './model-registry.js';
export type {
  ModelRegistry,
  RegisteredModel,
  ModelVersion,
  HistoryEvent,
  HistoryAction,
  ChangeContext,
  RegisterVersionInput,
  RollbackResult,
  RegistryErrorCode,
} from './model-registry.js';
export { rollbackTarget } from './champion-rollback.js';
export { createEmbeddedRegistry } from './embedded-registry.js';
export type { EmbeddedRegistryOptions } from './embedded-registry.js';
export { createMlflowRegistry, MLFLOW_TAGS } from './mlflow-registry.js';
export type { MlflowRegistryOptions } from './mlflow-registry.js';

// Rollout analysis
export { fnv1a32, routingBucket, routeCanary, ROUTING_BUCKETS } from './canary-routing.js';
export { erfc, normalSurvival } from './normal-distribution.js';
export { fisherExactGreater, twoProportionGreater, wilsonInterval } from './proportion-tests.js';
export { histogramQuantile, histogramTotal, mannWhitneyGreater } from './bucketed-histogram.js';
export type { BucketedHistogram } from './bucketed-histogram.js';
export { DEFAULT_CANARY_ANALYSIS, parseCanaryAnalysisConfig } from './canary-analysis-config.js';
export type { CanaryAnalysisConfig } from './canary-analysis-config.js';
export { judgeCanary } from './canary-judgement.js';
export type { CanaryObservation, RoleTraffic, PerformanceComparison, PerformanceSample, MetricStatus, MetricJudgement, CanaryJudgement } from './canary-judgement.js';
export {
  DEFAULT_ROLLOUT_POLICY,
  parseRolloutPolicy,
  initialRolloutState,
  advanceRollout,
  resumeRollout,
  abortRollout,
} from './rollout-steps.js';
export type { RolloutPolicy, RolloutState, RolloutPhase, RolloutAction, RolloutDecision } from './rollout-steps.js';
