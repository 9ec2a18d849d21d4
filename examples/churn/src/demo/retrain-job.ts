/**
 * The training job the demo's retraining receiver starts: the churn example's real retrain script
 * (`examples/churn/src/retrain.ts`), called through its CLI exactly as the docs run it —
 *
 *   retrain --aggregator <api> --registry <dataDir>/registry.db --artifacts <dir> --event <event.json> --window … --json
 *
 * — in this process (so it needs no build and no second Node start), with its own connection to the aggregator's
 * embedded registry file, like a job on the same machine would have. The event file is the webhook's body, so the
 * event's `idempotency_key` becomes the registered version's `runId`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RetrainingEvent } from '@driftwatch/lifecycle';
import type { RetrainResult } from '../retrain.js';
import { retrainCli } from '../retrain.js';

export interface RetrainJobOptions {
  readonly apiUrl: string;
  /** the aggregator's embedded registry file (`<dataDir>/registry.db`) */
  readonly registryPath: string;
  /** where the new version's artifact goes */
  readonly artifactsRoot: string;
  /** where the event file is written */
  readonly workDir: string;
  /** `--window`, e.g. `15s` */
  readonly window: string;
  /** `--min-records` */
  readonly minRecords: number;
}

export interface RetrainJobOutcome {
  /** the CLI's exit code (0 registered/kept/already registered, 3 insufficient data, 1 error) */
  readonly exitCode: number;
  /** the CLI's `--json` result (null when it failed before one) */
  readonly result: RetrainResult | null;
  /** the arguments it ran with (to print) */
  readonly argv: readonly string[];
  /** what it wrote to stderr */
  readonly errors: readonly string[];
  readonly durationMs: number;
}

export async function runRetrainJob(event: RetrainingEvent, options: RetrainJobOptions): Promise<RetrainJobOutcome> {
  const started = performance.now();
  const dir = join(options.workDir, 'retraining-events');
  await mkdir(dir, { recursive: true });
  const eventFile = join(dir, `${event.idempotency_key.replace(/[^A-Za-z0-9_-]/g, '_')}.json`);
  await writeFile(eventFile, JSON.stringify(event, null, 2));
  const argv = [
    '--aggregator', options.apiUrl,
    '--registry', options.registryPath,
    '--artifacts', options.artifactsRoot,
    '--event', eventFile,
    '--window', options.window,
    '--min-records', String(options.minRecords),
    '--by', 'demo-retrain-job',
    '--json',
  ];
  const lines: string[] = [];
  const errors: string[] = [];
  const exitCode = await retrainCli(argv, {}, { log: (line) => lines.push(line), error: (line) => errors.push(line) });
  let result: RetrainResult | null = null;
  const json = lines.at(-1);
  if (exitCode !== 1 && exitCode !== 2 && json !== undefined) result = JSON.parse(json) as RetrainResult;
  return { exitCode, result, argv, errors, durationMs: performance.now() - started };
}
