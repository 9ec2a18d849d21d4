// @driftwatch/aggregator: OTLP receiver, windows, drift engine, Prometheus exposition and the `driftwatch` CLI.
export { createAggregator } from './aggregator.js';
export type { Aggregator, AggregatorLogger, AggregatorOptions } from './aggregator.js';

export { DEFAULT_LIMITS, SLA_OBJECTIVES, modelConfigOf } from './config/aggregator-config.js';
export type {
  AggregatorConfig,
  DriftConfig,
  FeatureDriftConfig,
  LimitsConfig,
  ModelConfig,
  PerformanceConfig,
  SlaObjective,
  WindowConfig,
} from './config/aggregator-config.js';
export type { ConfigInput, DriftInput, ModelInput, PerformanceInput, WindowInput } from './config/config-input.js';
export { ConfigError } from './config/config-error.js';
export { DEFAULTS, DRIFT_METHODS, resolveConfig } from './config/resolve-config.js';
export { ENV_VARS, loadConfig, loadConfigInput, readConfigFile } from './config/load-config.js';
export type { LoadConfigOptions } from './config/load-config.js';
export { formatDurationMs, parseDurationMs } from './config/duration.js';

export { evaluate } from './engine/evaluate.js';
export type { EvaluateFilter } from './engine/evaluate.js';
export type {
  EvaluationResult,
  FeatureEvaluation,
  KpiEvaluation,
  ModelEvaluation,
  OutputEvaluation,
  PerformanceEvaluation,
  PerformanceMetric,
  VersionEvaluation,
  WindowEvaluation,
} from './engine/evaluation-types.js';
export { classificationMetrics, positiveClassOf } from './engine/classification-metrics.js';
export { rocAucFromHistograms } from './engine/roc-auc.js';

export { ingestMetrics } from './ingest/ingest-metrics.js';
export type { IngestResult, RejectReason } from './ingest/ingest-metrics.js';
export { AggregatorState } from './state/aggregator-state.js';
export { captureReference } from './reference/capture-reference.js';

export type { RequestHandler, Route, RouteHandler, RouteParams } from './http/router.js';
export { sendJson } from './http/json-response.js';
export { CONTENT_SECURITY_POLICY, createReportUi } from './ui/report-ui.js';
export type { ReportUiOptions } from './ui/report-ui.js';

export { runCli } from './cli/verbs.js';
export type { CliVerb, CliIo } from './cli/verbs.js';
export { CLI_VERBS } from './cli/verb-list.js';
