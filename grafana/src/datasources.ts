import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';

/** The Prometheus datasource provisioned by grafana/provisioning/datasources (fixed uid, referenced by every panel). */
export const PROMETHEUS_DATASOURCE: DataSourceRef = { type: 'prometheus', uid: 'prometheus' };

/** The Alertmanager datasource provisioned next to it (silences and alert state in Grafana's alerting UI). */
export const ALERTMANAGER_DATASOURCE: DataSourceRef = { type: 'alertmanager', uid: 'alertmanager' };
