import { ExponentialHistogram } from '@driftwatch/stats';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/resolve-config.js';
import { AggregatorState } from '../state/aggregator-state.js';
import { DELTA, MODEL, RESOURCE, expHistogram, expPoint, numberPoint, request, sum } from '../testing/otlp-builders.test-support.js';
import { evaluate } from '../engine/evaluate.js';
import { ingestMetrics } from './ingest-metrics.js';

const NOW = 1_700_000_000_000;

function stateWith(input: Record<string, unknown> = {}): AggregatorState {
  return new AggregatorState(resolveConfig(input));
}

function hist(values: number[]): ExponentialHistogram {
  const h = new ExponentialHistogram();
  h.recordMany(values);
  return h;
}

const predictions = (value: number, time: bigint, start = 1n) => request(RESOURCE, [sum('ml.model.predictions', [numberPoint(MODEL, value, { start, time })])]);

function totalPredictions(state: AggregatorState): number {
  return state.models.get('churn')?.versions.get('3')?.roles.get('primary')?.predictions ?? 0;
}

describe('ingestMetrics', () => {
  it('turns cumulative points into deltas: duplicates add nothing, resets are counted', () => {
    const state = stateWith();
    expect(ingestMetrics(state, predictions(10, 100n), NOW).accepted).toBe(1);
    ingestMetrics(state, predictions(25, 200n), NOW);
    ingestMetrics(state, predictions(25, 200n), NOW); // retried export
    expect(totalPredictions(state)).toBe(25);
    ingestMetrics(state, predictions(4, 300n, 250n), NOW); // process restarted
    expect(totalPredictions(state)).toBe(29);
    expect(state.streams.resets).toBe(1);
    // another instance is another stream
    ingestMetrics(state, request({ ...RESOURCE, 'service.instance.id': 'i-2' }, [sum('ml.model.predictions', [numberPoint(MODEL, 7, { time: 100n })])]), NOW);
    expect(totalPredictions(state)).toBe(36);
    const v = state.models.get('churn')?.versions.get('3');
    expect(v?.predictions?.series.snapshot('1h', NOW).count).toBe(36);
    expect(v?.lastSeenMs).toBe(NOW);
  });

  it('accepts delta temporality and drops an exact repeat', () => {
    const state = stateWith();
    const delta = (value: number, start: bigint, time: bigint) => request(RESOURCE, [sum('ml.model.predictions', [numberPoint(MODEL, value, { start, time })], DELTA)]);
    ingestMetrics(state, delta(5, 0n, 10n), NOW);
    ingestMetrics(state, delta(5, 0n, 10n), NOW);
    ingestMetrics(state, delta(6, 10n, 20n), NOW);
    expect(totalPredictions(state)).toBe(11);
  });

  it('merges feature histograms, categories and missing counts into the window', () => {
    const state = stateWith();
    const f = { ...MODEL, 'ml.feature.name': 'tenure' };
    ingestMetrics(
      state,
      request(RESOURCE, [
        expHistogram('ml.model.feature.value', [expPoint(f, hist([1, 2, 3]), { time: 100n })]),
        sum('ml.model.feature.category', [numberPoint({ ...MODEL, 'ml.feature.name': 'plan', 'ml.feature.category': 'pro' }, 4, { time: 100n })]),
        sum('ml.model.feature.missing', [numberPoint({ ...f, 'ml.feature.missing_reason': 'null' }, 2, { time: 100n })]),
      ]),
      NOW,
    );
    const second = hist([1, 2, 3]);
    second.recordMany([10, 20]);
    ingestMetrics(state, request(RESOURCE, [expHistogram('ml.model.feature.value', [expPoint(f, second, { time: 200n })])]), NOW);
    const v = state.models.get('churn')?.versions.get('3');
    const window = v?.features.get('tenure')?.numeric?.series.snapshot('1h', NOW);
    expect(window?.count).toBe(5);
    expect(window?.toData()).toEqual(second.toData());
    expect(v?.features.get('plan')?.categorical?.series.snapshot('24h', NOW).get('pro')).toBe(4);
    expect(v?.features.get('tenure')?.missing?.series.snapshot('1h', NOW).count).toBe(2);
  });

  it('rejects points without model/version, of the wrong type or invalid, and ignores unknown metrics', () => {
    const state = stateWith();
    const r = ingestMetrics(
      state,
      request(RESOURCE, [
        sum('ml.model.predictions', [numberPoint({ 'ml.model.name': 'churn' }, 1, { time: 1n }), numberPoint(MODEL, 1, { time: 1n })]),
        expHistogram('ml.model.predictions', [expPoint(MODEL, hist([1]), { time: 1n })]),
        sum('ml.model.feature.value', [numberPoint({ ...MODEL, 'ml.feature.name': 'x' }, 1, { time: 1n })]),
        sum('ml.model.errors', [numberPoint(MODEL, -3, { time: 1n })]),
        sum('http.server.requests', [numberPoint({}, 1, { time: 1n }), numberPoint({}, 2, { time: 1n })]),
        sum('ml.model.predictions', [numberPoint({ ...MODEL, 'ml.deployment.role': 'blue' }, 1, { time: 1n })]),
      ]),
      NOW,
    );
    expect(r.accepted).toBe(1);
    expect(r.rejected).toBe(5);
    expect(r.ignored).toBe(2);
    expect(r.errorMessage).toContain('(missing_model)');
    expect(r.errorMessage).toContain('(unsupported_type)');
    expect(r.errorMessage).toContain('(invalid)');
    expect(state.counters.points.get('rejected|missing_model')).toBe(1);
    expect(state.counters.points.get('rejected|unsupported_type')).toBe(2);
    expect(state.counters.points.get('rejected|invalid')).toBe(2);
    expect(state.counters.points.get('accepted|ok')).toBe(1);
    expect(state.counters.ignored).toBe(2);
  });

  it('rejects histogram buckets outside the float64 range of their scale, so a window stays readable', () => {
    const state = stateWith();
    const f = { ...MODEL, 'ml.feature.name': 'age' };
    const good = expPoint(f, hist([1, 2, 3]), { time: 1n });
    // scale −4 covers float64 with indices −68..63: bucket −107 holds no float64 (a corrupted offset, found by fuzzing)
    const bad = { ...good, attributes: { ...f, 'ml.feature.name': 'bad' }, scale: -4, positive: { offset: -107, bucketCounts: [3] }, zeroCount: 0, count: 3 };
    const inverted = { ...good, attributes: { ...f, 'ml.feature.name': 'inverted' }, min: 3, max: 1 };
    const r = ingestMetrics(state, request(RESOURCE, [expHistogram('ml.model.feature.value', [good, bad, inverted])]), NOW);
    expect(r.accepted).toBe(1);
    expect(r.rejected).toBe(2);
    expect(r.errorMessage).toMatch(/positive buckets -107\.\.-107 lie outside the float64 range at scale -4/);
    expect(state.models.get('churn')?.versions.get('3')?.features.has('inverted')).toBe(false);
    expect(() => evaluate(state, NOW)).not.toThrow();
  });

  it('enforces the model, version and feature limits and counts the rejections', () => {
    const state = stateWith({ limits: { maxModels: 1, maxVersionsPerModel: 1, maxFeaturesPerModel: 2 } });
    const point = (model: string, version: string, feature: string) =>
      expPoint({ 'ml.model.name': model, 'ml.model.version': version, 'ml.feature.name': feature }, hist([1]), { time: 1n });
    const r = ingestMetrics(
      state,
      request(RESOURCE, [expHistogram('ml.model.feature.value', [point('a', '1', 'f1'), point('a', '1', 'f2'), point('a', '1', 'f3'), point('a', '2', 'f1'), point('b', '1', 'f1')])]),
      NOW,
    );
    expect(r.accepted).toBe(2);
    expect(r.rejected).toBe(3);
    expect(state.counters.cardinalityRejected).toEqual(new Map([['feature', 1], ['version', 1], ['model', 1]]));
    expect(state.counters.points.get('rejected|cardinality')).toBe(3);
    expect([...state.models.keys()]).toEqual(['a']);
    expect(state.streams.size).toBe(2); // rejected points leave no stream behind
  });

  it('keeps attribute keys and names like __proto__ and constructor as plain data', () => {
    const state = stateWith();
    const weird = JSON.parse('{"ml.model.name":"churn","ml.model.version":"3","ml.feature.name":"__proto__","__proto__":"x"}') as Record<string, string>;
    const r = ingestMetrics(
      state,
      request({ ...RESOURCE }, [
        expHistogram('ml.model.feature.value', [expPoint(weird, hist([1, 2]), { time: 1n }), expPoint({ ...MODEL, 'ml.feature.name': 'constructor' }, hist([3]), { time: 1n })]),
      ]),
      NOW,
    );
    expect(r.accepted).toBe(2);
    const v = state.models.get('churn')?.versions.get('3');
    expect([...(v?.features.keys() ?? [])].sort()).toEqual(['__proto__', 'constructor']);
    expect(v?.features.get('__proto__')?.numeric?.series.snapshot('1h', NOW).count).toBe(2);
    expect(({} as Record<string, unknown>)['numeric']).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it('computes call durations and the slow calls against max_latency_seconds', () => {
    const state = stateWith({ models: { churn: { sla: { max_latency_seconds: 0.25 } } } });
    const duration = (counts: number[], time: bigint) =>
      request(RESOURCE, [
        {
          name: 'ml.model.duration',
          description: '',
          unit: 's',
          data: {
            type: 'histogram',
            temporality: 2,
            points: [{ attributes: numberPoint(MODEL, 0, { time }).attributes, startTimeUnixNano: 1n, timeUnixNano: time, count: counts.reduce((a, b) => a + b, 0), sum: 1, bucketCounts: counts, explicitBounds: [0.1, 0.25, 1], flags: 0 }],
          },
        },
      ]);
    ingestMetrics(state, duration([5, 3, 2, 1], 100n), NOW);
    ingestMetrics(state, duration([6, 3, 4, 1], 200n), NOW);
    const t = state.models.get('churn')?.versions.get('3')?.roles.get('primary');
    expect(t?.duration?.counts).toEqual([6, 3, 4, 1]);
    expect(t?.duration?.count).toBe(14);
    expect(t?.slowCalls).toBe(5); // buckets above 0.25 s: 2 + 1, then 2 more
  });
});
