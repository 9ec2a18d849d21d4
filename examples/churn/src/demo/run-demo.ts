/**
 * The demo runner: starts the stack, plays one scenario, and ends with the verdict, `drift-report.json` and an exit
 * code (0 when every check of the scenario held and every webhook delivery succeeded, else 1).
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CHURN_MODEL_NAME } from '../feature-schema.js';
import { createDemoContext } from './demo-context.js';
import { buildDemoReport, type DemoReport } from './demo-report.js';
import type { DemoScenario, DemoSettings } from './demo-scenario.js';
import { DEMO_SCENARIOS, findScenario } from './demo-scenarios.js';
import { startDemoStack } from './demo-stack.js';
import { printVerdict } from './demo-verdict.js';
import type { Terminal } from './terminal.js';

export const DEFAULT_DEMO_SETTINGS: DemoSettings = {
  ratePerSecond: 200,
  batchSize: 10,
  seed: 1,
  stableSeconds: 8,
  maxChangeSeconds: 30,
  feedbackDelayMillis: 500,
};

export interface DemoOptions {
  readonly scenario: string;
  readonly settings: DemoSettings;
  /** where drift-report.json goes */
  readonly reportPath: string;
  /** alerts are POSTed here when set */
  readonly webhookUrl?: string;
  readonly httpPort?: number;
  readonly otlpPort?: number;
  /** keep the stack up after the verdict until `stopSignal` resolves */
  readonly keepRunning: boolean;
  readonly stopSignal?: Promise<unknown>;
  /** called after the verdict, while the stack still runs (before waiting for `stopSignal`) */
  readonly onVerdict?: (result: DemoResult, urls: { readonly reportUrl: string; readonly apiUrl: string }) => void;
  readonly terminal: Terminal;
}

export interface DemoResult {
  readonly exitCode: number;
  readonly report: DemoReport;
}

export class UnknownScenarioError extends Error {
  override name = 'UnknownScenarioError';
  constructor(
    name: string,
    readonly known: readonly string[],
  ) {
    super(`unknown scenario ${JSON.stringify(name)} (known: ${known.join(', ')})`);
  }
}

/** Runs the demo. Throws UnknownScenarioError for an unknown scenario, and any startup error (e.g. a busy explicit port). */
export async function runDemo(options: DemoOptions, scenarios: readonly DemoScenario[] = DEMO_SCENARIOS): Promise<DemoResult> {
  const scenario = findScenario(options.scenario, scenarios);
  if (!scenario) throw new UnknownScenarioError(options.scenario, scenarios.map((s) => s.name));
  const t = options.terminal;
  const p = t.paint;
  const started = performance.now();
  t.line(p.bold(`driftwatch demo — scenario ${scenario.name}: ${scenario.summary}`));
  const stack = await startDemoStack({
    ...(options.httpPort === undefined ? {} : { httpPort: options.httpPort }),
    ...(options.otlpPort === undefined ? {} : { otlpPort: options.otlpPort }),
    ...(scenario.configure ? { configure: scenario.configure } : {}),
    log: (line) => t.line(line),
  });
  try {
    const version = stack.trained.artifact.version;
    const ctx = createDemoContext({ stack, settings: options.settings, terminal: t, webhookUrl: options.webhookUrl, version });
    if (options.webhookUrl !== undefined) t.line(`threshold alerts go to the webhook ${options.webhookUrl} (Alertmanager webhook format)`);
    const outcome = await scenario.run(ctx);
    const final = ctx.observer.latest ?? (await ctx.settle());
    const deliveries = await ctx.deliveries();
    const durationSeconds = (performance.now() - started) / 1000;
    const report = buildDemoReport({
      scenario: scenario.name,
      title: outcome.title,
      model: CHURN_MODEL_NAME,
      version,
      final,
      observer: ctx.observer,
      changeStartedAtMs: outcome.changeStartedAtMs,
      reportUrl: ctx.reportUrl,
      alerts: ctx.alerts.fired,
      deliveries,
      checks: outcome.checks,
      notes: outcome.notes ?? [],
      ...(outcome.timeline === undefined ? {} : { timeline: outcome.timeline }),
      durationSeconds,
      nowMs: Date.now(),
    });
    const reportPath = resolve(options.reportPath);
    await writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`);
    printVerdict(t, report, final, reportPath, options.keepRunning);
    const result: DemoResult = { exitCode: report.passed ? 0 : 1, report };
    options.onVerdict?.(result, { reportUrl: ctx.reportUrl, apiUrl: stack.apiUrl });
    if (options.keepRunning) {
      t.raw(`Still running: report page ${p.cyan(ctx.reportUrl)}, /metrics ${stack.apiUrl}/metrics, model server ${stack.server.url} (POST /predict). Ctrl-C to stop.`);
      await options.stopSignal;
      t.raw('Stopping.');
    }
    return result;
  } finally {
    await stack.stop();
  }
}
