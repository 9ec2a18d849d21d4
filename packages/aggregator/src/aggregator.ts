import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExportLogsServiceRequest, ExportMetricsServiceRequest, LogsPartialSuccess, MetricsPartialSuccess } from '@driftwatch/otlp';
import type { ReferenceProfile } from '@driftwatch/stats';
import type { AggregatorConfig } from './config/aggregator-config.js';
import { ConfigError } from './config/config-error.js';
import { resolveConfig } from './config/resolve-config.js';
import { evaluate } from './engine/evaluate.js';
import type { EvaluationResult } from './engine/evaluation-types.js';
import { createApiHandler } from './http/api-server.js';
import { apiRoutes } from './http/api-routes.js';
import { conflict } from './http/http-error.js';
import { createOtlpReceiver } from './http/otlp-receiver.js';
import type { RequestHandler, Route } from './http/router.js';
import { ingestLogs } from './ingest/ingest-logs.js';
import { ingestMetrics, type IngestResult } from './ingest/ingest-metrics.js';
import { createPrometheusMetrics, type PrometheusMetrics } from './metrics/prometheus-metrics.js';
import { openDatabase, type Db } from './persistence/database.js';
import { StatePersistence, type FlushStats, type RestoreStats } from './persistence/state-persistence.js';
import { AggregatorState } from './state/aggregator-state.js';
import { createReportUi } from './ui/report-ui.js';
import { createRecordsService, type RecordsService } from './records/records-service.js';
import { recordsRoutes } from './records/records-routes.js';
import { createRetrainingLoop, type RetrainingLoop } from './retraining/retraining-loop.js';
import { retrainingRoutes } from './retraining/retraining-routes.js';
import { openRolloutService, type RolloutService } from './rollout/rollout-service.js';

/** Where the aggregator writes operational messages (default: one line per message on stderr). */
export interface AggregatorLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface AggregatorOptions {
  /** Clock in Unix milliseconds (tests move time with it). Default `Date.now`. */
  readonly now?: () => number;
  readonly logger?: AggregatorLogger;
  /** Serves GET requests the API does not; default the drift report UI at `/` (`createReportUi`). Can also be set later with `mountUi`. */
  readonly ui?: RequestHandler;
  /** Extra routes on the API port (checked before the built-in ones). */
  readonly routes?: readonly Route[];
  /** Run the periodic evaluation, flush and garbage collection timers (default true; benches turn them off). */
  readonly timers?: boolean;
}

export interface Aggregator {
  readonly config: AggregatorConfig;
  readonly state: AggregatorState;
  readonly metrics: PrometheusMetrics;
  /** Bound ports (after `start()`; the configured ones before). */
  readonly otlpPort: number;
  readonly httpPort: number;
  /** Opens the database, restores the state and starts both HTTP servers and the timers. */
  start(): Promise<void>;
  /** Stops the timers and servers, flushes and closes the database. */
  stop(): Promise<void>;
  /** Runs one evaluation now and publishes it to /metrics. */
  evaluateNow(): EvaluationResult;
  /** Writes the dirty state to SQLite now (one transaction). */
  flushNow(): FlushStats;
  /** Applies a decoded OTLP metrics request directly (no HTTP), as the receiver does. */
  ingest(request: ExportMetricsServiceRequest): IngestResult;
  /** Sets (and persists) a validated reference profile. */
  setReference(profile: ReferenceProfile): void;
  /** The /metrics exposition text. */
  metricsText(): Promise<string>;
  /** Mounts (or replaces) the UI handler serving GET requests the API does not. */
  mountUi(handler: RequestHandler): void;
  /** Adds a route on the API port (checked before the built-in ones). */
  addRoute(route: Route): void;
  /** What the last restore loaded (undefined before `start()`). */
  readonly restored: RestoreStats | undefined;
  /** The retraining loop (triggers, dispatch, audit log); undefined before `start()`. */
  readonly retraining: RetrainingLoop | undefined;
  /** The sampled prediction records (rolling-window training data); undefined before `start()`. */
  readonly records: RecordsService | undefined;
  /** The model registry and the canary/shadow rollouts (`analyzeNow()` runs one analysis pass); undefined before `start()`. */
  readonly rollouts: RolloutService | undefined;
}

const GC_INTERVAL_MS = 60_000;

const stderrLogger: AggregatorLogger = {
  info: (m) => process.stderr.write(`driftwatch: ${m}\n`),
  warn: (m) => process.stderr.write(`driftwatch: warning: ${m}\n`),
  error: (m) => process.stderr.write(`driftwatch: error: ${m}\n`),
};

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server | undefined): Promise<void> {
  if (!server?.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Creates an aggregator from a config (the config file's shape; validated here — a bad value throws a ConfigError
 * naming the field). Nothing is opened or bound until `start()`.
 */
export function createAggregator(input: unknown = {}, options: AggregatorOptions = {}): Aggregator {
  const config = resolveConfig(input);
  const now = options.now ?? Date.now;
  const logger = options.logger ?? stderrLogger;
  const state = new AggregatorState(config);
  const metrics = createPrometheusMetrics(config, state);
  /** Extra routes first, then the built-in API (added at start); mutated in place so later additions apply. */
  const routes: Route[] = [...(options.routes ?? [])];
  let ui = options.ui ?? createReportUi();
  let db: Db | undefined;
  let persistence: StatePersistence | undefined;
  let otlpServer: Server | undefined;
  let apiServer: Server | undefined;
  let otlpPort = config.otlpPort;
  let httpPort = config.httpPort;
  let ready = false;
  let stopReceiver: (() => Promise<void>) | undefined;
  let restored: RestoreStats | undefined;
  let retraining: RetrainingLoop | undefined;
  let records: RecordsService | undefined;
  let rollouts: RolloutService | undefined;
  const timers: NodeJS.Timeout[] = [];
  const reportedFailures = new Set<string>();

  const evaluateNow = (): EvaluationResult => {
    const result = evaluate(state, now(), {}, (where, message) => {
      if (reportedFailures.has(where) || reportedFailures.size > 10_000) return;
      reportedFailures.add(where);
      logger.warn(`drift method failed for ${where}: ${message}`);
    });
    metrics.publish(result);
    try {
      retraining?.afterEvaluation(result);
    } catch (err) {
      logger.error(`retraining triggers failed: ${(err as Error).stack ?? String(err)}`);
    }
    return result;
  };

  const flushNow = (): FlushStats => {
    if (!persistence) return { series: 0, slices: 0, streams: 0, versions: 0 };
    return persistence.flush(state);
  };

  const ingest = (request: ExportMetricsServiceRequest): IngestResult => ingestMetrics(state, request, now());

  const setReference = (profile: ReferenceProfile): void => {
    const v = state.setReference(profile, now());
    if (typeof v === 'string') throw conflict(`cannot add model ${JSON.stringify(profile.model)} version ${JSON.stringify(profile.version)}: the ${v} limit is reached`);
    persistence?.saveReference(profile, now());
  };

  const guarded = (what: string, fn: () => unknown) => () => {
    try {
      fn();
    } catch (err) {
      logger.error(`${what} failed: ${(err as Error).stack ?? String(err)}`);
    }
  };

  const aggregator: Aggregator = {
    config,
    state,
    metrics,
    get otlpPort() {
      return otlpPort;
    },
    get httpPort() {
      return httpPort;
    },
    get restored() {
      return restored;
    },
    get retraining() {
      return retraining;
    },
    get records() {
      return records;
    },
    get rollouts() {
      return rollouts;
    },
    async start() {
      try {
        db = openDatabase(config.dataDir);
      } catch (error) {
        // a data directory that cannot be created or opened is a configuration problem: name the field
        throw new ConfigError('config.dataDir', `${JSON.stringify(config.dataDir)}: ${error instanceof Error ? error.message : String(error)}`);
      }
      persistence = new StatePersistence(db);
      restored = persistence.restore(state, now());
      records = createRecordsService(db, config, state, metrics.records, now);
      retraining = createRetrainingLoop({ config, db, metrics: metrics.retraining, now, logger, labelledRecords: (model) => records?.store.labelledTotal(model) ?? 0 });
      /** Undoes a start that failed half-way, so that `stop()` and a later `start()` find nothing open. */
      const abandonStart = async (): Promise<void> => {
        await close(otlpServer);
        await close(apiServer);
        otlpServer = apiServer = undefined;
        retraining?.stop();
        await rollouts?.close();
        db?.close();
        db = persistence = retraining = records = rollouts = undefined;
        stopReceiver = undefined;
      };
      try {
        rollouts = await openRolloutService({ config, state, metrics, db, now, logger });
      } catch (err) {
        await abandonStart();
        throw err;
      }
      if (restored.series + restored.references + restored.versions > 0) {
        logger.info(`restored ${restored.versions} versions, ${restored.series} series, ${restored.streams} streams, ${restored.references} references from ${config.dataDir}`);
      }
      const receiver = createOtlpReceiver({
        maxBodyBytes: config.limits.maxBodyBytes,
        maxQueueDepth: config.limits.maxQueueDepth,
        ...(config.ingestToken === undefined ? {} : { ingestToken: config.ingestToken }),
        onMetrics: (req: ExportMetricsServiceRequest): MetricsPartialSuccess => {
          const r = ingest(req);
          return { rejectedDataPoints: r.rejected, errorMessage: r.errorMessage };
        },
        onLogs: (req: ExportLogsServiceRequest): LogsPartialSuccess => ingestLogs(state, req, (r, l) => records?.accept(r, l), now()),
        onRequest: (signal: string, status: number) => state.countRequest(signal, status),
        onQueueDepth: (depth: number) => {
          state.counters.queueDepth = depth;
        },
        onError: (err: unknown) => logger.error(`OTLP ingest error: ${(err as Error).stack ?? String(err)}`),
      });
      stopReceiver = () => receiver.close();
      otlpServer = createServer(receiver);
      const routesBefore = routes.length;
      routes.push(
        ...apiRoutes({
          config,
          state,
          metrics,
          now,
          latestEvaluation: () => metrics.latest() ?? evaluateNow(),
          setReference,
          isReady: () => ready,
        }),
        ...retrainingRoutes({ alertsSecret: config.retraining.alertsSecret, loop: () => retraining }),
        ...recordsRoutes({ adminToken: config.adminToken, store: () => records?.store, now }),
        ...rollouts.routes,
      );
      const api = createApiHandler({
        routes,
        ui: (req, res) => {
          if (ui) ui(req, res);
          else {
            res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
            res.end(JSON.stringify({ error: 'no UI is mounted' }));
          }
        },
        onError: (err) => logger.error(`API error: ${(err as Error).stack ?? String(err)}`),
      });
      apiServer = createServer(api);
      try {
        otlpPort = await listen(otlpServer, config.otlpPort, config.host);
        httpPort = await listen(apiServer, config.httpPort, config.host);
      } catch (err) {
        routes.splice(routesBefore);
        await abandonStart();
        throw err;
      }
      if (options.timers !== false) {
        timers.push(setInterval(guarded('flush', flushNow), config.flushIntervalMs));
        timers.push(setInterval(guarded('evaluation', evaluateNow), config.evaluationIntervalMs));
        timers.push(setInterval(guarded('garbage collection', () => state.collectGarbage(now())), Math.min(GC_INTERVAL_MS, config.streamIdleTtlMs)));
        timers.push(setInterval(guarded('records retention', () => records?.enforceRetention()), GC_INTERVAL_MS));
        timers.push(setInterval(() => void rollouts?.analyzeNow(), config.evaluationIntervalMs));
        for (const t of timers) t.unref();
      }
      evaluateNow();
      ready = true;
    },
    async stop() {
      ready = false;
      for (const t of timers.splice(0)) clearInterval(t);
      retraining?.stop();
      await stopReceiver?.();
      await Promise.all([close(otlpServer), close(apiServer)]);
      await rollouts?.close();
      rollouts = undefined;
      if (db) {
        try {
          flushNow();
        } finally {
          db.close();
          db = undefined;
          persistence = undefined;
          retraining = undefined;
          records = undefined;
        }
      }
    },
    evaluateNow,
    flushNow,
    ingest,
    setReference,
    metricsText: () => metrics.registry.metrics(),
    mountUi(handler) {
      ui = handler;
    },
    addRoute(route) {
      routes.unshift(route);
    },
  };
  return aggregator;
}
