import { DEFAULT_NEW_CATEGORY_SHARE, DEFAULT_NEW_PAYMENT_METHOD } from '../../scenarios.js';
import type { DemoCheck, DemoScenario } from '../demo-scenario.js';
import type { Observation } from '../drift-observer.js';
import { featureOf } from '../drift-observer.js';
import { alertFiredCheck, featuresExcept, notDriftedChecks } from '../scenario-checks.js';

function newCategoryFocus(o: Observation): string {
  const ratio = featureOf(o, 'payment_method')?.newCategoryRatio;
  return ratio === null || ratio === undefined ? 'payment_method: no data-quality verdict yet' : `payment_method new categories ${(ratio * 100).toFixed(1)}%`;
}

/** Categories of a feature's current distribution that the reference never had. */
function unseenCategories(o: Observation, feature: string): string[] {
  const d = featureOf(o, feature)?.distribution;
  if (d?.kind !== 'categorical') return [];
  return d.categories.filter((c) => (c.reference ?? 0) === 0 && (c.current ?? 0) > 0).map((c) => c.key);
}

/** A new payment method appears: a data-quality (new category) alert on payment_method; other features unaffected. */
export const newCategoryScenario: DemoScenario = {
  name: 'new-category',
  summary: `stable traffic, then ${DEFAULT_NEW_CATEGORY_SHARE * 100}% of customers pay by "${DEFAULT_NEW_PAYMENT_METHOD}" (unseen in training): a new-category alert on payment_method`,
  async run(ctx) {
    await ctx.playStable();
    const change = await ctx.playPhase({
      label: 'new-category',
      traffic: 'new-category',
      seed: ctx.settings.seed + 1,
      maxSeconds: ctx.settings.maxChangeSeconds,
      until: () => ctx.alerts.firedWith('DriftwatchNewCategories', { feature: 'payment_method' }).length > 0,
      focus: newCategoryFocus,
    });
    const final = await ctx.settle();
    const unseen = unseenCategories(final, 'payment_method');
    const named: DemoCheck = {
      name: `the report names the new category "${DEFAULT_NEW_PAYMENT_METHOD}"`,
      passed: unseen.includes(DEFAULT_NEW_PAYMENT_METHOD),
      detail: unseen.length === 0 ? 'no unseen category in the current distribution' : `unseen: ${unseen.join(', ')}`,
    };
    return {
      title: `new-category: "${DEFAULT_NEW_PAYMENT_METHOD}" appears in payment_method`,
      changeStartedAtMs: change.startedAtMs,
      checks: [
        alertFiredCheck(ctx.alerts, 'DriftwatchNewCategories', { feature: 'payment_method' }, 'new categories in payment_method'),
        named,
        ...notDriftedChecks(final, ctx.alerts, featuresExcept('payment_method')),
      ],
      notes: [newCategoryFocus(final)],
    };
  },
};
