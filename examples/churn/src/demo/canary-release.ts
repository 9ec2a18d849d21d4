/**
 * The steps and checks the two rollout scenarios share: the trained v1 registered as `champion`, a model server that
 * follows the rollout (canary arm, `champion` alias with a loader), the release of a candidate (deployed on the
 * model server, its reference pushed, its rollout started at the first step), and the checks on what the SDK did.
 */
import { CHURN_MODEL_NAME } from '../feature-schema.js';
import { loadArtifact } from '../model/artifact.js';
import type { ModelServer } from '../server.js';
import type { DemoCheck, DemoContext } from './demo-scenario.js';
import type { ApiRollout, LifecycleApi } from './lifecycle-api.js';
import { ROLLOUT_STEPS, type RolloutTimings } from './rollout-settings.js';
import type { RolloutWatchResult } from './rollout-watch.js';
import type { Timeline } from './timeline.js';

/** Who the demo's own registry and rollout changes are made by (the registry's history keeps it). */
export const DEMO_ACTOR = 'driftwatch-demo';

/** Registers the stack's trained model as the registry's first version and points `champion` at it. */
export async function registerChampion(ctx: DemoContext, api: LifecycleApi): Promise<string> {
  const trained = ctx.stack.trained;
  const v = await api.registerVersion({
    artifactUri: trained.dir,
    metrics: { auc: trained.artifact.metrics.auc, accuracy: trained.artifact.metrics.accuracy },
    description: `trained on ${trained.artifact.trainingRows} synthetic rows`,
    by: DEMO_ACTOR,
    reason: 'the model in production when the demo starts',
  });
  if (v.version !== trained.artifact.version) throw new Error(`the registry numbered the trained model ${v.version}, but it is served as v${trained.artifact.version}`);
  await api.setAlias('champion', v.version, DEMO_ACTOR, 'first version');
  ctx.log(`registered churn v${v.version} (${trained.dir}) in the aggregator's embedded registry as champion`);
  return v.version;
}

/** A model server of v1 that follows the rollout API (canary) and the `champion` alias (loading new versions). */
export async function startRolloutServer(ctx: DemoContext, timings: RolloutTimings, records?: { sampleRate: number }): Promise<ModelServer> {
  const server = await ctx.stack.startModelServer({
    artifactDir: ctx.stack.trained.dir,
    ...(records === undefined ? {} : { records }),
    rollout: { apiUrl: ctx.stack.apiUrl, pollIntervalMillis: timings.sdkPollMillis },
  });
  ctx.log(
    `model server ${server.url}: monitor(v1, { alias: 'champion', load, canary: { key: request id }${records ? `, records: { sampleRate: ${records.sampleRate} }` : ''} }) polling ${ctx.stack.apiUrl} every ${timings.sdkPollMillis / 1000} s`,
  );
  return server;
}

/** Deploys `version` as the model server's canary candidate, pushes its reference and starts its rollout. */
export async function releaseCandidate(
  ctx: DemoContext,
  o: { readonly api: LifecycleApi; readonly server: ModelServer; readonly version: string; readonly reason: string; readonly timeline: Timeline },
): Promise<ApiRollout & { readonly rolloutId: number }> {
  const versions = await o.api.versions();
  const registered = versions.find((v) => v.version === o.version);
  if (!registered) throw new Error(`version ${o.version} of ${CHURN_MODEL_NAME} is not in the registry`);
  const artifact = await o.server.deployCandidate(o.version);
  const { reference } = await loadArtifact(registered.artifactUri);
  await ctx.stack.pushReference(reference);
  o.timeline.add('deploy', `v${artifact.version} loaded on the model server as the canary's candidate (from the registry's artifactUri); its reference profile pushed`);
  const rollout = await o.api.startRollout({ candidateVersion: o.version, by: DEMO_ACTOR, reason: o.reason });
  if (rollout.rolloutId === undefined) throw new Error('the rollout API answered without a rolloutId');
  o.timeline.add('canary', `rollout #${rollout.rolloutId} started: v${o.version} at ${rollout.weightPercent}% against champion v${rollout.primaryVersion ?? '?'} (PUT /api/v1/models/churn/rollout)`);
  return { ...rollout, rolloutId: rollout.rolloutId };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** The SDK applied the first step's weight and routed about that share of the requests to the canary. */
export function firstStepCheck(watch: RolloutWatchResult | undefined, candidate: string): DemoCheck {
  const first = ROLLOUT_STEPS[0] / 100;
  const name = `canary at ${ROLLOUT_STEPS[0]}%: the SDK routed about ${ROLLOUT_STEPS[0]}% of requests to v${candidate} by key hash`;
  const period = watch?.periods.find((p) => p.weight === first);
  if (!period) return { name, passed: false, detail: watch ? `the SDK never applied weight ${first} (weights: ${watch.periods.map((p) => p.weight).join(', ') || 'none'})` : 'the rollout never started' };
  const total = period.canaryCalls + period.primaryCalls;
  const share = total === 0 ? 0 : period.canaryCalls / total;
  // ±5 points: over a few hundred requests the hash split is within ~2 points of the weight
  const passed = period.canaryCalls > 0 && Math.abs(share - first) <= 0.05;
  return { name, passed, detail: `${period.canaryCalls} of ${total} requests (${pct(share)}) served by the canary while the SDK applied weight ${first}` };
}

/** `n` ms as `1.2 s`. */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
