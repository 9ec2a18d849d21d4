import { performance } from 'node:perf_hooks';
import { diag } from '@opentelemetry/api';
import { AliasFollower, parseAliasVersion } from './alias-follower.js';
import type { AliasState } from './alias-follower.js';
import { CanaryRouting, parseRolloutStatus } from './canary-routing.js';
import type { RolloutStatus } from './canary-routing.js';
import { safeLog } from './counting-exporter.js';
import type { ExportHealth } from './counting-exporter.js';
import { acquirePipeline, releasePipeline } from './export-pipeline.js';
import type { ExportPipeline } from './export-pipeline.js';
import type { AnyFunction, AwaitedResult, FirstParameter } from './function-types.js';
import { JsonPoller } from './json-poller.js';
import type { PollHealth } from './json-poller.js';
import { ModelArm } from './model-arm.js';
import { isPredictionId, ModelTelemetry } from './model-telemetry.js';
import { DEFAULT_CANDIDATE_VERSION, resolveOptions } from './options.js';
import type { DeploymentRole, MonitorLogger, MonitorOptions, PredictionId, ResolvedOptions } from './options.js';
import { RecordSampler } from './prediction-records.js';
import type { RecordsHealth } from './prediction-records.js';
import { RolloutFollower } from './rollout-follower.js';
import type { RolloutState } from './rollout-follower.js';
import { ShadowComparisons } from './shadow-comparison.js';
import { ShadowRunner } from './shadow-runner.js';
import type { ShadowHealth } from './shadow-runner.js';
import { isThenable } from './thenable.js';

export type { AnyFunction, AwaitedResult, FirstParameter } from './function-types.js';

/** What {@link MonitorHealth.canary} reports. */
export interface CanaryHealth extends RolloutState {
  /** the canary's recorded version */
  readonly version: string;
  /** the share of traffic routed to the canary now */
  readonly weight: number;
  /** calls served by the canary */
  readonly calls: number;
  /** the rollout poll, when `followRollout` is on */
  readonly poll: Readonly<PollHealth> | undefined;
}

/** What {@link MonitorHealth.alias} reports. */
export interface AliasHealth extends AliasState {
  readonly poll: Readonly<PollHealth>;
}

/** What {@link MonitorMethods.health} reports. */
export interface MonitorHealth {
  readonly enabled: boolean;
  /** false after shutdown() */
  readonly active: boolean;
  /** the version recorded (and served) by the primary now */
  readonly version: string | undefined;
  /** calls and predictions of the primary's current version (a version switch starts them over) */
  readonly calls: number;
  readonly predictions: number;
  /** recordings dropped instead of throwing, by kind (extract, row, output, prediction_id, feedback, kpi, canary_key, internal) */
  readonly drops: Readonly<Record<string, number>>;
  /** features being recorded */
  readonly features: number;
  /** predictions waiting in the join map for their label */
  readonly pendingPredictions: number;
  /** export outcomes of the pipeline this model is exported by (shared by monitors with the same export options) */
  readonly export: Readonly<ExportHealth> | undefined;
  /** prediction-record sampling, when `records` is set */
  readonly records: RecordsHealth | undefined;
  /** the shadow, when `shadow` is set (`poll`: the rollout poll that names its version, when it has none configured) */
  readonly shadow: (ShadowHealth & { readonly poll: Readonly<PollHealth> | undefined }) | undefined;
  /** the canary, when `canary` is set */
  readonly canary: CanaryHealth | undefined;
  /** alias following, when `alias` is set */
  readonly alias: AliasHealth | undefined;
}

/** Methods added to the wrapped function. */
export interface MonitorMethods {
  /** Joins a ground-truth label to the prediction made under `predictionId`, whenever it arrives. Never throws. */
  feedback(predictionId: PredictionId, actual: string | number | boolean): void;
  /** Records a business KPI event (a conversion `1`, a revenue amount). Never throws. */
  kpi(name: string, value: number): void;
  /**
   * Exports what was recorded and stops monitoring, polling and shadowing (the function keeps working,
   * unmonitored, serving every call from the primary). Resolves in bounded time, never rejects.
   */
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
 * Options beyond monitoring (docs/rollout.md): `records` samples full prediction records as OTLP logs;
 * `shadow` runs a candidate after the primary's result is returned (never affecting it); `canary` routes a
 * deterministic share of the calls (by a hash of `canary.key(input)`) to a candidate, at a weight polled
 * from the aggregator's rollout API; `alias` follows a registry alias, switching the recorded version (and,
 * with `load`, the model). With `enabled: false` none of this happens: only `fn` is called.
 *
 * Cost per call: one property read and one sketch update per feature, two `performance.now()` calls;
 * no I/O and no allocation on the call path for sync functions with plain-object inputs (a canary adds
 * one FNV-1a hash of the key; a sampled shadow call one queue entry).
 */
export function monitor<F extends AnyFunction>(fn: F, options: MonitorOptions<FirstParameter<F>, AwaitedResult<F>, NoInfer<F>>): Monitored<F> {
  if (typeof fn !== 'function') throw new TypeError("monitor: fn must be a function (the model's predict function)");
  const resolved = resolveOptions(options);
  const logger = resolved.logger ?? defaultLogger;
  if (!resolved.enabled) return passthrough(fn);
  for (const warning of resolved.envWarnings) safeLog(logger, `monitor(${resolved.model}@${resolved.version}): ${warning}`);

  const pipeline: ExportPipeline = acquirePipeline(resolved.export, logger);
  const sampler = resolved.recordSampleRate > 0 ? new RecordSampler(resolved.recordSampleRate, () => pipeline.records()) : undefined;
  // the logs pipeline is built now, not at the first sampled call
  if (sampler !== undefined) pipeline.records();
  const createTelemetry = (version: string, role: DeploymentRole): ModelTelemetry => {
    const telemetry = new ModelTelemetry({ ...resolved, version, role }, logger);
    // a shadow's predictions share the primary's ids, so only the serving arms are sampled as records
    if (sampler !== undefined && role !== 'shadow') telemetry.records = { sampler, arm: sampler.arm(resolved.model, version, role) };
    if (role === 'shadow') telemetry.comparisons = new ShadowComparisons();
    pipeline.attach(telemetry);
    return telemetry;
  };
  const detach = (telemetry: ModelTelemetry): void => {
    pipeline.retire(telemetry).catch((error: unknown) => diag.warn('@driftwatch/instrument: detaching a retired version failed', error));
  };
  // a retired version stays exported while its late labels may come, and for at least two exports
  const keepRetiredMillis = Math.max(resolved.feedbackTtlMillis, 2 * resolved.export.exportIntervalMillis);
  const arm = (role: DeploymentRole, version: string, f: AnyFunction): ModelArm => new ModelArm(role, version, f, createTelemetry, detach, keepRetiredMillis);

  const primary = arm(resolved.role, resolved.version, fn);
  const canary = resolved.canary ? arm('canary', resolved.canary.version ?? DEFAULT_CANDIDATE_VERSION, resolved.canary.model) : undefined;
  const routing = resolved.canary ? new CanaryRouting(resolved.canary.weight) : undefined;
  const shadow = resolved.shadow ? new ShadowRunner(arm('shadow', resolved.shadow.version ?? DEFAULT_CANDIDATE_VERSION, resolved.shadow.model), resolved.shadow) : undefined;
  const arms = [primary, canary, shadow?.arm].filter((a): a is ModelArm => a !== undefined);

  const pollers: Array<JsonPoller<unknown>> = [];
  const pruneAll = (): void => {
    const now = performance.now();
    for (const a of arms) a.prune(now);
  };
  // the rollout API steers the canary's weight (unless followRollout is off) and names the candidate's version
  // for a canary or a shadow configured without one
  let rollout: { follower: RolloutFollower; poller: JsonPoller<RolloutStatus> | undefined } | undefined;
  if (canary || shadow) {
    const follower = new RolloutFollower(
      routing,
      canary && resolved.canary?.followRollout ? { arm: canary, configuredVersion: resolved.canary.version } : undefined,
      shadow && resolved.shadow ? { arm: shadow.arm, configuredVersion: resolved.shadow.version } : undefined,
      logger,
      resolved.alias === undefined ? undefined : primary,
    );
    let poller: JsonPoller<RolloutStatus> | undefined;
    if ((resolved.canary?.followRollout ?? false) || (resolved.shadow !== undefined && resolved.shadow.version === undefined)) {
      poller = new JsonPoller<RolloutStatus>({
        ...pollTarget(resolved, `/api/v1/models/${encodeURIComponent(resolved.model)}/rollout`),
        what: `rollout of ${resolved.model}`,
        parse: (json) => parseRolloutStatus(json, resolved.model),
        onValue: (status) => follower.apply(status),
        afterPoll: pruneAll,
        logger,
      });
      pollers.push(poller as JsonPoller<unknown>);
    }
    rollout = { follower, poller };
  }
  let alias: { follower: AliasFollower; poller: JsonPoller<string> } | undefined;
  if (resolved.alias !== undefined) {
    const follower = new AliasFollower(resolved.alias, primary, resolved.load, logger);
    const poller = new JsonPoller<string>({
      ...pollTarget(resolved, `/api/v1/models/${encodeURIComponent(resolved.model)}/aliases/${encodeURIComponent(resolved.alias)}`),
      what: `alias ${resolved.alias} of ${resolved.model}`,
      parse: parseAliasVersion,
      onValue: (version) => follower.follow(version),
      // a loader switches the primary later, so settle a promoted rollout after every alias poll, not only on a new answer
      afterPoll: () => {
        rollout?.follower.reapply();
        pruneAll();
      },
      logger,
    });
    pollers.push(poller as JsonPoller<unknown>);
    alias = { follower, poller };
  }

  const wrapped = canary || shadow ? rolloutWrapper(primary, canary, routing, resolved.canary?.key, shadow) : plainWrapper(primary);
  for (const p of pollers) p.start();

  let shutdownPromise: Promise<void> | undefined;
  const methods: MonitorMethods = {
    feedback(predictionId, actual) {
      const telemetry = primary.telemetry;
      if (!telemetry.active) return;
      if (canary === undefined && shadow === undefined && alias === undefined) {
        telemetry.recordFeedback(predictionId, actual);
      } else {
        joinAcrossArms(primary, canary, shadow?.arm, predictionId, actual);
      }
      if (sampler !== undefined && isPredictionId(predictionId) && isLabel(actual)) {
        try {
          sampler.label(resolved.model, primary.version, predictionId, actual, performance.now());
        } catch (error) {
          telemetry.drops.drop('internal', error);
        }
      }
    },
    kpi(name, value) {
      if (primary.telemetry.active) primary.telemetry.recordKpi(name, value);
    },
    shutdown() {
      shutdownPromise ??= (async () => {
        for (const p of pollers) p.stop();
        shadow?.stop();
        const all = arms.flatMap((a) => a.all());
        for (const t of all) t.active = false;
        await releasePipeline(pipeline, all);
      })();
      return shutdownPromise;
    },
    health: () => {
      const t = primary.telemetry;
      return {
        enabled: true,
        active: t.active,
        version: t.version,
        calls: t.calls,
        predictions: t.predictions,
        drops: t.drops.counts(),
        features: t.features.slots.length,
        pendingPredictions: t.pending.size,
        export: { ...pipeline.health },
        records: sampler?.health(pipeline.recordsHealth),
        shadow: shadow ? { ...shadow.health(), poll: rollout?.poller ? { ...rollout.poller.health } : undefined } : undefined,
        canary:
          canary && routing && rollout
            ? {
                ...rollout.follower.state(),
                version: canary.version,
                weight: routing.weight,
                calls: canary.telemetry.calls,
                poll: rollout.poller ? { ...rollout.poller.health } : undefined,
              }
            : undefined,
        alias: alias ? { ...alias.follower.state(), poll: { ...alias.poller.health } } : undefined,
      };
    },
  };
  return decorate(wrapped, fn, methods);
}

function pollTarget(resolved: ResolvedOptions, path: string): { url: string; headers: Readonly<Record<string, string>>; intervalMillis: number; timeoutMillis: number } {
  const api = resolved.api;
  return { url: `${api.url}${path}`, headers: api.headers, intervalMillis: api.pollIntervalMillis, timeoutMillis: api.timeoutMillis };
}

function isLabel(actual: unknown): boolean {
  return typeof actual === 'string' || typeof actual === 'boolean' || (typeof actual === 'number' && Number.isFinite(actual));
}

/**
 * Joins a label to whichever serving arm (primary, any of its versions, or canary) made the prediction,
 * counting it unmatched on the primary when neither did; the shadow's prediction for the same id gets
 * the label too (for its performance), without counting an unmatched label.
 */
function joinAcrossArms(primary: ModelArm, canary: ModelArm | undefined, shadow: ModelArm | undefined, id: unknown, actual: unknown): void {
  const telemetry = primary.telemetry;
  try {
    if (!isPredictionId(id)) {
      telemetry.drops.drop('feedback', `feedback needs a string or finite-number prediction id, got ${typeof id}`);
      return;
    }
    const joined = primary.joinFeedback(id, actual) || (canary !== undefined && canary.joinFeedback(id, actual));
    if (!joined) telemetry.feedback.unmatchedUnknownId++;
    shadow?.joinFeedback(id, actual);
  } catch (error) {
    telemetry.drops.drop('internal', error);
  }
}

/** The wrapper without shadow or canary: records the primary arm's calls (whose function and version may switch). */
function plainWrapper(primary: ModelArm): (this: unknown) => unknown {
  return function (this: unknown): unknown {
    // `arguments` (not a rest parameter) keeps the call path allocation-free
    // eslint-disable-next-line prefer-rest-params
    const args = arguments as unknown as never[];
    const telemetry = primary.telemetry;
    const fn = primary.fn;
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
        return observeAsync(telemetry, input, rows, result, start, undefined);
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
}

/**
 * The wrapper with a canary and/or a shadow. The canary's share is routed by a hash of the key (a key that
 * throws or is not a string or finite number goes to the primary, counted as a `canary_key` drop); the
 * canary is called as a plain function and its result and errors are the caller's. A primary-served call
 * is offered to the shadow once its result (or error) is known, and the shadow runs later.
 */
function rolloutWrapper(
  primary: ModelArm,
  canary: ModelArm | undefined,
  routing: CanaryRouting | undefined,
  canaryKey: ((input: unknown) => unknown) | undefined,
  shadow: ShadowRunner | undefined,
): (this: unknown) => unknown {
  return function (this: unknown): unknown {
    // eslint-disable-next-line prefer-rest-params
    const args = arguments as unknown as never[];
    const primaryTelemetry = primary.telemetry;
    if (!primaryTelemetry.active) return primary.fn.apply(this, args);
    const input: unknown = args[0];
    let served = primary;
    if (canary !== undefined && routing !== undefined && !routing.closed) {
      try {
        const key = (canaryKey as (input: unknown) => unknown)(input);
        if (typeof key === 'string' || (typeof key === 'number' && Number.isFinite(key))) {
          if (routing.routes(key)) served = canary;
        } else {
          primaryTelemetry.drops.drop('canary_key', `canary.key(input) must return a string or a finite number, got ${key === null ? 'null' : typeof key}`);
        }
      } catch (error) {
        primaryTelemetry.drops.drop('canary_key', error);
      }
    }
    const telemetry = served.telemetry;
    const fn = served.fn;
    const mirror = served === primary ? shadow : undefined;
    let rows: unknown;
    try {
      rows = telemetry.beginCall(input);
    } catch (error) {
      telemetry.drops.drop('internal', error);
    }
    const start = performance.now();
    let result: unknown;
    try {
      result = served === primary ? fn.apply(this, args) : Reflect.apply(fn, undefined, args);
    } catch (error) {
      try {
        telemetry.failCall(error, start);
        mirror?.offer(args, false, undefined, rows, telemetry);
      } catch (e) {
        telemetry.drops.drop('internal', e);
      }
      throw error;
    }
    if (isThenable(result)) {
      try {
        return observeAsync(telemetry, input, rows, result, start, mirror === undefined ? undefined : (ok, value) => mirror.offer(args, ok, value, rows, telemetry));
      } catch (error) {
        telemetry.drops.drop('internal', error);
        return result;
      }
    }
    try {
      telemetry.endCall(input, rows, result, start);
      mirror?.offer(args, true, result, rows, telemetry);
    } catch (error) {
      telemetry.drops.drop('internal', error);
    }
    return result;
  };
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
    health: () => ({
      enabled: false,
      active: false,
      version: undefined,
      calls,
      predictions: 0,
      drops: {},
      features: 0,
      pendingPredictions: 0,
      export: undefined,
      records: undefined,
      shadow: undefined,
      canary: undefined,
      alias: undefined,
    }),
  });
}

/** Gives the wrapper `fn`'s name and length plus the added methods. */
function decorate<F extends AnyFunction>(wrapper: (this: unknown) => unknown, fn: F, methods: MonitorMethods): Monitored<F> {
  Object.defineProperty(wrapper, 'name', { value: fn.name, configurable: true });
  Object.defineProperty(wrapper, 'length', { value: fn.length, configurable: true });
  return Object.assign(wrapper, methods) as unknown as Monitored<F>;
}


/**
 * Records the outcome of an async call and returns a promise settling exactly like `result`
 * (same value, same rejection reason), so an unhandled rejection stays unhandled. `after` (the shadow's
 * offer) runs once the outcome is recorded.
 */
function observeAsync(
  telemetry: ModelTelemetry,
  input: unknown,
  rows: unknown,
  result: PromiseLike<unknown>,
  start: number,
  after: ((ok: boolean, value: unknown) => void) | undefined,
): PromiseLike<unknown> {
  return result.then(
    (value) => {
      try {
        telemetry.endCall(input, rows, value, start);
        after?.(true, value);
      } catch (error) {
        telemetry.drops.drop('internal', error);
      }
      return value;
    },
    (error: unknown) => {
      try {
        telemetry.failCall(error, start);
        after?.(false, undefined);
      } catch (e) {
        telemetry.drops.drop('internal', e);
      }
      throw error;
    },
  );
}
