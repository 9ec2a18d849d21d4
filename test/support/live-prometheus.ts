/**
 * A real Prometheus loaded with prometheus/rules, scraping a synthetic aggregator built from
 * docs/metrics.md (see synthetic-metrics.ts) every second: the place to run rule and dashboard PromQL.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { renderTestPrometheusConfigFile } from '../../prometheus/render-test-config.js';
import { loadContractMetrics } from './contract-metrics.js';
import type { Daemon } from './daemon.js';
import { instantQuery, ruleGroups } from './prometheus-api.js';
import { startPrometheus } from './prometheus-server.js';
import { startSyntheticExporter } from './synthetic-metrics.js';

export interface LivePrometheus {
  readonly baseUrl: string;
  readonly daemon: Daemon;
  stop(): Promise<void>;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

/**
 * Starts the synthetic exporter and Prometheus, then waits until counters have two scrapes (so rate()
 * has data) and every rule group has evaluated after that.
 */
export async function startLivePrometheus(prometheusBinary: string, timeoutMs = 30_000): Promise<LivePrometheus> {
  const workDir = await mkdtemp(join(tmpdir(), 'driftwatch-prometheus-'));
  const exporter = await startSyntheticExporter(loadContractMetrics());
  let daemon: Daemon | undefined;
  const stop = async (): Promise<void> => {
    await daemon?.stop();
    await exporter.close();
    await rm(workDir, { recursive: true, force: true });
  };
  try {
    daemon = await startPrometheus({
      binary: prometheusBinary,
      configYaml: renderTestPrometheusConfigFile({ aggregatorTarget: exporter.target, intervalSeconds: 1 }),
      workDir,
    });
    const deadline = Date.now() + timeoutMs;
    const waitFor = async (what: string, ready: () => Promise<boolean>): Promise<void> => {
      while (!(await ready())) {
        if (Date.now() > deadline) throw new Error(`live Prometheus: timed out waiting for ${what}\n${daemon?.output() ?? ''}`);
        await sleep(200);
      }
    };
    const baseUrl = daemon.baseUrl;
    await waitFor('two scrapes of the synthetic aggregator', async () => {
      const response = await instantQuery(baseUrl, 'rate(driftwatch_predictions_total[1m])');
      return response.status === 'success' && (response.data?.result.length ?? 0) > 0;
    });
    const scrapedAt = Date.now();
    await waitFor('every rule group to evaluate with data', async () => {
      const groups = await ruleGroups(baseUrl);
      return groups.length > 0 && groups.every((g) => g.rules.every((r) => r.lastEvaluation !== ZERO_TIME && Date.parse(r.lastEvaluation) > scrapedAt));
    });
    return { baseUrl, daemon, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
