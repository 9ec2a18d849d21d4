import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CHURN_MODEL_NAME } from '../../feature-schema.js';
import type { RetrainResult } from '../../retrain.js';
import { DEMO_ACTOR, firstStepCheck, registerChampion, releaseCandidate, seconds, startRolloutServer } from '../canary-release.js';
import { alertmanagerPayload } from '../alert-webhook.js';
import type { DemoCheck, DemoContext, DemoScenario } from '../demo-scenario.js';
import type { Observation } from '../drift-observer.js';
import { lifecycleApi, type ApiDispatch, type ApiRetraining } from '../lifecycle-api.js';
import { playWhile, waitFor } from '../play-while.js';
import { runRetrainJob, type RetrainJobOutcome } from '../retrain-job.js';
import { mountRetrainingReceiver } from '../retraining-receiver.js';
import { DEFAULT_ROLLOUT_TIMINGS, ROLLOUT_STEPS, rolloutSection, shortenedRolloutLines, type RolloutTimings } from '../rollout-settings.js';
import { watchRollout, type RolloutWatchResult } from '../rollout-watch.js';
import { createTimeline } from '../timeline.js';

/** The webhook target's name in the aggregator config, and the receiver's path on the demo's hooks endpoint. */
export const RETRAIN_TARGET = 'demo-receiver';
export const RECEIVER_PATH = '/retrain';

export interface RetrainScenarioOptions {
  readonly timings: RolloutTimings;
  /** how long performance must stay below the SLA before the trigger fires (`performance.sustained_for`) */
  readonly sustainedFor: string;
  /** `cooldown` of the retraining policy (default 6h); longer than the demo, so a second incident must wait */
  readonly cooldown: string;
  /** the retrain script's rolling window (`--window`, default 7d) */
  readonly retrainWindow: string;
  /** the retrain script's `--min-records` (default 500) */
  readonly retrainMinRecords: number;
  /** longest the concept drift plays before the dispatch must have happened */
  readonly maxDriftSeconds: number;
  /** how long the drift keeps going after the promotion, to show no second retraining comes */
  readonly holdSeconds: number;
  /** the secret the receiver verifies with; default the webhook target's (another one breaks the loop: for tests) */
  readonly receiverSecret?: string;
}

export const DEFAULT_RETRAIN_OPTIONS: RetrainScenarioOptions = {
  timings: DEFAULT_ROLLOUT_TIMINGS,
  sustainedFor: '5s',
  cooldown: '10m',
  retrainWindow: '8s',
  retrainMinRecords: 300,
  maxDriftSeconds: 40,
  holdSeconds: 3,
};

/** The aggregator config of the scenario: a data directory on disk (the retrain job opens the same registry file), records, the webhook target and the policy. */
function configureRetrain(o: RetrainScenarioOptions) {
  return (config: Record<string, unknown>, env: { readonly hooksUrl: string; readonly workDir: string }): Record<string, unknown> => {
    const models = (config['models'] ?? {}) as Record<string, Record<string, unknown>>;
    return {
      ...config,
      dataDir: join(env.workDir, 'aggregator-data'),
      records: { enabled: true },
      // POST /api/v1/alerts (Alertmanager's webhook) checks it
      alertsSecret: randomBytes(24).toString('hex'),
      retraining: {
        targets: [{ kind: 'webhook', name: RETRAIN_TARGET, url: `${env.hooksUrl}${RECEIVER_PATH}`, secret: randomBytes(24).toString('hex') }],
        retry: { max_attempts: 3, initial_delay_ms: 200, max_delay_ms: 1000, max_total_ms: 5000, attempt_timeout_ms: 5000 },
      },
      rollout: rolloutSection(o.timings),
      models: {
        ...models,
        [CHURN_MODEL_NAME]: {
          ...models[CHURN_MODEL_NAME],
          // the objectives default to the SLA (min_accuracy, min_roc_auc)
          retraining: { cooldown: o.cooldown, performance: { min_samples: 200, sustained_for: o.sustainedFor }, alerts: true, targets: [RETRAIN_TARGET] },
        },
      },
    };
  };
}

function performanceText(o: Observation): string {
  const acc = o.window.performance.metrics['accuracy'];
  const auc = o.window.performance.metrics['roc_auc'];
  return acc === undefined ? 'no performance yet' : `v1 accuracy ${acc.toFixed(3)} (SLA ≥ ${o.sla['min_accuracy'] ?? '—'}), ROC AUC ${auc?.toFixed(3) ?? '—'}`;
}

const belowSla = (o: Observation): boolean =>
  Object.entries({ accuracy: o.sla['min_accuracy'], roc_auc: o.sla['min_roc_auc'] }).some(([m, min]) => {
    const v = o.window.performance.metrics[m];
    return min !== undefined && v !== undefined && v < min;
  });

/** What `POST /api/v1/alerts` answered to the forwarded SLA alerts. */
interface AlertsAnswer {
  readonly status: number;
  readonly alerts: number;
  readonly firing: number;
  readonly retrainings: number;
}

/**
 * Forwards the SLA alerts the demo's threshold rules fired to `POST /api/v1/alerts`, as one Alertmanager
 * notification (grouped by alertname and model), with the shared secret: a second incident of the same breach.
 */
async function forwardSlaAlerts(ctx: DemoContext, apiUrl: string, secret: string | undefined): Promise<AlertsAnswer | undefined> {
  const fired = ctx.alerts.firedWith('DriftwatchPerformanceBelowSLA');
  if (fired.length === 0 || secret === undefined) return undefined;
  const payloads = fired.map((a) => alertmanagerPayload(a, `${apiUrl}/`) as { alerts: unknown[] });
  const notification = { ...payloads[0], alerts: payloads.flatMap((p) => p.alerts) };
  const response = await fetch(`${apiUrl}/api/v1/alerts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify(notification),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as { alerts?: number; firing?: number; retrainings?: unknown[] };
  return { status: response.status, alerts: body.alerts ?? 0, firing: body.firing ?? 0, retrainings: body.retrainings?.length ?? 0 };
}

interface Story {
  dispatch?: ApiDispatch;
  alerts?: AlertsAnswer;
  job?: RetrainJobOutcome;
  jobError?: string;
  watch?: RolloutWatchResult;
  champion?: string | null;
  /** why the loop stopped early */
  broke?: string;
}

/** `driftwatch demo --scenario retrain`, with its timings as options (the tests shorten them). */
export function createRetrainScenario(options: Partial<RetrainScenarioOptions> = {}): DemoScenario {
  const o: RetrainScenarioOptions = { ...DEFAULT_RETRAIN_OPTIONS, ...options };
  return {
    name: 'retrain',
    summary: 'concept drift → one retraining dispatched to a signed webhook → retrain.ts registers v2 → canary 10% → promoted to 100%',
    configure: configureRetrain(o),
    async run(ctx) {
      const timeline = createTimeline((line) => ctx.log(line));
      const shortened = [
        ...shortenedRolloutLines(o.timings, ctx.settings.ratePerSecond),
        `retraining: performance below the SLA for ${o.sustainedFor} fires (docs example 15m), cooldown ${o.cooldown} (default 6h), dispatch retries from 200 ms (default 500 ms); the demo's SLA alerts are forwarded to POST /api/v1/alerts once the retraining is dispatched`,
        `retrain.ts: rolling window --window ${o.retrainWindow} (default 7d), --min-records ${o.retrainMinRecords} (default 500); prediction records sampled at 100%`,
      ];
      ctx.log('shortened for the demo:');
      for (const line of shortened) ctx.log(`  ${line}`);
      const apiUrl = ctx.stack.apiUrl;
      const api = lifecycleApi(apiUrl, CHURN_MODEL_NAME);
      const config = ctx.stack.aggregator.config;
      const target = config.retraining.targets.get(RETRAIN_TARGET);
      if (target?.kind !== 'webhook') throw new Error(`retrain scenario: the aggregator config has no webhook target ${RETRAIN_TARGET}`);
      const championVersion = await registerChampion(ctx, api);

      const receiver = mountRetrainingReceiver<RetrainJobOutcome>(ctx.stack.hooks, {
        path: RECEIVER_PATH,
        secret: o.receiverSecret ?? target.secret,
        runJob: (event) =>
          runRetrainJob(event, {
            apiUrl,
            // the embedded registry of the aggregator: <dataDir>/registry.db
            registryPath: join(config.dataDir, 'registry.db'),
            artifactsRoot: ctx.stack.artifactsRoot,
            workDir: ctx.stack.artifactsRoot,
            window: o.retrainWindow,
            minRecords: o.retrainMinRecords,
          }),
        onDelivery: (d, job) => {
          if (job) timeline.add('receiver', `POST ${RECEIVER_PATH}: HMAC-SHA256 signature verified, idempotency key ${d.idempotencyKey ?? '?'} new → HTTP 202, training job started`);
          else ctx.log(`receiver: POST ${RECEIVER_PATH} → HTTP ${d.status} (${d.verdict}): ${d.detail}`);
        },
      });
      ctx.log(`retraining receiver ${receiver.url}: the aggregator's webhook target ${RETRAIN_TARGET} (signed with a shared secret)`);
      const server = await startRolloutServer(ctx, o.timings, { sampleRate: 1 });

      await ctx.playStable({ server });

      let status = 'waiting for the SLA breach';
      let latestRetraining: ApiRetraining | undefined;
      let maxDispatches = 0;
      const suppressed = new Set<string>();
      const story: Story = {};
      const { phase } = await playWhile(
        ctx,
        {
          label: 'concept',
          traffic: 'concept',
          seed: ctx.settings.seed + 1,
          server,
          batchSize: 1,
          maxSeconds: o.maxDriftSeconds + o.timings.maxRolloutSeconds + o.holdSeconds + 20,
          focus: (obs) => `${performanceText(obs)} · ${status}`,
        },
        async (cancelled) => {
          // the audit log, all along: every dispatch and every incident the cooldown held back
          let watching = true;
          const audit = (async () => {
            while (watching) {
              try {
                const r = await api.retraining();
                latestRetraining = r;
                maxDispatches = Math.max(maxDispatches, r.dispatches.length);
                const d = r.lastDecision;
                const fresh = d?.suppressedBy === 'cooldown' ? d.incidents.filter((i) => !suppressed.has(i)) : [];
                if (d && fresh.length > 0) {
                  for (const i of fresh) suppressed.add(i);
                  timeline.add('cooldown', `new incident${fresh.length > 1 ? 's' : ''} ${fresh.join(', ')} held back: ${d.reasons.at(-1) ?? 'in cooldown'} — no second retraining`);
                }
              } catch (error) {
                ctx.log(`cannot read the retraining audit log: ${(error as Error).message}`);
              }
              await new Promise((r) => setTimeout(r, 250));
            }
          })();
          try {
            // 1. the trigger fires: one dispatch in the audit log
            story.dispatch = await waitFor(async () => latestRetraining?.dispatches.at(-1), { deadlineMs: Date.now() + o.maxDriftSeconds * 1000, cancelled });
            const d = story.dispatch;
            if (!d) {
              story.broke = `no retraining was dispatched within ${o.maxDriftSeconds} s of concept drift`;
              return;
            }
            timeline.add(
              'dispatch',
              `${d.trigger} trigger (${d.incidentId}) → webhook ${d.target}: ${d.status}${d.responseCode === null ? '' : `, HTTP ${d.responseCode}`}, ${d.attempts} attempt(s), idempotency key ${d.idempotencyKey}`,
              Date.parse(d.startedAt),
            );
            if (d.status !== 'succeeded') {
              story.broke = `the dispatch to ${d.target} ${d.status}: ${d.error ?? 'no detail'}`;
              return;
            }
            status = 'retraining';
            // the breach goes on, and Alertmanager's notification of it arrives: a new incident inside the cooldown
            story.alerts = await forwardSlaAlerts(ctx, apiUrl, config.retraining.alertsSecret);
            if (story.alerts) {
              timeline.add('alerts', `Alertmanager-style notification of ${story.alerts.alerts} firing DriftwatchPerformanceBelowSLA alert(s) → POST /api/v1/alerts: HTTP ${story.alerts.status}, ${story.alerts.retrainings} retraining(s) started`);
            }
            // 2. the receiver's job: retrain.ts on the records export
            const job = receiver.jobs[0];
            if (!job) {
              story.broke = 'the dispatch succeeded but the receiver started no job';
              return;
            }
            try {
              story.job = await job.done;
            } catch (error) {
              story.jobError = (error as Error).message;
              story.broke = `the training job failed: ${story.jobError}`;
              return;
            }
            const result = story.job.result;
            timeline.add('retrain', `retrain.ts ${result?.decision ?? `exited ${story.job.exitCode}`} in ${seconds(story.job.durationMs)}: ${(result?.reasons ?? story.job.errors).join('; ')}`);
            if (result?.decision !== 'registered' || !result.version) {
              story.broke = `retrain.ts did not register a version (${result?.decision ?? story.job.errors.join('; ')})`;
              return;
            }
            // 3. the canary
            status = 'canary';
            const candidate = result.version.version;
            const rollout = await releaseCandidate(ctx, { api, server, version: candidate, reason: `retrained after ${d.trigger} trigger ${d.incidentId}`, timeline });
            story.watch = await watchRollout({
              api,
              server,
              rolloutId: rollout.rolloutId,
              candidateVersion: candidate,
              timeline,
              log: (line) => ctx.log(line),
              deadlineMs: Date.now() + o.timings.maxRolloutSeconds * 1000,
              cancelled,
            });
            story.champion = await api.aliasVersion('champion');
            if (story.watch.final?.phase !== 'promoted') {
              story.broke = story.watch.timedOut ? `the rollout did not finish within ${o.timings.maxRolloutSeconds} s (phase ${story.watch.final?.phase ?? '?'})` : `the rollout ended ${story.watch.final?.phase ?? '?'}`;
              return;
            }
            // 4. the drift goes on (v1's window stays below the SLA): still no second retraining
            status = `promoted; holding ${o.holdSeconds} s (cooldown)`;
            await waitFor(async () => undefined, { deadlineMs: Date.now() + o.holdSeconds * 1000, cancelled });
          } finally {
            watching = false;
            await audit;
          }
        },
      );

      const final = latestRetraining ?? (await api.retraining());
      const dispatchAt = story.dispatch ? Date.parse(story.dispatch.startedAt) : undefined;
      const after = dispatchAt === undefined ? [] : ctx.observer.history.filter((x) => x.atMs > dispatchAt);
      const breachAfter = after.filter(belowSla);
      const accepted = receiver.deliveries.filter((x) => x.verdict === 'accepted');
      const rejected = receiver.deliveries.filter((x) => x.verdict === 'bad_signature');
      const result: RetrainResult | null = story.job?.result ?? null;
      const notReached = (what: string): string => `not reached: ${story.broke ?? what}`;
      const checks: DemoCheck[] = [
        {
          name: 'concept drift broke the SLA and fired the retraining trigger',
          passed: story.dispatch !== undefined,
          detail: story.dispatch
            ? `${story.dispatch.trigger} incident ${story.dispatch.incidentId}${receiver.jobs[0] ? `: ${receiver.jobs[0].event.reasons.join('; ')}` : ''}`
            : (story.broke ?? 'no dispatch'),
        },
        {
          name: 'exactly one retraining dispatched while the drift went on (cooldown respected)',
          passed:
            final.dispatches.length === 1 && maxDispatches === 1 && final.dispatches[0]?.status === 'succeeded' && accepted.length === 1 &&
            breachAfter.length >= 3 && story.alerts?.status === 200 && story.alerts.retrainings === 0 && suppressed.size > 0,
          detail:
            `${final.dispatches.length} dispatch(es) in the audit log (${final.dispatches.map((x) => `${x.target} ${x.status}`).join(', ') || 'none'}), ${accepted.length} accepted by the receiver; ` +
            `SLA still breached in ${breachAfter.length} of ${after.length} evaluations after the dispatch; ` +
            `${story.alerts ? `the forwarded alerts (HTTP ${story.alerts.status}) started ${story.alerts.retrainings} retraining(s)` : 'no alert forwarded'}, ${suppressed.size} new incident(s) held back by the cooldown; ` +
            `cooldown ${o.cooldown}, ${final.state?.inCooldown ? `${final.state.cooldownLeft ?? '?'} left` : 'not in cooldown'}`,
        },
        {
          name: 'the receiver verified the webhook signature (HMAC-SHA256)',
          passed: accepted.length > 0 && rejected.length === 0,
          detail: `${accepted.length} delivery accepted, ${rejected.length} rejected for a bad signature${rejected[0] ? ` (${rejected[0].detail})` : ''}`,
        },
        {
          name: 'retrain.ts trained on the records export and registered v2, better than the champion',
          passed: result?.decision === 'registered' && result.version?.runId === story.dispatch?.idempotencyKey,
          detail: result
            ? `${result.decision}${result.version ? ` v${result.version.version} (runId ${result.version.runId ?? 'none'})` : ''}: challenger ROC AUC ${result.challenger?.auc.toFixed(3) ?? '—'} vs champion v${result.champion?.version ?? '?'} ${result.champion?.auc.toFixed(3) ?? '—'} on the ${result.holdoutRows} newest of ${result.records} labelled records`
            : notReached('the training job'),
        },
        story.watch ? firstStepCheck(story.watch, result?.version?.version ?? '2') : { name: `canary at ${ROLLOUT_STEPS[0]}%`, passed: false, detail: notReached('the canary') },
        promotedCheck(story),
        {
          name: `champion moved to v${result?.version?.version ?? '2'} and the model server serves it`,
          passed: result?.version !== undefined && result?.version !== null && story.champion === result.version.version && story.watch?.primaryVersion === result.version.version,
          detail: story.watch ? `registry champion ${story.champion === null ? 'unset' : `v${story.champion ?? '?'}`} (was v${championVersion}); model server primary v${story.watch.primaryVersion ?? '?'}` : notReached('the promotion'),
        },
      ];
      return {
        title: 'retrain: drift → one retraining → new version → canary → promoted',
        changeStartedAtMs: phase.startedAtMs,
        checks,
        timeline: timeline.events,
        notes: [
          ...(story.broke ? [`The loop did not complete: ${story.broke}.`] : []),
          `Shortened for the demo: ${shortened.join('; ')}.`,
          `Audit log: GET ${apiUrl}/api/v1/models/churn/retraining · registry history: GET ${apiUrl}/api/v1/registry/models/churn/history · rollout decisions: GET ${apiUrl}/api/v1/models/churn/rollout/history.`,
        ],
      };
    },
  };
}

function promotedCheck(story: Story): DemoCheck {
  const name = `the analysis promoted it ${ROLLOUT_STEPS.join(' → ')} (${DEMO_ACTOR} only started it)`;
  if (!story.watch) return { name, passed: false, detail: `not reached: ${story.broke ?? 'the canary'}` };
  const moves = story.watch.events.filter((e) => e.decision === 'step' || e.decision === 'promote' || e.decision === 'rollback' || e.decision === 'pause');
  const automatic = moves.every((e) => e.source === 'analysis');
  const path = moves.map((e) => (e.decision === 'promote' ? 'promote 100%' : `${e.decision} ${e.weightPercent}%`));
  const expected = [...ROLLOUT_STEPS.slice(1, -1).map((w) => `step ${w}%`), 'promote 100%'];
  const measurements = story.watch.events.filter((e) => e.judgement !== null).length;
  return {
    name,
    passed: automatic && path.join() === expected.join() && story.watch.final?.phase === 'promoted',
    detail: `${path.join(' → ') || 'no decision'} (${measurements} measurements, phase ${story.watch.final?.phase ?? '?'})`,
  };
}

export const retrainScenario: DemoScenario = createRetrainScenario();
