import { randomUUID } from 'node:crypto';
import {
  createAuditLog,
  createDispatcher,
  evaluateTriggers,
  formatDurationMs,
  initialTriggerState,
  requestIdempotencyKey,
  retrainingRequestFor,
  type AlertmanagerWebhook,
  type AlertObservation,
  type AuditLog,
  type DispatchRecord,
  type RetrainingPolicy,
  type TriggerDecision,
  type TriggerObservations,
  type TriggerState,
} from '@driftwatch/lifecycle';
import type { AggregatorLogger } from '../aggregator.js';
import { modelConfigOf, type AggregatorConfig } from '../config/aggregator-config.js';
import type { EvaluationResult } from '../engine/evaluation-types.js';
import type { Db } from '../persistence/database.js';
import type { RetrainingMetricsFeed } from './retraining-metrics.js';
import { servingWindow, triggerObservations, triggerWindow } from './trigger-observations.js';
import { createTriggerStore, type OutboxEntry, type TriggerStore } from './trigger-store.js';

/** A firing alert is forgotten when Alertmanager has not re-sent it for this long (its repeat_interval is 4h by default). */
export const ALERT_TTL_MS = 24 * 3_600_000;
/** Firing alerts kept per model (the oldest received is dropped beyond it). */
export const MAX_ALERTS_PER_MODEL = 1_000;
/** Alerts that report on the retraining loop itself never start a retraining (no feedback loop). */
const OWN_ALERT_PREFIX = 'DriftwatchRetraining';

export interface RetrainingLoopOptions {
  readonly config: AggregatorConfig;
  readonly db: Db;
  /** The registered retraining metrics (`PrometheusMetrics.retraining`). */
  readonly metrics: RetrainingMetricsFeed;
  readonly now: () => number;
  readonly logger: AggregatorLogger;
  /** Labelled prediction records received for the model (the volume trigger's counter). */
  readonly labelledRecords: (model: string) => number | undefined;
  /** Injected in tests; default the global fetch. */
  readonly fetch?: typeof fetch;
}

/** The last trigger decision with incidents, as the audit endpoint shows it. */
export interface DecisionSummary {
  readonly atMs: number;
  readonly fired: boolean;
  readonly trigger: string | null;
  readonly suppressedBy: TriggerDecision['suppressedBy'];
  readonly incidents: readonly string[];
  readonly reasons: readonly string[];
}

export interface AlertsReceipt {
  readonly alerts: number;
  /** Alerts kept as trigger observations (firing, for a model whose policy has `alerts: true`). */
  readonly firing: number;
  readonly resolved: number;
  /** Alerts without a `model` label, for a model without `alerts: true`, or about the retraining loop itself. */
  readonly ignored: number;
  /** Retrainings this notification started. */
  readonly retrainings: ReadonlyArray<{ readonly model: string; readonly trigger: string; readonly incidentId: string; readonly idempotencyKey: string; readonly targets: readonly string[] }>;
}

export interface RetrainingReport {
  readonly model: string;
  readonly policy: unknown;
  readonly state: unknown;
  readonly lastDecision: DecisionSummary | null;
  readonly alerts: ReadonlyArray<{ readonly alertname: string; readonly fingerprint: string; readonly startsAt: string }>;
  readonly pendingDispatches: number;
  readonly dispatches: readonly unknown[];
}

export interface RetrainingLoop {
  /** Builds each policy's observations from the evaluation, decides, persists, and starts the dispatches. */
  afterEvaluation(result: EvaluationResult): void;
  /** Takes an Alertmanager notification: keeps firing alerts as observations (drops resolved ones) and decides at once for the models concerned. */
  receiveAlerts(webhook: AlertmanagerWebhook): AlertsReceipt;
  /** Policy, trigger state and audit log of a model; undefined when it has neither a policy nor a dispatch. */
  report(model: string, limit: number): RetrainingReport | undefined;
  /** Resolves when no dispatch is in flight (at once after `stop()`: abandoned dispatches never finish). */
  whenIdle(): Promise<void>;
  /** Aborts in-flight dispatches (they stay in the outbox and are resumed, deduplicated, at the next start). */
  stop(): void;
}

const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

function policySummary(p: RetrainingPolicy): unknown {
  return {
    enabled: p.enabled,
    targets: p.targets,
    cooldownSeconds: p.cooldownMs / 1000,
    schedule: p.schedule?.expression ?? null,
    drift: p.drift && { share: p.drift.share, features: p.drift.features, sustainedForSeconds: p.drift.sustainedForMs / 1000 },
    performance: p.performance && { min: p.performance.min, max: p.performance.max, minSamples: p.performance.minSamples, sustainedForSeconds: p.performance.sustainedForMs / 1000 },
    volume: p.volume && { newLabels: p.volume.newLabels },
    alerts: p.alerts,
  };
}

function dispatchJson(r: DispatchRecord): unknown {
  return {
    id: r.id,
    idempotencyKey: r.idempotencyKey,
    target: r.target,
    targetKind: r.targetKind,
    trigger: r.trigger,
    incidentId: r.incidentId,
    status: r.status,
    attempts: r.attempts,
    responseCode: r.responseCode,
    response: r.responseBody,
    externalId: r.externalId,
    error: r.error,
    startedAt: iso(r.startedAtMs),
    finishedAt: iso(r.finishedAtMs),
    durationMs: r.finishedAtMs - r.startedAtMs,
  };
}

/**
 * The retraining loop inside the aggregator: after every evaluation, for each model with a `retraining` policy,
 * observations → `evaluateTriggers` (cooldown + incident deduplication) → the new trigger state and, when it
 * fires, one outbox row per target, written in ONE transaction → `dispatcher.dispatch` per row (retries with
 * backoff, idempotency key, audit log) → the row is deleted when the dispatch ends. A restart therefore neither
 * re-fires (the handled incidents and the cooldown are in the saved state) nor loses a decided dispatch (the
 * outbox is resumed; the dispatcher skips a key the audit log already shows as succeeded).
 */
export function createRetrainingLoop(options: RetrainingLoopOptions): RetrainingLoop {
  const { config, db, now, logger } = options;
  const policies = config.retraining.policies;
  const store: TriggerStore = createTriggerStore(db);
  const inner: AuditLog = createAuditLog(db);
  let stopped = false;
  const auditLog: AuditLog = {
    append: (record) => {
      if (!stopped) inner.append(record);
    },
    list: (model, o) => inner.list(model, o),
    findSuccess: (key, target) => inner.findSuccess(key, target),
    close: () => {},
  };
  const states = store.loadStates((model, problem) => logger.warn(`retraining state of model ${JSON.stringify(model)} is unreadable (${problem}); starting it afresh`));
  /** Outbox rows not finished: key → model. */
  const outboxKeys = new Map<string, string>();
  const pendingRows = store.pending();
  for (const e of pendingRows) outboxKeys.set(`${e.idempotencyKey}\n${e.target}`, e.model);
  const observations = new Map<string, { obs: TriggerObservations; version: string | undefined }>();
  const alerts = new Map<string, Map<string, { alert: AlertObservation; receivedMs: number }>>();
  const lastDecision = new Map<string, DecisionSummary>();
  const lastSuppression = new Map<string, string>();
  const inFlight = new Map<string, Promise<void>>();

  const metrics: RetrainingMetricsFeed = options.metrics;
  metrics.attach(db, {
    lastRequested: function* () {
      for (const [model, s] of states) if (s.lastFiredAtMs !== null) yield [model, s.lastFiredAtMs] as const;
    },
    pending: () => outboxKeys.size,
  });

  const stopController = new AbortController();
  const stoppedSignal = new Promise<void>((resolve) => stopController.signal.addEventListener('abort', () => resolve(), { once: true }));
  const baseFetch = options.fetch ?? fetch;
  const stoppableFetch: typeof fetch = (input, init) =>
    baseFetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, stopController.signal]) : stopController.signal });
  const sleep = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      if (stopController.signal.aborted) return; // never resolves: the dispatch is abandoned, its outbox row stays
      const timer = setTimeout(resolve, ms);
      timer.unref();
      stopController.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    });
  const dispatcher = createDispatcher({
    retry: config.retraining.retry,
    fetch: stoppableFetch,
    sleep,
    now,
    auditLog,
    onDispatch: (record) => {
      if (!stopped) metrics.countDispatch(record);
    },
    warn: (message) => logger.warn(message),
  });

  const startDispatch = (entry: OutboxEntry): void => {
    const k = `${entry.idempotencyKey}\n${entry.target}`;
    if (stopped || inFlight.has(k)) return;
    const target = config.retraining.targets.get(entry.target);
    if (!target) {
      const t = now();
      const record: DispatchRecord = {
        id: randomUUID(),
        model: entry.model,
        trigger: entry.request.trigger.kind,
        incidentId: entry.request.trigger.id,
        idempotencyKey: entry.idempotencyKey,
        target: entry.target,
        targetKind: 'webhook',
        status: 'failed',
        attempts: 0,
        responseCode: null,
        responseBody: null,
        error: `target ${JSON.stringify(entry.target)} is no longer in config.retraining.targets`,
        externalId: null,
        startedAtMs: t,
        finishedAtMs: t,
      };
      auditLog.append(record);
      metrics.countDispatch(record);
      store.remove(entry.idempotencyKey, entry.target);
      outboxKeys.delete(k);
      logger.error(`retraining dispatch of model ${entry.model} to ${entry.target} dropped: ${record.error}`);
      return;
    }
    const p = dispatcher
      .dispatch(target, entry.request)
      .then((record) => {
        if (stopped) return;
        store.remove(entry.idempotencyKey, entry.target);
        outboxKeys.delete(k);
        const what = `retraining dispatch of model ${record.model} to ${record.target} (${record.trigger}, key ${record.idempotencyKey})`;
        if (record.status === 'failed') logger.error(`${what} failed after ${record.attempts} attempts: ${record.error ?? ''}`);
        else logger.info(`${what}: ${record.status}${record.responseCode === null ? '' : ` (HTTP ${record.responseCode})`}`);
      })
      .catch((err: unknown) => logger.error(`retraining dispatch failed unexpectedly: ${(err as Error).stack ?? String(err)}`))
      .finally(() => inFlight.delete(k));
    inFlight.set(k, p);
  };

  const currentAlerts = (model: string, nowMs: number): AlertObservation[] => {
    const byFingerprint = alerts.get(model);
    if (!byFingerprint) return [];
    for (const [fp, a] of byFingerprint) if (nowMs - a.receivedMs > ALERT_TTL_MS) byFingerprint.delete(fp);
    return [...byFingerprint.values()].map((a) => a.alert);
  };

  /** Decides for one model; returns the outbox rows of a firing decision (not yet saved). */
  const decide = (model: string, policy: RetrainingPolicy, nowMs: number): OutboxEntry[] => {
    const seen = observations.get(model);
    const obs: TriggerObservations = { ...(seen?.obs ?? {}), alerts: currentAlerts(model, nowMs) };
    const { decision, newState } = evaluateTriggers(policy, obs, states.get(model) ?? initialTriggerState(), nowMs);
    states.set(model, newState);
    if (decision.incidents.length > 0) {
      lastDecision.set(model, {
        atMs: nowMs,
        fired: decision.fire,
        trigger: decision.trigger?.id ?? null,
        suppressedBy: decision.suppressedBy,
        incidents: decision.incidents.map((i) => i.id),
        reasons: decision.reasons,
      });
      if (!decision.fire) {
        const note = `${decision.suppressedBy ?? ''}|${decision.incidents.map((i) => i.id).join(',')}`;
        if (lastSuppression.get(model) !== note) {
          lastSuppression.set(model, note);
          logger.info(`retraining of model ${model} not requested (${decision.suppressedBy ?? 'no trigger'}): ${decision.reasons.join('; ')}`);
        }
      }
    }
    const request = retrainingRequestFor(model, decision, nowMs, seen?.version === undefined ? undefined : { version: seen.version });
    if (!request) return [];
    metrics.countRequest(model, request.trigger.kind);
    const key = requestIdempotencyKey(request);
    logger.info(`retraining of model ${model} requested (${request.trigger.id}, key ${key}) → ${policy.targets.join(', ')}: ${decision.reasons.join('; ')}`);
    return policy.targets.map((target) => ({ idempotencyKey: key, target, model, request, createdMs: nowMs }));
  };

  const commit = (models: readonly string[], entries: readonly OutboxEntry[], nowMs: number): void => {
    const changed = new Map<string, TriggerState>();
    for (const m of models) {
      const s = states.get(m);
      if (s) changed.set(m, s);
    }
    store.save(changed, entries, nowMs);
    for (const e of entries) outboxKeys.set(`${e.idempotencyKey}\n${e.target}`, e.model);
    for (const e of entries) startDispatch(e);
  };

  for (const e of pendingRows) {
    logger.info(`resuming retraining dispatch of model ${e.model} to ${e.target} (key ${e.idempotencyKey})`);
    startDispatch(e);
  }

  return {
    afterEvaluation(result) {
      if (stopped || policies.size === 0) return;
      const nowMs = result.timestampMs;
      const entries: OutboxEntry[] = [];
      for (const [model, policy] of policies) {
        const window = triggerWindow(modelConfigOf(config, model).windows);
        const evaluation = result.models.find((m) => m.model === model);
        const serving = evaluation && window ? servingWindow(evaluation, window.name) : undefined;
        observations.set(model, { obs: triggerObservations(policy, serving, options.labelledRecords(model)), version: serving?.version });
        entries.push(...decide(model, policy, nowMs));
      }
      commit([...policies.keys()], entries, nowMs);
    },
    receiveAlerts(webhook) {
      const nowMs = now();
      let firing = 0;
      let resolved = 0;
      let ignored = 0;
      const touched = new Set<string>();
      for (const alert of webhook.alerts) {
        const model = alert.labels['model'];
        const alertname = alert.labels['alertname'] ?? '';
        const policy = model === undefined ? undefined : policies.get(model);
        if (model === undefined || !policy?.alerts || alertname.startsWith(OWN_ALERT_PREFIX)) {
          ignored++;
          continue;
        }
        const byFingerprint = alerts.get(model) ?? new Map<string, { alert: AlertObservation; receivedMs: number }>();
        alerts.set(model, byFingerprint);
        if (alert.status === 'resolved') {
          byFingerprint.delete(alert.fingerprint);
          resolved++;
        } else {
          byFingerprint.delete(alert.fingerprint); // re-inserted last: the map stays in receipt order
          byFingerprint.set(alert.fingerprint, { alert: { alertname, fingerprint: alert.fingerprint, startsAtMs: alert.startsAtMs }, receivedMs: nowMs });
          if (byFingerprint.size > MAX_ALERTS_PER_MODEL) byFingerprint.delete(byFingerprint.keys().next().value as string);
          firing++;
          touched.add(model);
        }
      }
      const entries: OutboxEntry[] = [];
      if (!stopped) {
        for (const model of touched) entries.push(...decide(model, policies.get(model) as RetrainingPolicy, nowMs));
        if (touched.size > 0) commit([...touched], entries, nowMs);
      }
      const byKey = new Map<string, { model: string; trigger: string; incidentId: string; idempotencyKey: string; targets: string[] }>();
      for (const e of entries) {
        const r = byKey.get(e.idempotencyKey) ?? { model: e.model, trigger: e.request.trigger.kind, incidentId: e.request.trigger.id, idempotencyKey: e.idempotencyKey, targets: [] };
        r.targets.push(e.target);
        byKey.set(e.idempotencyKey, r);
      }
      return { alerts: webhook.alerts.length, firing, resolved, ignored, retrainings: [...byKey.values()] };
    },
    report(model, limit) {
      const policy = policies.get(model);
      const dispatches = inner.list(model, { limit });
      if (!policy && dispatches.length === 0) return undefined;
      const s = states.get(model);
      const cooldownUntil = policy && s?.lastFiredAtMs !== null && s?.lastFiredAtMs !== undefined ? s.lastFiredAtMs + policy.cooldownMs : null;
      return {
        model,
        policy: policy ? policySummary(policy) : null,
        state: s
          ? {
              lastEvaluatedAt: iso(s.lastEvaluatedAtMs),
              lastRequestedAt: iso(s.lastFiredAtMs),
              cooldownUntil: iso(cooldownUntil),
              inCooldown: cooldownUntil !== null && now() < cooldownUntil,
              cooldownLeft: cooldownUntil !== null && now() < cooldownUntil ? formatDurationMs(Math.ceil((cooldownUntil - now()) / 1000) * 1000) : null,
              volumeBaseline: s.labelsAtLastTraining,
              labelledRecords: observations.get(model)?.obs.labelledRecords ?? null,
              datasetDriftSince: iso(s.datasetDriftSinceMs),
              handledIncidents: s.handledIncidents,
            }
          : null,
        lastDecision: lastDecision.get(model) ?? null,
        alerts: currentAlerts(model, now()).map((a) => ({ alertname: a.alertname, fingerprint: a.fingerprint, startsAt: iso(a.startsAtMs) ?? '' })),
        pendingDispatches: [...outboxKeys.values()].filter((m) => m === model).length,
        dispatches: dispatches.map(dispatchJson),
      };
    },
    async whenIdle() {
      while (!stopped && inFlight.size > 0) await Promise.race([Promise.all([...inFlight.values()]), stoppedSignal]);
    },
    stop() {
      stopped = true;
      stopController.abort();
    },
  };
}
