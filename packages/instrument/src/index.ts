export { monitor } from './monitor.js';
export type { AliasHealth, CanaryHealth, MonitorHealth, MonitorMethods, Monitored } from './monitor.js';
export type { AnyFunction, AwaitedResult, CanaryCandidate, FirstParameter, ParametersOf, ResultOf, ShadowCandidate, Widen } from './function-types.js';
export type {
  ApiOptions,
  CanaryOptions,
  DeploymentRole,
  ExportProtocol,
  ExtractedOutput,
  FeatureRow,
  MonitorLogger,
  MonitorOptions,
  OutputKind,
  PredictionId,
  RecordsOptions,
  ShadowOptions,
} from './options.js';
export type { ExportHealth } from './counting-exporter.js';
export type { PollHealth } from './json-poller.js';
export type { RecordExportHealth } from './record-export.js';
export type { RecordsHealth } from './prediction-records.js';
export type { RolloutPhase, RolloutStatus } from './canary-routing.js';
export type { RolloutState } from './rollout-follower.js';
export type { AliasState } from './alias-follower.js';
export type { ShadowHealth } from './shadow-runner.js';
export { buildReference } from './build-reference.js';
export type { BuildReferenceMeta } from './build-reference.js';
export { inferFeatureType, inferSchema } from './feature-inference.js';
export { LATENCY_BUCKET_BOUNDS_SECONDS } from './latency-histogram.js';
export { METRICS } from './conventions.js';
export type { MetricDefinition } from './conventions.js';
export { VERSION } from './version.js';
