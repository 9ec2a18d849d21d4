/**
 * Renders a test variant of alertmanager/alertmanager.yml: same routes, inhibitions and templates, but
 * every receiver posts to a local URL (PagerDuty's `url`, Slack's `api_url`, the webhooks' `url`) and
 * no secret file is read. Optionally shortens the routing timers so a test sees notifications in seconds.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';

export const ALERTMANAGER_DIR = fileURLToPath(new URL('.', import.meta.url));
export const PRODUCTION_CONFIG_PATH = join(ALERTMANAGER_DIR, 'alertmanager.yml');

/** Credentials written into the test config in place of the secret files. */
export const TEST_PAGERDUTY_ROUTING_KEY = 'driftwatch-test-routing-key';
export const TEST_WEBHOOK_TOKEN = 'driftwatch-test-token';

export interface RouteTimers {
  readonly groupWait: string;
  readonly groupInterval: string;
  readonly repeatInterval: string;
}

export interface TestAlertmanagerConfigOptions {
  /** receiver name → the local URL all of its notifiers post to; every receiver with notifiers needs one */
  readonly receiverUrls: Readonly<Record<string, string>>;
  /** replaces group_wait / group_interval / repeat_interval on the root route and every child route */
  readonly timers?: RouteTimers;
}

type Notifier = Record<string, unknown>;
interface Receiver {
  name: string;
  [kind: string]: unknown;
}
interface Route {
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  routes?: Route[];
  [key: string]: unknown;
}
interface AlertmanagerConfig {
  templates?: string[];
  route?: Route;
  receivers?: Receiver[];
  [key: string]: unknown;
}

const REDIRECTS: Readonly<Record<string, (notifier: Notifier, url: string) => Notifier>> = {
  pagerduty_configs: ({ routing_key_file: _file, service_key_file: _service, ...rest }, url) => ({
    ...rest,
    routing_key: TEST_PAGERDUTY_ROUTING_KEY,
    url,
  }),
  slack_configs: ({ api_url_file: _file, ...rest }, url) => ({ ...rest, api_url: url }),
  webhook_configs: ({ http_config: _http, ...rest }, url) => ({
    ...rest,
    url,
    http_config: { authorization: { type: 'Bearer', credentials: TEST_WEBHOOK_TOKEN } },
  }),
};

function retime(route: Route, timers: RouteTimers): Route {
  return {
    ...route,
    group_wait: timers.groupWait,
    group_interval: timers.groupInterval,
    repeat_interval: timers.repeatInterval,
    ...(route.routes === undefined ? {} : { routes: route.routes.map((child) => retime(child, timers)) }),
  };
}

/**
 * Rewrites the production config text. Throws when a receiver with notifiers has no URL in
 * `receiverUrls`, when `receiverUrls` names an unknown receiver, or when a receiver uses a notifier
 * that cannot be pointed at a plain HTTP endpoint (e.g. email).
 */
export function renderTestAlertmanagerConfig(productionYaml: string, options: TestAlertmanagerConfigOptions): string {
  const config = parse(productionYaml) as AlertmanagerConfig;
  const receivers = config.receivers ?? [];
  const names = new Set(receivers.map((r) => r.name));
  for (const name of Object.keys(options.receiverUrls)) {
    if (!names.has(name)) throw new Error(`receiverUrls.${name}: alertmanager.yml has no receiver "${name}" (it has ${[...names].join(', ')})`);
  }
  const rendered: AlertmanagerConfig = {
    ...config,
    templates: (config.templates ?? []).map((glob) => (isAbsolute(glob) ? glob : join(ALERTMANAGER_DIR, glob))),
    receivers: receivers.map((receiver) => {
      const kinds = Object.keys(receiver).filter((key) => key.endsWith('_configs'));
      if (kinds.length === 0) return receiver;
      const url = options.receiverUrls[receiver.name];
      if (url === undefined) throw new Error(`receiverUrls.${receiver.name}: required, receiver "${receiver.name}" has notifiers`);
      const out: Receiver = { name: receiver.name };
      for (const kind of kinds) {
        const redirect = REDIRECTS[kind];
        if (redirect === undefined) throw new Error(`receiver "${receiver.name}": ${kind} cannot be redirected to a test URL`);
        out[kind] = (receiver[kind] as Notifier[]).map((notifier) => redirect(notifier, url));
      }
      return out;
    }),
  };
  if (options.timers !== undefined && config.route !== undefined) rendered.route = retime(config.route, options.timers);
  return stringify(rendered);
}

/** {@link renderTestAlertmanagerConfig} applied to alertmanager/alertmanager.yml. */
export function renderTestAlertmanagerConfigFile(options: TestAlertmanagerConfigOptions): string {
  return renderTestAlertmanagerConfig(readFileSync(PRODUCTION_CONFIG_PATH, 'utf8'), options);
}
