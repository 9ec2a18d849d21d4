/**
 * Plain-data model of the OTLP metrics and logs export requests (opentelemetry-proto v1), as produced by the
 * protobuf and JSON decoders of this package. Field names follow the OTLP/JSON lowerCamelCase names.
 */

/**
 * An OTLP `AnyValue`: string, int (a `number` when it is a safe integer, otherwise a `bigint`), double, bool,
 * bytes, array, key-value list, or `null` for an AnyValue with no value set.
 */
export type AttributeValue =
  | string
  | number
  | boolean
  | bigint
  | Uint8Array
  | null
  | AttributeValue[]
  | { readonly [key: string]: AttributeValue };

/** Attribute maps are created with a null prototype (Object.create(null)) so keys like `__proto__` are plain data. */
export type Attributes = Readonly<Record<string, AttributeValue>>;

/** `AggregationTemporality` enum values of the OTLP metrics proto (plain object, not a TS enum). */
export const AggregationTemporality = { UNSPECIFIED: 0, DELTA: 1, CUMULATIVE: 2 } as const;
export type AggregationTemporalityValue = (typeof AggregationTemporality)[keyof typeof AggregationTemporality];

/** `DataPointFlags` bit masks. */
export const DataPointFlags = { NO_RECORDED_VALUE: 1 } as const;

export interface NumberDataPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  /** `as_double`, or `as_int` converted to a number (exact up to 2^53). */
  value: number;
  flags: number;
}

export interface HistogramDataPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: number;
  sum?: number;
  bucketCounts: number[];
  explicitBounds: number[];
  min?: number;
  max?: number;
  flags: number;
}

export interface ExponentialHistogramBuckets {
  offset: number;
  bucketCounts: number[];
}

export interface ExponentialHistogramDataPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: number;
  sum?: number;
  scale: number;
  zeroCount: number;
  zeroThreshold: number;
  positive: ExponentialHistogramBuckets;
  negative: ExponentialHistogramBuckets;
  min?: number;
  max?: number;
  flags: number;
}

export interface SummaryDataPoint {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: number;
  sum: number;
  flags: number;
}

export type MetricData =
  | { type: 'gauge'; points: NumberDataPoint[] }
  | { type: 'sum'; points: NumberDataPoint[]; temporality: AggregationTemporalityValue; isMonotonic: boolean }
  | { type: 'histogram'; points: HistogramDataPoint[]; temporality: AggregationTemporalityValue }
  | { type: 'exponentialHistogram'; points: ExponentialHistogramDataPoint[]; temporality: AggregationTemporalityValue }
  | { type: 'summary'; points: SummaryDataPoint[] }
  | { type: 'empty' };

export interface Metric {
  name: string;
  description: string;
  unit: string;
  data: MetricData;
}

export interface InstrumentationScope {
  name: string;
  version: string;
  attributes: Attributes;
}

export interface ScopeMetrics {
  scope: InstrumentationScope;
  metrics: Metric[];
}

export interface Resource {
  attributes: Attributes;
}

export interface ResourceMetrics {
  resource: Resource;
  scopeMetrics: ScopeMetrics[];
}

export interface ExportMetricsServiceRequest {
  resourceMetrics: ResourceMetrics[];
}

export interface LogRecord {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  body: AttributeValue;
  attributes: Attributes;
  eventName: string;
  traceId?: Uint8Array;
  spanId?: Uint8Array;
  flags: number;
}

export interface ScopeLogs {
  scope: InstrumentationScope;
  logRecords: LogRecord[];
}

export interface ResourceLogs {
  resource: Resource;
  scopeLogs: ScopeLogs[];
}

export interface ExportLogsServiceRequest {
  resourceLogs: ResourceLogs[];
}

/** `ExportMetricsPartialSuccess` of an `ExportMetricsServiceResponse`. */
export interface MetricsPartialSuccess {
  rejectedDataPoints: number;
  errorMessage: string;
}

/** `ExportLogsPartialSuccess` of an `ExportLogsServiceResponse`. */
export interface LogsPartialSuccess {
  rejectedLogRecords: number;
  errorMessage: string;
}

/** One `google.rpc.BadRequest.FieldViolation`. */
export interface FieldViolation {
  field: string;
  description: string;
}

/**
 * A `google.rpc.Status`. `badRequest`, when given, is sent as one `google.rpc.BadRequest` entry of `details`
 * (what the OTLP spec asks for on HTTP 400).
 */
export interface RpcStatus {
  code: number;
  message: string;
  badRequest?: FieldViolation[];
}

export type WireFormat = 'protobuf' | 'json';
