import { diag } from '@opentelemetry/api';
import type { ExportHealth } from './counting-exporter.js';
import { acquirePipeline, releasePipeline } from './export-pipeline.js';
import type { ExportPipeline } from './export-pipeline.js';
import { ModelTelemetry } from './model-telemetry.js';
import { resolveOptions } from './options.js';
import type { MonitorLogger, MonitorOptions, PredictionId } from './options.js';

/** Any function; `never[]` parameters accept every parameter list. */
export type AnyFunction = (...args: never[]) => unknown;

/** The first parameter of `F` (what `extract` and `predictionId` receive). */
export type FirstParameter<F extends AnyFunction> = F extends (...args: infer A) => unknown ? (A extends readonly [] ? undefined : A[0]) : never;

/** The awaited result of `F` (what `output` and `predictionId` receive). */
export type AwaitedResult<F extends AnyFunction> = F extends (...args: never[]) => infer R ? Awaited<R> : never;

/** What {@link MonitorMethods.health} reports. */
export interface MonitorHealth {
  readonly enabled: boolean;
  /** false after shutdown() */
  readonly active: boolean;
  readonly calls: number;
  readonly predictions: number;
  /** recordings dropped instead of throwing, by kind (extract, row, output, prediction_id, feedback, kpi, internal) */
  readonly drops: Readonly<Record<string, number>>;
  /** features being recorded */
  readonly features: number;
  /** predictions waiting in the join map for their label */
  readonly pendingPredictions: number;
  /** export outcomes of the pipeline this model is exported by (shared by monitors with the same export options) */
  readonly export: Readonly<ExportHealth> | undefined;
}

/** Methods added to the wrapped function. */
export interface MonitorMethods {
  /** Joins a ground-truth label to the prediction made under `predictionId`, whenever it arrives. Never throws. */
  feedback(predictionId: PredictionId, actual: string | number | boolean): void;
  /** Records a business KPI event (a conversion `1`, a revenue amount). Never throws. */
  kpi(name: string, value: number): void;
  /** Exports what was recorded and stops monitoring (the function keeps working, unmonitored). Resolves in bounded time, never rejects. */
  shutdown(): Promise<void>;
  /** Counters describing the monitor itself: drops, pending joins, export outcomes. */
  health(): MonitorHealth;
}

/** The wrapped function: exactly `F` (parameters, `this`, return type, sync or async) plus {@link MonitorMethods}. */
export type Monitored<F extends AnyFunction> = F & MonitorMethods;

const defaultLogger: MonitorLogger = diag.createComponentLogger({ namespace: '@driftwatch/instrument' });

/**
 * Wraps a model's predict function so every call records its inputs, outputs, latency and errors
 * into bounded sketches exported over OTLP (see docs/semantic-conventions.md).
 *
 * The wrapper returns what `fn` returns (a sync function stays sync; for a promise the returned promise
 * settles with the same value or the same error), rethrows `fn`'s errors unchanged, preserves `this`,
 * and never throws because of monitoring. It throws only here, for bad options, naming the field.
 *
 * Cost per call: one property read and one sketch update per feature, two `performance.now()` calls;
 * no I/O and no allocation on the call path for sync functions with plain-object inputs.
 */
export function monitor<F extends AnyFunction>(fn: F, options: MonitorOptions<FirstParameter<F>, AwaitedResult<F>>): Monitored<F> {
  if (typeof fn !== 'function') throw new TypeError("monitor: fn must be a function (the model's predict function)");
  const resolved = resolveOptions(options);
  const logger = resolved.logger ?? defaultLogger;
  if (!resolved.enabled) return passthrough(fn);

  const telemetry = new ModelTelemetry(resolved, logger);
  const pipeline: ExportPipeline = acquirePipeline(resolved.export, logger);
  pipeline.attach(telemetry);

  const wrapped = function (this: unknown): unknown {
    // `arguments` (not a rest parameter) keeps the call path allocation-free
    // eslint-disable-next-line prefer-rest-params
    const args = arguments as unknown as never[];
    if (!telemetry.active) return fn.apply(this, args);
    const input: unknown = args[0];
    let rows: unknown;
    try {
      rows = telemetry.beginCall(input);
    } catch (error) {
      telemetry.drops.drop('internal', error);
    }
    const start = performance.now();
    let result: unknown;
    try {
      result = fn.apply(this, args);
    } catch (error) {
      try {
        telemetry.failCall(error, start);
      } catch (e) {
        telemetry.drops.drop('internal', e);
      }
      throw error;
    }
    if (isThenable(result)) {
      try {
        return observeAsync(telemetry, input, rows, result, start);
      } catch (error) {
        // a thenable whose then() throws: hand it back untouched
        telemetry.drops.drop('internal', error);
        return result;
      }
    }
    try {
      telemetry.endCall(input, rows, result, start);
    } catch (error) {
      telemetry.drops.drop('internal', error);
    }
    return result;
  };

  let shutdownPromise: Promise<void> | undefined;
  const methods: MonitorMethods = {
    feedback(predictionId, actual) {
      if (telemetry.active) telemetry.recordFeedback(predictionId, actual);
    },
    kpi(name, value) {
      if (telemetry.active) telemetry.recordKpi(name, value);
    },
    shutdown() {
      shutdownPromise ??= (async () => {
        telemetry.active = false;
        await releasePipeline(pipeline, telemetry);
      })();
      return shutdownPromise;
    },
    health: () => ({
      enabled: true,
      active: telemetry.active,
      calls: telemetry.calls,
      predictions: telemetry.predictions,
      drops: telemetry.drops.counts(),
      features: telemetry.features.slots.length,
      pendingPredictions: telemetry.pending.size,
      export: { ...pipeline.health },
    }),
  };
  return decorate(wrapped, fn, methods);
}

/** `enabled: false`: calls `fn` and nothing else; the added methods do nothing. */
function passthrough<F extends AnyFunction>(fn: F): Monitored<F> {
  let calls = 0;
  const wrapped = function (this: unknown): unknown {
    calls++;
    // eslint-disable-next-line prefer-rest-params
    return fn.apply(this, arguments as unknown as never[]);
  };
  return decorate(wrapped, fn, {
    feedback() {},
    kpi() {},
    shutdown: () => Promise.resolve(),
    health: () => ({ enabled: false, active: false, calls, predictions: 0, drops: {}, features: 0, pendingPredictions: 0, export: undefined }),
  });
}

/** Gives the wrapper `fn`'s name and length plus the added methods. */
function decorate<F extends AnyFunction>(wrapper: (this: unknown) => unknown, fn: F, methods: MonitorMethods): Monitored<F> {
  Object.defineProperty(wrapper, 'name', { value: fn.name, configurable: true });
  Object.defineProperty(wrapper, 'length', { value: fn.length, configurable: true });
  return Object.assign(wrapper, methods) as unknown as Monitored<F>;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  if (value instanceof Promise) return true;
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Records the outcome of an async call and returns a promise settling exactly like `result`
 * (same value, same rejection reason), so an unhandled rejection stays unhandled.
 */
function observeAsync(telemetry: ModelTelemetry, input: unknown, rows: unknown, result: PromiseLike<unknown>, start: number): PromiseLike<unknown> {
  return result.then(
    (value) => {
      try {
        telemetry.endCall(input, rows, value, start);
      } catch (error) {
        telemetry.drops.drop('internal', error);
      }
      return value;
    },
    (error: unknown) => {
      try {
        telemetry.failCall(error, start);
      } catch (e) {
        telemetry.drops.drop('internal', e);
      }
      throw error;
    },
  );
}
