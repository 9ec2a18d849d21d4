import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { fleetOverviewDashboard } from './fleet-overview.js';
import { modelDetailDashboard } from './model-detail.js';
import { rolloutDashboard } from './rollout.js';

export interface GeneratedDashboard {
  /** file name under grafana/dashboards/ */
  readonly fileName: string;
  readonly build: () => Dashboard;
}

/** Every dashboard generated into grafana/dashboards/ (and provisioned from there). */
export const DASHBOARDS: readonly GeneratedDashboard[] = [
  { fileName: 'fleet-overview.json', build: fleetOverviewDashboard },
  { fileName: 'model-detail.json', build: modelDetailDashboard },
  { fileName: 'rollout.json', build: rolloutDashboard },
];

/** The committed form of a dashboard: 2-space JSON with a trailing newline. */
export function dashboardJson(dashboard: Dashboard): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}
