import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { loadConfig } from './load-config.js';
import { DEFAULTS, resolveConfig } from './resolve-config.js';

describe('resolveConfig', () => {
  it('fills every default for an empty config', () => {
    const c = resolveConfig({});
    expect(c.host).toBe('127.0.0.1');
    expect(c.otlpPort).toBe(4318);
    expect(c.httpPort).toBe(9464);
    expect(c.dataDir).toBe('./data');
    expect(c.evaluationIntervalMs).toBe(15_000);
    expect(c.flushIntervalMs).toBeLessThanOrEqual(5_000);
    expect(c.windows.map((w) => [w.name, w.durationMs, w.sliceMs])).toEqual([
      ['1h', 3_600_000, 300_000],
      ['24h', 86_400_000, 3_600_000],
    ]);
    expect(c.drift.minSamples).toBe(100);
    expect(c.drift.datasetDriftShare).toBe(0.5);
    expect(c.drift.method).toBeUndefined();
    expect(c.ingestToken).toBeUndefined();
  });

  it('names the field of a bad window duration', () => {
    expect(() => resolveConfig({ windows: [{ duration: '1h' }, { duration: '2x' }] })).toThrow(
      'config.windows[1].duration: "2x" is not a duration like 15m, 1h or 24h',
    );
  });

  it('derives window names and slices, and checks slices divide durations', () => {
    const c = resolveConfig({ windows: [{ duration: '15m' }, { duration: '7d' }] });
    expect(c.windows.map((w) => [w.name, w.sliceMs])).toEqual([
      ['15m', 60_000],
      ['7d', 21_600_000],
    ]);
    expect(() => resolveConfig({ windows: [{ duration: '1h', slice: '7m' }] })).toThrow('config.windows[0].slice: 7m does not divide the duration 1h');
    expect(() => resolveConfig({ windows: [{ duration: '1h', slice: '10m' }, { duration: '6h', slice: '15m' }] })).toThrow(
      'config.windows[1].slice: 15m is not a multiple of the smallest slice 10m',
    );
    expect(() => resolveConfig({ windows: [{ duration: '1h' }, { name: '1h', duration: '2h' }] })).toThrow('config.windows[1].name: duplicate window name "1h"');
  });

  it('requires both tokens when binding beyond loopback', () => {
    expect(() => resolveConfig({ host: '0.0.0.0' })).toThrow(/^config\.ingestToken: required when binding to the non-loopback address "0\.0\.0\.0"/);
    expect(() => resolveConfig({ host: '0.0.0.0', ingestToken: 'a' })).toThrow(/^config\.adminToken: required/);
    expect(resolveConfig({ host: '0.0.0.0', ingestToken: 'a', adminToken: 'b' }).host).toBe('0.0.0.0');
    expect(resolveConfig({ host: 'localhost' }).host).toBe('localhost');
    expect(resolveConfig({ host: '127.0.0.2' }).host).toBe('127.0.0.2');
    expect(resolveConfig({ host: '::1' }).host).toBe('::1');
  });

  it('rejects unknown keys, long flush intervals and out-of-range objectives, naming the field', () => {
    expect(() => resolveConfig({ drfit: {} })).toThrow(/^config\.drfit: unknown key/);
    expect(() => resolveConfig({ flushInterval: '10s' })).toThrow(/^config\.flushInterval: 10s is longer than the maximum 5s/);
    expect(() => resolveConfig({ models: { churn: { sla: { min_accuracy: 1.5 } } } })).toThrow('config.models["churn"].sla.min_accuracy: 1.5 is not a number in [0, 1]');
    expect(() => resolveConfig({ models: { churn: { sla: { min_speed: 1 } } } })).toThrow(/^config\.models\["churn"\]\.sla\.min_speed: "min_speed" is not one of min_accuracy/);
    expect(() => resolveConfig({ drift: { methods: ['psi', 'kl'] } })).toThrow(/^config\.drift\.methods\[1\]: "kl" is not one of psi/);
    expect(() => resolveConfig({ limits: { maxModels: 0 } })).toThrow('config.limits.maxModels: 0 is not a number in [1, 100000]');
    expect(() => resolveConfig({ httpPort: 70000 })).toThrow('config.httpPort: 70000 is not a port number (0-65535)');
    expect(() => resolveConfig({ windows: 'x' })).toThrow('config.windows: expected a list, got "x"');
    expect(() => resolveConfig({ otlpPort: 9464 })).toThrow('config.httpPort: 9464 is the OTLP port too (otlpPort); the receiver and the API need a port each');
    expect(resolveConfig({ otlpPort: 0, httpPort: 0 }).httpPort).toBe(0);
  });

  it('merges a model section over the global drift settings', () => {
    const c = resolveConfig({
      drift: { methods: ['psi'], thresholds: { psi: 0.2 }, minSamples: 50 },
      models: { churn: { importantFeatures: ['tenure', 'tenure'], drift: { method: 'ks', features: { plan: { method: 'chisquare', threshold: 0.01 } } }, sla: { max_latency_seconds: 0.25 } } },
    });
    const churn = c.models.get('churn');
    expect(churn?.drift.method).toBe('ks');
    expect(churn?.drift.methods).toEqual(['psi']);
    expect(churn?.drift.thresholds.get('psi')).toBe(0.2);
    expect(churn?.drift.minSamples).toBe(50);
    expect(churn?.drift.features.get('plan')).toEqual({ method: 'chisquare', threshold: 0.01 });
    expect(churn?.importantFeatures).toEqual(['tenure']);
    expect(churn?.sla.get('max_latency_seconds')).toBe(0.25);
    expect(churn?.windows).toBe(c.windows);
  });

  it('keeps model names like __proto__ and constructor as plain data', () => {
    const c = resolveConfig(JSON.parse('{"models":{"__proto__":{"importantFeatures":["a"]},"constructor":{}}}'));
    expect([...c.models.keys()]).toEqual(['__proto__', 'constructor']);
    expect(c.models.get('__proto__')?.importantFeatures).toEqual(['a']);
    expect(({} as Record<string, unknown>)['importantFeatures']).toBeUndefined();
  });

  it('throws ConfigError instances with the field', () => {
    try {
      resolveConfig({ evaluationInterval: 'soon' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).field).toBe('config.evaluationInterval');
    }
  });
});

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dw-config-'));

  it('reads YAML, then applies environment variables and flags on top', () => {
    const file = join(dir, 'driftwatch.yaml');
    writeFileSync(file, 'httpPort: 9000\notlpPort: 4000\nwindows:\n  - duration: 30m\nmodels:\n  churn:\n    sla:\n      min_accuracy: 0.8\n');
    const c = loadConfig({ configPath: file, env: { DRIFTWATCH_OTLP_PORT: '4001', DRIFTWATCH_DATA_DIR: ':memory:' }, overrides: { httpPort: '9100' } });
    expect(c.httpPort).toBe(9100);
    expect(c.otlpPort).toBe(4001);
    expect(c.dataDir).toBe(':memory:');
    expect(c.windows[0]?.name).toBe('30m');
    expect(c.models.get('churn')?.sla.get('min_accuracy')).toBe(0.8);
  });

  it('takes the file from DRIFTWATCH_CONFIG and names bad environment values', () => {
    const file = join(dir, 'c.json');
    writeFileSync(file, '{"evaluationInterval": "5s"}');
    expect(loadConfig({ env: { DRIFTWATCH_CONFIG: file } }).evaluationIntervalMs).toBe(5_000);
    expect(() => loadConfig({ env: { DRIFTWATCH_HTTP_PORT: 'abc' } })).toThrow('env DRIFTWATCH_HTTP_PORT: "abc" is not a port number (0-65535)');
    expect(() => loadConfig({ env: { DRIFTWATCH_EVALUATION_INTERVAL: '1 minute' } })).toThrow('env DRIFTWATCH_EVALUATION_INTERVAL: "1 minute" is not a duration like 15m, 1h or 24h');
    expect(() => loadConfig({ env: { DRIFTWATCH_HOST: '10.0.0.1' } })).toThrow(/^config\.ingestToken: required/);
    expect(loadConfig({ env: { DRIFTWATCH_HOST: '10.0.0.1', DRIFTWATCH_INGEST_TOKEN: 'i', DRIFTWATCH_ADMIN_TOKEN: 'a' } }).adminToken).toBe('a');
    expect(() => loadConfig({ env: { DRIFTWATCH_REGISTRY_KIND: 'mlfow' } })).toThrow('env DRIFTWATCH_REGISTRY_KIND: "mlfow" is not one of embedded, mlflow');
    expect(() => loadConfig({ env: { DRIFTWATCH_REGISTRY_KIND: 'mlflow', DRIFTWATCH_REGISTRY_URL: 'mlflow:5000' } })).toThrow('env DRIFTWATCH_REGISTRY_URL: "mlflow:5000" must be an http or https URL');
  });

  it('reports unreadable and unparsable files', () => {
    expect(() => loadConfig({ configPath: join(dir, 'missing.yaml') })).toThrow(/^config: cannot read/);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'a: [1,\n');
    expect(() => loadConfig({ configPath: bad })).toThrow(/^config: .* is not valid YAML or JSON/);
    expect(DEFAULTS.minSamples).toBe(100);
  });
});
