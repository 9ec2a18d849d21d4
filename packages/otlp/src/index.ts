// @driftwatch/otlp: OTLP/HTTP wire decoding (metrics and logs, protobuf and JSON). Pure functions, no I/O.
export type {
  AggregationTemporalityValue,
  AttributeValue,
  Attributes,
  ExponentialHistogramBuckets,
  ExponentialHistogramDataPoint,
  ExportLogsServiceRequest,
  ExportMetricsServiceRequest,
  FieldViolation,
  HistogramDataPoint,
  InstrumentationScope,
  LogRecord,
  LogsPartialSuccess,
  Metric,
  MetricData,
  MetricsPartialSuccess,
  NumberDataPoint,
  Resource,
  ResourceLogs,
  ResourceMetrics,
  RpcStatus,
  ScopeLogs,
  ScopeMetrics,
  SummaryDataPoint,
  WireFormat,
} from './types.js';
export { AggregationTemporality, DataPointFlags } from './types.js';
export { OtlpDecodeError } from './otlp-decode-error.js';
export { MAX_ANY_VALUE_DEPTH } from './decode-common-protobuf.js';
export { decodeMetricsProtobuf } from './decode-metrics-protobuf.js';
export { decodeLogsProtobuf } from './decode-logs-protobuf.js';
export { decodeMetricsJson } from './decode-metrics-json.js';
export { decodeLogsJson } from './decode-logs-json.js';
export { encodeExportLogsResponse, encodeExportMetricsResponse, encodeStatus } from './encode-responses.js';
export { decodeExportLogsResponse, decodeExportMetricsResponse, decodeStatus } from './decode-responses.js';
export { encodeMetricsProtobuf } from './encode-metrics-protobuf.js';
export { encodeMetricsJson } from './encode-metrics-json.js';
export { encodeLogsProtobuf } from './encode-logs-protobuf.js';
export { encodeLogsJson } from './encode-logs-json.js';
export { createAttributes } from './attributes.js';
export { sampleLogsRequest, sampleMetricsRequest } from './sample-requests.js';
