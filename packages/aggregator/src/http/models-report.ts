import type { EvaluationResult, VersionEvaluation } from '../engine/evaluation-types.js';
import type { AggregatorState, VersionState } from '../state/aggregator-state.js';

/** Health of a version from its latest evaluation, worst first. */
export type VersionStatus = 'drift' | 'ok' | 'insufficient_data' | 'no_data' | 'no_reference';
const ORDER: readonly VersionStatus[] = ['drift', 'ok', 'insufficient_data', 'no_data', 'no_reference'];

export function versionStatus(v: VersionState, evaluation: VersionEvaluation | undefined): VersionStatus {
  if (!v.reference) return 'no_reference';
  if (v.lastSeenMs === 0 && v.features.size === 0) return 'no_data';
  if (!evaluation) return 'insufficient_data';
  if (evaluation.windows.some((w) => w.datasetDrift === true)) return 'drift';
  if (evaluation.windows.some((w) => w.evaluatedFeatures > 0)) return 'ok';
  return 'insufficient_data';
}

function iso(ms: number): string | null {
  return ms > 0 ? new Date(ms).toISOString() : null;
}

/** `GET /api/v1/models`: every model with its versions, status and last-seen time. */
export function modelsReport(state: AggregatorState, latest: EvaluationResult | undefined): unknown {
  const models = [...state.models.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((m) => {
      const evaluated = latest?.models.find((e) => e.model === m.name);
      const versions = [...m.versions.values()]
        .sort((a, b) => a.version.localeCompare(b.version, undefined, { numeric: true }))
        .map((v) => {
          const e = evaluated?.versions.find((x) => x.version === v.version);
          return {
            version: v.version,
            status: versionStatus(v, e),
            lastSeen: iso(v.lastSeenMs),
            reference: v.reference ? { source: v.reference.profile.source, createdAt: v.reference.profile.createdAt, rowCount: v.reference.profile.rowCount } : null,
            predictions: [...v.roles.values()].reduce((s, t) => s + t.predictions, 0),
            features: v.features.size,
            windows: (e?.windows ?? []).map((w) => ({
              window: w.window,
              predictions: w.predictions,
              evaluatedFeatures: w.evaluatedFeatures,
              driftedFeatures: w.driftedFeatures,
              driftShare: w.driftShare ?? null,
              datasetDrift: w.datasetDrift ?? null,
            })),
          };
        });
      const lastSeenMs = Math.max(0, ...[...m.versions.values()].map((v) => v.lastSeenMs));
      const status = ORDER.find((s) => versions.some((v) => v.status === s)) ?? 'no_data';
      return { name: m.name, status, lastSeen: iso(lastSeenMs), versions };
    });
  return { evaluatedAt: latest ? new Date(latest.timestampMs).toISOString() : null, models };
}
