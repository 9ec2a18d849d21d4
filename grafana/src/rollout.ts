/**
 * Rollout ($model, $version = the candidate): where a canary or shadow rollout stands (weight, phase, the last
 * measurement, pending registry writes), its decisions over time, every check of the analysis with the primary's and
 * the candidate's values, and the live traffic, errors and latency of both versions by deployment role.
 * Metrics: driftwatch_rollout_* (docs/metrics.md#rollouts) and the per-role traffic metrics.
 */
import type { Dashboard, ValueMapping } from '@grafana/grafana-foundation-sdk/dashboard';
import { DashboardBuilder, DashboardCursorSync, DashboardLinkBuilder, DashboardLinkType, MappingType, RowBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  BigValueColorMode,
  BigValueGraphMode,
  BigValueTextMode,
  GraphDrawStyle,
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
  LineInterpolation,
  ReduceDataOptionsBuilder,
  StackingConfigBuilder,
  StackingMode,
  VisibilityMode,
} from '@grafana/grafana-foundation-sdk/common';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as StateTimelinePanelBuilder } from '@grafana/grafana-foundation-sdk/statetimeline';
import { PanelBuilder as TablePanelBuilder } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';
import { FLEET_OVERVIEW_UID, MODEL_DETAIL_UID, ROLLOUT_UID, dashboardPath } from './dashboard-uids.js';
import { numberPanels } from './number-panels.js';
import { instantQuery, instantTableQuery, rangeQuery } from './prometheus-query.js';
import { thresholds } from './thresholds.js';
import { labelValuesVariable } from './variables.js';

/** Label matchers of the selected model and candidate version. */
const MV = 'model="$model", version="$version"';

/** The rollout's phase as one number (the state-set series combined): 1 progressing, 2 paused, 3 promoted, 4 rolled back. */
const PHASE_EXPR = [
  `max(driftwatch_rollout_phase{${MV}, phase="progressing"}) * 1`,
  `max(driftwatch_rollout_phase{${MV}, phase="paused"}) * 2`,
  `max(driftwatch_rollout_phase{${MV}, phase="promoted"}) * 3`,
  `max(driftwatch_rollout_phase{${MV}, phase="rolled_back"}) * 4`,
].join(' + ');

const PHASE_MAPPINGS: ValueMapping[] = [
  {
    type: MappingType.ValueToText,
    options: {
      '1': { text: 'progressing', color: 'blue', index: 0 },
      '2': { text: 'PAUSED', color: 'orange', index: 1 },
      '3': { text: 'promoted', color: 'green', index: 2 },
      '4': { text: 'ROLLED BACK', color: 'red', index: 3 },
    },
  },
];

/** Each check of the last measurement as one number per check: 1 pass, 2 inconclusive, 3 fail. */
const CHECK_EXPR = [
  `max by (check) (driftwatch_rollout_check_status{${MV}, status="pass"}) * 1`,
  `max by (check) (driftwatch_rollout_check_status{${MV}, status="inconclusive"}) * 2`,
  `max by (check) (driftwatch_rollout_check_status{${MV}, status="fail"}) * 3`,
].join(' + ');

const CHECK_MAPPINGS: ValueMapping[] = [
  {
    type: MappingType.ValueToText,
    options: {
      '1': { text: 'pass', color: 'green', index: 0 },
      '2': { text: 'inconclusive', color: 'yellow', index: 1 },
      '3': { text: 'FAIL', color: 'red', index: 2 },
    },
  },
];

function stat(title: string, expr: string, description: string): StatPanelBuilder {
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

function timeseries(title: string, description: string, unit: string, span = 12): TimeseriesPanelBuilder {
  return new TimeseriesPanelBuilder().title(title).description(description).unit(unit).height(8).span(span);
}

/** The primary's and the candidate's value of one check over time (each point is the last measurement then). */
function checkValues(title: string, check: string, description: string, unit: string): TimeseriesPanelBuilder {
  return timeseries(title, description, unit, 8)
    .withTarget(rangeQuery('A', `max by (variant) (driftwatch_rollout_check_value{${MV}, check="${check}"})`, '{{variant}}'))
    .lineInterpolation(LineInterpolation.StepAfter)
    .min(0);
}

function checksTable(): TablePanelBuilder {
  const columns: ReadonlyArray<readonly [string, string, string]> = [
    ['A', 'Status', CHECK_EXPR],
    ['B', 'Primary', `max by (check) (driftwatch_rollout_check_value{${MV}, variant="primary"})`],
    ['C', 'Candidate', `max by (check) (driftwatch_rollout_check_value{${MV}, variant="candidate"})`],
  ];
  return new TablePanelBuilder()
    .title('Checks of the last measurement')
    .description(
      'Every check of the last judged measurement, candidate against primary: error ratio, latency p95 (s), PSI between the two output distributions, shadow agreement rate, and performance per metric once labels came. Details and reasons: GET /api/v1/models/$model/rollout.',
    )
    .targets(columns.map(([refId, , expr]) => instantTableQuery(refId, expr)))
    .withTransformation({ id: 'merge', options: {} })
    .withTransformation({
      id: 'organize',
      options: {
        excludeByName: { Time: true },
        renameByName: Object.fromEntries(columns.map(([refId, name]) => [`Value #${refId}`, name])),
        indexByName: Object.fromEntries([['check', 0], ...columns.map(([, name], i) => [name, i + 1])]),
      },
    })
    .overrideByName('Status', [
      { id: 'mappings', value: CHECK_MAPPINGS },
      { id: 'custom.cellOptions', value: { type: 'color-background' } },
    ])
    .decimals(4)
    .height(8)
    .span(12);
}

export function rolloutDashboard(): Dashboard {
  const builder = new DashboardBuilder('driftwatch / Rollout')
    .uid(ROLLOUT_UID)
    .description('Canary and shadow rollouts run by the aggregator: weight, phase, decisions, the checks of the analysis, and the traffic of both versions.')
    .tags(['driftwatch', 'ml-monitoring', 'rollout'])
    .editable()
    .tooltip(DashboardCursorSync.Crosshair)
    .time({ from: 'now-6h', to: 'now' })
    .refresh('30s')
    .timezone('browser')
    .withVariable(labelValuesVariable('model', 'model', 'driftwatch_rollout_weight_percent', 'Model'))
    .withVariable(labelValuesVariable('version', 'version', 'driftwatch_rollout_weight_percent{model="$model"}', 'Candidate version'))
    .link(new DashboardLinkBuilder('Fleet overview').type(DashboardLinkType.Link).url(dashboardPath(FLEET_OVERVIEW_UID)).icon('dashboard').keepTime(true).includeVars(false))
    .link(
      new DashboardLinkBuilder('Candidate: model detail')
        .type(DashboardLinkType.Link)
        .url(`${dashboardPath(MODEL_DETAIL_UID)}?var-model=$model&var-version=$version`)
        .icon('dashboard')
        .keepTime(true)
        .includeVars(false),
    )

    .withRow(new RowBuilder('Rollout'))
    .withPanel(
      stat('Canary weight', `max(driftwatch_rollout_weight_percent{${MV}})`, 'Share of live traffic the candidate gets now (0 while shadowing or after a rollback, 100 once promoted).')
        .unit('percent')
        .thresholds(thresholds('blue')),
    )
    .withPanel(stat('Phase', PHASE_EXPR, 'Where the rollout stands. Paused: the analysis could not decide; resume or roll back by hand.').mappings(PHASE_MAPPINGS).textMode(BigValueTextMode.Value))
    .withPanel(
      stat('Last measurement', `time() - max(driftwatch_rollout_last_measurement_timestamp_seconds{${MV}})`, 'Seconds since the last judged measurement (one is taken once both sides have the minimum sample, or at the measurement timeout).')
        .unit('s')
        .noValue('none yet')
        .thresholds(thresholds('green', [600, 'orange'])),
    )
    .withPanel(
      stat('Measurements', `sum(driftwatch_rollout_measurements_total{${MV}})`, 'Measurements judged since the rollout started.').thresholds(thresholds('blue')),
    )
    .withPanel(
      stat('Failed measurements', `sum(driftwatch_rollout_measurements_total{${MV}, verdict="fail"})`, 'Failed measurements; one more than the failure limit rolls back.').thresholds(
        thresholds('green', [1, 'red']),
      ),
    )
    .withPanel(
      stat('Registry sync', `max(driftwatch_rollout_alias_sync_pending{${MV}})`, 'PENDING while a promotion or rollback has not been written to the registry (retried every evaluation interval).')
        .mappings([{ type: MappingType.ValueToText, options: { '0': { text: 'in sync', color: 'green', index: 0 }, '1': { text: 'PENDING', color: 'red', index: 1 } } }])
        .textMode(BigValueTextMode.Value),
    )

    .withRow(new RowBuilder('Weight and decisions'))
    .withPanel(
      timeseries('Canary weight', 'The weight the SDKs route to the candidate: 10 → 25 → 50 → 100 with the default steps.', 'percent', 8)
        .withTarget(rangeQuery('A', `max(driftwatch_rollout_weight_percent{${MV}})`, 'weight'))
        .lineInterpolation(LineInterpolation.StepAfter)
        .fillOpacity(20)
        .min(0)
        .max(100),
    )
    .withPanel(
      new StateTimelinePanelBuilder()
        .title('Phase')
        .description('The rollout phase over time.')
        .withTarget(rangeQuery('A', PHASE_EXPR, 'phase'))
        .mappings(PHASE_MAPPINGS)
        .showValue(VisibilityMode.Never)
        .mergeValues(true)
        .height(8)
        .span(8),
    )
    .withPanel(
      timeseries('Decisions', 'Decisions per interval by kind: automatic (analysis) and manual (API, CLI, registry).', 'short', 8)
        .withTarget(rangeQuery('A', `sum by (decision, source) (increase(driftwatch_rollout_decisions_total{${MV}}[$__rate_interval])) > 0`, '{{decision}} ({{source}})'))
        .drawStyle(GraphDrawStyle.Bars)
        .stacking(new StackingConfigBuilder().mode(StackingMode.Normal))
        .fillOpacity(80)
        .min(0),
    )

    .withRow(new RowBuilder('Analysis: candidate vs primary'))
    .withPanel(checksTable())
    .withPanel(
      new StateTimelinePanelBuilder()
        .title('Check results over time')
        .description('Each check of each measurement: pass, inconclusive (not enough data) or fail.')
        .withTarget(rangeQuery('A', CHECK_EXPR, '{{check}}'))
        .mappings(CHECK_MAPPINGS)
        .showValue(VisibilityMode.Never)
        .mergeValues(true)
        .height(8)
        .span(12),
    )
    .withPanel(checkValues('Error ratio', 'error_rate', 'Failed calls / calls in each measurement. Fails when the candidate is significantly higher and by more than max_increase (1 point).', 'percentunit'))
    .withPanel(checkValues('Latency p95', 'latency', 'p95 call latency in each measurement. Fails when the candidate is slower (Mann-Whitney) and its p95 is more than 20% and 5 ms higher.', 's'))
    .withPanel(
      checkValues('Prediction drift (PSI)', 'prediction_drift', "PSI between the primary's and the candidate's output distributions; dashed: the default max_score 0.2.", 'short')
        .thresholds(thresholds('transparent', [0.2, 'red']))
        .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed)),
    )
    .withPanel(checkValues('Shadow agreement', 'agreement', "Share of shadow predictions equal to the primary's (shadow mode only).", 'percentunit').max(1))
    .withPanel(
      timeseries('Performance once labels came', 'Performance of both versions in the measurement (accuracy, F1, ROC AUC, MAE, …).', 'short', 16)
        .withTarget(rangeQuery('A', `max by (check, variant) (driftwatch_rollout_check_value{${MV}, check=~"performance.*"})`, '{{check}} · {{variant}}'))
        .lineInterpolation(LineInterpolation.StepAfter),
    )

    .withRow(new RowBuilder('Live traffic by version and role'))
    .withPanel(
      timeseries('Traffic split', 'Predictions per second of each version and deployment role (primary, canary, shadow).', 'reqps', 8)
        .withTarget(rangeQuery('A', 'sum by (version, role) (rate(driftwatch_predictions_total{model="$model"}[$__rate_interval]))', '{{version}} · {{role}}'))
        .stacking(new StackingConfigBuilder().mode(StackingMode.Normal))
        .fillOpacity(30),
    )
    .withPanel(
      timeseries('Error ratio by role', 'Failed calls / timed calls of each version and role.', 'percentunit', 8)
        .withTarget(
          rangeQuery(
            'A',
            'sum by (version, role) (rate(driftwatch_prediction_errors_total{model="$model"}[$__rate_interval])) / sum by (version, role) (rate(driftwatch_prediction_duration_seconds_count{model="$model"}[$__rate_interval]))',
            '{{version}} · {{role}}',
          ),
        )
        .min(0),
    )
    .withPanel(
      timeseries('Latency p95 by role', 'p95 call latency of each version and role.', 's', 8).withTarget(
        rangeQuery(
          'A',
          'histogram_quantile(0.95, sum by (version, role, le) (rate(driftwatch_prediction_duration_seconds_bucket{model="$model"}[$__rate_interval])))',
          '{{version}} · {{role}}',
        ),
      ),
    );
  return numberPanels(builder.build());
}
