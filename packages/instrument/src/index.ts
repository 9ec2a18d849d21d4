export { monitor } from './monitor.js';
export type { AnyFunction, AwaitedResult, FirstParameter, MonitorHealth, MonitorMethods, Monitored } from './monitor.js';
export type {
  DeploymentRole,
  ExportProtocol,
  ExtractedOutput,
  FeatureRow,
  MonitorLogger,
  MonitorOptions,
  OutputKind,
  PredictionId,
} from './options.js';
export type { ExportHealth } from './counting-exporter.js';
export { buildReference } from './build-reference.js';
export type { BuildReferenceMeta } from './build-reference.js';
export { inferFeatureType, inferSchema } from './feature-inference.js';
export { LATENCY_BUCKET_BOUNDS_SECONDS } from './latency-histogram.js';
export { METRICS } from './conventions.js';
export type { MetricDefinition } from './conventions.js';
export { VERSION } from './version.js';
