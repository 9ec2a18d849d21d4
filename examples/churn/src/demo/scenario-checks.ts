/** Checks shared by the demo scenarios, each judged on what the aggregator reported. */
import { CHURN_FEATURE_SCHEMA } from '../feature-schema.js';
import type { DemoCheck } from './demo-scenario.js';
import { describeResult } from './drift-api.js';
import { featureOf, type Observation } from './drift-observer.js';
import type { AlertTracker } from './threshold-alerts.js';

/** Every monitored feature of the churn model. */
export const CHURN_FEATURES: readonly string[] = Object.keys(CHURN_FEATURE_SCHEMA);

/** The churn features other than `except`. */
export function featuresExcept(...except: string[]): string[] {
  return CHURN_FEATURES.filter((f) => !except.includes(f));
}

/** `feature` is flagged as drifted in the final evaluation. */
export function driftedCheck(final: Observation, feature: string): DemoCheck {
  const f = featureOf(final, feature);
  if (!f?.drift) return { name: `${feature} drifted`, passed: false, detail: f ? `no verdict (${f.samples} values, need ${final.window.minSamples})` : 'not in the report' };
  return { name: `${feature} drifted`, passed: f.drift.drifted, detail: describeResult(f.drift) };
}

/** Each of `features` has a verdict in the final evaluation, not drifted, and no drift alert fired for it. */
export function notDriftedChecks(final: Observation, alerts: AlertTracker, features: readonly string[]): DemoCheck[] {
  return features.map((feature) => {
    const f = featureOf(final, feature);
    const fired = [...alerts.firedWith('DriftwatchFeatureDrift', { feature }), ...alerts.firedWith('DriftwatchImportantFeatureDrift', { feature })];
    if (!f?.drift) return { name: `${feature} did not drift`, passed: false, detail: f ? `no verdict (${f.samples} values)` : 'not in the report' };
    if (fired.length > 0) return { name: `${feature} did not drift`, passed: false, detail: `a drift alert fired: ${fired[0]?.summary ?? ''}` };
    return { name: `${feature} did not drift`, passed: !f.drift.drifted, detail: describeResult(f.drift) };
  });
}

/** An alert of `name` with `labels` fired. */
export function alertFiredCheck(alerts: AlertTracker, name: Parameters<AlertTracker['firedWith']>[0], labels: Record<string, string>, what: string): DemoCheck {
  const fired = alerts.firedWith(name, labels)[0];
  return { name: `threshold alert fired: ${what}`, passed: fired !== undefined, detail: fired ? fired.summary : `no ${name ?? 'alert'} fired` };
}

/** No threshold alert fired at all. */
export function noAlertsCheck(alerts: AlertTracker): DemoCheck {
  return { name: 'no threshold alert fired', passed: alerts.fired.length === 0, detail: alerts.fired.length === 0 ? 'none' : alerts.fired.map((a) => a.name).join(', ') };
}

/** Live performance meets the SLA (both accuracy and ROC AUC at or above their objectives). */
export function meetsSlaCheck(final: Observation): DemoCheck {
  const m = final.window.performance.metrics;
  const acc = m['accuracy'];
  const auc = m['roc_auc'];
  const minAcc = final.sla['min_accuracy'];
  const minAuc = final.sla['min_roc_auc'];
  if (acc === undefined || auc === undefined) return { name: 'performance meets the SLA', passed: false, detail: `not measured (${final.window.performance.feedbackSamples} labels)` };
  const passed = (minAcc === undefined || acc >= minAcc) && (minAuc === undefined || auc >= minAuc);
  return { name: 'performance meets the SLA', passed, detail: `accuracy ${acc.toFixed(3)} (SLA ≥ ${minAcc ?? '—'}), ROC AUC ${auc.toFixed(3)} (SLA ≥ ${minAuc ?? '—'})` };
}
