/**
 * The {@link DemoContext} the runner hands to a scenario: traffic phases with live progress, the observer of the
 * aggregator's evaluations, and the threshold alerts (printed, and posted to the webhook when one is configured).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { CHURN_MODEL_NAME } from '../feature-schema.js';
import type { TrafficProgress } from '../traffic.js';
import { playTraffic } from '../traffic.js';
import type { WebhookDelivery } from './alert-webhook.js';
import { postAlert } from './alert-webhook.js';
import type { DemoContext, DemoSettings, PhaseOptions, PhaseResult } from './demo-scenario.js';
import { DEMO_EXPORT_INTERVAL_MILLIS, DEMO_WINDOW, type DemoStack } from './demo-stack.js';
import { describeResult } from './drift-api.js';
import { DriftObserver, featureOf, type Observation } from './drift-observer.js';
import type { Terminal } from './terminal.js';
import { AlertTracker, alertCandidates, type FiredAlert } from './threshold-alerts.js';

/** How often the context polls the API (the aggregator evaluates every second). */
const POLL_MILLIS = 250;
/** Longest wait for the evaluation that follows the end of traffic. */
const SETTLE_TIMEOUT_MILLIS = 15_000;
/** After traffic stops: one SDK export, one evaluation, and some slack. */
const SETTLE_AFTER_MILLIS = DEMO_EXPORT_INTERVAL_MILLIS + 1_200;

export interface AlertDelivery {
  readonly alert: FiredAlert;
  readonly delivery: WebhookDelivery;
}

export interface RunnerContext extends DemoContext {
  /** Webhook deliveries so far (resolved), in firing order. */
  deliveries(): Promise<AlertDelivery[]>;
  /** The report page URL of the watched model version. */
  readonly reportUrl: string;
}

export interface ContextOptions {
  readonly stack: DemoStack;
  readonly settings: DemoSettings;
  readonly terminal: Terminal;
  readonly webhookUrl: string | undefined;
  readonly version: string;
}

/** `7 features: 1 drifted` style summary of an evaluation. */
function volumeText(o: Observation): string {
  const w = o.window;
  const evaluated = w.evaluatedFeatures;
  const drifted = w.features.filter((f) => f.drift?.drifted).map((f) => f.feature);
  const verdicts = evaluated === 0 ? 'no verdicts yet' : `${w.driftedFeatures}/${evaluated} features drifted${drifted.length > 0 ? ` (${drifted.join(', ')})` : ''}`;
  return `${w.predictions.toLocaleString('en-US')} predictions in ${w.window} · ${verdicts}`;
}

export function createDemoContext(options: ContextOptions): RunnerContext {
  const { stack, settings, terminal } = options;
  const p = terminal.paint;
  const observer = new DriftObserver(stack.apiUrl, CHURN_MODEL_NAME, options.version, DEMO_WINDOW);
  const alerts = new AlertTracker();
  const pending: Array<Promise<AlertDelivery>> = [];
  const reportUrl = `${stack.apiUrl}/#${new URLSearchParams({ model: CHURN_MODEL_NAME, version: options.version, window: DEMO_WINDOW }).toString()}`;

  /** Polls once; for a new evaluation, fires the alerts whose conditions held long enough. */
  const observe = async (): Promise<Observation | undefined> => {
    const o = await observer.poll();
    if (!o) return undefined;
    for (const alert of alerts.observe(alertCandidates(o, CHURN_MODEL_NAME, options.version), o.atMs)) {
      const tone = alert.severity === 'low' ? p.yellow : p.red;
      terminal.line(tone(`ALERT ${alert.name} [${alert.severity}] ${alert.summary}`));
      if (options.webhookUrl !== undefined) {
        const url = options.webhookUrl;
        pending.push(
          postAlert(url, alert, reportUrl).then((delivery) => {
            terminal.line(
              delivery.ok ? p.dim(`  posted ${alert.name} to ${url}: HTTP ${delivery.status}`) : p.red(`  webhook ${url} failed for ${alert.name}: ${delivery.error}`),
            );
            return { alert, delivery };
          }),
        );
      }
    }
    return o;
  };

  const playPhase = async (phase: PhaseOptions): Promise<PhaseResult> => {
    const server = phase.server ?? stack.server;
    const controller = new AbortController();
    const startedAtMs = Date.now();
    let satisfied: Observation | undefined;
    let latestTraffic: TrafficProgress | undefined;
    let finished = false;
    terminal.line(p.bold(`▶ ${phase.label}: playing '${phase.traffic}' traffic at ${settings.ratePerSecond} rows/s`));
    const traffic = playTraffic({
      url: server.url,
      scenario: phase.traffic,
      ratePerSecond: settings.ratePerSecond,
      durationSeconds: phase.maxSeconds,
      seed: phase.seed ?? settings.seed,
      batchSize: phase.batchSize ?? settings.batchSize,
      feedbackDelayMillis: settings.feedbackDelayMillis,
      ...(phase.scenarioOptions ? { scenarioOptions: phase.scenarioOptions } : {}),
      signal: controller.signal,
      onProgress: (t) => {
        latestTraffic = t;
      },
    }).finally(() => {
      finished = true;
    });
    while (!finished) {
      await Promise.race([traffic.then(() => undefined), sleep(POLL_MILLIS)]);
      if (finished || controller.signal.aborted) continue;
      let o: Observation | undefined;
      try {
        o = await observe();
      } catch (error) {
        terminal.line(p.red(`cannot read the drift report: ${(error as Error).message}`));
        continue;
      }
      if (!o) continue;
      const sent = latestTraffic?.sent ?? 0;
      const focus = phase.focus ? ` · ${phase.focus(o)}` : '';
      terminal.line(`${p.cyan(phase.label.padEnd(12))} sent ${sent.toLocaleString('en-US').padStart(6)} · ${volumeText(o)}${focus}`);
      const elapsedSeconds = (Date.now() - startedAtMs) / 1000;
      if (phase.until && elapsedSeconds >= (phase.minSeconds ?? 0) && phase.until(o)) {
        satisfied = o;
        controller.abort();
      }
    }
    const result = await traffic;
    if (result.errors > 0) terminal.line(p.red(`${result.errors} traffic requests failed; last error: ${result.lastError ?? 'unknown'}`));
    return { startedAtMs, endedAtMs: Date.now(), traffic: result, satisfied };
  };

  const playStable = async (options: Pick<PhaseOptions, 'server' | 'batchSize'> = {}): Promise<PhaseResult> => {
    const result = await playPhase({
      ...options,
      label: 'stable',
      traffic: 'no-drift',
      minSeconds: settings.stableSeconds,
      maxSeconds: settings.stableSeconds + 30,
      until: (o) => o.window.features.length > 0 && o.window.evaluatedFeatures === o.window.features.length && o.window.performance.metrics['accuracy'] !== undefined,
      focus: (o) => {
        const acc = o.window.performance.metrics['accuracy'];
        return acc === undefined ? `${o.window.performance.feedbackSamples} labels` : `accuracy ${acc.toFixed(3)}`;
      },
    });
    const o = result.satisfied ?? observer.latest;
    if (o) {
      const auc = o.window.performance.metrics['roc_auc'];
      const acc = o.window.performance.metrics['accuracy'];
      terminal.line(
        `baseline: ${o.window.evaluatedFeatures} features evaluated, ${o.window.driftedFeatures} drifted` +
          (acc === undefined ? '' : `; live accuracy ${acc.toFixed(3)}`) +
          (auc === undefined ? '' : `, ROC AUC ${auc.toFixed(3)}`) +
          ` (from ${o.window.performance.feedbackSamples} labels)`,
      );
    }
    return result;
  };

  const settle = async (): Promise<Observation> => {
    const after = Date.now() + SETTLE_AFTER_MILLIS;
    const deadline = Date.now() + SETTLE_TIMEOUT_MILLIS;
    for (;;) {
      const o = await observe().catch(() => undefined);
      const latest = o ?? observer.latest;
      if (latest && latest.atMs >= after) return latest;
      if (Date.now() > deadline) {
        if (latest) return latest;
        throw new Error(`no evaluation of ${CHURN_MODEL_NAME} v${options.version} within ${SETTLE_TIMEOUT_MILLIS / 1000} s`);
      }
      await sleep(POLL_MILLIS);
    }
  };

  return {
    stack,
    observer,
    alerts,
    settings,
    reportUrl,
    log: (line) => terminal.line(line),
    playPhase,
    playStable,
    settle,
    deliveries: () => Promise.all(pending),
  };
}

/** A progress focus on one feature: its score against the threshold and the verdict. */
export function featureFocus(name: string): (o: Observation) => string {
  return (o) => {
    const f = featureOf(o, name);
    if (!f?.drift) return `${name}: ${f ? `${f.samples} values` : 'not seen yet'}`;
    return `${name} ${describeResult(f.drift)}${f.drift.drifted ? ' DRIFT' : ''}`;
  };
}
