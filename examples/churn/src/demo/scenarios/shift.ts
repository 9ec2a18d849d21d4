import { DEFAULT_MONTHLY_CHARGES_FACTOR } from '../../scenarios.js';
import { featureFocus } from '../demo-context.js';
import type { DemoScenario } from '../demo-scenario.js';
import { alertFiredCheck, driftedCheck, featuresExcept, notDriftedChecks } from '../scenario-checks.js';

/** Seconds the shift plays at least (detection usually comes within 5 s). */
const SHIFT_MIN_SECONDS = 10;

/** The classic: a price rise moves `monthly_charges` by +15%; the aggregator flags it, and nothing unrelated. */
export const shiftScenario: DemoScenario = {
  name: 'shift',
  summary: `stable traffic, then monthly_charges ×${DEFAULT_MONTHLY_CHARGES_FACTOR} (a price rise): data drift on monthly_charges only`,
  async run(ctx) {
    const stable = await ctx.playStable();
    const change = await ctx.playPhase({
      label: 'shift',
      traffic: 'shift',
      seed: ctx.settings.seed + 1,
      // play on after detection so the shifted rows outweigh the stable ones in the window
      minSeconds: SHIFT_MIN_SECONDS,
      maxSeconds: Math.max(SHIFT_MIN_SECONDS, ctx.settings.maxChangeSeconds),
      until: () => ctx.alerts.firedWith(undefined, { feature: 'monthly_charges' }).length > 0,
      focus: featureFocus('monthly_charges'),
    });
    const final = await ctx.settle();
    return {
      title: `shift: monthly_charges +${Math.round((DEFAULT_MONTHLY_CHARGES_FACTOR - 1) * 100)}% after stable traffic`,
      changeStartedAtMs: change.startedAtMs,
      checks: [
        driftedCheck(final, 'monthly_charges'),
        alertFiredCheck(ctx.alerts, 'DriftwatchImportantFeatureDrift', { feature: 'monthly_charges' }, 'monthly_charges drift'),
        // total_charges is tenure × monthly_charges: it shifts too, so it is reported but not judged
        ...notDriftedChecks(final, ctx.alerts, featuresExcept('monthly_charges', 'total_charges')),
      ],
      notes: [
        `The ${final.window.window} window holds both phases (${stable.traffic.predicted.toLocaleString('en-US')} stable and ${change.traffic.predicted.toLocaleString('en-US')} shifted predictions), so its means mix them; the shifted rows alone are +${Math.round((DEFAULT_MONTHLY_CHARGES_FACTOR - 1) * 100)}%.`,
        'total_charges is derived from monthly_charges (≈ tenure × monthly charge), so it moves with it; it is reported, not judged.',
      ],
    };
  },
};
