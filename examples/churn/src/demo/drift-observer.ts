import type { ApiFeature, ApiWindow } from './drift-api.js';
import { fetchDriftReport } from './drift-api.js';

/** One evaluation of the aggregator, as the API reported it for the watched model version and window. */
export interface Observation {
  /** When the aggregator evaluated (its clock, Unix ms). */
  readonly atMs: number;
  /** Time of the last prediction the aggregator received (undefined: none yet). */
  readonly lastSeenMs: number | undefined;
  readonly window: ApiWindow;
  /** The model's SLA objectives from the aggregator's config (e.g. min_accuracy). */
  readonly sla: Readonly<Record<string, number>>;
}

/** A feature of an observation by name. */
export function featureOf(o: Observation, name: string): ApiFeature | undefined {
  return o.window.features.find((f) => f.feature === name);
}

/**
 * Watches one model version and window through `GET /api/v1/models/{model}/drift`: each `poll()` fetches the report
 * and records it when it is a new evaluation, so `history` holds every evaluation seen, oldest first (bounded by
 * the demo's length: one per evaluation interval).
 */
export class DriftObserver {
  readonly history: Observation[] = [];

  constructor(
    readonly apiUrl: string,
    readonly model: string,
    readonly version: string,
    readonly window: string,
  ) {}

  get latest(): Observation | undefined {
    return this.history.at(-1);
  }

  /** Fetches the report; returns the observation when it is a new evaluation, else undefined. */
  async poll(): Promise<Observation | undefined> {
    const report = await fetchDriftReport(this.apiUrl, this.model, this.version, this.window);
    const version = report.versions.find((v) => v.version === this.version);
    const window = version?.windows.find((w) => w.window === this.window);
    if (!version || !window) return undefined;
    const atMs = Date.parse(report.evaluatedAt);
    const last = this.latest;
    if (last && atMs <= last.atMs) return undefined;
    const observation: Observation = {
      atMs,
      lastSeenMs: version.lastSeen === null ? undefined : Date.parse(version.lastSeen),
      window,
      sla: report.sla,
    };
    this.history.push(observation);
    return observation;
  }

  /** The first evaluation at or after `sinceMs` in which `feature` was flagged as drifted. */
  firstDrift(feature: string, sinceMs: number): Observation | undefined {
    return this.history.find((o) => o.atMs >= sinceMs && featureOf(o, feature)?.drift?.drifted === true);
  }
}
