import { CHALLENGER, CHAMPION, RegistryError, abortRollout, initialRolloutState, judgeCanary, resumeRollout } from '@driftwatch/lifecycle';
import type { CanaryJudgement, ChangeContext, ModelRegistry, RolloutDecision, RolloutState } from '@driftwatch/lifecycle';
import type { AggregatorConfig } from '../config/aggregator-config.js';
import type { EvaluationResult } from '../engine/evaluation-types.js';
import { HttpError, badRequest, conflict, notFound } from '../http/http-error.js';
import type { AggregatorState } from '../state/aggregator-state.js';
import { advance } from './rollout-advance.js';
import { rolloutSettingsOf } from './rollout-config.js';
import { candidateRole, observeCanary, trafficTotals } from './canary-observation.js';
import type { AliasSync, CheckResult, DecisionKind, DecisionRecord, DecisionSource, JudgementRecord, MeasurementWindow, Rollout, RolloutEvent, RolloutMode } from './rollout-record.js';
import { DECISION_KINDS, DECISION_SOURCES, VERDICTS, isActive } from './rollout-record.js';
import type { RolloutStore } from './rollout-store.js';

/** The `by` of decisions the automatic analysis makes. */
export const ANALYSIS_ACTOR = 'driftwatch-rollout';

export interface StartRolloutInput {
  readonly candidateVersion: string;
  /** Default: the registry's `champion`. */
  readonly primaryVersion?: string;
  readonly mode?: RolloutMode;
  readonly by: string;
  readonly reason?: string;
}

/** A manual change (`PUT /api/v1/models/{model}/rollout` without `candidateVersion`). */
export interface RolloutChange {
  readonly phase?: 'progressing' | 'paused' | 'promoted' | 'rolled_back';
  /** A manual canary weight, 0 < w < 100 (the analysis goes on from the step at or below it). */
  readonly weightPercent?: number;
  readonly by: string;
  readonly reason?: string;
}

/** How far the open measurement is: it is taken once both sides have `requiredCalls`, or at `timeoutAtMs`. */
export interface MeasurementProgress {
  readonly sinceMs: number;
  readonly primaryCalls: number;
  readonly candidateCalls: number;
  readonly requiredCalls: number;
  readonly timeoutAtMs: number;
}

export interface RolloutControllerOptions {
  readonly config: AggregatorConfig;
  readonly state: AggregatorState;
  readonly registry: ModelRegistry;
  readonly store: RolloutStore;
  readonly now: () => number;
  readonly logger: { info(message: string): void; warn(message: string): void };
  /** The latest published evaluation (performance per version), if any. */
  readonly latestEvaluation: () => EvaluationResult | undefined;
}

export interface RolloutController {
  /** The model's latest rollout (active or finished). */
  latest(model: string): Rollout | undefined;
  /** The latest rollout of every model. */
  list(): Rollout[];
  start(model: string, input: StartRolloutInput): Promise<Rollout>;
  change(model: string, change: RolloutChange): Promise<Rollout>;
  /** One analysis pass: retries pending alias changes, takes the measurements that are due and acts on them. Never rejects. */
  analyzeNow(): Promise<void>;
  events(model: string, options?: { readonly limit?: number; readonly rolloutId?: number }): RolloutEvent[];
  progress(rollout: Rollout): MeasurementProgress;
  /**
   * The registry's `champion` moved outside the rollout (`driftwatch registry rollback|promote`, the registry API):
   * a promoted rollout whose candidate lost the champion is rolled back (weight 0); an active one whose candidate
   * became champion is promoted.
   */
  championMoved(model: string, from: string | null, to: string | null, change: ChangeContext): Promise<void>;
  /** Resolves when every queued change and analysis pass has finished. */
  idle(): Promise<void>;
}

const asHttp = (err: unknown): unknown => (err instanceof RegistryError ? new HttpError(err.httpStatus, err.message) : err);

function checkName(check: string): string {
  return check.startsWith('performance:') ? `performance_${check.slice('performance:'.length)}` : check;
}

function zeroCounts(): { decisions: Record<string, number>; measurements: Record<string, number> } {
  const decisions: Record<string, number> = {};
  for (const d of DECISION_KINDS) for (const s of DECISION_SOURCES) decisions[`${d}|${s}`] = 0;
  const measurements: Record<string, number> = {};
  for (const v of VERDICTS) measurements[v] = 0;
  return { decisions, measurements };
}

/** Calls both sides need before a measurement is judged: the largest minimum sample of a blocking traffic check. */
export function requiredCalls(r: Pick<Rollout, 'policy'>): number {
  const a = r.policy.analysis;
  const blocking = [a.errorRate.blocking ? a.errorRate.minSamples : 0, a.latency.blocking ? a.latency.minSamples : 0];
  return Math.max(...blocking) || a.errorRate.minSamples;
}

function judgementRecord(j: CanaryJudgement, fromMs: number, atMs: number, primaryCalls: number, candidateCalls: number): JudgementRecord {
  const checks: CheckResult[] = j.metrics.map((m) => ({
    check: checkName(m.metric),
    status: m.status,
    blocking: m.blocking,
    primary: m.primary,
    candidate: m.canary,
    pValue: m.pValue,
    reason: m.reason,
  }));
  return { verdict: j.verdict, atMs, fromMs, primaryCalls, candidateCalls, checks, reasons: [...j.reasons] };
}

/**
 * Runs canary and shadow rollouts inside the aggregator: starts them against the registry (alias `challenger`),
 * measures candidate against primary from the aggregator's own per-role data every analysis pass (lifecycle
 * `judgeCanary`), moves the weight with the lifecycle step machine (10 → 25 → 50 → 100), promotes (alias `champion`
 * → candidate) or rolls back (weight 0, aliases restored), and records every decision. State lives in SQLite
 * (`RolloutStore`); registry writes that fail are retried until they succeed. Every change is serialized.
 */
export function createRolloutController(options: RolloutControllerOptions): RolloutController {
  const { state, registry, store, now, logger } = options;
  const latest = new Map<string, Rollout>();
  for (const r of store.loadLatest()) latest.set(r.model, r);
  let chain: Promise<unknown> = Promise.resolve();
  let analyzing: Promise<void> | undefined;
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn);
    chain = run.catch(() => undefined);
    return run;
  };

  const windowAt = (r: Pick<Rollout, 'model' | 'primaryVersion' | 'candidateVersion' | 'mode'>, atMs: number): MeasurementWindow => ({
    startedAtMs: atMs,
    primary: trafficTotals(state, r.model, r.primaryVersion, 'primary'),
    candidate: trafficTotals(state, r.model, r.candidateVersion, candidateRole(r.mode)),
  });

  const counted = (r: Rollout, decision: DecisionKind, source: DecisionSource, verdict?: string): Pick<Rollout, 'decisionCounts' | 'measurementCounts'> => {
    const key = `${decision}|${source}`;
    return {
      decisionCounts: { ...r.decisionCounts, [key]: (r.decisionCounts[key] ?? 0) + 1 },
      measurementCounts: verdict === undefined ? r.measurementCounts : { ...r.measurementCounts, [verdict]: (r.measurementCounts[verdict] ?? 0) + 1 },
    };
  };

  /** Saves a decision: the new rollout record plus its event, one transaction. */
  const commit = (r: Rollout, decision: DecisionRecord, judgement: JudgementRecord | null): Rollout => {
    store.save(r, { ...decision, judgement });
    latest.set(r.model, r);
    if (decision.decision !== 'hold') {
      logger.info(`rollout ${r.model} ${r.candidateVersion}: ${decision.decision} (${decision.source}, by ${decision.by}) → ${r.state.phase} at ${r.mode === 'shadow' ? 'shadow' : `${r.state.weight}%`}: ${decision.reasons.join('; ')}`);
    }
    return r;
  };

  const decide = (
    r: Rollout,
    decision: DecisionKind,
    source: DecisionSource,
    by: string,
    reasons: readonly string[],
    next: { state: RolloutState; mode?: RolloutMode; window?: MeasurementWindow; judgement?: JudgementRecord; aliasSync?: AliasSync | null },
  ): Rollout => {
    const atMs = now();
    const mode = next.mode ?? r.mode;
    const record: DecisionRecord = { decision, source, weightPercent: mode === 'shadow' ? 0 : next.state.weight, phase: next.state.phase, mode, by, reasons, atMs };
    const updated: Rollout = {
      ...r,
      mode,
      state: next.state,
      window: next.window ?? r.window,
      updatedAtMs: atMs,
      lastDecision: record,
      lastJudgement: next.judgement ?? r.lastJudgement,
      aliasSync: next.aliasSync === undefined ? r.aliasSync : next.aliasSync,
      ...counted(r, decision, source, next.judgement?.verdict),
    };
    return commit(updated, record, next.judgement ?? null);
  };

  /** Writes the aliases a promotion or rollback needs; idempotent (reads the registry first). */
  const applyAliases = async (r: Rollout, sync: AliasSync): Promise<void> => {
    const change = { by: sync.by, reason: sync.reason };
    const model = await registry.getModel(r.model);
    if (model === null) throw new RegistryError('not_found', `model ${r.model} is no longer in the registry`);
    const champion = model.aliases[CHAMPION] ?? null;
    const challenger = model.aliases[CHALLENGER] ?? null;
    if (sync.intent === 'promote') {
      if (champion !== r.candidateVersion) await registry.setAlias(r.model, CHAMPION, r.candidateVersion, change);
      if (challenger === r.candidateVersion) await registry.deleteAlias(r.model, CHALLENGER, change);
      return;
    }
    const before = r.aliasesBefore;
    if (champion === r.candidateVersion && before.champion !== r.candidateVersion) {
      if (before.champion === null) await registry.deleteAlias(r.model, CHAMPION, change);
      else {
        // the registry's own rollback keeps its history a stack (a later `registry rollback` walks further back)
        let to: string | null = null;
        try {
          to = (await registry.rollback(r.model, change)).to;
        } catch (err) {
          if (!(err instanceof RegistryError && err.code === 'conflict')) throw err;
        }
        if (to !== before.champion) await registry.setAlias(r.model, CHAMPION, before.champion, change);
      }
    }
    if (challenger === r.candidateVersion) {
      if (before.challenger !== null && before.challenger !== r.candidateVersion) await registry.setAlias(r.model, CHALLENGER, before.challenger, change);
      else await registry.deleteAlias(r.model, CHALLENGER, change);
    }
  };

  /** Tries the pending alias change; on failure keeps it pending (attempts + 1) for the next pass. */
  const syncAliases = async (r: Rollout): Promise<Rollout> => {
    const sync = r.aliasSync;
    if (!sync) return r;
    try {
      await applyAliases(r, sync);
      const done: Rollout = { ...r, aliasSync: null, updatedAtMs: now() };
      store.save(done);
      latest.set(r.model, done);
      if (sync.attempts > 0) logger.info(`rollout ${r.model} ${r.candidateVersion}: registry aliases written after ${sync.attempts + 1} attempts (${sync.intent})`);
      return done;
    } catch (err) {
      const message = (err as Error).message;
      const failed: Rollout = { ...r, aliasSync: { ...sync, attempts: sync.attempts + 1, lastError: message }, updatedAtMs: now() };
      store.save(failed);
      latest.set(r.model, failed);
      logger.warn(`rollout ${r.model} ${r.candidateVersion}: registry ${sync.intent} failed (attempt ${sync.attempts + 1}, retried next interval): ${message}`);
      return failed;
    }
  };

  const pendingSync = (intent: AliasSync['intent'], by: string, reason: string): AliasSync => ({ intent, by, reason, attempts: 0, lastError: null, sinceMs: now() });

  const progressOf = (r: Rollout): MeasurementProgress => {
    const primary = trafficTotals(state, r.model, r.primaryVersion, 'primary');
    const candidate = trafficTotals(state, r.model, r.candidateVersion, candidateRole(r.mode));
    const delta = (n: number, base: number): number => (n >= base ? n - base : n);
    return {
      sinceMs: r.window.startedAtMs,
      primaryCalls: delta(primary.calls, r.window.primary.calls),
      candidateCalls: delta(candidate.calls, r.window.candidate.calls),
      requiredCalls: requiredCalls(r),
      timeoutAtMs: r.window.startedAtMs + r.measurementTimeoutMs,
    };
  };

  /** Takes a measurement if one is due and acts on the decision. */
  const measure = async (r: Rollout): Promise<Rollout> => {
    const atMs = now();
    const p = progressOf(r);
    const enough = Math.min(p.primaryCalls, p.candidateCalls) >= p.requiredCalls;
    if (!enough && atMs < p.timeoutAtMs) return r;
    const { observation, now: totals } = observeCanary(state, options.latestEvaluation(), r, r.policy.analysis.predictionDrift.minSamples, atMs);
    let judgement: CanaryJudgement;
    try {
      judgement = judgeCanary(r.policy.analysis, observation);
    } catch (err) {
      judgement = { verdict: 'inconclusive', metrics: [], reasons: [`the analysis could not judge this measurement: ${(err as Error).message}`] };
    }
    const record = judgementRecord(judgement, r.window.startedAtMs, atMs, observation.primary.calls, observation.canary.calls);
    const { decision, newState, mode } = advance(r, judgement);
    const reasons = enough ? decision.reasons : [`measurement timed out after ${Math.round(r.measurementTimeoutMs / 1000)}s with ${p.primaryCalls} primary and ${p.candidateCalls} candidate calls (${p.requiredCalls} needed)`, ...decision.reasons];
    const aliasSync = decision.action === 'promote' || decision.action === 'rollback' ? pendingSync(decision.action, ANALYSIS_ACTOR, `rollout #${r.id} ${decision.action}: ${decision.reasons.join('; ')}`.slice(0, 1000)) : undefined;
    // a shadow rollout that passes turns into a canary: its next measurement compares role=canary traffic
    const window = mode !== r.mode ? windowAt({ ...r, mode }, atMs) : { startedAtMs: atMs, primary: totals.primary, candidate: totals.candidate };
    const updated = decide(r, decision.action, 'analysis', ANALYSIS_ACTOR, reasons, { state: newState, mode, window, judgement: record, ...(aliasSync ? { aliasSync } : {}) });
    return aliasSync ? syncAliases(updated) : updated;
  };

  const requireRollout = (model: string): Rollout => {
    const r = latest.get(model);
    if (!r) throw notFound(`model ${JSON.stringify(model)} has no rollout; start one with PUT /api/v1/models/${encodeURIComponent(model)}/rollout {"candidateVersion": …, "by": …}`);
    return r;
  };

  const manual = (r: Rollout, change: RolloutChange, decision: RolloutDecision | { action: DecisionKind; weight: number; reasons: readonly string[] }, next: Parameters<typeof decide>[5]): Rollout =>
    decide(r, decision.action, 'manual', change.by, change.reason ? [change.reason, ...decision.reasons] : decision.reasons, next);

  const applyPhase = async (r: Rollout, change: RolloutChange, target: NonNullable<RolloutChange['phase']>): Promise<Rollout> => {
    const phase = r.state.phase;
    if (target === phase) return r;
    const finished = `the rollout of version ${r.candidateVersion} is ${phase.replace('_', ' ')}`;
    switch (target) {
      case 'paused':
        if (phase !== 'progressing') throw conflict(`${finished}; only a progressing rollout can be paused`);
        return manual(r, change, { action: 'pause', weight: r.state.weight, reasons: ['paused by hand'] }, { state: { ...r.state, phase: 'paused' } });
      case 'progressing':
        if (phase !== 'paused') throw conflict(`${finished}; only a paused rollout can be resumed`);
        return manual(r, change, { action: 'resume', weight: r.state.weight, reasons: ['resumed by hand'] }, { state: resumeRollout(r.state), window: windowAt(r, now()) });
      case 'promoted': {
        if (!isActive(r)) throw conflict(`${finished}; start a new rollout instead`);
        const steps = r.policy.steps;
        const promoted: RolloutState = { ...r.state, phase: 'promoted', stepIndex: steps.length - 1, weight: 100, passesInStep: 0 };
        const sync = pendingSync('promote', change.by, change.reason ?? `rollout #${r.id} promoted by hand`);
        return syncAliases(manual(r, change, { action: 'promote', weight: 100, reasons: ['promoted by hand'] }, { state: promoted, mode: 'canary', aliasSync: sync }));
      }
      case 'rolled_back': {
        if (phase === 'rolled_back') return r;
        const { decision, newState } = abortRollout(r.state, 'rolled back by hand');
        const sync = pendingSync('rollback', change.by, change.reason ?? `rollout #${r.id} rolled back by hand`);
        return syncAliases(manual(r, change, decision, { state: newState, aliasSync: sync }));
      }
    }
  };

  const controller: RolloutController = {
    latest: (model) => latest.get(model),
    list: () => [...latest.values()],
    events: (model, opts) => store.events(model, opts),
    progress: progressOf,

    start(model, input) {
      return serial(async () => {
        const current = latest.get(model);
        if (current && isActive(current)) {
          throw conflict(`model ${model} already has a ${current.state.phase} rollout of version ${current.candidateVersion}; roll it back or promote it first`);
        }
        const settings = rolloutSettingsOf(options.config.rollout, model);
        const mode = input.mode ?? 'canary';
        try {
          const registered = await registry.getModel(model);
          if (registered === null) {
            throw notFound(`model ${model} is not in the registry; register its versions first (POST /api/v1/registry/models/${encodeURIComponent(model)}/versions)`);
          }
          if ((await registry.getVersion(model, input.candidateVersion)) === null) throw notFound(`model ${model} has no registered version ${input.candidateVersion}`);
          const champion = registered.aliases[CHAMPION] ?? null;
          const primaryVersion = input.primaryVersion ?? champion;
          if (primaryVersion === null) throw conflict(`model ${model} has no champion; give primaryVersion (the version serving production)`);
          if (primaryVersion === input.candidateVersion) throw badRequest(`candidateVersion: version ${primaryVersion} is already the primary`);
          if (input.primaryVersion !== undefined && (await registry.getVersion(model, primaryVersion)) === null) {
            throw notFound(`model ${model} has no registered version ${primaryVersion}`);
          }
          const reason = input.reason ?? `${mode} rollout of version ${input.candidateVersion}`;
          await registry.setAlias(model, CHALLENGER, input.candidateVersion, { by: input.by, reason });
          const atMs = now();
          const initial = initialRolloutState(settings.policy);
          const stateAtStart: RolloutState = mode === 'shadow' ? { ...initial, weight: 0 } : initial;
          const base = { model, mode, primaryVersion, candidateVersion: input.candidateVersion };
          const zero = zeroCounts();
          const decision: DecisionRecord = {
            decision: 'start',
            source: 'manual',
            weightPercent: mode === 'shadow' ? 0 : stateAtStart.weight,
            phase: 'progressing',
            mode,
            by: input.by,
            reasons: [reason],
            atMs,
          };
          const created = store.create(
            {
              ...base,
              startMode: mode,
              policy: settings.policy,
              measurementTimeoutMs: settings.measurementTimeoutMs,
              state: stateAtStart,
              aliasesBefore: { champion, challenger: registered.aliases[CHALLENGER] ?? null },
              window: windowAt(base, atMs),
              startedAtMs: atMs,
              startedBy: input.by,
              reason,
              updatedAtMs: atMs,
              lastDecision: decision,
              lastJudgement: null,
              aliasSync: null,
              decisionCounts: { ...zero.decisions, 'start|manual': 1 },
              measurementCounts: zero.measurements,
            },
            decision,
          );
          latest.set(model, created);
          logger.info(`rollout ${model} ${input.candidateVersion}: started by ${input.by} (${mode}, primary ${primaryVersion}${mode === 'canary' ? `, ${stateAtStart.weight}%` : ''})`);
          return created;
        } catch (err) {
          throw asHttp(err);
        }
      });
    },

    change(model, change) {
      return serial(async () => {
        let r = requireRollout(model);
        if (change.phase !== undefined) r = await applyPhase(r, change, change.phase);
        if (change.weightPercent !== undefined) {
          const w = change.weightPercent;
          if (!isActive(r)) throw conflict(`the rollout of version ${r.candidateVersion} is ${r.state.phase.replace('_', ' ')}; its weight cannot change`);
          if (r.mode === 'shadow') throw conflict('the rollout is shadowing (no live traffic); its weight applies once it becomes a canary');
          if (!(w > 0 && w < 100)) throw badRequest('weightPercent: must be above 0 and below 100 (use phase "promoted" or "rolled_back" for 100 and 0)');
          if (w !== r.state.weight) {
            let stepIndex = 0;
            r.policy.steps.forEach((s, i) => {
              if (s <= w) stepIndex = i;
            });
            const next: RolloutState = { ...r.state, weight: w, stepIndex: Math.min(stepIndex, r.policy.steps.length - 2), passesInStep: 0 };
            r = manual(r, change, { action: 'step', weight: w, reasons: [`weight set to ${w}% by hand`] }, { state: next, window: windowAt(r, now()) });
          }
        }
        return r;
      });
    },

    analyzeNow() {
      // one pass at a time: a timer tick while a slow pass (a registry timeout) still runs joins it instead of queueing
      if (analyzing) return analyzing;
      analyzing = serial(async () => {
        for (const r0 of [...latest.values()]) {
          try {
            let r = r0;
            if (r.aliasSync) r = await syncAliases(r);
            if (r.state.phase === 'progressing') await measure(r);
          } catch (err) {
            logger.warn(`rollout ${r0.model} ${r0.candidateVersion}: analysis failed: ${(err as Error).stack ?? String(err)}`);
          }
        }
      }).finally(() => {
        analyzing = undefined;
      });
      return analyzing;
    },

    idle: () => chain.then(() => undefined),

    championMoved(model, from, to, change) {
      return serial(async () => {
        const r = latest.get(model);
        if (!r) return;
        if (r.state.phase === 'promoted' && from === r.candidateVersion && to !== r.candidateVersion) {
          const { decision, newState } = abortRollout(r.state, `champion moved from ${from} to ${to ?? 'nothing'} in the registry`);
          manual(r, change, decision, { state: newState, aliasSync: null });
        } else if (isActive(r) && to === r.candidateVersion) {
          const steps = r.policy.steps;
          const promoted: RolloutState = { ...r.state, phase: 'promoted', stepIndex: steps.length - 1, weight: 100, passesInStep: 0 };
          const sync = pendingSync('promote', change.by, change.reason ?? `champion set to ${to} in the registry`);
          await syncAliases(manual(r, change, { action: 'promote', weight: 100, reasons: [`champion set to ${to} in the registry`] }, { state: promoted, mode: 'canary', aliasSync: sync }));
        } else if (isActive(r) && from === r.primaryVersion) {
          logger.warn(`rollout ${model} ${r.candidateVersion}: the champion moved from the rollout's primary ${from} to ${to ?? 'nothing'}; the analysis keeps comparing with ${from}`);
        }
      });
    },
  };
  return controller;
}
