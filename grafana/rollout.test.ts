/**
 * The rollout dashboard shows what an on-call needs about a canary: weight, phase, decisions, every check of the
 * analysis (candidate vs primary) and the live traffic of both versions by role. Generation, datasource and live
 * PromQL checks of every dashboard are in dashboards.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ROLLOUT_UID, rolloutDashboard } from './src/index.js';

interface PanelJson {
  type: string;
  title?: string;
  targets?: Array<{ expr?: string }>;
}

describe('rollout dashboard', () => {
  const d = rolloutDashboard() as unknown as { uid: string; panels: PanelJson[]; templating: { list: Array<{ name: string; query?: unknown }> } };
  const panels = d.panels.filter((p) => p.type !== 'row');
  const exprs = (title: string): string => (panels.find((p) => p.title === title)?.targets ?? []).map((t) => t.expr ?? '').join('\n');

  it('is selected by model and candidate version', () => {
    expect(d.uid).toBe(ROLLOUT_UID);
    expect(d.templating.list.map((v) => [v.name, v.query])).toEqual([
      ['model', 'label_values(driftwatch_rollout_weight_percent, model)'],
      ['version', 'label_values(driftwatch_rollout_weight_percent{model="$model"}, version)'],
    ]);
  });

  it('shows the weight, the phase, the decisions and the registry sync', () => {
    expect(exprs('Canary weight')).toContain('driftwatch_rollout_weight_percent{model="$model", version="$version"}');
    expect(exprs('Phase')).toContain('driftwatch_rollout_phase{model="$model", version="$version", phase="rolled_back"}');
    expect(exprs('Decisions')).toContain('sum by (decision, source) (increase(driftwatch_rollout_decisions_total');
    expect(exprs('Registry sync')).toContain('driftwatch_rollout_alias_sync_pending');
    expect(panels.filter((p) => p.title === 'Phase').map((p) => p.type).sort()).toEqual(['stat', 'state-timeline']);
  });

  it('compares candidate and primary on every check of the analysis', () => {
    expect(exprs('Checks of the last measurement')).toContain('driftwatch_rollout_check_status');
    for (const [title, check] of [
      ['Error ratio', 'error_rate'],
      ['Latency p95', 'latency'],
      ['Prediction drift (PSI)', 'prediction_drift'],
      ['Shadow agreement', 'agreement'],
    ]) {
      expect(exprs(title as string), title).toContain(`check="${check}"`);
    }
    expect(exprs('Performance once labels came')).toContain('check=~"performance.*"');
  });

  it('shows the live traffic, errors and latency of both versions by role', () => {
    expect(exprs('Traffic split')).toContain('sum by (version, role) (rate(driftwatch_predictions_total{model="$model"}');
    expect(exprs('Error ratio by role')).toContain('driftwatch_prediction_errors_total');
    expect(exprs('Latency p95 by role')).toContain('driftwatch_prediction_duration_seconds_bucket');
  });
});
