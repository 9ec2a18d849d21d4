import type { Registry } from 'prom-client';
import { SnapshotCounter, SnapshotGauge, type Sample } from '../metrics/snapshot-metrics.js';
import type { Rollout } from './rollout-record.js';
import { DECISION_KINDS, DECISION_SOURCES, PHASES, VERDICTS, servedWeightPercent } from './rollout-record.js';

/** Where the rollout metrics read their rollouts at scrape time (the latest rollout of every model). */
export interface RolloutMetricsFeed {
  attach(source: () => Iterable<Rollout>): void;
}

/** The check statuses exposed as a state set (one series per status, the current one 1). */
const STATUSES = ['pass', 'fail', 'inconclusive'] as const;

/**
 * Registers the rollout metrics of docs/metrics.md on `registry` (read from the attached source on each scrape; no
 * series until a source is attached). The `version` label is the candidate's. Counter series of a rollout exist from
 * its start with 0 (so `increase()` sees the first rollback), and counts survive a restart (they are part of the
 * persisted rollout).
 */
export function registerRolloutMetrics(registry: Registry): RolloutMetricsFeed {
  let source: () => Iterable<Rollout> = () => [];
  const each = function* <L extends string>(fill: (r: Rollout) => Iterable<Sample<L>>): Generator<Sample<L>> {
    for (const r of source()) yield* fill(r);
  };
  const mv = (r: Rollout) => ({ model: r.model, version: r.candidateVersion });
  const add = (metric: object): void => registry.registerMetric(metric as never);

  add(
    new SnapshotGauge(
      { name: 'driftwatch_rollout_weight_percent', help: 'Share of live traffic the candidate gets, in percent (0 while shadowing or rolled back, 100 once promoted).', labelNames: ['model', 'version'] },
      () => each((r) => [{ labels: mv(r), value: servedWeightPercent(r) }]),
    ),
  );
  add(
    new SnapshotGauge(
      { name: 'driftwatch_rollout_phase', help: 'Phase of the latest rollout of the model (state set: the current phase is 1).', labelNames: ['model', 'version', 'phase'] },
      () => each((r) => PHASES.map((phase) => ({ labels: { ...mv(r), phase }, value: r.state.phase === phase ? 1 : 0 }))),
    ),
  );
  add(
    new SnapshotCounter(
      { name: 'driftwatch_rollout_decisions_total', help: 'Rollout decisions by kind and source (analysis or manual).', labelNames: ['model', 'version', 'decision', 'source'] },
      () => each((r) => DECISION_KINDS.flatMap((decision) => DECISION_SOURCES.map((s) => ({ labels: { ...mv(r), decision, source: s }, value: r.decisionCounts[`${decision}|${s}`] ?? 0 })))),
    ),
  );
  add(
    new SnapshotCounter(
      { name: 'driftwatch_rollout_measurements_total', help: 'Canary measurements judged, by verdict.', labelNames: ['model', 'version', 'verdict'] },
      () => each((r) => VERDICTS.map((verdict) => ({ labels: { ...mv(r), verdict }, value: r.measurementCounts[verdict] ?? 0 }))),
    ),
  );
  add(
    new SnapshotGauge(
      { name: 'driftwatch_rollout_check_status', help: 'Result of each check of the last measurement (state set: the current status is 1).', labelNames: ['model', 'version', 'check', 'status'] },
      () =>
        each((r) =>
          (r.lastJudgement?.checks ?? []).flatMap((c) => STATUSES.map((status) => ({ labels: { ...mv(r), check: c.check, status }, value: c.status === status ? 1 : 0 }))),
        ),
    ),
  );
  add(
    new SnapshotGauge(
      {
        name: 'driftwatch_rollout_check_value',
        help: 'Value of each check of the last measurement for the primary and the candidate (error ratio, latency quantile in seconds, drift score, agreement rate, performance).',
        labelNames: ['model', 'version', 'check', 'variant'],
      },
      () =>
        each((r) =>
          (r.lastJudgement?.checks ?? []).flatMap((c) => {
            const out: Sample<'model' | 'version' | 'check' | 'variant'>[] = [];
            if (c.primary !== null && Number.isFinite(c.primary)) out.push({ labels: { ...mv(r), check: c.check, variant: 'primary' }, value: c.primary });
            if (c.candidate !== null && Number.isFinite(c.candidate)) out.push({ labels: { ...mv(r), check: c.check, variant: 'candidate' }, value: c.candidate });
            return out;
          }),
        ),
    ),
  );
  add(
    new SnapshotGauge(
      { name: 'driftwatch_rollout_last_measurement_timestamp_seconds', help: 'Unix time of the last judged measurement.', labelNames: ['model', 'version'] },
      () => each((r) => (r.lastJudgement ? [{ labels: mv(r), value: r.lastJudgement.atMs / 1000 }] : [])),
    ),
  );
  add(
    new SnapshotGauge(
      { name: 'driftwatch_rollout_alias_sync_pending', help: '1 while a promotion or rollback could not be written to the registry yet (retried every interval).', labelNames: ['model', 'version'] },
      () => each((r) => [{ labels: mv(r), value: r.aliasSync ? 1 : 0 }]),
    ),
  );
  return {
    attach(next) {
      source = next;
    },
  };
}
