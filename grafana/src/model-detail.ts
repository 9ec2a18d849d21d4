/**
 * Model detail ($model, $version, $window, $method): drift per feature over time as a heatmap, the top
 * drifting features, data quality, prediction drift, performance and business KPIs on the same time axis
 * as drift, and volume, latency and errors.
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
import {
  AxisPlacement,
  BarGaugeDisplayMode,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueTextMode,
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
  HeatmapCellLayout,
  LineStyleBuilder,
  ReduceDataOptionsBuilder,
  VisibilityMode,
  VizOrientation,
} from '@grafana/grafana-foundation-sdk/common';
import { PanelBuilder as BarGaugePanelBuilder } from '@grafana/grafana-foundation-sdk/bargauge';
import {
  CellValuesBuilder,
  HeatmapColorOptionsBuilder,
  HeatmapColorMode,
  HeatmapColorScale,
  PanelBuilder as HeatmapPanelBuilder,
  RowsHeatmapOptionsBuilder,
  YAxisConfigBuilder,
} from '@grafana/grafana-foundation-sdk/heatmap';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as StateTimelinePanelBuilder } from '@grafana/grafana-foundation-sdk/statetimeline';
import { PanelBuilder as TablePanelBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { FLEET_OVERVIEW_UID, MODEL_DETAIL_UID, dashboardPath } from './dashboard-uids.js';
import { numberPanels } from './number-panels.js';
import { instantQuery, instantTableQuery, rangeQuery } from './prometheus-query.js';
import { thresholds } from './thresholds.js';
import { labelValuesVariable } from './variables.js';

/** Label matchers of the selected model and version, and of the selected window too. */
const MV = 'model="$model", version="$version"';
const MVW = 'model="$model", version="$version", window="$window"';

/** Draws a series as a dashed reference line (SLA objectives next to the measured values). */
function dashedLine(): DynamicConfigValue[] {
  return [
    { id: 'custom.lineStyle', value: new LineStyleBuilder().fill('dash').dash([10, 10]).build() },
    { id: 'color', value: { mode: 'fixed', fixedColor: 'red' } },
  ];
}

function stat(title: string, expr: string, description: string, legendFormat = '__auto'): StatPanelBuilder {
  return new StatPanelBuilder()
    .title(title)
    .description(description)
    .withTarget(instantQuery('A', expr, legendFormat))
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .colorMode(BigValueColorMode.Background)
    .graphMode(BigValueGraphMode.None)
    .height(4)
    .span(4);
}

function timeseries(title: string, description: string, unit: string, span = 12): TimeseriesPanelBuilder {
  return new TimeseriesPanelBuilder().title(title).description(description).unit(unit).height(8).span(span);
}

function driftHeatmap(): HeatmapPanelBuilder {
  return new HeatmapPanelBuilder()
    .title('Drift score per feature ($method)')
    .description(
      'One row per feature, colour = the $method statistic between the reference and the $window window. ' +
        'Scores of different methods are not comparable: pick the method above.',
    )
    .withTarget(rangeQuery('A', `max by (feature) (driftwatch_feature_drift_score{${MVW}, method="$method"})`, '{{feature}}'))
    .calculate(false)
    .rowsFrame(new RowsHeatmapOptionsBuilder().layout(HeatmapCellLayout.Unknown))
    .color(
      new HeatmapColorOptionsBuilder()
        .mode(HeatmapColorMode.Scheme)
        .scheme('YlOrRd')
        .scale(HeatmapColorScale.Exponential)
        .exponent(0.5)
        .steps(64)
        .reverse(false)
        .min(0),
    )
    .yAxis(new YAxisConfigBuilder().axisPlacement(AxisPlacement.Left))
    .cellValues(new CellValuesBuilder().decimals(3))
    .cellGap(1)
    .showValue(VisibilityMode.Never)
    .height(10)
    .span(16);
}

function topDriftingFeatures(): BarGaugePanelBuilder {
  return new BarGaugePanelBuilder()
    .title('Top drifting features ($method)')
    .description('The 10 features with the highest $method score now.')
    .withTarget(instantQuery('A', `topk(10, max by (feature) (driftwatch_feature_drift_score{${MVW}, method="$method"}))`, '{{feature}}'))
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .displayMode(BarGaugeDisplayMode.Gradient)
    .orientation(VizOrientation.Horizontal)
    .thresholds(thresholds('green', [0.1, 'orange'], [0.25, 'red']))
    .min(0)
    .height(10)
    .span(8);
}

function featureVerdicts(): TablePanelBuilder {
  const columns: ReadonlyArray<readonly [string, string, string]> = [
    ['A', 'Drift detected', `max by (feature) (driftwatch_feature_drift_detected{${MVW}})`],
    ['B', 'Score ($method)', `max by (feature) (driftwatch_feature_drift_score{${MVW}, method="$method"})`],
    ['C', 'Lowest p-value', `min by (feature) (driftwatch_feature_drift_pvalue{${MVW}})`],
    ['D', 'Values in window', `max by (feature) (driftwatch_feature_samples{${MVW}})`],
    ['E', 'Important', 'max by (feature) (driftwatch_feature_important{model="$model"})'],
  ];
  return new TablePanelBuilder()
    .title('Feature verdicts')
    .description('The drift verdict of each feature (its primary method), the $method score, the lowest p-value of the tests run, and the sample behind it.')
    .targets(columns.map(([refId, , expr]) => instantTableQuery(refId, expr)))
    .withTransformation({ id: 'merge', options: {} })
    .withTransformation({
      id: 'organize',
      options: {
        excludeByName: { Time: true },
        renameByName: Object.fromEntries(columns.map(([refId, name]) => [`Value #${refId}`, name])),
        indexByName: Object.fromEntries([['feature', 0], ...columns.map(([, name], i) => [name, i + 1])]),
      },
    })
    .overrideByName('Drift detected', [
      {
        id: 'mappings',
        value: [
          { type: MappingType.ValueToText, options: { '0': { text: 'no', color: 'green', index: 0 }, '1': { text: 'DRIFT', color: 'red', index: 1 } } },
        ],
      },
      { id: 'custom.cellOptions', value: { type: 'color-background' } },
    ])
    .overrideByName('Important', [
      {
        id: 'mappings',
        value: [
          { type: MappingType.ValueToText, options: { '1': { text: 'important', color: 'purple', index: 0 } } },
          { type: MappingType.SpecialValue, options: { match: SpecialValueMatch.Null, result: { text: '', index: 1 } } },
        ],
      },
    ])
    .height(10)
    .span(24);
}

function flagTimeline(title: string, description: string, expr: string, legendFormat: string, onText: string): StateTimelinePanelBuilder {
  return new StateTimelinePanelBuilder()
    .title(title)
    .description(description)
    .withTarget(rangeQuery('A', expr, legendFormat))
    .mappings([
      {
        type: MappingType.ValueToText,
        options: { '0': { text: 'ok', color: 'green', index: 0 }, '1': { text: onText, color: 'red', index: 1 } },
      },
    ])
    .showValue(VisibilityMode.Never)
    .mergeValues(true)
    .height(8)
    .span(12);
}

export function modelDetailDashboard(): Dashboard {
  const builder = new DashboardBuilder('driftwatch / Model detail')
    .uid(MODEL_DETAIL_UID)
    .description('Drift, data quality, prediction drift, performance, business KPIs and traffic of one model version.')
    .tags(['driftwatch', 'ml-monitoring'])
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from: 'now-24h', to: 'now' })
    .refresh('1m')
    .timezone('browser')
    .withVariable(labelValuesVariable('model', 'model', 'driftwatch_model_last_seen_timestamp_seconds', 'Model'))
    .withVariable(labelValuesVariable('version', 'version', 'driftwatch_model_last_seen_timestamp_seconds{model="$model"}', 'Version'))
    .withVariable(labelValuesVariable('window', 'window', 'driftwatch_feature_samples{model="$model"}', 'Window'))
    .withVariable(labelValuesVariable('method', 'method', `driftwatch_feature_drift_score{${MVW}}`, 'Drift method'))
    .link(
      new DashboardLinkBuilder('Fleet overview')
        .type(DashboardLinkType.Link)
        .url(dashboardPath(FLEET_OVERVIEW_UID))
        .icon('dashboard')
        .keepTime(true)
        .includeVars(false),
    )

    .withRow(new RowBuilder('Overview'))
    .withPanel(
      stat('Drift share', `max(driftwatch_model_drift_share{${MVW}})`, 'Drifted features / evaluated features in the window.')
        .unit('percentunit')
        .thresholds(thresholds('green', [0.3, 'orange'], [0.5, 'red'])),
    )
    .withPanel(
      stat('Drifted features', `sum(driftwatch_feature_drift_detected{${MVW}})`, 'Features whose primary drift test fires in the window.').thresholds(
        thresholds('green', [1, 'orange']),
      ),
    )
    .withPanel(
      stat('Predictions / s', `sum(rate(driftwatch_predictions_total{${MV}}[$__rate_interval]))`, 'Predictions received per second (all roles).')
        .unit('reqps')
        .thresholds(thresholds('blue')),
    )
    .withPanel(
      stat('Last prediction', `time() - max(driftwatch_model_last_seen_timestamp_seconds{${MV}})`, 'Seconds since the last prediction of this version.')
        .unit('s')
        .thresholds(thresholds('green', [300, 'orange'], [600, 'red'])),
    )
    .withPanel(
      stat('Reference', `max by (source) (driftwatch_reference_info{${MV}})`, 'Where the reference of this version came from.', '{{source}}')
        .textMode(BigValueTextMode.Name)
        .noValue('NO REFERENCE')
        .thresholds(thresholds('green')),
    )
    .withPanel(
      stat('Firing alerts', 'count(ALERTS{alertstate="firing", model="$model"}) or vector(0)', 'Alerts firing for this model (any version).').thresholds(
        thresholds('green', [1, 'red']),
      ),
    )

    .withRow(new RowBuilder('Drift'))
    .withPanel(driftHeatmap())
    .withPanel(topDriftingFeatures())
    .withPanel(featureVerdicts())
    .withPanel(
      timeseries('Dataset drift share', 'Share of drifted features per window, against the max_drift_share objective.', 'percentunit', 24)
        .withTarget(rangeQuery('A', `max by (window) (driftwatch_model_drift_share{${MV}})`, 'drift share ({{window}})'))
        .withTarget(
          rangeQuery('B', 'max(driftwatch:model_sla_threshold:effective{model="$model", objective="max_drift_share"})', 'max_drift_share objective'),
        )
        .overrideByQuery('B', dashedLine())
        .min(0)
        .max(1),
    )

    .withRow(new RowBuilder('Data quality'))
    .withPanel(
      timeseries('Missing values', 'Missing / (missing + present) per feature. Above 50% pages (DriftwatchFeatureMostlyMissing).', 'percentunit')
        .withTarget(rangeQuery('A', `max by (feature) (driftwatch_feature_missing_ratio{${MVW}})`, '{{feature}}'))
        .thresholds(thresholds('transparent', [0.5, 'red']))
        .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed))
        .min(0),
    )
    .withPanel(
      flagTimeline(
        'Frozen features',
        'A feature is frozen when every value in the window is the same although the reference varies.',
        `max by (feature) (driftwatch_feature_frozen{${MVW}})`,
        '{{feature}}',
        'FROZEN',
      ),
    )
    .withPanel(
      timeseries('Out of reference range', "Share of numeric values outside the reference's [min, max].", 'percentunit')
        .withTarget(rangeQuery('A', `max by (feature) (driftwatch_feature_out_of_range_ratio{${MVW}})`, '{{feature}}'))
        .min(0),
    )
    .withPanel(
      timeseries('New categories', 'Share of categorical values whose category the reference never saw.', 'percentunit')
        .withTarget(rangeQuery('A', `max by (feature) (driftwatch_feature_new_category_ratio{${MVW}})`, '{{feature}}'))
        .min(0),
    )

    .withRow(new RowBuilder('Prediction drift'))
    .withPanel(
      timeseries('Prediction drift score', 'Drift of each model output against the reference outputs, per method.', 'short')
        .withTarget(rangeQuery('A', `max by (output, method) (driftwatch_prediction_drift_score{${MVW}})`, '{{output}} · {{method}}'))
        .min(0),
    )
    .withPanel(
      flagTimeline(
        'Prediction drift verdict',
        'The drift verdict of each output.',
        `max by (output) (driftwatch_prediction_drift_detected{${MVW}})`,
        '{{output}}',
        'DRIFT',
      ),
    )

    .withRow(new RowBuilder('Performance and business impact'))
    .withPanel(
      timeseries(
        'Drift vs performance vs KPIs',
        'Drift share (left axis) against measured performance and business KPIs (right axis), on one time axis: does drift cost anything?',
        'percentunit',
        24,
      )
        .withTarget(rangeQuery('A', `max(driftwatch_model_drift_share{${MVW}})`, 'drift share'))
        .withTarget(rangeQuery('B', `max by (metric) (driftwatch_model_performance{${MVW}, metric=~"accuracy|roc_auc|f1"})`, '{{metric}}'))
        .withTarget(rangeQuery('C', 'max by (kpi) (driftwatch_kpi{model="$model", window="$window"})', 'KPI {{kpi}}'))
        .overrideByQuery('B', [{ id: 'custom.axisPlacement', value: AxisPlacement.Right }, { id: 'unit', value: 'short' }])
        .overrideByQuery('C', [{ id: 'custom.axisPlacement', value: AxisPlacement.Right }, { id: 'unit', value: 'short' }])
        .min(0),
    )
    .withPanel(
      timeseries('Classification performance vs SLA', 'Metrics from joined feedback labels; dashed: the SLA minimums.', 'short')
        .withTarget(
          rangeQuery('A', `max by (metric) (driftwatch_model_performance{${MVW}, metric=~"accuracy|precision|recall|f1|roc_auc"})`, '{{metric}}'),
        )
        .withTarget(
          rangeQuery(
            'B',
            'max by (objective) (driftwatch:model_sla_threshold:effective{model="$model", objective=~"min_accuracy|min_roc_auc"})',
            '{{objective}}',
          ),
        )
        .overrideByQuery('B', dashedLine())
        .min(0)
        .max(1),
    )
    .withPanel(
      timeseries('Regression error vs SLA', 'MAE and RMSE from joined feedback labels; dashed: the max_mae objective.', 'short')
        .withTarget(rangeQuery('A', `max by (metric) (driftwatch_model_performance{${MVW}, metric=~"mae|rmse"})`, '{{metric}}'))
        .withTarget(rangeQuery('B', 'max(driftwatch:model_sla_threshold:effective{model="$model", objective="max_mae"})', 'max_mae objective'))
        .overrideByQuery('B', dashedLine())
        .min(0),
    )
    .withPanel(
      timeseries('Business KPIs', 'Mean KPI value of the window (a conversion rate for 0/1 events).', 'short')
        .withTarget(rangeQuery('A', 'max by (kpi) (driftwatch_kpi{model="$model", window="$window"})', '{{kpi}}')),
    )
    .withPanel(
      timeseries('Labels and KPI events', 'Joined feedback labels and KPI events in the window: the sample behind performance and KPIs.', 'short')
        .withTarget(rangeQuery('A', `max(driftwatch_model_feedback_samples{${MVW}})`, 'joined labels'))
        .withTarget(rangeQuery('B', 'max by (kpi) (driftwatch_kpi_events{model="$model", window="$window"})', 'events {{kpi}}'))
        .min(0),
    )

    .withRow(new RowBuilder('Traffic, latency and errors'))
    .withPanel(
      timeseries('Predictions / s', 'Predictions per second by deployment role.', 'reqps', 8).withTarget(
        rangeQuery('A', `sum by (role) (rate(driftwatch_predictions_total{${MV}}[$__rate_interval]))`, '{{role}}'),
      ),
    )
    .withPanel(
      timeseries('Latency', 'Call latency quantiles; dashed: the max_latency_seconds objective.', 's', 8)
        .withTarget(
          rangeQuery(
            'A',
            `histogram_quantile(0.5, sum by (le) (rate(driftwatch_prediction_duration_seconds_bucket{${MV}}[$__rate_interval])))`,
            'p50',
          ),
        )
        .withTarget(
          rangeQuery(
            'B',
            `histogram_quantile(0.95, sum by (le) (rate(driftwatch_prediction_duration_seconds_bucket{${MV}}[$__rate_interval])))`,
            'p95',
          ),
        )
        .withTarget(
          rangeQuery(
            'C',
            `histogram_quantile(0.99, sum by (le) (rate(driftwatch_prediction_duration_seconds_bucket{${MV}}[$__rate_interval])))`,
            'p99',
          ),
        )
        .withTarget(
          rangeQuery('D', 'max(driftwatch:model_sla_threshold:effective{model="$model", objective="max_latency_seconds"})', 'max_latency_seconds'),
        )
        .overrideByQuery('D', dashedLine()),
    )
    .withPanel(
      timeseries('Errors / s', 'Failed calls per second by error type.', 'short', 8).withTarget(
        rangeQuery('A', `sum by (error_type) (rate(driftwatch_prediction_errors_total{${MV}}[$__rate_interval]))`, '{{error_type}}'),
      ),
    )
    .withPanel(
      timeseries('Error ratio vs objective', 'Failed calls / all calls over 5 minutes; dashed: max_error_ratio (default 5%).', 'percentunit')
        .withTarget(rangeQuery('A', `driftwatch:prediction_error_ratio:rate5m{${MV}}`, 'error ratio'))
        .withTarget(
          rangeQuery('B', 'max(driftwatch:model_sla_threshold:effective{model="$model", objective="max_error_ratio"})', 'max_error_ratio objective'),
        )
        .overrideByQuery('B', dashedLine())
        .min(0),
    )
    .withPanel(
      timeseries(
        'Latency SLO burn rate',
        'Slow-call share / error budget (1 - latency_slo_ratio) per window. The alert fires when 1h and 5m exceed 14.4, or 6h and 30m exceed 6.',
        'short',
      )
        .withTarget(
          rangeQuery(
            'A',
            `driftwatch:prediction_slow_ratio:rate5m{${MV}} / on (model) group_left () driftwatch:latency_error_budget:ratio{model="$model"}`,
            '5m',
          ),
        )
        .withTarget(
          rangeQuery(
            'B',
            `driftwatch:prediction_slow_ratio:rate30m{${MV}} / on (model) group_left () driftwatch:latency_error_budget:ratio{model="$model"}`,
            '30m',
          ),
        )
        .withTarget(
          rangeQuery(
            'C',
            `driftwatch:prediction_slow_ratio:rate1h{${MV}} / on (model) group_left () driftwatch:latency_error_budget:ratio{model="$model"}`,
            '1h',
          ),
        )
        .withTarget(
          rangeQuery(
            'D',
            `driftwatch:prediction_slow_ratio:rate6h{${MV}} / on (model) group_left () driftwatch:latency_error_budget:ratio{model="$model"}`,
            '6h',
          ),
        )
        .thresholds(thresholds('transparent', [6, 'orange'], [14.4, 'red']))
        .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed))
        .min(0),
    );
  return numberPanels(builder.build());
}
