/**
 * docker-compose.yml cannot run here (no Docker engine), so this checks what can be checked without one:
 * the file interpolates with the variables of .env.example, every file it mounts and every file the
 * Dockerfile copies exists (and is not left out by .dockerignore), every entry point it runs is built,
 * and the host names, ports and URLs agree across docker-compose.yml, collector/otel-collector.yml,
 * prometheus/prometheus.yml, alertmanager/alertmanager.yml, the Grafana provisioning and the alert rules.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfigInput, resolveConfig } from '@driftwatch/aggregator';
import { DASHBOARDS } from '../grafana/src/index.js';
import { ruleFilePaths } from '../prometheus/render-test-config.js';
import { composeVariables, interpolateCompose } from './support/compose-interpolation.js';
import { contextCopies, dockerignorePatterns, isDockerignored } from './support/dockerfile-copies.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string };
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  secrets?: string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}
interface ComposeFile {
  services: Record<string, Service>;
  secrets?: Record<string, { environment?: string; file?: string }>;
  volumes?: Record<string, unknown>;
}

const composeText = read('docker-compose.yml');
/** .env.example with a value for every variable it leaves empty (as a user fills it in). */
const envExample = Object.fromEntries(
  read('.env.example')
    .split('\n')
    .filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l))
    .map((l) => {
      const [name = '', value = ''] = l.split(/=(.*)/s);
      return [name, value === '' ? `test-${name.toLowerCase()}` : value];
    }),
);
// Compose applies YAML merge keys (`<<: *anchor`)
const compose = parse(interpolateCompose(composeText, envExample), { merge: true }) as ComposeFile;
const services = compose.services;
const service = (name: string): Service => {
  const s = services[name];
  if (s === undefined) throw new Error(`docker-compose.yml: no service ${name}`);
  return s;
};

interface Mount {
  readonly service: string;
  readonly source: string;
  readonly target: string;
  readonly bind: boolean;
}
const mounts: Mount[] = Object.entries(services).flatMap(([name, s]) =>
  (s.volumes ?? []).map((spec) => {
    const [source = '', target = ''] = spec.split(':');
    return { service: name, source, target, bind: source.startsWith('.') || source.startsWith('/') };
  }),
);

/** The host path mounted at `containerPath` in `serviceName` (through a file or a directory mount), if any. */
function hostPathOf(serviceName: string, containerPath: string): string | undefined {
  for (const m of mounts.filter((x) => x.service === serviceName && x.bind)) {
    if (containerPath === m.target) return join(ROOT, m.source);
    if (containerPath.startsWith(`${m.target}/`)) return join(ROOT, m.source, containerPath.slice(m.target.length + 1));
  }
  return undefined;
}

/** The value of a `--flag=value` (or `--flag value`) argument in a service's command. */
function flag(s: Service, name: string): string | undefined {
  const args = s.command ?? [];
  for (const [i, arg] of args.entries()) {
    if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
    if (arg === name) return args[i + 1];
  }
  return undefined;
}

/** The container port of a listen address such as `:9093` or `0.0.0.0:4318`. */
const portOf = (address: string | undefined): number => Number(/:(\d+)$/.exec(address ?? '')?.[1] ?? NaN);

/** `{ host, port }` of an http URL or a `host:port` target. */
function endpoint(urlOrTarget: string): { host: string; port: number } {
  const url = new URL(urlOrTarget.includes('://') ? urlOrTarget : `http://${urlOrTarget}`);
  return { host: url.hostname, port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)) };
}

/** Published `127.0.0.1:HOST:CONTAINER` ports of a service, as { host, container }. */
function published(s: Service): Array<{ ip: string; host: number; container: number }> {
  return (s.ports ?? []).map((p) => {
    const parts = p.split(':');
    return { ip: parts.length === 3 ? (parts[0] ?? '') : '', host: Number(parts.at(-2)), container: Number(parts.at(-1)) };
  });
}

const aggregatorEnv = service('aggregator').environment ?? {};
const AGGREGATOR_OTLP_PORT = Number(aggregatorEnv['DRIFTWATCH_OTLP_PORT']);
const AGGREGATOR_HTTP_PORT = Number(aggregatorEnv['DRIFTWATCH_HTTP_PORT']);

describe('docker-compose.yml: variables and files', () => {
  it('every variable it needs is documented in .env.example, and it interpolates with them', () => {
    const documented = new Set(Object.keys(envExample));
    const undocumented = composeVariables(composeText)
      .filter((v) => v.fallback === undefined && !documented.has(v.name))
      .map((v) => v.name);
    expect(undocumented).toEqual([]);
    // the secrets Compose reads from the environment are documented too
    for (const [name, secret] of Object.entries(compose.secrets ?? {})) {
      if (secret.environment !== undefined) expect(documented.has(secret.environment), `secret ${name}: ${secret.environment}`).toBe(true);
      if (secret.file !== undefined) expect(existsSync(join(ROOT, secret.file)), `secret ${name}: ${secret.file}`).toBe(true);
    }
  });

  it('refuses to start without the aggregator tokens and the Grafana password', () => {
    const required = composeVariables(composeText).filter((v) => v.required).map((v) => v.name);
    expect(required.sort()).toEqual(['DRIFTWATCH_ADMIN_TOKEN', 'DRIFTWATCH_INGEST_TOKEN', 'GRAFANA_ADMIN_PASSWORD']);
    expect(() => interpolateCompose(composeText, { ...envExample, DRIFTWATCH_INGEST_TOKEN: '' })).toThrow(/DRIFTWATCH_INGEST_TOKEN/);
  });

  it('has every service of the stack', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['aggregator', 'alertmanager', 'churn', 'churn-reference', 'churn-traffic', 'grafana', 'otel-collector', 'prometheus'].sort(),
    );
  });

  it.each(mounts.filter((m) => m.bind).map((m) => [`${m.service}: ${m.source} → ${m.target}`, m] as const))('bind mount %s exists', (_name, m) => {
    expect(existsSync(join(ROOT, m.source)), m.source).toBe(true);
  });

  it('declares every named volume and secret it uses', () => {
    for (const m of mounts.filter((x) => !x.bind)) expect(Object.keys(compose.volumes ?? {}), `${m.service}: volume ${m.source}`).toContain(m.source);
    for (const [name, s] of Object.entries(services)) {
      for (const secret of s.secrets ?? []) expect(Object.keys(compose.secrets ?? {}), `${name}: secret ${secret}`).toContain(secret);
    }
  });

  it('waits for a health check only on services that have one, and only on services that exist', () => {
    for (const [name, s] of Object.entries(services)) {
      const deps = Array.isArray(s.depends_on) ? Object.fromEntries(s.depends_on.map((d) => [d, { condition: 'service_started' }])) : (s.depends_on ?? {});
      for (const [dep, { condition }] of Object.entries(deps)) {
        expect(Object.keys(services), `${name} depends on ${dep}`).toContain(dep);
        if (condition === 'service_healthy') expect(service(dep).healthcheck, `${name} waits for ${dep} to be healthy`).toBeDefined();
      }
    }
  });

  it('publishes every port on loopback only', () => {
    for (const [name, s] of Object.entries(services)) for (const p of published(s)) expect(p.ip, `${name} ${p.host}`).toBe('127.0.0.1');
  });
});

describe('Dockerfile', () => {
  const builds = Object.entries(services).filter(([, s]) => s.build !== undefined);
  const dockerfile = read('Dockerfile');
  const ignored = dockerignorePatterns(read('.dockerignore'));

  it('is what every built service uses', () => {
    expect(builds.length).toBeGreaterThan(0);
    for (const [name, s] of builds) {
      expect(s.build?.context, name).toBe('.');
      expect(s.build?.dockerfile ?? 'Dockerfile', name).toBe('Dockerfile');
    }
  });

  it.each(contextCopies(dockerfile).flatMap((c) => c.sources.map((source) => [`line ${c.line}: ${source}`, source] as const)))(
    'COPY %s exists in the build context and is not dockerignored',
    (_name, source) => {
      expect(existsSync(join(ROOT, source)), source).toBe(true);
      expect(isDockerignored(source, ignored), `${source} is excluded by .dockerignore`).toBe(false);
    },
  );

  it('copies every workspace package.json before npm ci (a missing one breaks the install)', () => {
    const workspaces = (JSON.parse(read('package.json')) as { workspaces: string[] }).workspaces;
    const copied = contextCopies(dockerfile).flatMap((c) => c.sources);
    for (const ws of workspaces) expect(copied, ws).toContain(`${ws}/package.json`);
  });

  it('copies every project the workspace build (tsc --build) references', () => {
    const copied = contextCopies(dockerfile).flatMap((c) => c.sources);
    const references = (JSON.parse(read('tsconfig.json')) as { references: Array<{ path: string }> }).references.map((r) => r.path);
    expect(references.length).toBeGreaterThan(0);
    for (const ref of references) {
      expect(copied.some((source) => ref === source || ref.startsWith(`${source}/`)), `${ref} is copied into the image`).toBe(true);
      expect(isDockerignored(`${ref}/tsconfig.json`, ignored), `${ref} is excluded by .dockerignore`).toBe(false);
    }
    expect(copied).toEqual(expect.arrayContaining(['tsconfig.json', 'tsconfig.base.json']));
    expect((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts['build']).toBe('tsc --build');
  });

  it('keeps secrets, dependencies and build output out of the context', () => {
    for (const path of ['.env', 'node_modules', 'packages/aggregator/node_modules', 'packages/stats/dist', 'data', '.git']) {
      expect(isDockerignored(path, ignored), path).toBe(true);
    }
    // the example's sources have a data/ directory of their own: only the root data/ is excluded
    expect(isDockerignored('examples/churn/src/data/generate.ts', ignored)).toBe(false);
  });

  it('runs `driftwatch serve`, and every script the services run is built from a source file', () => {
    const entrypoint = /ENTRYPOINT\s+(\[.*\])/.exec(dockerfile)?.[1];
    const defaultEntrypoint = JSON.parse(entrypoint ?? '[]') as string[];
    expect(defaultEntrypoint).toEqual(['node', 'packages/aggregator/dist/cli/main.js']);
    expect(/CMD\s+(\[.*\])/.exec(dockerfile)?.[1]).toBe('["serve"]');
    const scripts = new Set([defaultEntrypoint[1] ?? '', ...builds.flatMap(([, s]) => (s.entrypoint?.[0] === 'node' ? [s.entrypoint[1] ?? ''] : []))]);
    expect(scripts.size).toBeGreaterThan(1);
    for (const script of scripts) {
      const source = script.replace('/dist/', '/src/').replace(/\.js$/, '.ts');
      expect(existsSync(join(ROOT, source)), `${script} is compiled from ${source}`).toBe(true);
    }
  });

  it('trains the example model version the churn services serve and push', () => {
    const trained = /RUN node examples\/churn\/dist\/train\.js --version (\S+)/.exec(dockerfile)?.[1];
    expect(trained).toBeDefined();
    expect(flag(service('churn'), '--version')).toBe(trained);
    expect(service('churn-reference').command).toContain(`examples/churn/artifacts/churn/${trained ?? ''}/reference.json`);
  });
});

describe('the aggregator service', () => {
  const aggregator = service('aggregator');

  it('runs `driftwatch serve` on 0.0.0.0 with a config that is valid, tokens included', () => {
    expect(aggregator.command).toEqual(['serve']);
    const configPath = aggregatorEnv['DRIFTWATCH_CONFIG'] ?? '';
    const hostConfig = hostPathOf('aggregator', configPath);
    expect(hostConfig, `${configPath} is mounted`).toBeDefined();
    const config = resolveConfig(loadConfigInput({ configPath: hostConfig ?? '', env: aggregatorEnv }));
    expect(config.host).toBe('0.0.0.0');
    expect(config.ingestToken).toBe(envExample['DRIFTWATCH_INGEST_TOKEN']);
    expect(config.adminToken).toBe(envExample['DRIFTWATCH_ADMIN_TOKEN']);
    expect([config.otlpPort, config.httpPort]).toEqual([AGGREGATOR_OTLP_PORT, AGGREGATOR_HTTP_PORT]);
    expect(config.dataDir).toBe('/data');
    expect(mounts.some((m) => m.service === 'aggregator' && m.target === '/data' && !m.bind)).toBe(true);
    // without the tokens the same config must be refused (the aggregator's off-loopback rule)
    const { DRIFTWATCH_INGEST_TOKEN: _token, ...withoutToken } = aggregatorEnv;
    expect(() => resolveConfig(loadConfigInput({ configPath: hostConfig ?? '', env: withoutToken }))).toThrow(/ingestToken/);
  });

  it('checks its health on its own HTTP port', () => {
    expect(aggregator.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${AGGREGATOR_HTTP_PORT}/readyz`);
    expect(published(aggregator).map((p) => p.container)).toContain(AGGREGATOR_HTTP_PORT);
  });
});

describe('collector/otel-collector.yml', () => {
  const collector = service('otel-collector');
  const configPath = flag(collector, '--config') ?? '';
  const hostConfig = hostPathOf('otel-collector', configPath);
  interface CollectorConfig {
    extensions?: Record<string, unknown>;
    receivers: { otlp: { protocols: { http: { endpoint: string }; grpc?: { endpoint: string } } } };
    processors: Record<string, unknown>;
    exporters: Record<string, { endpoint: string; headers?: Record<string, string> }>;
    service: { extensions?: string[]; pipelines: Record<string, { receivers: string[]; processors: string[]; exporters: string[] }> };
  }
  const config = parse(readFileSync(hostConfig ?? join(ROOT, 'collector', 'otel-collector.yml'), 'utf8')) as CollectorConfig;

  it('is the file mounted where the collector command reads it', () => {
    expect(hostConfig).toBe(join(ROOT, 'collector', 'otel-collector.yml'));
  });

  it('pipes otlp → memory_limiter → batch → otlphttp for metrics and logs', () => {
    for (const signal of ['metrics', 'logs']) {
      const pipeline = config.service.pipelines[signal];
      expect(pipeline?.receivers, signal).toEqual(['otlp']);
      expect(pipeline?.processors, signal).toEqual(['memory_limiter', 'batch']);
      expect(pipeline?.exporters.length, signal).toBe(1);
      for (const name of pipeline?.exporters ?? []) expect(name.split('/')[0], signal).toBe('otlphttp');
    }
    // everything a pipeline names is defined
    const used = Object.values(config.service.pipelines).flatMap((p) => [...p.processors.map((n) => ['processors', n]), ...p.exporters.map((n) => ['exporters', n])]);
    for (const [kind, name] of used) expect(Object.keys(config[kind as 'processors' | 'exporters']), `${kind} ${name}`).toContain(name);
    for (const name of config.service.extensions ?? []) expect(Object.keys(config.extensions ?? {})).toContain(name);
  });

  it("exports to the aggregator service's OTLP port with the ingest token the collector is given", () => {
    for (const exporter of Object.values(config.exporters)) {
      expect(endpoint(exporter.endpoint)).toEqual({ host: 'aggregator', port: AGGREGATOR_OTLP_PORT });
      expect(exporter.headers?.['Authorization']).toBe('Bearer ${env:DRIFTWATCH_INGEST_TOKEN}');
    }
    expect(collector.environment?.['DRIFTWATCH_INGEST_TOKEN']).toBe(aggregatorEnv['DRIFTWATCH_INGEST_TOKEN']);
  });

  it('listens on every interface, on the ports it publishes and the churn server sends to', () => {
    const httpPort = portOf(config.receivers.otlp.protocols.http.endpoint);
    expect(config.receivers.otlp.protocols.http.endpoint).toMatch(/^0\.0\.0\.0:/);
    expect(config.receivers.otlp.protocols.grpc?.endpoint).toMatch(/^0\.0\.0\.0:/);
    expect(published(collector).map((p) => p.container)).toContain(httpPort);
    const churnEndpoint = service('churn').environment?.['OTEL_EXPORTER_OTLP_ENDPOINT'] ?? '';
    expect(endpoint(churnEndpoint)).toEqual({ host: 'otel-collector', port: httpPort });
  });
});

describe('prometheus/prometheus.yml', () => {
  const prometheus = service('prometheus');
  const configPath = flag(prometheus, '--config.file') ?? '';
  const hostConfig = hostPathOf('prometheus', configPath) ?? '';
  const config = parse(readFileSync(hostConfig, 'utf8')) as {
    rule_files: string[];
    alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
    scrape_configs: Array<{ job_name: string; metrics_path?: string; static_configs: Array<{ targets: string[] }> }>;
  };
  const listenPort = portOf(flag(prometheus, '--web.listen-address'));

  it('is the file mounted where the prometheus command reads it', () => {
    expect(hostConfig).toBe(join(ROOT, 'prometheus', 'prometheus.yml'));
  });

  it('loads every rule file, through the mounts, from where the config expects them', () => {
    const containerDir = posix.dirname(configPath);
    const loaded = config.rule_files.flatMap((glob) => {
      const containerGlob = posix.join(containerDir, glob);
      const hostDir = hostPathOf('prometheus', posix.dirname(containerGlob));
      expect(hostDir, `${containerGlob} is mounted`).toBeDefined();
      const suffix = posix.basename(containerGlob).replace('*', '');
      return readdirSync(hostDir ?? '').filter((f) => f.endsWith(suffix)).map((f) => join(hostDir ?? '', f));
    });
    expect(loaded.sort()).toEqual(ruleFilePaths());
  });

  it('scrapes the aggregator service on its HTTP port, and itself on its listen port', () => {
    const job = (name: string) => config.scrape_configs.find((c) => c.job_name === name);
    expect(job('driftwatch')?.static_configs.flatMap((c) => c.targets).map(endpoint)).toEqual([{ host: 'aggregator', port: AGGREGATOR_HTTP_PORT }]);
    expect(job('driftwatch')?.metrics_path ?? '/metrics').toBe('/metrics');
    expect(job('prometheus')?.static_configs.flatMap((c) => c.targets).map(endpoint)).toEqual([{ host: 'localhost', port: listenPort }]);
  });

  it('alerts the alertmanager service on its listen port', () => {
    const alertmanagerPort = portOf(flag(service('alertmanager'), '--web.listen-address'));
    expect(config.alerting.alertmanagers.flatMap((a) => a.static_configs.flatMap((c) => c.targets)).map(endpoint)).toEqual([
      { host: 'alertmanager', port: alertmanagerPort },
    ]);
  });

  it('has an external URL reachable through its published port', () => {
    const external = endpoint(flag(prometheus, '--web.external-url') ?? '');
    expect(external.host).toBe('localhost');
    expect(published(prometheus)).toContainEqual({ ip: '127.0.0.1', host: external.port, container: listenPort });
  });
});

describe('alertmanager/alertmanager.yml', () => {
  const alertmanager = service('alertmanager');
  const configPath = flag(alertmanager, '--config.file') ?? '';
  const hostConfig = hostPathOf('alertmanager', configPath) ?? '';
  const text = readFileSync(hostConfig, 'utf8');
  const config = parse(text) as { templates: string[] };
  const listenPort = portOf(flag(alertmanager, '--web.listen-address'));

  it('is the file mounted where the alertmanager command reads it', () => {
    expect(hostConfig).toBe(join(ROOT, 'alertmanager', 'alertmanager.yml'));
  });

  it('finds its templates through the mounts', () => {
    for (const glob of config.templates) {
      const containerGlob = posix.join(posix.dirname(configPath), glob);
      const hostDir = hostPathOf('alertmanager', posix.dirname(containerGlob));
      expect(hostDir, `${containerGlob} is mounted`).toBeDefined();
      const suffix = posix.basename(containerGlob).replace('*', '');
      expect(readdirSync(hostDir ?? '').filter((f) => f.endsWith(suffix)).length, containerGlob).toBeGreaterThan(0);
    }
  });

  it('reads each secret file from a secret the service is given', () => {
    const files = [...text.matchAll(/_file:\s*(\S+)/g)].map((m) => m[1] ?? '');
    expect(files.length).toBe(3);
    for (const file of files) {
      const match = /^\/run\/secrets\/([a-z_]+)$/.exec(file);
      expect(match, file).not.toBeNull();
      expect(alertmanager.secrets, file).toContain(match?.[1]);
    }
  });

  it('has an external URL reachable through its published port', () => {
    const external = endpoint(flag(alertmanager, '--web.external-url') ?? '');
    expect(external.host).toBe('localhost');
    expect(published(alertmanager)).toContainEqual({ ip: '127.0.0.1', host: external.port, container: listenPort });
  });
});

describe('grafana', () => {
  const grafana = service('grafana');
  const datasourcesFile = join(ROOT, 'grafana', 'provisioning', 'datasources', 'driftwatch.yml');
  const datasources = (parse(readFileSync(datasourcesFile, 'utf8')) as { datasources: Array<{ type: string; url: string }> }).datasources;
  const providers = (
    parse(readFileSync(join(ROOT, 'grafana', 'provisioning', 'dashboards', 'driftwatch.yml'), 'utf8')) as { providers: Array<{ options: { path: string } }> }
  ).providers;

  it('mounts the provisioning directory where Grafana reads it', () => {
    expect(hostPathOf('grafana', '/etc/grafana/provisioning/datasources/driftwatch.yml')).toBe(datasourcesFile);
  });

  it('mounts the generated dashboards where the provider loads them', () => {
    for (const provider of providers) {
      const hostDir = hostPathOf('grafana', provider.options.path);
      expect(hostDir).toBe(join(ROOT, 'grafana', 'dashboards'));
      const files = readdirSync(hostDir ?? '').sort();
      expect(files).toEqual(DASHBOARDS.map((d) => d.fileName).sort());
    }
    const home = grafana.environment?.['GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH'] ?? '';
    const homeFile = hostPathOf('grafana', home);
    expect(homeFile !== undefined && existsSync(homeFile) && statSync(homeFile).isFile(), home).toBe(true);
  });

  it('points the datasources at the prometheus and alertmanager services on their listen ports', () => {
    const byType = (type: string) => datasources.find((d) => d.type === type)?.url ?? '';
    expect(endpoint(byType('prometheus'))).toEqual({ host: 'prometheus', port: portOf(flag(service('prometheus'), '--web.listen-address')) });
    expect(endpoint(byType('alertmanager'))).toEqual({ host: 'alertmanager', port: portOf(flag(service('alertmanager'), '--web.listen-address')) });
  });

  it('serves the URL that every alert links to (dashboard_url)', () => {
    const rootUrl = grafana.environment?.['GF_SERVER_ROOT_URL'] ?? '';
    const httpPort = Number(grafana.environment?.['GF_SERVER_HTTP_PORT'] ?? 3000);
    expect(published(grafana)).toContainEqual({ ip: '127.0.0.1', host: endpoint(rootUrl).port, container: httpPort });
    const dashboardUrls = ruleFilePaths().flatMap((path) => [...readFileSync(path, 'utf8').matchAll(/dashboard_url:\s*"?([^"\s]+)/g)].map((m) => m[1] ?? ''));
    expect(dashboardUrls.length).toBeGreaterThan(10);
    for (const url of dashboardUrls) expect(url.startsWith(`${rootUrl}/d/`), url).toBe(true);
  });
});

describe('the example model services', () => {
  it('sends traffic to the churn server on the port it listens on', () => {
    const churn = service('churn');
    const traffic = service('churn-traffic');
    expect(flag(churn, '--host')).toBe('0.0.0.0');
    expect(endpoint(flag(traffic, '--url') ?? '')).toEqual({ host: 'churn', port: Number(flag(churn, '--port')) });
  });

  it("pushes the reference to the aggregator service's API port", () => {
    const push = service('churn-reference');
    const url = push.command?.[push.command.indexOf('--url') + 1] ?? '';
    expect(push.command?.slice(0, 2)).toEqual(['reference', 'push']);
    expect(endpoint(url)).toEqual({ host: 'aggregator', port: AGGREGATOR_HTTP_PORT });
    expect(push.environment?.['DRIFTWATCH_ADMIN_TOKEN']).toBe(aggregatorEnv['DRIFTWATCH_ADMIN_TOKEN']);
  });

  it('the churn model the stack serves has SLA objectives in the aggregator config', () => {
    const configPath = hostPathOf('aggregator', aggregatorEnv['DRIFTWATCH_CONFIG'] ?? '') ?? '';
    const config = resolveConfig(loadConfigInput({ configPath, env: aggregatorEnv }));
    expect(config.models.get('churn')?.sla.get('min_accuracy')).toBeGreaterThan(0);
    expect(dirname(configPath)).toBe(join(ROOT, 'deploy'));
  });
});
