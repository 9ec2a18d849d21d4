import { describe, expect, it } from 'vitest';
import { appendMetricsPath, DEFAULT_FEEDBACK_MAX_PENDING, resolveOptions } from './options.js';

const base = { model: 'churn', version: '3' };
const fn = (): number => 1;

describe('resolveOptions', () => {
  it('fills defaults', () => {
    const o = resolveOptions(base, {});
    expect(o).toMatchObject({
      model: 'churn',
      version: '3',
      role: 'primary',
      enabled: true,
      threshold: 0.5,
      feedbackMaxPending: DEFAULT_FEEDBACK_MAX_PENDING,
      export: { url: 'http://localhost:4318/v1/metrics', protocol: 'http/protobuf', exportIntervalMillis: 10_000, exportTimeoutMillis: 10_000 },
    });
    expect(resolveOptions({ ...base, version: 3, exportIntervalMillis: 500 }, {})).toMatchObject({ version: '3', export: { exportTimeoutMillis: 500 } });
    expect(resolveOptions({ ...base, exportIntervalMillis: 2 ** 31 - 1, api: { pollIntervalMillis: 2 ** 31 - 1 } }, {})).toMatchObject({
      export: { exportIntervalMillis: 2 ** 31 - 1, exportTimeoutMillis: 10_000 },
      api: { pollIntervalMillis: 2 ** 31 - 1, timeoutMillis: 5_000 },
    });
  });

  it('reads the endpoint from the option, then OTEL_EXPORTER_OTLP_METRICS_ENDPOINT (full URL), then OTEL_EXPORTER_OTLP_ENDPOINT (base)', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/', OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://m:9/custom' };
    expect(resolveOptions({ ...base, endpoint: 'https://x.example/otlp' }, env).export.url).toBe('https://x.example/otlp/v1/metrics');
    expect(resolveOptions(base, env).export.url).toBe('http://m:9/custom');
    expect(resolveOptions(base, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).export.url).toBe('http://collector:4318/v1/metrics');
    expect(resolveOptions(base, { OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' }).export.url).toBe('http://localhost:4318/v1/metrics');
    expect(appendMetricsPath('http://h:1//')).toBe('http://h:1/v1/metrics');
  });

  it('reads the protocol from the option, then OTEL_EXPORTER_OTLP_METRICS_PROTOCOL, then OTEL_EXPORTER_OTLP_PROTOCOL', () => {
    expect(resolveOptions(base, {}).export.protocol).toBe('http/protobuf');
    expect(resolveOptions(base, { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).export.protocol).toBe('http/json');
    expect(resolveOptions(base, { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: ' http/protobuf ' }).export.protocol).toBe('http/protobuf');
    expect(resolveOptions({ ...base, protocol: 'http/protobuf' }, { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).export.protocol).toBe('http/protobuf');
    // grpc (or anything else) is not a protocol the SDK exports with: ignored, with a warning, and the next source read
    const o = resolveOptions(base, { OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
    expect(o.export.protocol).toBe('http/json');
    expect(o.envWarnings).toEqual([
      'ignoring env OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: "grpc" is not a protocol driftwatch exports with (http/protobuf, http/json; OTLP/gRPC is not supported)',
    ]);
    expect(resolveOptions({ ...base, protocol: 'http/json' }, { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }).envWarnings).toEqual([]);
    expect(() => resolveOptions({ ...base, protocol: 'grpc' as never }, {})).toThrow(/protocol/);
  });

  it('ignores an environment URL that is not an http(s) URL, as OTel does, with a warning naming the variable', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318', OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: ' ', DRIFTWATCH_API_URL: 'agg' };
    const o = resolveOptions(base, env);
    expect(o.export).toMatchObject({ url: 'http://localhost:4318/v1/metrics', logsUrl: 'http://localhost:4318/v1/logs' });
    expect(o.api.url).toBe('http://localhost:9464');
    expect(o.envWarnings).toEqual([
      'ignoring env DRIFTWATCH_API_URL: "agg" is not an http(s) URL',
      'ignoring env OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" is not an http(s) URL',
    ]);
    expect(resolveOptions(base, { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'x' }).envWarnings).toEqual(['ignoring env OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: "x" is not an http(s) URL']);
    // an explicit endpoint option wins: the variables are not read
    expect(resolveOptions({ ...base, endpoint: 'http://c:4318' }, { OTEL_EXPORTER_OTLP_ENDPOINT: 'bad' }).envWarnings).toEqual([]);
    expect(resolveOptions(base, {}).envWarnings).toEqual([]);
  });

  it.each([
    [null, 'monitor: options must be an object'],
    [{ version: '1' }, 'monitor: options.model must be a non-empty string'],
    [{ model: ' ', version: '1' }, 'monitor: options.model must be a non-empty string'],
    [{ model: 'm' }, 'monitor: options.version must be a non-empty string'],
    [{ ...base, exportInterval: 5 }, 'monitor: options.exportInterval is not a known option'],
    [{ ...base, exportIntervalMillis: 0 }, 'monitor: options.exportIntervalMillis must be a positive number'],
    [{ ...base, exportIntervalMillis: Number.NaN }, 'monitor: options.exportIntervalMillis must be a positive number'],
    [{ ...base, exportIntervalMillis: '10' }, 'monitor: options.exportIntervalMillis must be a positive number'],
    [{ ...base, exportTimeoutMillis: -1 }, 'monitor: options.exportTimeoutMillis must be a positive number'],
    [{ ...base, exportIntervalMillis: 100, exportTimeoutMillis: 200 }, 'monitor: options.exportTimeoutMillis must not exceed options.exportIntervalMillis'],
    [{ ...base, features: [] }, 'monitor: options.features must be an object'],
    [{ ...base, features: { age: 'number' } }, 'monitor: options.features.age must be one of numeric, categorical, boolean, embedding, text'],
    [{ ...base, extract: 'age' }, 'monitor: options.extract must be a function'],
    [{ ...base, output: 'score' }, 'monitor: options.output must be one of probability, class, regression, probabilities or a function'],
    [{ ...base, predictionId: 'id' }, 'monitor: options.predictionId must be a function'],
    [{ ...base, role: 'blue' }, 'monitor: options.role must be one of primary, canary, shadow'],
    [{ ...base, endpoint: 'localhost:4318' }, 'monitor: options.endpoint must be an http(s) URL'],
    // the base URL, not the signal's: /v1/metrics/v1/metrics would answer 404 to every export
    [{ ...base, endpoint: 'http://collector:4318/v1/metrics' }, 'monitor: options.endpoint is the OTLP base URL (/v1/metrics and /v1/logs are appended): use http://collector:4318'],
    [{ ...base, endpoint: 'https://x.example/otlp/v1/logs/' }, 'monitor: options.endpoint is the OTLP base URL (/v1/metrics and /v1/logs are appended): use https://x.example/otlp'],
    [{ ...base, protocol: 'grpc' }, 'monitor: options.protocol must be one of http/protobuf, http/json'],
    [{ ...base, resource: { 'service.name': {} } }, 'monitor: options.resource.service.name must be a string, a finite number or a boolean'],
    [{ ...base, headers: { authorization: 1 } }, 'monitor: options.headers.authorization must be a string'],
    // a token read from a file with its trailing newline: every export would fail
    [{ ...base, headers: { authorization: 'Bearer t0k3n\n' } }, 'monitor: options.headers.authorization must be a valid HTTP header value (no CR, LF or other control characters'],
    [{ ...base, headers: { 'x api key': 'k' } }, 'monitor: options.headers.x api key must be a valid HTTP header name'],
    [{ ...base, api: { headers: { authorization: 'Bearer \r\nx' } } }, 'monitor: options.api.headers.authorization must be a valid HTTP header value'],
    [{ ...base, enabled: 'yes' }, 'monitor: options.enabled must be a boolean'],
    [{ ...base, threshold: 2 }, 'monitor: options.threshold must be a number in [0, 1]'],
    [{ ...base, classes: ['a', ''] }, 'monitor: options.classes must be an array of non-empty strings'],
    [{ ...base, feedback: { maxPending: 1.5 } }, 'monitor: options.feedback.maxPending must be a non-negative integer'],
    [{ ...base, feedback: { ttlMillis: 0 } }, 'monitor: options.feedback.ttlMillis must be a positive number'],
    [{ ...base, feedback: { ttl: 1 } }, 'monitor: options.feedback.ttl is not a known option'],
    [{ ...base, logger: console.log }, 'monitor: options.logger must be an object with info(message) and warn(message) functions'],
    [{ ...base, records: 0.1 }, 'monitor: options.records must be an object { sampleRate, maxQueueSize? }'],
    [{ ...base, records: {} }, 'monitor: options.records.sampleRate must be a number in [0, 1]'],
    [{ ...base, records: { sampleRate: 1.5 } }, 'monitor: options.records.sampleRate must be a number in [0, 1]'],
    [{ ...base, records: { sampleRate: 0.1, maxQueueSize: 0 } }, 'monitor: options.records.maxQueueSize must be an integer in [1, 1000000]'],
    [{ ...base, records: { sampleRate: 0.1, rate: 1 } }, 'monitor: options.records.rate is not a known option'],
    [{ ...base, shadow: 'v4' }, 'monitor: options.shadow must be the candidate function or { model'],
    [{ ...base, shadow: { version: '4' } }, 'monitor: options.shadow.model must be the candidate function'],
    [{ ...base, shadow: { model: fn, version: '' } }, 'monitor: options.shadow.version must be a non-empty string or a finite number'],
    [{ ...base, shadow: { model: fn, maxConcurrency: 0 } }, 'monitor: options.shadow.maxConcurrency must be an integer in [1, 1000]'],
    [{ ...base, shadow: { model: fn, maxQueueSize: -1 } }, 'monitor: options.shadow.maxQueueSize must be an integer in [0, 100000]'],
    [{ ...base, shadow: { model: fn, agreementTolerance: -0.1 } }, 'monitor: options.shadow.agreementTolerance must be a finite number ≥ 0'],
    [{ ...base, shadow: { model: fn, sampleRate: 0.5 } }, 'monitor: options.shadow.sampleRate is not a known option'],
    [{ ...base, shadowSampleRate: 0.5 }, 'monitor: options.shadowSampleRate needs options.shadow'],
    [{ ...base, shadow: fn, shadowSampleRate: 2 }, 'monitor: options.shadowSampleRate must be a number in [0, 1]'],
    [{ ...base, shadow: fn, role: 'canary' }, 'monitor: options.shadow needs options.role primary'],
    [{ ...base, canary: fn }, 'monitor: options.canary must be an object { model, key, weight?, version?, followRollout? }'],
    [{ ...base, canary: { key: fn } }, 'monitor: options.canary.model must be the candidate function'],
    [{ ...base, canary: { model: fn } }, 'monitor: options.canary.key must be a function input => routing key'],
    [{ ...base, canary: { model: fn, key: fn, weight: 10 } }, 'monitor: options.canary.weight must be a number in [0, 1] (the canary share: 0.1 = 10 %)'],
    [{ ...base, canary: { model: fn, key: fn, followRollout: 'yes' } }, 'monitor: options.canary.followRollout must be a boolean'],
    [{ ...base, canary: { model: fn, key: fn, version: {} } }, 'monitor: options.canary.version must be a non-empty string or a finite number'],
    [{ ...base, alias: '' }, 'monitor: options.alias must be a non-empty string'],
    [{ ...base, load: fn }, 'monitor: options.load needs options.alias'],
    [{ ...base, alias: 'champion', load: 'x' }, 'monitor: options.load must be a function'],
    [{ ...base, api: 'http://x' }, 'monitor: options.api must be an object'],
    [{ ...base, api: { url: 'x:1' } }, 'monitor: options.api.url must be an http(s) URL'],
    [{ ...base, api: { url: 'http://agg:9464/api/v1/' } }, "monitor: options.api.url is the aggregator's base URL (/api/v1/… is appended): use http://agg:9464"],
    [{ ...base, api: { url: 'http://agg:9464/api/v1/models' } }, "options.api.url is the aggregator's base URL"],
    [{ ...base, api: { pollIntervalMillis: 0 } }, 'monitor: options.api.pollIntervalMillis must be a positive number'],
    [{ ...base, api: { timeoutMillis: -5 } }, 'monitor: options.api.timeoutMillis must be a positive number'],
    // Node.js runs a longer timer after 1 ms (TimeoutOverflowWarning): an export or a poll every millisecond
    [{ ...base, exportIntervalMillis: 2 ** 31 }, 'monitor: options.exportIntervalMillis must be at most 2147483647'],
    [{ ...base, exportIntervalMillis: 2 ** 40, exportTimeoutMillis: 2 ** 31 }, 'monitor: options.exportIntervalMillis must be at most 2147483647'],
    [{ ...base, api: { pollIntervalMillis: 2 ** 31 } }, 'monitor: options.api.pollIntervalMillis must be at most 2147483647'],
    [{ ...base, api: { pollIntervalMillis: 2 ** 31 - 1, timeoutMillis: 2 ** 31 } }, 'monitor: options.api.timeoutMillis must be at most 2147483647'],
    [{ ...base, api: { headers: { a: 1 } } }, 'monitor: options.api.headers.a must be a string'],
    [{ ...base, api: { token: 'x' } }, 'monitor: options.api.token is not a known option'],
  ])('rejects %j with “%s”', (options, message) => {
    expect(() => resolveOptions(options, {})).toThrow(message);
  });

  it('resolves records, shadow, canary, alias and the API with their defaults', () => {
    const o = resolveOptions({ ...base, shadow: fn, canary: { model: fn, key: fn }, alias: 'champion' }, {});
    expect(o.recordSampleRate).toBe(0);
    expect(o.export).toMatchObject({ logsUrl: 'http://localhost:4318/v1/logs', recordsMaxQueueSize: 2048 });
    expect(o.shadow).toEqual({ model: fn, version: undefined, sampleRate: 1, maxConcurrency: 2, maxQueueSize: 100, agreementTolerance: 0.01 });
    expect(o.canary).toEqual({ model: fn, key: fn, weight: 0, version: undefined, followRollout: true });
    expect(o.api).toEqual({ url: 'http://localhost:9464', pollIntervalMillis: 10_000, timeoutMillis: 5_000, headers: {} });
    expect(resolveOptions({ ...base, api: { pollIntervalMillis: 1000 } }, { DRIFTWATCH_API_URL: 'http://agg:9464/' }).api).toMatchObject({ url: 'http://agg:9464', timeoutMillis: 1000 });
    expect(resolveOptions({ ...base, records: { sampleRate: 0.05, maxQueueSize: 10 }, shadow: { model: fn, version: 4 }, shadowSampleRate: 0.2 }, {})).toMatchObject({
      recordSampleRate: 0.05,
      export: { recordsMaxQueueSize: 10 },
      shadow: { version: '4', sampleRate: 0.2 },
    });
  });

  it('reads the logs endpoint from the option, then OTEL_EXPORTER_OTLP_LOGS_ENDPOINT (full URL), then OTEL_EXPORTER_OTLP_ENDPOINT (base)', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/', OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://l:9/custom' };
    expect(resolveOptions({ ...base, endpoint: 'https://x.example/otlp/' }, env).export.logsUrl).toBe('https://x.example/otlp/v1/logs');
    expect(resolveOptions(base, env).export.logsUrl).toBe('http://l:9/custom');
    expect(resolveOptions(base, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).export.logsUrl).toBe('http://collector:4318/v1/logs');
  });
});
