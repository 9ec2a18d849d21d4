import type { DemoCheck, DemoScenario } from '../demo-scenario.js';
import { describeResult } from '../drift-api.js';
import type { Observation } from '../drift-observer.js';
import { alertFiredCheck, CHURN_FEATURES, notDriftedChecks } from '../scenario-checks.js';

function performanceFocus(o: Observation): string {
  const m = o.window.performance.metrics;
  const acc = m['accuracy'];
  const auc = m['roc_auc'];
  return acc === undefined ? 'no performance yet' : `accuracy ${acc.toFixed(3)} (SLA ≥ ${o.sla['min_accuracy'] ?? '—'}), ROC AUC ${auc?.toFixed(3) ?? '—'}`;
}

/** Concept drift: the features stay put, the label relation changes. Only the joined feedback reveals it. */
export const conceptScenario: DemoScenario = {
  name: 'concept',
  summary: 'stable traffic, then the churn relation changes (features unchanged): performance drops below the SLA, no data drift',
  async run(ctx) {
    await ctx.playStable();
    const change = await ctx.playPhase({
      label: 'concept',
      traffic: 'concept',
      seed: ctx.settings.seed + 1,
      maxSeconds: ctx.settings.maxChangeSeconds,
      until: () => ctx.alerts.firedWith('DriftwatchPerformanceBelowSLA').length > 0,
      focus: performanceFocus,
    });
    const final = await ctx.settle();
    const score = final.window.outputs.find((o) => o.output === 'score');
    const scoreCheck: DemoCheck = score?.drift
      ? { name: 'the score distribution did not drift (only the labels changed)', passed: !score.drift.drifted, detail: describeResult(score.drift) }
      : { name: 'the score distribution did not drift (only the labels changed)', passed: false, detail: 'no verdict on output score' };
    return {
      title: 'concept: the churn relation changes, the features do not',
      changeStartedAtMs: change.startedAtMs,
      checks: [
        alertFiredCheck(ctx.alerts, 'DriftwatchPerformanceBelowSLA', {}, 'performance below the SLA'),
        ...notDriftedChecks(final, ctx.alerts, CHURN_FEATURES),
        scoreCheck,
      ],
      notes: [`live performance at the end: ${performanceFocus(final)}`],
    };
  },
};
