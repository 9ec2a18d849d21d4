/**
 * `npm run demo` (root package.json): the churn model, monitored, playing one scenario end to end on this machine —
 * no Docker, Prometheus or network needed.
 *
 *   npm run demo -- [--scenario shift] [--keep-running] [--webhook URL] [--report drift-report.json]
 *                   [--http-port 9464] [--otlp-port 4318] [--seed 1] [--rate 200] [--no-color]
 *
 * Exit codes: 0 the story held, 1 a check failed (or the demo could not run), 2 usage error.
 */
import { parseArgs } from 'node:util';
import { isMainModule } from '../is-main-module.js';
import type { DemoScenario } from './demo-scenario.js';
import { DEMO_SCENARIOS } from './demo-scenarios.js';
import { DEFAULT_DEMO_SETTINGS, UnknownScenarioError, runDemo } from './run-demo.js';
import { createTerminal, wantsColor } from './terminal.js';

export const WEBHOOK_ENV = 'DRIFTWATCH_DEMO_WEBHOOK_URL';

export function demoUsage(scenarios: readonly DemoScenario[] = DEMO_SCENARIOS): string {
  const width = Math.max(...scenarios.map((s) => s.name.length));
  return `Usage: npm run demo -- [options]

Trains the churn model, starts the aggregator (embedded defaults, in-memory data; retrain keeps its data in a
temporary directory) and the monitored model server on 127.0.0.1, plays stable traffic and then the scenario,
and ends with a verdict, drift-report.json and the report page URL. Exits 0 when the scenario's story held
(for retrain and bad-candidate: their loop completed), 1 when it did not.

Options:
  --scenario <name>   the scenario to play (default ${scenarios[0]?.name ?? 'shift'}):
${scenarios.map((s) => `                        ${s.name.padEnd(width)}  ${s.summary}`).join('\n')}
  --keep-running      keep the aggregator and model server up after the verdict to browse the report page (Ctrl-C stops)
  --webhook <url>     also POST threshold alerts (Alertmanager webhook JSON) to this URL (env ${WEBHOOK_ENV})
  --report <file>     where to write the JSON report (default drift-report.json)
  --http-port <port>  aggregator API and report page port (default 9464, or a free port when it is busy)
  --otlp-port <port>  aggregator OTLP/HTTP port (default 4318, or a free port when it is busy)
  --seed <n>          traffic seed (default ${DEFAULT_DEMO_SETTINGS.seed})
  --rate <n>          rows per second (default ${DEFAULT_DEMO_SETTINGS.ratePerSecond})
  --no-color          plain output (also when NO_COLOR is set or the output is not a terminal)
  -h, --help          show this help
`;
}

class UsageError extends Error {}

function port(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new UsageError(`--${flag} must be a port number (0-65535), got ${JSON.stringify(value)}`);
  return n;
}

function positive(flag: string, value: string | undefined, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (integer ? !Number.isInteger(n) : n <= 0)) throw new UsageError(`--${flag} must be ${integer ? 'an integer' : 'a positive number'}, got ${JSON.stringify(value)}`);
  return n;
}

export interface DemoCliIo {
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** resolves on Ctrl-C (for --keep-running) */
  readonly stopSignal: Promise<unknown>;
}

/** The CLI; returns the exit code. */
export async function demoCli(argv: readonly string[], io: DemoCliIo, scenarios: readonly DemoScenario[] = DEMO_SCENARIOS): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        scenario: { type: 'string' },
        'keep-running': { type: 'boolean' },
        webhook: { type: 'string' },
        report: { type: 'string' },
        'http-port': { type: 'string' },
        'otlp-port': { type: 'string' },
        seed: { type: 'string' },
        rate: { type: 'string' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    }));
  } catch (error) {
    io.stderr.write(`demo: ${(error as Error).message}\n\n${demoUsage(scenarios)}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(demoUsage(scenarios));
    return 0;
  }
  let options;
  try {
    const scenario = values.scenario ?? scenarios[0]?.name ?? 'shift';
    if (!scenarios.some((s) => s.name === scenario)) throw new UnknownScenarioError(scenario, scenarios.map((s) => s.name));
    const webhookUrl = values.webhook ?? (io.env[WEBHOOK_ENV] || undefined);
    if (webhookUrl !== undefined) {
      let url: URL;
      try {
        url = new URL(webhookUrl);
      } catch {
        throw new UsageError(`--webhook must be an http(s) URL, got ${JSON.stringify(webhookUrl)}`);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--webhook must be an http(s) URL, got ${JSON.stringify(webhookUrl)}`);
    }
    const httpPort = port('http-port', values['http-port']);
    const otlpPort = port('otlp-port', values['otlp-port']);
    options = {
      scenario,
      settings: {
        ...DEFAULT_DEMO_SETTINGS,
        seed: positive('seed', values.seed, DEFAULT_DEMO_SETTINGS.seed, true),
        ratePerSecond: positive('rate', values.rate, DEFAULT_DEMO_SETTINGS.ratePerSecond, false),
      },
      reportPath: values.report ?? 'drift-report.json',
      ...(webhookUrl === undefined ? {} : { webhookUrl }),
      ...(httpPort === undefined ? {} : { httpPort }),
      ...(otlpPort === undefined ? {} : { otlpPort }),
      keepRunning: values['keep-running'] ?? false,
      stopSignal: io.stopSignal,
      terminal: createTerminal(io.stdout, wantsColor(io.stdout, io.env, values['no-color'] ?? false)),
    };
  } catch (error) {
    if (error instanceof UsageError || error instanceof UnknownScenarioError) {
      io.stderr.write(`demo: ${error.message}\n\n${demoUsage(scenarios)}`);
      return 2;
    }
    throw error;
  }
  try {
    return (await runDemo(options, scenarios)).exitCode;
  } catch (error) {
    io.stderr.write(`demo: ${(error as Error).message}\n`);
    return 1;
  }
}

if (isMainModule(import.meta.url)) {
  const stopSignal = new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
  });
  process.exitCode = await demoCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, stopSignal });
}
