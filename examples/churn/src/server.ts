/**
 * The churn model server (express 5), made observable by exactly one
 * `monitor()` call from `@driftwatch/instrument`:
 *
 * - `POST /predict` — a JSON row of features (optionally with an `id`) or an
 *   array of rows → `{ id, churn_probability, churn }` (or an array of them).
 *   Rows without an id get a random UUID; keep it to send the label later.
 * - `POST /feedback` — `{ id, churn }` or an array of them: the true labels,
 *   joined by the SDK to the predictions made under those ids.
 * - `GET /healthz` — liveness plus the monitor's own health (drops, exports).
 * - `GET /model` — the served artifact's metadata and offline metrics.
 *
 * With `rollout` (docs/rollout.md) the same `monitor()` call also follows a
 * safe rollout: the primary follows the registry alias `champion` (a new
 * version is loaded from the registry's `artifactUri` before it serves), and
 * a canary arm serves the candidate loaded with `deployCandidate(version)`,
 * at the weight of the aggregator's rollout API, routed by a hash of the
 * request's (first) prediction id. With `records`, full prediction records are
 * sampled as OTLP logs (the retraining job's training data).
 *
 * Library function {@link createModelServer} (used by the demo and tests)
 * and a CLI:
 *
 *   node examples/churn/dist/server.js [--artifact-dir DIR | --artifacts ROOT [--version V]]
 *        [--port 8080] [--host 127.0.0.1] [--otlp-endpoint http://localhost:4318]
 *        [--export-interval-millis 10000] [--role primary]
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { MonitorHealth, MonitorLogger } from '@driftwatch/instrument';
import { monitor } from '@driftwatch/instrument';
import express from 'express';
import { CHURN_FEATURE_SCHEMA } from './feature-schema.js';
import { HttpError, httpErrorHandler } from './http-error.js';
import { isMainModule } from './is-main-module.js';
import type { ModelArtifact } from './model/artifact.js';
import { DEFAULT_ARTIFACTS_ROOT, artifactDir as versionDir, latestArtifactDir, loadArtifact } from './model/artifact.js';
import { predictChurnProbability } from './model/churn-model.js';
import type { PredictionRow } from './prediction-request.js';
import { parseFeedbackRequest, parsePredictRequest } from './prediction-request.js';

export type DeploymentRole = 'primary' | 'canary' | 'shadow';

/** Safe-rollout support: follow the `champion` alias, serve a canary at the rollout API's weight. */
export interface ModelServerRolloutOptions {
  /** the aggregator's API (registry and rollout reads), e.g. http://127.0.0.1:9464 */
  apiUrl: string;
  /** how often the SDK polls the rollout and the alias; default the SDK's (10000) */
  pollIntervalMillis?: number;
  /** the artifact directory of a registered version; default: its `artifactUri` in the aggregator's registry (a local path or file: URL) */
  artifactDirOf?: (version: string) => Promise<string>;
}

export interface ModelServerOptions {
  /** an artifact directory written by train (…/artifacts/churn/<version>) */
  artifactDir: string;
  /** default 0: an ephemeral port (read it from the returned `port`) */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  /** OTLP/HTTP base URL of the aggregator (or a collector); default: the SDK's (env OTEL_EXPORTER_OTLP_ENDPOINT, else http://localhost:4318) */
  otlpEndpoint?: string;
  /** how often the SDK exports; default: the SDK's (10000) */
  exportIntervalMillis?: number;
  /** `ml.deployment.role`; default primary */
  role?: DeploymentRole;
  /** rows per /predict or labels per /feedback request; default 1000 */
  maxBatchRows?: number;
  /** request body limit; default 1 MiB */
  maxBodyBytes?: number;
  /** where the SDK and the server log; default the console */
  logger?: MonitorLogger;
  /** sample full prediction records (features, output, id, later the label) as OTLP logs at this rate; default off */
  records?: { sampleRate: number };
  /** follow the registry's `champion` and the rollout API's canary (primary role only) */
  rollout?: ModelServerRolloutOptions;
}

export interface ModelServer {
  /** base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  host: string;
  port: number;
  /** the artifact the primary serves now (it changes when the `champion` alias moves, with `rollout`) */
  readonly artifact: ModelArtifact;
  /** the candidate the canary arm serves (undefined until {@link deployCandidate}) */
  readonly candidate: ModelArtifact | undefined;
  /**
   * Loads a registered version as the canary's candidate (with `rollout` only). Deploy it before starting its
   * rollout: the canary arm serves whatever was deployed last, recorded under the rollout's `candidateVersion`.
   */
  deployCandidate(version: string): Promise<ModelArtifact>;
  /** the monitor's health (drops, exports, canary weight and calls, alias) */
  health(): MonitorHealth;
  /** stops accepting requests, then exports what the monitor recorded and stops it */
  close(): Promise<void>;
}

export interface PredictionResponse {
  id: string;
  churn_probability: number;
  churn: 0 | 1;
}

export const DEFAULT_MAX_BATCH_ROWS = 1000;
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const consoleLogger: MonitorLogger = { info: (m) => console.log(m), warn: (m) => console.warn(m) };

function checkOptions(o: ModelServerOptions): void {
  if (typeof o.artifactDir !== 'string' || o.artifactDir === '') throw new Error('createModelServer: options.artifactDir must be a directory path');
  if (o.port !== undefined && (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535)) throw new Error(`createModelServer: options.port must be an integer in 0–65535, got ${o.port}`);
  if (o.maxBatchRows !== undefined && (!Number.isInteger(o.maxBatchRows) || o.maxBatchRows < 1)) throw new Error(`createModelServer: options.maxBatchRows must be a positive integer, got ${o.maxBatchRows}`);
  if (o.maxBodyBytes !== undefined && (!Number.isInteger(o.maxBodyBytes) || o.maxBodyBytes < 1)) throw new Error(`createModelServer: options.maxBodyBytes must be a positive integer, got ${o.maxBodyBytes}`);
  if (o.rollout !== undefined) {
    try {
      new URL(o.rollout.apiUrl);
    } catch {
      throw new Error(`createModelServer: options.rollout.apiUrl must be an absolute URL, got ${JSON.stringify(o.rollout.apiUrl)}`);
    }
    if ((o.role ?? 'primary') !== 'primary') throw new Error(`createModelServer: options.rollout needs role primary, got ${o.role}`);
  }
}

/** The artifact directory of a registered version, from its `artifactUri` in the aggregator's registry. */
export async function registryArtifactDir(apiUrl: string, model: string, version: string): Promise<string> {
  const url = new URL(`/api/v1/registry/models/${encodeURIComponent(model)}/versions/${encodeURIComponent(version)}`, apiUrl);
  const response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`GET ${url.pathname}: HTTP ${response.status} ${(await response.text()).slice(0, 200)}`);
  const uri = ((await response.json()) as { artifactUri?: unknown }).artifactUri;
  if (typeof uri === 'string' && uri.startsWith('file:')) return fileURLToPath(uri);
  if (typeof uri === 'string' && isAbsolute(uri)) return uri;
  throw new Error(`version ${version} of ${model} has artifactUri ${JSON.stringify(uri)}, not a local directory this server can load`);
}

type Predictor = (rows: readonly PredictionRow[]) => number[];

const predictorOf = (artifact: ModelArtifact): Predictor => (rows) => rows.map((row) => predictChurnProbability(artifact.model, row));

/**
 * Loads the artifact, wraps its predict function with `monitor()` and starts
 * listening. Rejects if the artifact is invalid, the options are bad or the
 * port cannot be bound.
 */
export async function createModelServer(options: ModelServerOptions): Promise<ModelServer> {
  checkOptions(options);
  const host = options.host ?? '127.0.0.1';
  const maxBatchRows = options.maxBatchRows ?? DEFAULT_MAX_BATCH_ROWS;
  const logger = options.logger ?? consoleLogger;
  const { artifact: initial } = await loadArtifact(options.artifactDir);
  /** the artifacts the primary has loaded, by version (the monitor's version says which one serves) */
  const loaded = new Map<string, ModelArtifact>([[initial.version, initial]]);
  let candidate: { artifact: ModelArtifact; predict: Predictor } | undefined;
  const rollout = options.rollout;
  const artifactDirOf = rollout?.artifactDirOf ?? ((version: string) => registryArtifactDir((rollout as ModelServerRolloutOptions).apiUrl, initial.name, version));
  /** Loads a registered version, checking the artifact is the version asked for. */
  const loadVersion = async (version: string): Promise<ModelArtifact> => {
    const { artifact } = await loadArtifact(await artifactDirOf(version));
    if (artifact.name !== initial.name || artifact.version !== version) throw new Error(`the artifact of ${initial.name} v${version} is ${artifact.name} v${artifact.version}`);
    // the monitor's class threshold is fixed when it is created
    if (artifact.threshold !== initial.threshold) throw new Error(`${initial.name} v${version} has threshold ${artifact.threshold}, this server ${initial.threshold}: restart it with the new version`);
    return artifact;
  };

  const model = {
    /** P(churn) for each row; the rows' `id` is not a feature and is ignored by the encoder. */
    predict: predictorOf(initial),
  };
  const rolloutOptions = rollout
    ? {
        api: { url: rollout.apiUrl, ...(rollout.pollIntervalMillis === undefined ? {} : { pollIntervalMillis: rollout.pollIntervalMillis }) },
        alias: 'champion',
        // the alias moved: the new champion serves (and is recorded) once it has loaded; the old one serves until then
        load: async (version: string): Promise<Predictor> => {
          const artifact = await loadVersion(version);
          loaded.set(version, artifact);
          return predictorOf(artifact);
        },
        canary: {
          model: (rows: readonly PredictionRow[]): number[] => {
            if (candidate === undefined) throw new Error('no candidate is deployed on this model server (deployCandidate first)');
            return candidate.predict(rows);
          },
          key: (rows: readonly PredictionRow[]) => rows[0]?.id ?? '',
        },
      }
    : {};
  const predict = monitor(model.predict, {
    model: initial.name,
    version: initial.version,
    features: CHURN_FEATURE_SCHEMA,
    output: 'probability',
    threshold: initial.threshold,
    predictionId: (rows) => rows.map((row) => row.id),
    role: options.role ?? 'primary',
    endpoint: options.otlpEndpoint,
    exportIntervalMillis: options.exportIntervalMillis,
    resource: { 'service.name': `${initial.name}-model-server` },
    logger,
    ...(options.records === undefined ? {} : { records: options.records }),
    ...rolloutOptions,
  });

  const serving = (): ModelArtifact => loaded.get(predict.health().version ?? initial.version) ?? initial;

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES }));
  const requireJson: express.RequestHandler = (req, _res, next) => {
    if (!req.is('application/json')) throw new HttpError(415, 'content-type must be application/json');
    next();
  };

  app.post('/predict', requireJson, (req, res) => {
    const { rows, batch } = parsePredictRequest(req.body, maxBatchRows);
    const probabilities = predict(rows);
    const predictions = rows.map(
      (row, i): PredictionResponse => {
        const p = probabilities[i] as number;
        return { id: row.id, churn_probability: p, churn: p >= initial.threshold ? 1 : 0 };
      },
    );
    res.json(batch ? predictions : predictions[0]);
  });

  app.post('/feedback', requireJson, (req, res) => {
    const items = parseFeedbackRequest(req.body, maxBatchRows);
    for (const item of items) predict.feedback(item.id, item.churn);
    res.json({ received: items.length });
  });

  app.get('/healthz', (_req, res) => {
    const { name, version } = serving();
    res.json({ status: 'ok', model: name, version, monitor: predict.health() });
  });

  app.get('/model', (_req, res) => {
    const { model: _weights, ...metadata } = serving();
    res.json(metadata);
  });

  app.use((req, _res, next) => next(new HttpError(404, `no route ${req.method} ${req.path}`)));
  app.use(httpErrorHandler((m) => logger.warn(m)));

  const server = createServer(app);
  try {
    server.listen(options.port ?? 0, host);
    await once(server, 'listening');
  } catch (error) {
    await predict.shutdown();
    throw new Error(`model server cannot listen on ${host}:${options.port ?? 0}: ${(error as Error).message}`);
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
      await predict.shutdown();
    })());

  return {
    url,
    host,
    port,
    get artifact() {
      return serving();
    },
    get candidate() {
      return candidate?.artifact;
    },
    async deployCandidate(version) {
      if (rollout === undefined) throw new Error('deployCandidate needs the rollout option');
      const artifact = await loadVersion(version);
      candidate = { artifact, predict: predictorOf(artifact) };
      return artifact;
    },
    health: () => predict.health(),
    close,
  };
}

const USAGE = `usage: server [--artifact-dir DIR | --artifacts ROOT [--version V]] [--port 8080] [--host 127.0.0.1]
              [--otlp-endpoint URL] [--export-interval-millis N] [--role primary|canary|shadow]`;

const ROLES: readonly DeploymentRole[] = ['primary', 'canary', 'shadow'];

/** The CLI: starts the server and stops it on SIGINT/SIGTERM. Returns the exit code once stopped (or on a startup error). */
export async function serverCli(argv: readonly string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        'artifact-dir': { type: 'string' },
        artifacts: { type: 'string' },
        version: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'otlp-endpoint': { type: 'string' },
        'export-interval-millis': { type: 'string' },
        role: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    const root = values.artifacts ?? DEFAULT_ARTIFACTS_ROOT;
    const artifactDir =
      values['artifact-dir'] ?? (values.version !== undefined ? versionDir(root, values.version) : await latestArtifactDir(root));
    if (artifactDir === undefined) throw new Error(`no trained model under ${root}; run train first`);
    const role = values.role ?? 'primary';
    if (!(ROLES as readonly string[]).includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
    const port = values.port === undefined ? 8080 : Number(values.port);
    const exportIntervalMillis = values['export-interval-millis'] === undefined ? undefined : Number(values['export-interval-millis']);
    const server = await createModelServer({
      artifactDir,
      port,
      host: values.host,
      otlpEndpoint: values['otlp-endpoint'],
      exportIntervalMillis,
      role: role as DeploymentRole,
    });
    const { metrics } = server.artifact;
    console.log(
      `churn model v${server.artifact.version} (held-out accuracy ${metrics.accuracy.toFixed(3)}, AUC ${metrics.auc.toFixed(3)}) listening on ${server.url}`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    console.log('stopping: exporting the last metrics…');
    await server.close();
    return 0;
  } catch (error) {
    console.error(`server: ${(error as Error).message}`);
    return 1;
  }
}

if (isMainModule(import.meta.url)) {
  process.exitCode = await serverCli(process.argv.slice(2));
}
