/**
 * Checks the two links every alert carries without a network: a runbook_url must name a runbook that exists
 * in docs/runbooks, and a dashboard_url must name a dashboard that grafana/provisioning loads (the generated
 * JSON in grafana/dashboards), with only variables that dashboard has, set to the alert's labels.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Where runbook_url annotations point: the repository's docs/runbooks on the default branch. */
export const RUNBOOK_BASE_URL = 'https://github.com/driftwatch/driftwatch/blob/main/docs/runbooks/';
/** Grafana's root URL in docker-compose.yml (GF_SERVER_ROOT_URL). */
export const GRAFANA_ROOT_URL = 'http://localhost:3000';

interface DashboardJson {
  readonly uid: string;
  readonly templating?: { readonly list?: ReadonlyArray<{ readonly name: string }> };
}

/** uid → variable names of every dashboard the Grafana provider loads (grafana/dashboards/*.json). */
export function provisionedDashboards(): ReadonlyMap<string, readonly string[]> {
  const dir = join(ROOT, 'grafana', 'dashboards');
  return new Map(
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as DashboardJson)
      .map((d) => [d.uid, (d.templating?.list ?? []).map((v) => v.name)]),
  );
}

/** Problems with a runbook link for `alertname` (empty when it is fine). */
export function runbookLinkProblems(url: string, alertname: string): string[] {
  if (url !== `${RUNBOOK_BASE_URL}${alertname}.md`) return [`runbook ${url} is not ${RUNBOOK_BASE_URL}${alertname}.md`];
  const path = join(ROOT, 'docs', 'runbooks', `${alertname}.md`);
  if (!existsSync(path)) return [`runbook file ${path} does not exist`];
  if (!new RegExp(`^# ${alertname}\\b`, 'm').test(readFileSync(path, 'utf8'))) return [`runbook ${path} has no "# ${alertname}" heading`];
  return [];
}

/**
 * Problems with a dashboard link (empty when it is fine): Grafana's origin, `/d/<uid>/…` of a provisioned
 * dashboard, `var-<name>` only for that dashboard's variables, and equal to `labels[name]` when given.
 */
export function dashboardLinkProblems(url: string, labels: Readonly<Record<string, string>> = {}): string[] {
  if (url.includes('{{') || url.includes('<no value>')) return [`dashboard ${url} has an unrendered template`];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [`dashboard ${url} is not a URL`];
  }
  const problems: string[] = [];
  if (parsed.origin !== GRAFANA_ROOT_URL) problems.push(`dashboard ${url} is not on ${GRAFANA_ROOT_URL}`);
  const uid = /^\/d\/([^/]+)(\/|$)/.exec(parsed.pathname)?.[1];
  const variables = uid === undefined ? undefined : provisionedDashboards().get(uid);
  if (variables === undefined) return [...problems, `dashboard ${url} does not name a provisioned dashboard uid (${[...provisionedDashboards().keys()].join(', ')})`];
  for (const [key, value] of parsed.searchParams) {
    if (!key.startsWith('var-')) continue;
    const name = key.slice(4);
    if (!variables.includes(name)) problems.push(`dashboard ${url}: ${uid} has no variable ${name}`);
    const label = labels[name];
    if (label !== undefined && value !== label) problems.push(`dashboard ${url}: var-${name}=${value}, the alert's label is ${label}`);
  }
  return problems;
}
