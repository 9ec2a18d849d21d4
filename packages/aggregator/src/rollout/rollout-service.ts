import type { ModelRegistry } from '@driftwatch/lifecycle';
import type { AggregatorConfig } from '../config/aggregator-config.js';
import type { Route } from '../http/router.js';
import type { PrometheusMetrics } from '../metrics/prometheus-metrics.js';
import type { Db } from '../persistence/database.js';
import { openRegistry } from '../registry/open-registry.js';
import { registryRoutes } from '../registry/registry-routes.js';
import type { AggregatorState } from '../state/aggregator-state.js';
import { createRolloutController, type RolloutController } from './rollout-controller.js';
import { rolloutRoutes } from './rollout-routes.js';
import { createRolloutStore } from './rollout-store.js';

/** The registry and the rollouts of a running aggregator. */
export interface RolloutService {
  readonly registry: ModelRegistry;
  readonly controller: RolloutController;
  /** The registry and rollout API routes. */
  readonly routes: readonly Route[];
  /** One analysis pass (the aggregator runs it every evaluation interval). Never rejects. */
  analyzeNow(): Promise<void>;
  /** Waits for a running analysis pass or change, then detaches the metrics and closes the registry. */
  close(): Promise<void>;
}

export interface RolloutServiceOptions {
  readonly config: AggregatorConfig;
  readonly state: AggregatorState;
  readonly metrics: PrometheusMetrics;
  readonly db: Db;
  readonly now: () => number;
  readonly logger: { info(message: string): void; warn(message: string): void };
  /** For the MLflow adapter and its start-up check (tests). */
  readonly fetch?: typeof fetch;
}

/**
 * Opens the configured registry, restores the rollouts from the aggregator's database, feeds the rollout metrics and
 * builds the routes. Throws a ConfigError when the MLflow registry refuses the configured credentials.
 */
export async function openRolloutService(options: RolloutServiceOptions): Promise<RolloutService> {
  const { config, state, metrics, db, now, logger } = options;
  const opened = await openRegistry(config.registry, config.dataDir, (m) => logger.warn(m), now, options.fetch ?? fetch);
  const store = createRolloutStore(db);
  const controller = createRolloutController({ config, state, registry: opened.registry, store, now, logger, latestEvaluation: () => metrics.latest() });
  metrics.rollouts.attach(() => controller.list());
  const active = controller.list().filter((r) => r.state.phase === 'progressing' || r.state.phase === 'paused');
  logger.info(`model registry: ${opened.description}${active.length > 0 ? `; resumed ${active.length} rollout(s): ${active.map((r) => `${r.model} ${r.candidateVersion} ${r.state.phase}`).join(', ')}` : ''}`);
  const routes: Route[] = [
    ...registryRoutes({ registry: () => opened.registry, adminToken: config.adminToken, championMoved: (model, from, to, change) => controller.championMoved(model, from, to, change) }),
    ...rolloutRoutes({
      controller: () => controller,
      adminToken: config.adminToken,
      evaluationIntervalMs: config.evaluationIntervalMs,
      knownModel: async (model) => state.models.has(model) || (await opened.registry.getModel(model).catch(() => null)) !== null,
    }),
  ];
  return {
    registry: opened.registry,
    controller,
    routes,
    analyzeNow: () => controller.analyzeNow(),
    async close() {
      await controller.idle();
      metrics.rollouts.attach(() => []);
      opened.close();
    },
  };
}
