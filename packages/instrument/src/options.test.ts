import { describe, expect, it } from 'vitest';
import { appendMetricsPath, DEFAULT_FEEDBACK_MAX_PENDING, resolveOptions } from './options.js';

const base = { model: 'churn', version: '3' };

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
  });

  it('reads the endpoint from the option, then OTEL_EXPORTER_OTLP_METRICS_ENDPOINT (full URL), then OTEL_EXPORTER_OTLP_ENDPOINT (base)', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/', OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://m:9/custom' };
    expect(resolveOptions({ ...base, endpoint: 'https://x.example/otlp' }, env).export.url).toBe('https://x.example/otlp/v1/metrics');
    expect(resolveOptions(base, env).export.url).toBe('http://m:9/custom');
    expect(resolveOptions(base, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).export.url).toBe('http://collector:4318/v1/metrics');
    expect(resolveOptions(base, { OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' }).export.url).toBe('http://localhost:4318/v1/metrics');
    expect(appendMetricsPath('http://h:1//')).toBe('http://h:1/v1/metrics');
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
    [{ ...base, protocol: 'grpc' }, 'monitor: options.protocol must be one of http/protobuf, http/json'],
    [{ ...base, resource: { 'service.name': {} } }, 'monitor: options.resource.service.name must be a string, a finite number or a boolean'],
    [{ ...base, headers: { authorization: 1 } }, 'monitor: options.headers.authorization must be a string'],
    [{ ...base, enabled: 'yes' }, 'monitor: options.enabled must be a boolean'],
    [{ ...base, threshold: 2 }, 'monitor: options.threshold must be a number in [0, 1]'],
    [{ ...base, classes: ['a', ''] }, 'monitor: options.classes must be an array of non-empty strings'],
    [{ ...base, feedback: { maxPending: 1.5 } }, 'monitor: options.feedback.maxPending must be a non-negative integer'],
    [{ ...base, feedback: { ttlMillis: 0 } }, 'monitor: options.feedback.ttlMillis must be a positive number'],
    [{ ...base, feedback: { ttl: 1 } }, 'monitor: options.feedback.ttl is not a known option'],
    [{ ...base, logger: console.log }, 'monitor: options.logger must be an object with info(message) and warn(message) functions'],
  ])('rejects %j with “%s”', (options, message) => {
    expect(() => resolveOptions(options, {})).toThrow(message);
  });
});
