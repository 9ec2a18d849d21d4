/**
 * Pulls the PromQL out of Grafana dashboard JSON (panel targets and query variables) and makes it
 * runnable outside Grafana: template variables substituted, `label_values(...)` turned into PromQL.
 */

export interface DashboardQuery {
  readonly panel: string;
  readonly refId: string;
  readonly expr: string;
}

export interface VariableQuery {
  readonly name: string;
  readonly query: string;
}

interface PanelJson {
  readonly title?: string;
  readonly type?: string;
  readonly targets?: ReadonlyArray<{ readonly refId?: string; readonly expr?: string }>;
  readonly panels?: readonly PanelJson[];
}

interface DashboardJson {
  readonly panels?: readonly PanelJson[];
  readonly templating?: { readonly list?: ReadonlyArray<{ readonly name?: string; readonly type?: string; readonly query?: unknown }> };
}

/** Every Prometheus target of every panel, rows' nested panels included. */
export function dashboardQueries(dashboard: DashboardJson): DashboardQuery[] {
  const queries: DashboardQuery[] = [];
  const visit = (panel: PanelJson): void => {
    for (const target of panel.targets ?? []) {
      if (typeof target.expr === 'string') queries.push({ panel: panel.title ?? '(untitled)', refId: target.refId ?? '?', expr: target.expr });
    }
    (panel.panels ?? []).forEach(visit);
  };
  (dashboard.panels ?? []).forEach(visit);
  return queries;
}

/** The query of every `query` variable. */
export function variableQueries(dashboard: DashboardJson): VariableQuery[] {
  return (dashboard.templating?.list ?? [])
    .filter((v) => v.type === 'query')
    .map((v) => ({ name: v.name ?? '?', query: typeof v.query === 'string' ? v.query : JSON.stringify(v.query) }));
}

/**
 * Replaces `$name` and `${name}` with `values[name]`. Throws on a variable without a value, so a new
 * variable cannot slip through untested.
 */
export function substituteVariables(expr: string, values: Readonly<Record<string, string>>): string {
  return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (match, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    const value = values[name];
    if (value === undefined) throw new Error(`no test value for dashboard variable ${match} in: ${expr}`);
    return value;
  });
}

/** `label_values(selector, label)` (Grafana's variable function) as PromQL: `group by (label) (selector)`. */
export function labelValuesAsPromql(query: string): string {
  const match = /^\s*label_values\(\s*(.+)\s*,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$/s.exec(query);
  if (match === null) throw new Error(`not a label_values(selector, label) query: ${query}`);
  const [, selector = '', label = ''] = match;
  return `group by (${label}) (${selector})`;
}
