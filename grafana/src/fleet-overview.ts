/**
 * Fleet overview: every model's health at a glance (drift, traffic/outage, performance against its SLA,
 * firing alerts), each model linking to its detail dashboard; plus the aggregator's own health.
 */
import type { Dashboard, DynamicConfigValue } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  DashboardBuilder,
  DashboardCursorSync,
  DashboardLinkBuilder,
  DashboardLinkType,
  MappingType,
  RowBuilder,
  SpecialValueMatch,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { BigValueColorMode, BigValueGraphMode, ReduceDataOptionsBuilder, TableCellDisplayMode } from '@grafana/grafana-foundation-sdk/common';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TablePanelBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { FLEET_OVERVIEW_UID, MODEL_DETAIL_UID, dashboardPath } from './dashboard-uids.js';
import { numberPanels } from './number-panels.js';
import { instantQuery, instantTableQuery, rangeQuery } from './prometheus-query.js';
import { thresholds } from './thresholds.js';
import { labelValuesVariable } from './variables.js';

/** Link to a model's detail dashboard; `model` is a Grafana template expression for the model name. */
function modelDetailLink(model: string): DashboardLinkBuilder {
  return new DashboardLinkBuilder('Model detail')
    .url(`${dashboardPath(MODEL_DETAIL_UID)}?var-model=${model}&var-window=\${window}&\${__url_time_range}`)
    .targetBlank(false);
}

/**
 * Worst SLA attainment of each model over its configured performance objectives: performance / minimum
 * for accuracy and ROC AUC, maximum / MAE for MAE. Below 1 means the SLA is breached.
 */
export const SLA_ATTAINMENT_EXPR = `min by (model) (
  (
    driftwatch_model_performance{metric="accuracy", window="$window"}
    / on (model) group_left () driftwatch:model_sla_threshold:effective{objective="min_accuracy"}
  )
  or
  (
    driftwatch_model_performance{metric="roc_auc", window="$window"}
    / on (model) group_left () driftwatch:model_sla_threshold:effective{objective="min_roc_auc"}
  )
  or
  (
    driftwatch:model_sla_threshold:effective{objective="max_mae"}
    / on (model) group_right () driftwatch_model_performance{metric="mae", window="$window"}
  )
)`;

const COLOR_BACKGROUND: DynamicConfigValue = { id: 'custom.cellOptions', value: { type: TableCellDisplayMode.ColorBackground } };

function statPanel(title: string, expr: string, description: string): StatPanelBuilder {
  return new StatPanelBuilder()
    .title(title)
    .description(description)
    .withTarget(instantQuery('A', expr))
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .colorMode(BigValueColorMode.Background)
    .graphMode(BigValueGraphMode.None)
    .height(4)
    .span(4);
}

function modelHealthTable(): TablePanelBuilder {
  const columns: ReadonlyArray<readonly [string, string, string]> = [
    ['A', 'Drift share', 'max by (model) (driftwatch_model_drift_share{window="$window"})'],
    ['B', 'Last prediction', 'time() - max by (model) (driftwatch_model_last_seen_timestamp_seconds)'],
    ['C', 'Predictions / s', 'sum by (model) (rate(driftwatch_predictions_total[$__rate_interval]))'],
    ['D', 'Error ratio', 'max by (model) (driftwatch:prediction_error_ratio:rate5m)'],
    ['E', 'SLA attainment', SLA_ATTAINMENT_EXPR],
    ['F', 'Critical alerts', 'count by (model) (ALERTS{alertstate="firing", severity="critical"})'],
    ['G', 'Alerts firing', 'count by (model) (ALERTS{alertstate="firing", severity=~"critical|high|low"})'],
    ['H', 'Versions with reference', 'count by (model) (driftwatch_reference_info)'],
  ];
  const renameByName = Object.fromEntries(columns.map(([refId, name]) => [`Value #${refId}`, name]));
  const indexByName = Object.fromEntries([['model', 0], ...columns.map(([, name], i) => [name, i + 1])]);
  const zeroWhenEmpty: DynamicConfigValue = {
    id: 'mappings',
    value: [{ type: MappingType.SpecialValue, options: { match: SpecialValueMatch.Null, result: { text: '0', color: 'green', index: 0 } } }],
  };
  return new TablePanelBuilder()
    .title('Models')
    .description(
      'One row per model. Drift share in the selected window; seconds since the last prediction; error ratio over 5m; ' +
        'SLA attainment = worst of accuracy / min_accuracy, roc_auc / min_roc_auc, max_mae / mae (below 100% breaches the SLA). ' +
        'Click a model for its detail dashboard.',
    )
    .targets(columns.map(([refId, , expr]) => instantTableQuery(refId, expr)))
    .withTransformation({ id: 'merge', options: {} })
    .withTransformation({
      id: 'organize',
      options: { excludeByName: { Time: true }, renameByName, indexByName },
    })
    .overrideByName('model', [{ id: 'links', value: [modelDetailLink('${__value.raw}').build()] }])
    .overrideByName('Drift share', [
      { id: 'unit', value: 'percentunit' },
      { id: 'thresholds', value: thresholds('green', [0.3, 'orange'], [0.5, 'red']).build() },
      COLOR_BACKGROUND,
    ])
    .overrideByName('Last prediction', [
      { id: 'unit', value: 's' },
      { id: 'thresholds', value: thresholds('green', [300, 'orange'], [600, 'red']).build() },
      COLOR_BACKGROUND,
    ])
    .overrideByName('Predictions / s', [{ id: 'unit', value: 'reqps' }, { id: 'decimals', value: 2 }])
    .overrideByName('Error ratio', [
      { id: 'unit', value: 'percentunit' },
      { id: 'thresholds', value: thresholds('green', [0.01, 'orange'], [0.05, 'red']).build() },
      COLOR_BACKGROUND,
    ])
    .overrideByName('SLA attainment', [
      { id: 'unit', value: 'percentunit' },
      { id: 'thresholds', value: thresholds('red', [1, 'orange'], [1.05, 'green']).build() },
      COLOR_BACKGROUND,
    ])
    .overrideByName('Critical alerts', [zeroWhenEmpty, { id: 'thresholds', value: thresholds('green', [1, 'red']).build() }, COLOR_BACKGROUND])
    .overrideByName('Alerts firing', [zeroWhenEmpty, { id: 'thresholds', value: thresholds('green', [1, 'orange']).build() }, COLOR_BACKGROUND])
    .overrideByName('Versions with reference', [
      { id: 'mappings', value: [{ type: MappingType.SpecialValue, options: { match: SpecialValueMatch.Null, result: { text: 'none', color: 'orange', index: 0 } } }] },
    ])
    .height(10)
    .span(24);
}

function perModelTimeseries(title: string, expr: string, unit: string, description: string): TimeseriesPanelBuilder {
  return new TimeseriesPanelBuilder()
    .title(title)
    .description(description)
    .withTarget(rangeQuery('A', expr, '{{model}}'))
    .unit(unit)
    .dataLinks([modelDetailLink('${__field.labels.model}')])
    .height(8)
    .span(12);
}

function firingAlertsTable(): TablePanelBuilder {
  return new TablePanelBuilder()
    .title('Firing alerts')
    .description('Alerts firing now, from the ALERTS series Prometheus records (the Watchdog heartbeat is left out).')
    .withTarget(instantTableQuery('A', 'ALERTS{alertstate="firing", alertname!="Watchdog"}'))
    .withTransformation({
      id: 'organize',
      options: {
        excludeByName: { Time: true, Value: true, __name__: true, alertstate: true, job: true, instance: true },
        indexByName: { severity: 0, alertname: 1, model: 2, version: 3, feature: 4, output: 5, metric: 6, window: 7 },
      },
    })
    .overrideByName('severity', [
      {
        id: 'mappings',
        value: [
          {
            type: MappingType.ValueToText,
            options: {
              critical: { color: 'red', index: 0 },
              high: { color: 'orange', index: 1 },
              low: { color: 'blue', index: 2 },
            },
          },
        ],
      },
      { id: 'custom.cellOptions', value: { type: TableCellDisplayMode.ColorText } },
    ])
    .overrideByName('model', [{ id: 'links', value: [modelDetailLink('${__value.raw}').build()] }])
    .height(8)
    .span(24);
}

export function fleetOverviewDashboard(): Dashboard {
  const builder = new DashboardBuilder('driftwatch / Fleet overview')
    .uid(FLEET_OVERVIEW_UID)
    .description('Health of every monitored model: drift, traffic, performance against its SLA and firing alerts.')
    .tags(['driftwatch', 'ml-monitoring'])
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from: 'now-6h', to: 'now' })
    .refresh('1m')
    .timezone('browser')
    .withVariable(labelValuesVariable('window', 'window', 'driftwatch_model_drift_share', 'Window'))
    .link(new DashboardLinkBuilder('Model detail').type(DashboardLinkType.Dashboards).tags(['driftwatch']).asDropdown(true).keepTime(true))

    .withRow(new RowBuilder('Fleet'))
    .withPanel(
      statPanel('Models monitored', 'count(group by (model) (driftwatch_model_last_seen_timestamp_seconds))', 'Models the aggregator has seen.').thresholds(
        thresholds('blue'),
      ),
    )
    .withPanel(
      statPanel(
        'Models with dataset drift',
        'count(max by (model) (driftwatch_model_dataset_drift{window="$window"}) == 1) or vector(0)',
        'Models whose drifted-feature share reaches the dataset drift share in the selected window.',
      ).thresholds(thresholds('green', [1, 'orange'])),
    )
    .withPanel(
      statPanel('Critical alerts', 'count(ALERTS{alertstate="firing", severity="critical"}) or vector(0)', 'Firing alerts that page the on-call.').thresholds(
        thresholds('green', [1, 'red']),
      ),
    )
    .withPanel(
      statPanel('High alerts', 'count(ALERTS{alertstate="firing", severity="high"}) or vector(0)', 'Firing alerts posted to Slack.').thresholds(
        thresholds('green', [1, 'orange']),
      ),
    )
    .withPanel(
      statPanel('Low alerts', 'count(ALERTS{alertstate="firing", severity="low"}) or vector(0)', 'Firing alerts that open tickets.').thresholds(
        thresholds('green', [1, 'blue']),
      ),
    )
    .withPanel(
      statPanel('Aggregator', 'min(up{job="driftwatch"})', 'Whether Prometheus can scrape the driftwatch aggregator.')
        .thresholds(thresholds('red', [1, 'green']))
        .mappings([
          {
            type: MappingType.ValueToText,
            options: { '0': { text: 'DOWN', color: 'red', index: 0 }, '1': { text: 'UP', color: 'green', index: 1 } },
          },
          { type: MappingType.SpecialValue, options: { match: SpecialValueMatch.Null, result: { text: 'NOT SCRAPED', color: 'red', index: 2 } } },
        ]),
    )

    .withRow(new RowBuilder('Model health'))
    .withPanel(modelHealthTable())

    .withRow(new RowBuilder('Trends'))
    .withPanel(
      perModelTimeseries(
        'Drift share',
        'max by (model) (driftwatch_model_drift_share{window="$window"})',
        'percentunit',
        'Share of drifted features per model in the selected window.',
      ).max(1),
    )
    .withPanel(
      perModelTimeseries(
        'SLA attainment',
        SLA_ATTAINMENT_EXPR,
        'percentunit',
        'Worst performance objective attainment per model (below 100% breaches the SLA).',
      ),
    )
    .withPanel(
      perModelTimeseries(
        'Predictions / s',
        'sum by (model) (rate(driftwatch_predictions_total[$__rate_interval]))',
        'reqps',
        'Predictions received per second, over all versions and instances.',
      ),
    )
    .withPanel(
      perModelTimeseries(
        'Error ratio',
        'max by (model) (driftwatch:prediction_error_ratio:rate5m)',
        'percentunit',
        'Failed calls / all calls over 5 minutes, worst version.',
      ),
    )

    .withRow(new RowBuilder('Alerts'))
    .withPanel(firingAlertsTable())

    .withRow(new RowBuilder('Aggregator'))
    .withPanel(
      new TimeseriesPanelBuilder()
        .title('Ingested points / s')
        .description('OTLP data points by result and reason; rejected points are lost telemetry.')
        .withTarget(rangeQuery('A', 'sum by (result, reason) (rate(driftwatch_ingest_points_total[$__rate_interval]))', '{{result}} ({{reason}})'))
        .withTarget(rangeQuery('B', 'sum(rate(driftwatch_ingest_ignored_total[$__rate_interval]))', 'ignored (not in the conventions)'))
        .unit('short')
        .height(8)
        .span(8),
    )
    .withPanel(
      new TimeseriesPanelBuilder()
        .title('Cardinality rejections / s')
        .description('Points rejected by the aggregator limits (models, versions, features).')
        .withTarget(rangeQuery('A', 'sum by (kind) (rate(driftwatch_cardinality_rejected_total[$__rate_interval]))', '{{kind}}'))
        .withTarget(rangeQuery('B', 'sum(rate(driftwatch_ingest_resets_total[$__rate_interval]))', 'cumulative stream resets'))
        .unit('short')
        .height(8)
        .span(8),
    )
    .withPanel(
      new TimeseriesPanelBuilder()
        .title('Evaluation')
        .description('Drift evaluation duration (p95), age of the last completed evaluation, and the ingest queue depth.')
        .withTarget(
          rangeQuery('A', 'histogram_quantile(0.95, sum by (le) (rate(driftwatch_evaluation_duration_seconds_bucket[$__rate_interval])))', 'evaluation p95 (s)'),
        )
        .withTarget(rangeQuery('B', 'time() - max(driftwatch_evaluation_timestamp_seconds)', 'last evaluation age (s)'))
        .withTarget(rangeQuery('C', 'max(driftwatch_ingest_queue_depth)', 'ingest queue depth'))
        .unit('short')
        .height(8)
        .span(8),
    );
  return numberPanels(builder.build());
}
