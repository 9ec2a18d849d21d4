import type { MeasurementProgress } from './rollout-controller.js';
import type { DecisionRecord, JudgementRecord, Rollout, RolloutEvent } from './rollout-record.js';
import { servedWeightPercent } from './rollout-record.js';

const iso = (ms: number): string => new Date(ms).toISOString();

function decisionJson(d: DecisionRecord): unknown {
  return { decision: d.decision, source: d.source, weightPercent: d.weightPercent, phase: d.phase, mode: d.mode, by: d.by, reasons: d.reasons, at: iso(d.atMs) };
}

function judgementJson(j: JudgementRecord): unknown {
  return {
    verdict: j.verdict,
    at: iso(j.atMs),
    from: iso(j.fromMs),
    primaryCalls: j.primaryCalls,
    candidateCalls: j.candidateCalls,
    checks: j.checks,
    reasons: j.reasons,
  };
}

/**
 * The body of `GET /api/v1/models/{model}/rollout` (docs/rollout.md). The SDK routes `weight` (a fraction, 0–1) of
 * its keys to the candidate; `weightPercent` is the same number in percent (the policy's steps).
 */
export function rolloutJson(model: string, r: Rollout | undefined, progress: MeasurementProgress | undefined, pollIntervalSeconds: number): unknown {
  if (!r) {
    return { model, phase: 'none', mode: null, primaryVersion: null, candidateVersion: null, weight: 0, weightPercent: 0, pollIntervalSeconds };
  }
  const weightPercent = servedWeightPercent(r);
  return {
    model,
    rolloutId: r.id,
    phase: r.state.phase,
    mode: r.mode,
    primaryVersion: r.primaryVersion,
    candidateVersion: r.candidateVersion,
    weight: weightPercent / 100,
    weightPercent,
    pollIntervalSeconds,
    steps: r.policy.steps,
    stepIndex: r.state.stepIndex,
    measurements: r.state.measurements,
    passesInStep: r.state.passesInStep,
    measurementsPerStep: r.policy.measurementsPerStep,
    failures: r.state.failures,
    failureLimit: r.policy.failureLimit,
    inconclusives: r.state.inconclusives,
    inconclusiveLimit: r.policy.inconclusiveLimit,
    startedAt: iso(r.startedAtMs),
    startedBy: r.startedBy,
    reason: r.reason,
    updatedAt: iso(r.updatedAtMs),
    aliasesBefore: r.aliasesBefore,
    lastDecision: r.lastDecision ? decisionJson(r.lastDecision) : null,
    lastJudgement: r.lastJudgement ? judgementJson(r.lastJudgement) : null,
    measurement: progress
      ? {
          since: iso(progress.sinceMs),
          primaryCalls: progress.primaryCalls,
          candidateCalls: progress.candidateCalls,
          requiredCalls: progress.requiredCalls,
          timeoutAt: iso(progress.timeoutAtMs),
        }
      : null,
    registrySync: r.aliasSync
      ? { pending: r.aliasSync.intent, attempts: r.aliasSync.attempts, lastError: r.aliasSync.lastError, since: iso(r.aliasSync.sinceMs) }
      : null,
  };
}

export function rolloutEventJson(e: RolloutEvent): unknown {
  return {
    seq: e.seq,
    rolloutId: e.rolloutId,
    model: e.model,
    primaryVersion: e.primaryVersion,
    candidateVersion: e.candidateVersion,
    ...(decisionJson(e) as Record<string, unknown>),
    judgement: e.judgement ? judgementJson(e.judgement) : null,
  };
}
