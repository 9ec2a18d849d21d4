import type { DispatchRecord, DispatchStatus, TriggerKind } from '@driftwatch/lifecycle';
import type { Registry } from 'prom-client';
import type { RetrainingConfig } from './retraining-config.js';
import { SnapshotCounter, SnapshotGauge, type Sample } from '../metrics/snapshot-metrics.js';
import type { Db } from '../persistence/database.js';

export const DISPATCH_STATUSES: readonly DispatchStatus[] = ['succeeded', 'duplicate', 'failed', 'skipped'];
export const TRIGGER_KINDS: readonly TriggerKind[] = ['alert', 'performance', 'drift', 'volume', 'schedule'];

/** Why a failed dispatch failed, for `driftwatch_retraining_dispatch_failures_total{reason}`. */
export type FailureReason = 'network' | 'http_4xx' | 'http_5xx';

export function failureReason(responseCode: number | null): FailureReason {
  if (responseCode === null) return 'network';
  return responseCode >= 500 ? 'http_5xx' : 'http_4xx';
}

export interface RetrainingMetrics {
  /** Counts one finished dispatch (the dispatcher's `onDispatch`). */
  countDispatch(record: DispatchRecord): void;
  /** Counts one retraining requested by a firing trigger decision. */
  countRequest(model: string, trigger: TriggerKind): void;
}

export interface RetrainingMetricSources {
  /** Unix ms of each model's last requested retraining. */
  lastRequested(): Iterable<readonly [string, number]>;
  /** Dispatches decided and not finished. */
  pending(): number;
}

/** The registered retraining metrics; the retraining loop attaches its database and state at start. */
export interface RetrainingMetricsFeed extends RetrainingMetrics {
  /** Re-reads the dispatch counters from the audit log (so they never go backwards over a restart) and reads the loop's state from now on. */
  attach(db: Db, sources: RetrainingMetricSources): void;
}

const key = (...parts: string[]): string => parts.join('\n');
const parts = (k: string): string[] => k.split('\n');

/**
 * Registers the retraining metrics on the aggregator's registry:
 * `driftwatch_retraining_dispatches_total{model,target,status}` and
 * `driftwatch_retraining_dispatch_failures_total{model,target,reason}` — seeded from the audit log at start, so
 * they never go backwards over a restart, and every configured (model, target) pair is exposed at 0 from the
 * start so `increase()` sees the first failure —, `driftwatch_retraining_requests_total{model,trigger}`,
 * `driftwatch_retraining_last_request_timestamp_seconds{model}` and `driftwatch_retraining_pending_dispatches`.
 */
export function registerRetrainingMetrics(registry: Registry, config: RetrainingConfig): RetrainingMetricsFeed {
  const dispatches = new Map<string, number>();
  const failures = new Map<string, number>();
  const requests = new Map<string, number>();
  let sources: RetrainingMetricSources | undefined;
  const zero = (): void => {
    dispatches.clear();
    failures.clear();
    for (const [model, policy] of config.policies) {
      for (const target of policy.targets) for (const status of DISPATCH_STATUSES) dispatches.set(key(model, target, status), 0);
      for (const trigger of TRIGGER_KINDS) if (!requests.has(key(model, trigger))) requests.set(key(model, trigger), 0);
    }
  };
  zero();
  const samples = <L extends string>(map: Map<string, number>, names: readonly L[]) => (): Sample<L>[] =>
    [...map].map(([k, value]) => {
      const values = parts(k);
      return { labels: Object.fromEntries(names.map((n, i) => [n, values[i] ?? ''])) as Record<L, string>, value };
    });
  registry.registerMetric(
    new SnapshotCounter(
      { name: 'driftwatch_retraining_dispatches_total', help: 'Retraining dispatches by model, target and status (succeeded, duplicate, failed, skipped).', labelNames: ['model', 'target', 'status'] },
      samples(dispatches, ['model', 'target', 'status'] as const),
    ) as never,
  );
  registry.registerMetric(
    new SnapshotCounter(
      { name: 'driftwatch_retraining_dispatch_failures_total', help: 'Failed retraining dispatches (after all retries) by reason: network, http_4xx, http_5xx.', labelNames: ['model', 'target', 'reason'] },
      samples(failures, ['model', 'target', 'reason'] as const),
    ) as never,
  );
  registry.registerMetric(
    new SnapshotCounter(
      { name: 'driftwatch_retraining_requests_total', help: 'Retrainings requested by a firing trigger, by trigger kind (since the aggregator started).', labelNames: ['model', 'trigger'] },
      samples(requests, ['model', 'trigger'] as const),
    ) as never,
  );
  registry.registerMetric(
    new SnapshotGauge({ name: 'driftwatch_retraining_last_request_timestamp_seconds', help: 'Unix time of the last retraining requested for the model.', labelNames: ['model'] }, () =>
      [...(sources?.lastRequested() ?? [])].map(([model, ms]) => ({ labels: { model }, value: ms / 1000 })),
    ) as never,
  );
  registry.registerMetric(
    new SnapshotGauge({ name: 'driftwatch_retraining_pending_dispatches', help: 'Retraining dispatches decided and not finished (in flight or waiting for a retry).', labelNames: [] }, () => [
      { labels: {}, value: sources?.pending() ?? 0 },
    ]) as never,
  );
  const bump = (map: Map<string, number>, k: string, by = 1): void => {
    map.set(k, (map.get(k) ?? 0) + by);
  };
  return {
    attach(db, s) {
      sources = s;
      zero();
      // the lifecycle audit log's table (packages/lifecycle/src/audit-log.ts), already created by createAuditLog
      const rows = db.prepare('SELECT model, target, status, response_code AS code, count(*) AS n FROM lifecycle_dispatch_audit GROUP BY model, target, status, response_code').all() as Array<{
        model: string;
        target: string;
        status: string;
        code: number | null;
        n: number;
      }>;
      for (const r of rows) {
        bump(dispatches, key(r.model, r.target, r.status), r.n);
        if (r.status === 'failed') bump(failures, key(r.model, r.target, failureReason(r.code)), r.n);
      }
    },
    countDispatch(record) {
      bump(dispatches, key(record.model, record.target, record.status));
      if (record.status === 'failed') bump(failures, key(record.model, record.target, failureReason(record.responseCode)));
    },
    countRequest(model, trigger) {
      bump(requests, key(model, trigger));
    },
  };
}
