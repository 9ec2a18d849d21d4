/**
 * Alertmanager routing contract: the config is valid (amtool check-config), every alert of the rule files
 * routes to its tier's receiver (amtool config routes test), the Watchdog never pages, and on a real
 * Alertmanager (rendered test config, local webhooks) notifications arrive where expected while a
 * model's lower-tier alerts are inhibited by its critical alert.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ruleFilePaths } from '../prometheus/render-test-config.js';
import { startAlertmanager } from '../test/support/alertmanager-server.js';
import type { Daemon } from '../test/support/daemon.js';
import { binaryForTest } from '../test/support/find-binary.js';
import type { WebhookRecorder } from '../test/support/webhook-recorder.js';
import { startWebhookRecorder } from '../test/support/webhook-recorder.js';
import {
  PRODUCTION_CONFIG_PATH,
  TEST_PAGERDUTY_ROUTING_KEY,
  TEST_WEBHOOK_TOKEN,
  renderTestAlertmanagerConfig,
  renderTestAlertmanagerConfigFile,
} from './render-test-config.js';

const run = promisify(execFile);
const amtool = binaryForTest(['amtool']);
const alertmanager = binaryForTest(['prometheus-alertmanager', 'alertmanager']);

const productionYaml = readFileSync(PRODUCTION_CONFIG_PATH, 'utf8');
interface Route {
  receiver?: string;
  matchers?: string[];
  group_by?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: Route[];
}
const production = parse(productionYaml) as {
  route: Route;
  inhibit_rules: Array<{ source_matchers: string[]; target_matchers: string[]; equal?: string[] }>;
  receivers: Array<Record<string, unknown> & { name: string }>;
};

/** The receiver each severity must reach. */
const RECEIVER_BY_SEVERITY: Record<string, string> = { critical: 'pagerduty', high: 'slack', low: 'ticket', none: 'heartbeat' };

interface AlertRule {
  alert?: string;
  labels?: Record<string, string>;
}
const alertRules = ruleFilePaths().flatMap((path) =>
  (parse(readFileSync(path, 'utf8')) as { groups: Array<{ rules: AlertRule[] }> }).groups.flatMap((g) => g.rules.filter((r) => r.alert !== undefined)),
);

const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
function seconds(duration: string | undefined): number {
  const match = /^(\d+)([smhd])$/.exec(duration ?? '');
  if (match === null) throw new Error(`not a simple duration: ${duration}`);
  return Number(match[1]) * (SECONDS[match[2] ?? 's'] ?? 1);
}

describe('alertmanager.yml: structure', () => {
  const tierRoute = (receiver: string): Route | undefined => production.route.routes?.find((r) => r.receiver === receiver);

  it('groups by alert name and model', () => {
    expect(production.route.group_by).toEqual(['alertname', 'model']);
  });

  it('routes the Watchdog first, so no other route can catch it', () => {
    expect(production.route.routes?.[0]).toMatchObject({ receiver: 'heartbeat', matchers: ['alertname="Watchdog"'] });
  });

  it('has per-tier timers: the more urgent the tier, the sooner it notifies and repeats', () => {
    const [critical, high, low] = ['pagerduty', 'slack', 'ticket'].map(tierRoute);
    for (const route of [critical, high, low]) {
      expect(route?.group_wait).toBeDefined();
      expect(route?.group_interval).toBeDefined();
      expect(route?.repeat_interval).toBeDefined();
    }
    expect(seconds(critical?.group_wait)).toBeLessThan(seconds(low?.group_wait));
    expect(seconds(critical?.repeat_interval)).toBeLessThan(seconds(high?.repeat_interval));
    expect(seconds(high?.repeat_interval)).toBeLessThan(seconds(low?.repeat_interval));
    // the notification log keeps 120h by default: a longer repeat_interval would be forgotten
    expect(seconds(low?.repeat_interval)).toBeLessThan(120 * 3600);
  });

  it("inhibits a model's high and low alerts while it has a critical one", () => {
    expect(production.inhibit_rules).toContainEqual({
      source_matchers: ['severity="critical"'],
      target_matchers: ['severity=~"high|low"'],
      equal: ['model'],
    });
  });

  it('reads every secret from a file, none inline', () => {
    const pagerduty = production.receivers.find((r) => r.name === 'pagerduty')?.['pagerduty_configs'] as Array<Record<string, unknown>>;
    const slack = production.receivers.find((r) => r.name === 'slack')?.['slack_configs'] as Array<Record<string, unknown>>;
    expect(pagerduty.every((c) => typeof c['routing_key_file'] === 'string' && c['routing_key'] === undefined)).toBe(true);
    expect(slack.every((c) => typeof c['api_url_file'] === 'string' && c['api_url'] === undefined)).toBe(true);
    expect(productionYaml).not.toMatch(/hooks\.slack\.com|routing_key:\s|credentials:\s/);
  });
});

describe('renderTestAlertmanagerConfig', () => {
  const urls = { pagerduty: 'http://127.0.0.1:1/pd', slack: 'http://127.0.0.1:1/slack', ticket: 'http://127.0.0.1:1/ticket', heartbeat: 'http://127.0.0.1:1/hb' };

  it('points every receiver at its local URL and drops the secret files', () => {
    const rendered = parse(renderTestAlertmanagerConfig(productionYaml, { receiverUrls: urls })) as typeof production;
    const receiver = (name: string): Record<string, unknown> => production.receivers && (rendered.receivers.find((r) => r.name === name) ?? {});
    expect(receiver('pagerduty')['pagerduty_configs']).toEqual([
      expect.objectContaining({ url: urls.pagerduty, routing_key: TEST_PAGERDUTY_ROUTING_KEY }),
    ]);
    expect(receiver('slack')['slack_configs']).toEqual([expect.objectContaining({ api_url: urls.slack })]);
    expect(receiver('ticket')['webhook_configs']).toEqual([expect.objectContaining({ url: urls.ticket })]);
    expect(receiver('heartbeat')['webhook_configs']).toEqual([expect.objectContaining({ url: urls.heartbeat })]);
    expect(JSON.stringify(rendered)).not.toMatch(/_file"/);
    expect(rendered.route).toEqual(production.route);
  });

  it('retimes every route when asked', () => {
    const timers = { groupWait: '1s', groupInterval: '2s', repeatInterval: '1h' };
    const rendered = parse(renderTestAlertmanagerConfig(productionYaml, { receiverUrls: urls, timers })) as typeof production;
    for (const route of [rendered.route, ...(rendered.route.routes ?? [])]) {
      expect(route).toMatchObject({ group_wait: '1s', group_interval: '2s', repeat_interval: '1h' });
    }
  });

  it('refuses a receiver without a URL and a URL without a receiver', () => {
    const { ticket: _ticket, ...missing } = urls;
    expect(() => renderTestAlertmanagerConfig(productionYaml, { receiverUrls: missing })).toThrow(/receiverUrls\.ticket: required/);
    expect(() => renderTestAlertmanagerConfig(productionYaml, { receiverUrls: { ...urls, email: 'http://x' } })).toThrow(/no receiver "email"/);
  });
});

describe.skipIf(amtool === undefined)('amtool', () => {
  const bin = amtool ?? 'amtool';

  it('check-config: the production config and its templates are valid', async () => {
    const { stdout } = await run(bin, ['check-config', PRODUCTION_CONFIG_PATH]);
    expect(stdout).toContain('SUCCESS');
  });

  it('check-config: the rendered test config is valid', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'driftwatch-amtool-'));
    try {
      const path = join(dir, 'alertmanager.yml');
      await writeFile(
        path,
        renderTestAlertmanagerConfigFile({
          receiverUrls: { pagerduty: 'http://127.0.0.1:1/pd', slack: 'http://127.0.0.1:1/s', ticket: 'http://127.0.0.1:1/t', heartbeat: 'http://127.0.0.1:1/h' },
        }),
      );
      const { stdout } = await run(bin, ['check-config', path]);
      expect(stdout).toContain('SUCCESS');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  const cases = [
    ...alertRules.map((rule) => {
      const severity = rule.labels?.['severity'] ?? '';
      return { name: `${rule.alert ?? ''} (${severity})`, labels: [`alertname=${rule.alert ?? ''}`, `severity=${severity}`, 'model=churn'], receiver: RECEIVER_BY_SEVERITY[severity] };
    }),
    // a Watchdog mislabelled critical must still not page
    { name: 'Watchdog labelled critical', labels: ['alertname=Watchdog', 'severity=critical', 'model=*'], receiver: 'heartbeat' },
    // an alert with an unknown severity still reaches humans
    { name: 'unknown severity', labels: ['alertname=SomethingNew', 'severity=page', 'model=churn'], receiver: 'slack' },
  ];

  it.each(cases)('config routes test: $name → $receiver', async ({ labels, receiver }) => {
    expect(receiver).toBeDefined();
    const { stdout } = await run(bin, ['config', 'routes', 'test', `--config.file=${PRODUCTION_CONFIG_PATH}`, `--verify.receivers=${receiver ?? ''}`, ...labels]);
    expect(stdout.trim()).toBe(receiver);
  });
});

interface PagerDutyEvent {
  routing_key: string;
  event_action: string;
  payload: { summary: string; severity: string };
  links?: Array<{ href: string; text: string }>;
}
interface SlackMessage {
  channel: string;
  attachments: Array<{ title: string; text: string }>;
}
interface WebhookMessage {
  status: string;
  alerts: Array<{ labels: Record<string, string>; annotations: Record<string, string> }>;
}

describe.skipIf(alertmanager === undefined)('a live Alertmanager with the rendered test config', () => {
  let recorder: WebhookRecorder;
  let daemon: Daemon;
  let workDir: string;

  const alert = (labels: Record<string, string>): Record<string, unknown> => ({
    labels,
    annotations: {
      summary: `${labels['alertname']} on ${labels['model']}`,
      description: 'test alert',
      runbook_url: `https://github.com/driftwatch/driftwatch/blob/main/docs/runbooks/${labels['alertname']}.md`,
      dashboard_url: `http://localhost:3000/d/driftwatch-model-detail/driftwatch-model-detail?var-model=${labels['model']}`,
    },
    startsAt: new Date(Date.now() - 60_000).toISOString(),
    endsAt: new Date(Date.now() + 600_000).toISOString(),
  });

  beforeAll(async () => {
    recorder = await startWebhookRecorder();
    workDir = await mkdtemp(join(tmpdir(), 'driftwatch-alertmanager-'));
    daemon = await startAlertmanager({
      binary: alertmanager ?? 'alertmanager',
      workDir,
      configYaml: renderTestAlertmanagerConfigFile({
        receiverUrls: {
          pagerduty: `${recorder.baseUrl}/pagerduty`,
          slack: `${recorder.baseUrl}/slack`,
          ticket: `${recorder.baseUrl}/ticket`,
          heartbeat: `${recorder.baseUrl}/heartbeat`,
        },
        timers: { groupWait: '2s', groupInterval: '2s', repeatInterval: '1h' },
      }),
    });
    const post = async (alerts: Array<Record<string, unknown>>): Promise<void> => {
      const response = await fetch(new URL('/api/v2/alerts', daemon.baseUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
      expect(response.status).toBe(200);
    };
    // The critical alert goes first, and the rest only once Alertmanager lists it: its inhibitor learns of alerts
    // asynchronously, so a critical alert posted together with the high one it inhibits can lose the race to the high
    // alert's notification on a loaded machine (seen once in a full parallel run: churn's high alert reached Slack).
    // churn: a critical alert inhibits its high alert
    await post([alert({ alertname: 'Watchdog', severity: 'none', model: '*', version: '*' }), alert({ alertname: 'DriftwatchModelDataOutage', severity: 'critical', model: 'churn', version: '2' })]);
    const listed = new URL('/api/v2/alerts', daemon.baseUrl);
    listed.searchParams.append('filter', 'alertname="DriftwatchModelDataOutage"');
    const listedBy = Date.now() + 20_000;
    while (((await (await fetch(listed)).json()) as unknown[]).length === 0) {
      if (Date.now() > listedBy) throw new Error(`the critical alert was never listed\n${daemon.output()}`);
      await sleep(100);
    }
    await post([
      alert({ alertname: 'DriftwatchDatasetDrift', severity: 'high', model: 'churn', version: '2', window: '1h' }),
      // fraud: no critical alert, so its high and low alerts go out
      alert({ alertname: 'DriftwatchDatasetDrift', severity: 'high', model: 'fraud', version: '1', window: '1h' }),
      alert({ alertname: 'DriftwatchNewCategories', severity: 'low', model: 'fraud', version: '1', feature: 'merchant', window: '24h' }),
    ]);
    // the four expected notifications (heartbeat, pagerduty, slack for fraud, ticket) arrive after the 2 s group_wait
    const deadline = Date.now() + 20_000;
    while (['/heartbeat', '/pagerduty', '/slack', '/ticket'].some((path) => recorder.received(path).length === 0)) {
      if (Date.now() > deadline) throw new Error(`notifications missing: ${JSON.stringify(recorder.received().map((r) => r.path))}\n${daemon.output()}`);
      await sleep(100);
    }
  });

  afterAll(async () => {
    await daemon?.stop();
    await recorder?.close();
    if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
  });

  it('pages PagerDuty (Events API v2) for the critical alert only, with runbook and dashboard links', () => {
    const events = recorder.received('/pagerduty').map((r) => r.body as PagerDutyEvent);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      expect(event.routing_key).toBe(TEST_PAGERDUTY_ROUTING_KEY);
      expect(event.event_action).toBe('trigger');
      expect(event.payload.summary).toContain('DriftwatchModelDataOutage');
      expect(event.payload.summary).not.toContain('Watchdog');
      expect(event.links?.map((l) => l.text)).toEqual(['Runbook', 'Dashboard']);
    }
  });

  it('posts high alerts to Slack, except those inhibited by a critical alert on the same model', () => {
    const messages = recorder.received('/slack').map((r) => r.body as SlackMessage);
    const titles = messages.flatMap((m) => m.attachments.map((a) => a.title));
    expect(titles.some((t) => t.includes('DriftwatchDatasetDrift') && t.includes('fraud'))).toBe(true);
    expect(titles.some((t) => t.includes('churn'))).toBe(false);
    expect(messages[0]?.attachments[0]?.text).toContain('Runbook: https://github.com/driftwatch/driftwatch/blob/main/docs/runbooks/DriftwatchDatasetDrift.md');
  });

  it('reports the inhibited alert as suppressed by the critical one', async () => {
    const url = new URL('/api/v2/alerts', daemon.baseUrl);
    url.searchParams.append('filter', 'model="churn"');
    url.searchParams.append('filter', 'severity="high"');
    const alerts = (await (await fetch(url)).json()) as Array<{ status: { state: string; inhibitedBy: string[] } }>;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.status.state).toBe('suppressed');
    expect(alerts[0]?.status.inhibitedBy.length).toBe(1);
  });

  it('opens a ticket for the low alert, authenticated with the bearer token', () => {
    const tickets = recorder.received('/ticket');
    const body = tickets[0]?.body as WebhookMessage;
    expect(body.alerts.map((a) => a.labels['alertname'])).toEqual(['DriftwatchNewCategories']);
    expect(tickets[0]?.headers.authorization).toBe(`Bearer ${TEST_WEBHOOK_TOKEN}`);
  });

  it('sends the Watchdog to the heartbeat receiver and nowhere else', () => {
    const beats = recorder.received('/heartbeat').map((r) => r.body as WebhookMessage);
    expect(beats[0]?.alerts.map((a) => a.labels['alertname'])).toEqual(['Watchdog']);
    const elsewhere = recorder.received().filter((r) => r.path !== '/heartbeat' && JSON.stringify(r.body).includes('Watchdog'));
    expect(elsewhere).toEqual([]);
  });
});
