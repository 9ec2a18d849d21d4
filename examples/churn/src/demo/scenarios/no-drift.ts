import type { DemoScenario } from '../demo-scenario.js';
import { CHURN_FEATURES, meetsSlaCheck, noAlertsCheck, notDriftedChecks } from '../scenario-checks.js';

/** The control: the training distribution throughout. Nothing may drift and no alert may fire. */
export const noDriftScenario: DemoScenario = {
  name: 'no-drift',
  summary: 'stable traffic throughout: no feature drifts, no alert fires, performance meets the SLA',
  async run(ctx) {
    await ctx.playStable();
    const more = await ctx.playPhase({ label: 'no-drift', traffic: 'no-drift', seed: ctx.settings.seed + 1, maxSeconds: Math.min(10, ctx.settings.maxChangeSeconds) });
    const final = await ctx.settle();
    return {
      title: 'no-drift: the training distribution throughout',
      changeStartedAtMs: more.startedAtMs,
      checks: [...notDriftedChecks(final, ctx.alerts, CHURN_FEATURES), noAlertsCheck(ctx.alerts), meetsSlaCheck(final)],
    };
  },
};
