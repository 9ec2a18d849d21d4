export { ALERTMANAGER_DATASOURCE, PROMETHEUS_DATASOURCE } from './datasources.js';
export { FLEET_OVERVIEW_UID, MODEL_DETAIL_UID, ROLLOUT_UID, dashboardPath } from './dashboard-uids.js';
export type { GeneratedDashboard } from './dashboards.js';
export { DASHBOARDS, dashboardJson } from './dashboards.js';
export { SLA_ATTAINMENT_EXPR, fleetOverviewDashboard } from './fleet-overview.js';
export { modelDetailDashboard } from './model-detail.js';
export { rolloutDashboard } from './rollout.js';
