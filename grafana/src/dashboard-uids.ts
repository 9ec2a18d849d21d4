/** Stable dashboard uids: alert annotations (dashboard_url) and cross-dashboard links point at them. */
export const FLEET_OVERVIEW_UID = 'driftwatch-fleet-overview';
export const MODEL_DETAIL_UID = 'driftwatch-model-detail';
export const ROLLOUT_UID = 'driftwatch-rollout';

/** Grafana's path of a dashboard (`/d/<uid>/<slug>`; the slug is cosmetic, the uid resolves it). */
export function dashboardPath(uid: string): string {
  return `/d/${uid}/${uid}`;
}
