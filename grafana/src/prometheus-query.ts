import { DataqueryBuilder, PromQueryFormat, QueryEditorMode } from '@grafana/grafana-foundation-sdk/prometheus';
import { PROMETHEUS_DATASOURCE } from './datasources.js';

/** A range query drawn over the dashboard's time range. */
export function rangeQuery(refId: string, expr: string, legendFormat: string): DataqueryBuilder {
  return new DataqueryBuilder()
    .datasource(PROMETHEUS_DATASOURCE)
    .editorMode(QueryEditorMode.Code)
    .refId(refId)
    .expr(expr)
    .legendFormat(legendFormat)
    .range();
}

/** An instant query at the end of the time range, as a table (for tables, bar gauges and stats). */
export function instantTableQuery(refId: string, expr: string, legendFormat = '__auto'): DataqueryBuilder {
  return new DataqueryBuilder()
    .datasource(PROMETHEUS_DATASOURCE)
    .editorMode(QueryEditorMode.Code)
    .refId(refId)
    .expr(expr)
    .legendFormat(legendFormat)
    .format(PromQueryFormat.Table)
    .instant();
}

/** An instant query as a single series (stats, bar gauges). */
export function instantQuery(refId: string, expr: string, legendFormat = '__auto'): DataqueryBuilder {
  return new DataqueryBuilder()
    .datasource(PROMETHEUS_DATASOURCE)
    .editorMode(QueryEditorMode.Code)
    .refId(refId)
    .expr(expr)
    .legendFormat(legendFormat)
    .instant();
}
