/** The few Prometheus HTTP API calls the tests make. */

export interface PrometheusQueryResponse {
  readonly status: 'success' | 'error';
  readonly data?: { readonly resultType: string; readonly result: readonly unknown[] };
  readonly errorType?: string;
  readonly error?: string;
  readonly warnings?: readonly string[];
}

/** GET /api/v1/query?query=expr (an instant query at the current time). */
export async function instantQuery(baseUrl: string, expr: string): Promise<PrometheusQueryResponse> {
  const url = new URL('/api/v1/query', baseUrl);
  url.searchParams.set('query', expr);
  const response = await fetch(url);
  return (await response.json()) as PrometheusQueryResponse;
}

export interface PrometheusRule {
  readonly name: string;
  readonly type: 'alerting' | 'recording';
  readonly query: string;
  readonly health: string;
  readonly lastError?: string;
  readonly lastEvaluation: string;
}

export interface PrometheusRuleGroup {
  readonly name: string;
  readonly file: string;
  readonly rules: readonly PrometheusRule[];
}

/** GET /api/v1/rules: every loaded rule with its health and last evaluation error. */
export async function ruleGroups(baseUrl: string): Promise<readonly PrometheusRuleGroup[]> {
  const response = await fetch(new URL('/api/v1/rules', baseUrl));
  const body = (await response.json()) as { status: string; data: { groups: PrometheusRuleGroup[] } };
  if (body.status !== 'success') throw new Error(`GET /api/v1/rules: status ${body.status}`);
  return body.data.groups;
}
