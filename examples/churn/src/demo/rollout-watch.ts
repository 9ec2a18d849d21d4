/**
 * Follows a started rollout while traffic plays: the aggregator's decisions (`GET /api/v1/models/{model}/rollout`
 * and its history), what the model server's SDK does with them (the canary weight it applies, the calls each arm
 * serves at each weight, the version its primary serves), printed as they happen. Ends once the rollout is
 * promoted or rolled back and the SDK has caught up (the final weight applied and, after a promotion, the primary
 * serving the new champion), or at the deadline.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ModelServer } from '../server.js';
import type { ApiJudgement, ApiRollout, ApiRolloutEvent, LifecycleApi } from './lifecycle-api.js';
import type { Timeline } from './timeline.js';

const POLL_MILLIS = 200;
/** After the final decision, how long the SDK gets to apply it before the watch ends anyway. */
const CATCH_UP_MILLIS = 10_000;

/** Calls each arm served while the SDK applied one canary weight. */
export interface WeightPeriod {
  /** the fraction the SDK routed to the canary */
  readonly weight: number;
  readonly startedAtMs: number;
  canaryCalls: number;
  primaryCalls: number;
}

export interface RolloutWatchResult {
  /** the last answer of the rollout API */
  readonly final: ApiRollout | undefined;
  /** every decision of the rollout, oldest first */
  readonly events: readonly ApiRolloutEvent[];
  /** the canary weights the SDK applied, in order */
  readonly periods: readonly WeightPeriod[];
  /** the version the model server's primary served at the end */
  readonly primaryVersion: string | undefined;
  /** the SDK applied the final decision (weight, and the new champion after a promotion) */
  readonly caughtUp: boolean;
  /** no final decision before the deadline */
  readonly timedOut: boolean;
}

export interface RolloutWatchOptions {
  readonly api: LifecycleApi;
  readonly server: ModelServer;
  readonly rolloutId: number;
  readonly candidateVersion: string;
  readonly timeline: Timeline;
  readonly log: (line: string) => void;
  readonly deadlineMs: number;
  /** stops the watch early (the traffic ended) */
  readonly cancelled: () => boolean;
}

const pct = (weight: number): string => `${Math.round(weight * 1000) / 10}%`;

/** `error_rate ✔ · latency ✔ · accuracy ✘ (accuracy canary 0.21 vs primary 0.81 …)`: failures with their reason. */
export function describeJudgement(j: ApiJudgement): string {
  const mark = { pass: '✔', fail: '✘', inconclusive: '…' } as const;
  return j.checks
    // agreement is a shadow check: without shadow comparisons it says nothing about a canary
    .filter((c) => !(c.check === 'agreement' && c.status === 'inconclusive'))
    .map((c) => {
      const name = c.check.startsWith('performance_') ? c.check.slice('performance_'.length) : c.check;
      return c.status === 'pass' ? `${name} ${mark.pass}` : `${name} ${mark[c.status]} (${c.reason})`;
    })
    .join(' · ');
}

function describeDecision(e: ApiRolloutEvent): string {
  const why = e.judgement ? e.judgement.checks.filter((c) => c.status === 'fail').map((c) => c.reason) : [];
  switch (e.decision) {
    case 'step':
      return `${e.source === 'analysis' ? 'analysis' : 'by hand'}: ${e.reasons.at(-1) ?? ''} → canary weight ${e.weightPercent}%`;
    case 'promote':
      return `${e.source === 'analysis' ? 'analysis' : 'by hand'}: ${e.reasons.at(-1) ?? ''} → promoted: weight 100%, champion → v${e.candidateVersion}`;
    case 'rollback':
      return `${e.source === 'analysis' ? 'analysis' : 'by hand'} rolled back v${e.candidateVersion}: ${why.length > 0 ? why.join('; ') : e.reasons.join('; ')} → weight 0, aliases restored`;
    case 'pause':
      return `paused at ${e.weightPercent}%: ${e.reasons.join('; ')}`;
    default:
      return `${e.decision}: ${e.reasons.join('; ')}`;
  }
}

export async function watchRollout(o: RolloutWatchOptions): Promise<RolloutWatchResult> {
  const periods: WeightPeriod[] = [];
  const events: ApiRolloutEvent[] = [];
  let final: ApiRollout | undefined;
  let lastSeen = '';
  let lastCanaryCalls = o.server.health().canary?.calls ?? 0;
  let lastPrimaryCalls = o.server.health().calls;
  let primaryVersion = o.server.health().version;
  let finishedAtMs: number | undefined;
  let caughtUp = false;
  // the weight before the rollout reached the SDK (0): the start, not a change to announce
  periods.push({ weight: o.server.health().canary?.weight ?? 0, startedAtMs: Date.now(), canaryCalls: 0, primaryCalls: 0 });

  while (!o.cancelled() && Date.now() < o.deadlineMs) {
    // what the aggregator decides
    try {
      const r = await o.api.rollout();
      final = r;
      const seen = `${r.lastDecision?.at ?? ''}|${r.lastJudgement?.at ?? ''}|${r.phase}`;
      if (seen !== lastSeen) {
        lastSeen = seen;
        const all = await o.api.rolloutEvents(o.rolloutId);
        for (const e of all.filter((x) => x.seq > (events.at(-1)?.seq ?? -1))) {
          // the weight the measurement was taken at: the one in force before this decision
          const at = all.filter((x) => x.seq < e.seq).at(-1)?.weightPercent ?? e.weightPercent;
          events.push(e);
          if (e.judgement) {
            o.log(`measurement at ${at}% (${e.judgement.candidateCalls} canary / ${e.judgement.primaryCalls} primary calls): ${e.judgement.verdict} — ${describeJudgement(e.judgement)}`);
          }
          if (e.decision !== 'hold' && e.decision !== 'start') o.timeline.add(e.decision, describeDecision(e));
        }
      }
      if ((r.phase === 'promoted' || r.phase === 'rolled_back') && finishedAtMs === undefined) finishedAtMs = Date.now();
    } catch (error) {
      o.log(`cannot read the rollout: ${(error as Error).message}`);
    }

    // what the SDK does
    const h = o.server.health();
    const weight = h.canary?.weight ?? 0;
    if (periods.at(-1)?.weight !== weight) {
      periods.push({ weight, startedAtMs: Date.now(), canaryCalls: 0, primaryCalls: 0 });
      o.timeline.add('sdk', `the model server's SDK routes ${pct(weight)} of requests to the canary v${h.canary?.version ?? '?'} (weight polled from the rollout API, routed by key hash)`);
    }
    const period = periods.at(-1) as WeightPeriod;
    const canaryCalls = h.canary?.calls ?? 0;
    period.canaryCalls += canaryCalls >= lastCanaryCalls ? canaryCalls - lastCanaryCalls : canaryCalls;
    // the primary's counts start over when it switches version
    period.primaryCalls += h.calls >= lastPrimaryCalls ? h.calls - lastPrimaryCalls : h.calls;
    lastCanaryCalls = canaryCalls;
    lastPrimaryCalls = h.calls;
    if (h.version !== primaryVersion) {
      primaryVersion = h.version;
      o.timeline.add('serving', `the model server's primary now serves v${h.version ?? '?'} (the SDK followed the champion alias and loaded the version from the registry's artifactUri)`);
    }

    if (finishedAtMs !== undefined && final) {
      const want = final.phase === 'promoted' ? 1 : 0;
      caughtUp = weight === want && (final.phase !== 'promoted' || h.version === o.candidateVersion);
      if (caughtUp || Date.now() - finishedAtMs > CATCH_UP_MILLIS) break;
    }
    await sleep(POLL_MILLIS);
  }
  return { final, events, periods, primaryVersion, caughtUp, timedOut: finishedAtMs === undefined };
}
