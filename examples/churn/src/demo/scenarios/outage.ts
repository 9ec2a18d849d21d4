import type { DemoCheck, DemoScenario } from '../demo-scenario.js';
import type { Observation } from '../drift-observer.js';
import { alertFiredCheck, CHURN_FEATURES, notDriftedChecks } from '../scenario-checks.js';
import { ALERT_RULES } from '../threshold-alerts.js';

function silenceFocus(o: Observation): string {
  return o.lastSeenMs === undefined ? 'no prediction seen yet' : `last prediction ${((o.atMs - o.lastSeenMs) / 1000).toFixed(1)} s ago (alert at ≥ ${ALERT_RULES.outageSeconds} s)`;
}

/** A data outage: traffic stops. The outage alert must fire; the data already in the window does not drift. */
export const outageScenario: DemoScenario = {
  name: 'outage',
  summary: `stable traffic, then traffic stops: the data-outage alert fires after ${ALERT_RULES.outageSeconds} s of silence`,
  async run(ctx) {
    await ctx.playStable();
    const change = await ctx.playPhase({
      label: 'outage',
      traffic: 'outage',
      maxSeconds: ctx.settings.maxChangeSeconds,
      until: () => ctx.alerts.firedWith('DriftwatchModelDataOutage').length > 0,
      focus: silenceFocus,
    });
    const final = ctx.observer.latest ?? (await ctx.settle());
    const frozen: DemoCheck = {
      name: 'the aggregator saw the traffic stop',
      passed: final.lastSeenMs !== undefined && final.lastSeenMs <= change.startedAtMs + 2_000,
      detail: silenceFocus(final),
    };
    return {
      title: 'outage: traffic stops after stable traffic',
      changeStartedAtMs: change.startedAtMs,
      checks: [alertFiredCheck(ctx.alerts, 'DriftwatchModelDataOutage', {}, 'data outage'), frozen, ...notDriftedChecks(final, ctx.alerts, CHURN_FEATURES)],
    };
  },
};
