import { QueryVariableBuilder, VariableRefresh, VariableSort } from '@grafana/grafana-foundation-sdk/dashboard';
import { PROMETHEUS_DATASOURCE } from './datasources.js';

/**
 * A single-value Prometheus query variable filled by `label_values(<selector>, <label>)`,
 * refreshed when the time range changes (models and versions come and go).
 */
export function labelValuesVariable(name: string, label: string, selector: string, displayLabel: string): QueryVariableBuilder {
  const query = `label_values(${selector}, ${label})`;
  return new QueryVariableBuilder(name)
    .label(displayLabel)
    .datasource(PROMETHEUS_DATASOURCE)
    .query(query)
    .definition(query)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.NaturalAsc)
    .multi(false)
    .includeAll(false);
}
