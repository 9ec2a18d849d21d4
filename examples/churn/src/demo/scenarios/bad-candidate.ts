import { generateChurnData } from '../../data/generate.js';
import { CHURN_MODEL_NAME } from '../../feature-schema.js';
import { trainChurnArtifact } from '../../train.js';
import { DEMO_ACTOR, firstStepCheck, registerChampion, releaseCandidate, seconds, startRolloutServer } from '../canary-release.js';
import type { DemoCheck, DemoScenario } from '../demo-scenario.js';
import { lifecycleApi } from '../lifecycle-api.js';
import { playWhile, waitFor } from '../play-while.js';
import { DEFAULT_ROLLOUT_TIMINGS, ROLLOUT_STEPS, rolloutSection, shortenedRolloutLines, type RolloutTimings } from '../rollout-settings.js';
import { describeJudgement, watchRollout, type RolloutWatchResult } from '../rollout-watch.js';
import { createTimeline } from '../timeline.js';

/**
 * The candidate the scenario releases: `flipped-labels`, a model from a training run whose label join was inverted
 * (its offline metrics, measured on equally inverted hold-out rows, look as good as the champion's); or `healthy`, a
 * normal retrain (which the analysis promotes: the tests use it to check the scenario fails without a rollback).
 */
export type CandidateKind = 'flipped-labels' | 'healthy';

export interface BadCandidateOptions {
  readonly timings: RolloutTimings;
  readonly candidate: CandidateKind;
  /** traffic after the rollback, to show the SDK routes nothing to the candidate any more */
  readonly holdSeconds: number;
}

export const DEFAULT_BAD_CANDIDATE_OPTIONS: BadCandidateOptions = { timings: DEFAULT_ROLLOUT_TIMINGS, candidate: 'flipped-labels', holdSeconds: 2 };

/** `driftwatch demo --scenario bad-candidate`, with its timings and candidate as options (the tests change them). */
export function createBadCandidateScenario(options: Partial<BadCandidateOptions> = {}): DemoScenario {
  const o: BadCandidateOptions = { ...DEFAULT_BAD_CANDIDATE_OPTIONS, ...options };
  return {
    name: 'bad-candidate',
    summary: 'a candidate with much worse predictions goes to a 10% canary; the automatic analysis rolls it back (weight 0, champion kept)',
    configure: (config) => ({ ...config, rollout: rolloutSection(o.timings) }),
    async run(ctx) {
      const timeline = createTimeline((line) => ctx.log(line));
      const shortened = shortenedRolloutLines(o.timings, ctx.settings.ratePerSecond);
      ctx.log('shortened for the demo:');
      for (const line of shortened) ctx.log(`  ${line}`);
      const api = lifecycleApi(ctx.stack.apiUrl, CHURN_MODEL_NAME);
      const championVersion = await registerChampion(ctx, api);
      const server = await startRolloutServer(ctx, o.timings);
      await ctx.playStable({ server });

      // the candidate: trained like v1, on other rows — with every label inverted when the pipeline is broken
      const flip = o.candidate === 'flipped-labels';
      const rows = generateChurnData({ rows: 8000, seed: 43 }).map((r) => (flip ? { ...r, churn: r.churn === 1 ? (0 as const) : (1 as const) } : r));
      const trained = await trainChurnArtifact({ artifactsRoot: ctx.stack.artifactsRoot, version: String(Number(championVersion) + 1), data: rows });
      const m = trained.artifact.metrics;
      const registered = await api.registerVersion({
        artifactUri: trained.dir,
        metrics: { auc: m.auc, accuracy: m.accuracy },
        description: flip ? 'nightly retrain (its label join was inverted by a bug)' : 'nightly retrain',
        by: DEMO_ACTOR,
        reason: 'nightly training run',
      });
      timeline.add(
        'register',
        `v${registered.version} registered by a nightly training run${flip ? ' whose label join inverted every label' : ''}: offline ROC AUC ${m.auc.toFixed(3)}, accuracy ${m.accuracy.toFixed(3)} on its own hold-out${flip ? ' (inverted too, so it looks fine on paper)' : ''}`,
      );

      let watch: RolloutWatchResult | undefined;
      let broke: string | undefined;
      let hold: { canaryCalls: number; primaryCalls: number; seconds: number } | undefined;
      const { phase } = await playWhile(
        ctx,
        {
          label: 'canary',
          traffic: 'no-drift',
          seed: ctx.settings.seed + 1,
          server,
          batchSize: 1,
          maxSeconds: o.timings.maxRolloutSeconds + o.holdSeconds + 20,
          focus: () => {
            const h = server.health();
            return `SDK canary weight ${h.canary?.weight ?? 0} · canary calls ${h.canary?.calls ?? 0}`;
          },
        },
        async (cancelled) => {
          const rollout = await releaseCandidate(ctx, { api, server, version: registered.version, reason: 'nightly retrain', timeline });
          watch = await watchRollout({
            api,
            server,
            rolloutId: rollout.rolloutId,
            candidateVersion: registered.version,
            timeline,
            log: (line) => ctx.log(line),
            deadlineMs: Date.now() + o.timings.maxRolloutSeconds * 1000,
            cancelled,
          });
          if (watch.final?.phase !== 'rolled_back') {
            broke = watch.timedOut ? `the rollout did not finish within ${o.timings.maxRolloutSeconds} s (phase ${watch.final?.phase ?? '?'})` : `the rollout ended ${watch.final?.phase ?? '?'}, not rolled back`;
            return;
          }
          // traffic goes on: nothing reaches the rolled-back candidate
          const before = server.health();
          const startedAt = Date.now();
          await waitFor(async () => undefined, { deadlineMs: startedAt + o.holdSeconds * 1000, cancelled });
          const after = server.health();
          hold = { canaryCalls: (after.canary?.calls ?? 0) - (before.canary?.calls ?? 0), primaryCalls: after.calls - before.calls, seconds: (Date.now() - startedAt) / 1000 };
        },
      );

      const champion = await api.aliasVersion('champion');
      const challenger = await api.aliasVersion('challenger');
      const rollback = watch?.events.find((e) => e.decision === 'rollback');
      const final = watch?.final;
      const notReached = `not reached: ${broke ?? 'the rollout did not start'}`;
      const failing = rollback?.judgement?.checks.filter((c) => c.status === 'fail') ?? [];
      const checks: DemoCheck[] = [
        firstStepCheck(watch, registered.version),
        {
          name: `the automatic analysis rolled v${registered.version} back`,
          passed: rollback !== undefined && rollback.source === 'analysis',
          detail: rollback
            ? `${rollback.source} at ${rollback.at}: ${failing.length > 0 ? failing.map((c) => c.reason).join('; ') : rollback.reasons.join('; ')}`
            : `${watch ? `no rollback: ${watch.events.filter((e) => e.decision !== 'hold').map((e) => `${e.decision} ${e.weightPercent}%`).join(' → ')} (phase ${final?.phase ?? '?'})` : notReached}`,
        },
        {
          name: `weight 0 and the aliases restored (champion v${championVersion}, no challenger)`,
          passed: final?.phase === 'rolled_back' && final.weightPercent === 0 && champion === championVersion && challenger === null,
          detail: `rollout ${final?.phase ?? '?'} at ${final?.weightPercent ?? '?'}%; champion ${champion === null ? 'unset' : `v${champion}`}, challenger ${challenger === null ? 'unset' : `v${challenger}`}`,
        },
        {
          name: `the SDK stopped routing to v${registered.version}`,
          passed: hold !== undefined && hold.canaryCalls === 0 && hold.primaryCalls > 0 && server.health().canary?.weight === 0,
          detail: hold ? `in ${hold.seconds.toFixed(1)} s after the rollback reached it: ${hold.canaryCalls} canary and ${hold.primaryCalls} primary calls; SDK weight ${server.health().canary?.weight ?? '?'}` : notReached,
        },
      ];
      const rolledBackAt = rollback ? Date.parse(rollback.at) : undefined;
      return {
        title: `bad-candidate: v${registered.version}${flip ? ' (labels inverted in training)' : ''} on a ${ROLLOUT_STEPS[0]}% canary`,
        changeStartedAtMs: phase.startedAtMs,
        checks,
        timeline: timeline.events,
        notes: [
          ...(broke ? [`The loop did not complete: ${broke}.`] : []),
          ...(rollback?.judgement ? [`The failing measurement: ${describeJudgement(rollback.judgement)}.`] : []),
          ...(rolledBackAt !== undefined ? [`Rolled back ${seconds(rolledBackAt - phase.startedAtMs)} after the canary started.`] : []),
          `Shortened for the demo: ${shortened.join('; ')}.`,
          `Rollout decisions: GET ${ctx.stack.apiUrl}/api/v1/models/churn/rollout/history · registry history: GET ${ctx.stack.apiUrl}/api/v1/registry/models/churn/history.`,
        ],
      };
    },
  };
}

export const badCandidateScenario: DemoScenario = createBadCandidateScenario();
