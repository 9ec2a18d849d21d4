/**
 * What the demo runs, all in this process and on loopback: the aggregator (`createAggregator`, embedded defaults
 * plus the demo's short intervals), a freshly trained churn model in a temporary artifact directory, its reference
 * pushed over the API, the model server wrapped with one `monitor()` call, and the demo's own hooks endpoint
 * (for a scenario's webhook receiver).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Aggregator } from '@driftwatch/aggregator';
import { createAggregator } from '@driftwatch/aggregator';
import type { ReferenceProfile } from '@driftwatch/stats';
import type { DeploymentRole, ModelServer, ModelServerOptions } from '../server.js';
import { createModelServer } from '../server.js';
import type { TrainResult } from '../train.js';
import { trainChurnArtifact } from '../train.js';
import { startDemoHooks, type DemoHooks } from './demo-hooks.js';

export const DEMO_HOST = '127.0.0.1';
/** The aggregator's default ports; the demo takes free ones when these are busy (unless asked for them explicitly). */
export const DEFAULT_HTTP_PORT = 9464;
export const DEFAULT_OTLP_PORT = 4318;
/** How often the demo's SDK exports and the aggregator evaluates: short, so a story fits in well under a minute. */
export const DEMO_EXPORT_INTERVAL_MILLIS = 1_000;
export const DEMO_EVALUATION_INTERVAL = '1s';
/** The window the demo reports on. */
export const DEMO_WINDOW = '1h';
/** The SLA of the churn model in the demo (the trained model scores ≈ 0.81 accuracy, ≈ 0.86 AUC on held-out rows). */
export const DEMO_SLA = { min_accuracy: 0.75, min_roc_auc: 0.75 } as const;
export const DEMO_IMPORTANT_FEATURES = ['monthly_charges', 'contract'] as const;

/**
 * Values a feature needs before the demo's aggregator gives a verdict (the embedded default is 100). At 100–200
 * values a normed Wasserstein distance of 0.1 is within sampling noise for these features, so the first seconds of
 * stable traffic could flash a verdict that the next evaluation takes back; 500 keeps the story clean without
 * delaying detection (the window already holds more when the shift starts).
 */
export const DEMO_MIN_SAMPLES = 500;

/**
 * The aggregator config of the demo: the embedded defaults except an in-memory database (nothing left behind), a 1 s
 * evaluation interval, 5 s slices in the 1 h window (so the report page's timelines have points within a minute),
 * PSI as an extra drift score, verdicts from {@link DEMO_MIN_SAMPLES} values, and an SLA and important features for
 * the churn model.
 */
export function demoAggregatorConfig(ports: { httpPort: number; otlpPort: number }): Record<string, unknown> {
  return {
    host: DEMO_HOST,
    httpPort: ports.httpPort,
    otlpPort: ports.otlpPort,
    dataDir: ':memory:',
    evaluationInterval: DEMO_EVALUATION_INTERVAL,
    windows: [{ duration: DEMO_WINDOW, slice: '5s' }, { duration: '24h' }],
    drift: { methods: ['psi'], minSamples: DEMO_MIN_SAMPLES },
    models: { churn: { sla: { ...DEMO_SLA }, importantFeatures: [...DEMO_IMPORTANT_FEATURES] } },
  };
}

/** What a scenario's `configure` may refer to: both exist before the aggregator starts. */
export interface StackEnvironment {
  /** the demo's hooks endpoint (http://127.0.0.1:<port>), for a webhook target in the config */
  readonly hooksUrl: string;
  /** a temporary directory removed when the demo ends (e.g. for a data directory on disk) */
  readonly workDir: string;
}

export interface DemoStackOptions {
  /** explicit ports must be free; undefined = the default port, or a free one when it is busy */
  readonly httpPort?: number;
  readonly otlpPort?: number;
  /** lets a scenario extend the aggregator config (e.g. a retraining policy) */
  readonly configure?: (config: Record<string, unknown>, env: StackEnvironment) => Record<string, unknown>;
  readonly log: (line: string) => void;
}

/** Options of another model server: an artifact, and optionally a role, record sampling or rollout support. */
export type ExtraServerOptions = { readonly artifactDir: string; readonly role?: DeploymentRole } & Pick<ModelServerOptions, 'records' | 'rollout'>;

export interface DemoStack {
  readonly aggregator: Aggregator;
  /** http://127.0.0.1:<port>: the API, /metrics and the report page */
  readonly apiUrl: string;
  /** http://127.0.0.1:<port>: the OTLP/HTTP receiver */
  readonly otlpUrl: string;
  /** temporary artifact root (removed by stop) */
  readonly artifactsRoot: string;
  /** the demo's hooks endpoint (stopped by stop) */
  readonly hooks: DemoHooks;
  readonly trained: TrainResult;
  /** the primary model server */
  readonly server: ModelServer;
  /** Pushes a reference profile over the API (`PUT /api/v1/models/{model}/versions/{version}/reference`). */
  pushReference(profile: ReferenceProfile): Promise<void>;
  /** Starts another monitored model server (another artifact, role, record sampling, rollout) on a free port; stopped by stop(). */
  startModelServer(options: ExtraServerOptions): Promise<ModelServer>;
  stop(): Promise<void>;
}

async function isPortFree(port: number, host: string): Promise<boolean> {
  const probe = createServer();
  return new Promise<boolean>((resolve) => {
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

async function choosePort(explicit: number | undefined, preferred: number, what: string, log: (line: string) => void): Promise<number> {
  if (explicit !== undefined) return explicit;
  if (await isPortFree(preferred, DEMO_HOST)) return preferred;
  log(`port ${preferred} (${what}) is busy: using a free port instead`);
  return 0;
}

const quietMonitorLogger = (log: (line: string) => void) => ({ info: () => undefined, warn: (m: string) => log(`monitor: ${m}`) });

/** Trains, starts the aggregator, pushes the reference and starts the model server. On failure, stops what started. */
export async function startDemoStack(options: DemoStackOptions): Promise<DemoStack> {
  const log = options.log;
  const artifactsRoot = await mkdtemp(join(tmpdir(), 'driftwatch-demo-'));
  const servers: ModelServer[] = [];
  let aggregator: Aggregator | undefined;
  let hooks: DemoHooks | undefined;
  const stop = async (): Promise<void> => {
    for (const s of servers.splice(0).reverse()) await s.close().catch(() => undefined);
    await aggregator?.stop();
    await hooks?.close();
    await rm(artifactsRoot, { recursive: true, force: true });
  };
  try {
    const trainStart = performance.now();
    const trained = await trainChurnArtifact({ artifactsRoot, version: '1' });
    const m = trained.artifact.metrics;
    log(
      `trained churn v${trained.artifact.version} on ${trained.artifact.trainingRows} synthetic rows in ${((performance.now() - trainStart) / 1000).toFixed(1)} s: ` +
        `accuracy ${m.accuracy.toFixed(3)}, ROC AUC ${m.auc.toFixed(3)} on ${m.evaluationRows} held-out rows`,
    );
    const httpPort = await choosePort(options.httpPort, DEFAULT_HTTP_PORT, 'API', log);
    const otlpPort = await choosePort(options.otlpPort, DEFAULT_OTLP_PORT, 'OTLP', log);
    hooks = await startDemoHooks(DEMO_HOST);
    const base = demoAggregatorConfig({ httpPort, otlpPort });
    const config = options.configure ? options.configure(base, { hooksUrl: hooks.url, workDir: artifactsRoot }) : base;
    aggregator = createAggregator(config, {
      logger: { info: (msg) => log(`aggregator: ${msg}`), warn: (msg) => log(`aggregator: warning: ${msg}`), error: (msg) => log(`aggregator: error: ${msg}`) },
    });
    await aggregator.start();
    const apiUrl = `http://${DEMO_HOST}:${aggregator.httpPort}`;
    const otlpUrl = `http://${DEMO_HOST}:${aggregator.otlpPort}`;
    const dataDir = config['dataDir'];
    const data = dataDir === ':memory:' ? 'in-memory data' : `data in ${String(dataDir)}`;
    log(`aggregator listening: OTLP ${otlpUrl}, API and report page ${apiUrl} (${data}, evaluation every ${DEMO_EVALUATION_INTERVAL})`);
    const pushReference = async (profile: ReferenceProfile): Promise<void> => {
      const url = `${apiUrl}/api/v1/models/${encodeURIComponent(profile.model)}/versions/${encodeURIComponent(profile.version)}/reference`;
      const response = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(profile) });
      if (!response.ok) throw new Error(`reference push to ${url} failed: ${response.status} ${await response.text()}`);
    };
    await pushReference(trained.reference);
    log(`pushed the reference profile of churn v1 (${trained.reference.rowCount} training rows, ${Object.keys(trained.reference.features).length} features)`);
    const startModelServer = async (o: ExtraServerOptions): Promise<ModelServer> => {
      const s = await createModelServer({
        artifactDir: o.artifactDir,
        otlpEndpoint: otlpUrl,
        exportIntervalMillis: DEMO_EXPORT_INTERVAL_MILLIS,
        ...(o.role === undefined ? {} : { role: o.role }),
        ...(o.records === undefined ? {} : { records: o.records }),
        ...(o.rollout === undefined ? {} : { rollout: o.rollout }),
        logger: quietMonitorLogger(log),
      });
      servers.push(s);
      return s;
    };
    const server = await startModelServer({ artifactDir: trained.dir });
    log(`model server ${server.url} (POST /predict, POST /feedback), monitored by one monitor() call, exporting every ${DEMO_EXPORT_INTERVAL_MILLIS / 1000} s`);
    return { aggregator, apiUrl, otlpUrl, artifactsRoot, hooks, trained, server, pushReference, startModelServer, stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}
