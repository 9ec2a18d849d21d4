/**
 * Plays a traffic scenario against a running churn model server: requests at
 * a steady rate for a while, and each request's true labels sent to
 * `POST /feedback` some time after its prediction came back (as in
 * production, where churn is only known weeks later). Library function
 * {@link playTraffic} and a CLI:
 *
 *   node examples/churn/dist/traffic.js --url http://127.0.0.1:8080 --scenario shift
 *        [--rate 20] [--duration 60] [--seed 1] [--feedback-delay 1000]
 *        [--feedback-share 1] [--batch 1] [--shift-factor 1.15] [--new-category-share 0.3]
 *        [--new-payment-method "Crypto wallet"] [--outage-after-rows 0]
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { LabelledRow } from './data/generate.js';
import { createRandom, deriveSeed } from './data/random.js';
import { isMainModule } from './is-main-module.js';
import type { ScenarioName, ScenarioOptions } from './scenarios.js';
import {
  DEFAULT_MONTHLY_CHARGES_FACTOR,
  DEFAULT_NEW_CATEGORY_SHARE,
  DEFAULT_NEW_PAYMENT_METHOD,
  SCENARIO_DESCRIPTIONS,
  SCENARIO_NAMES,
  isScenarioName,
  scenarioRows,
} from './scenarios.js';

export interface PlayTrafficOptions {
  /** base URL of the model server, e.g. http://127.0.0.1:8080 */
  url: string;
  scenario: ScenarioName;
  /** rows per second (> 0) */
  ratePerSecond: number;
  /** how long to play (> 0); an `outage` plays silence for this long */
  durationSeconds: number;
  /** seed of the scenario's rows and of the feedback sampling; default 1 (the training data uses 42) */
  seed?: number;
  /** delay between a prediction's response and its feedback; default 1000 */
  feedbackDelayMillis?: number;
  /** share of predictions whose label is sent back, in [0, 1]; default 1 */
  feedbackShare?: number;
  /** rows per request (≥ 1): 1 sends one row per request, more sends arrays; default 1 */
  batchSize?: number;
  /** scenario knobs (shift factor, new-category share, …) */
  scenarioOptions?: Omit<ScenarioOptions, 'seed'>;
  /** called about once per second, and once at the end with `done: true` */
  onProgress?: (progress: TrafficProgress) => void;
  /** stops sending; requests in flight finish, feedback not yet sent is dropped */
  signal?: AbortSignal;
}

export interface TrafficProgress {
  scenario: ScenarioName;
  elapsedSeconds: number;
  /** rows sent to /predict */
  sent: number;
  /** rows answered with a prediction */
  predicted: number;
  /** labels accepted by /feedback */
  feedbackSent: number;
  /** failed requests (HTTP error status or network error), /predict and /feedback */
  errors: number;
  lastError?: string;
  /** the scenario ran out of rows (an outage) */
  exhausted: boolean;
  done: boolean;
}

const TICK_MILLIS = 50;
const FEEDBACK_STREAM = 4;

interface Prediction {
  id: string;
  churn_probability: number;
  churn: 0 | 1;
}

function checkOptions(o: PlayTrafficOptions): void {
  try {
    new URL(o.url);
  } catch {
    throw new Error(`playTraffic: url must be an absolute URL, got "${o.url}"`);
  }
  if (!isScenarioName(o.scenario)) throw new Error(`playTraffic: unknown scenario "${String(o.scenario)}" (known: ${SCENARIO_NAMES.join(', ')})`);
  if (!(o.ratePerSecond > 0) || !Number.isFinite(o.ratePerSecond)) throw new Error(`playTraffic: ratePerSecond must be a positive number, got ${o.ratePerSecond}`);
  if (!(o.durationSeconds > 0) || !Number.isFinite(o.durationSeconds)) throw new Error(`playTraffic: durationSeconds must be a positive number, got ${o.durationSeconds}`);
  const delay = o.feedbackDelayMillis ?? 0;
  if (!(delay >= 0)) throw new Error(`playTraffic: feedbackDelayMillis must be ≥ 0, got ${delay}`);
  const share = o.feedbackShare ?? 1;
  if (!(share >= 0 && share <= 1)) throw new Error(`playTraffic: feedbackShare must be in [0, 1], got ${share}`);
  const batch = o.batchSize ?? 1;
  if (!Number.isInteger(batch) || batch < 1) throw new Error(`playTraffic: batchSize must be a positive integer, got ${batch}`);
}

async function postJson(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text) as unknown;
}

const isPrediction = (v: unknown): v is Prediction =>
  typeof v === 'object' && v !== null && typeof (v as Prediction).id === 'string' && typeof (v as Prediction).churn_probability === 'number';

/**
 * Plays `scenario` at `ratePerSecond` for `durationSeconds`, then waits for
 * the requests in flight and the delayed feedback, and resolves with the
 * final counts. Request failures are counted, never thrown; bad options throw.
 * The number of rows sent is exactly ⌊ratePerSecond × durationSeconds⌋
 * (fewer if the scenario ends, or the signal aborts).
 */
export async function playTraffic(options: PlayTrafficOptions): Promise<TrafficProgress> {
  checkOptions(options);
  const { scenario, ratePerSecond, durationSeconds, signal, onProgress } = options;
  const seed = options.seed ?? 1;
  const feedbackDelayMillis = options.feedbackDelayMillis ?? 1000;
  const feedbackShare = options.feedbackShare ?? 1;
  const batchSize = options.batchSize ?? 1;
  const predictUrl = new URL('predict', options.url.endsWith('/') ? options.url : `${options.url}/`).href;
  const feedbackUrl = new URL('feedback', options.url.endsWith('/') ? options.url : `${options.url}/`).href;

  const rows = scenarioRows(scenario, { ...options.scenarioOptions, seed });
  const feedbackRandom = createRandom(deriveSeed(seed, FEEDBACK_STREAM));
  const progress: TrafficProgress = { scenario, elapsedSeconds: 0, sent: 0, predicted: 0, feedbackSent: 0, errors: 0, exhausted: false, done: false };
  const inFlight = new Set<Promise<void>>();
  const feedbackTimers = new Set<NodeJS.Timeout>();
  const track = (work: Promise<void>): void => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
  const fail = (error: unknown): void => {
    progress.errors++;
    progress.lastError = error instanceof Error ? error.message : String(error);
  };

  const sendFeedback = (items: { id: string; churn: 0 | 1 }[]): void => {
    if (items.length === 0) return;
    track(
      postJson(feedbackUrl, items).then(
        () => {
          progress.feedbackSent += items.length;
        },
        fail,
      ),
    );
  };

  const sendBatch = (batch: LabelledRow[], sendLabels: boolean[]): void => {
    progress.sent += batch.length;
    const body = batchSize === 1 && batch.length === 1 ? batch[0]?.features : batch.map((r) => r.features);
    track(
      postJson(predictUrl, body)
        .then((answer) => {
        const predictions = Array.isArray(answer) ? answer : [answer];
        if (predictions.length !== batch.length || !predictions.every(isPrediction)) throw new Error(`unexpected /predict response: ${JSON.stringify(answer).slice(0, 200)}`);
        progress.predicted += predictions.length;
        const labels = predictions.flatMap((p, i) => (sendLabels[i] ? [{ id: p.id, churn: (batch[i] as LabelledRow).churn }] : []));
        if (signal?.aborted) return;
        const timer = setTimeout(() => {
          feedbackTimers.delete(timer);
          sendFeedback(labels);
        }, feedbackDelayMillis);
        feedbackTimers.add(timer);
        })
        .catch(fail),
    );
  };

  /** Sends rows until `target` rows have been taken from the scenario (or it ends). */
  const sendUpTo = (target: number): void => {
    while (progress.sent < target && !progress.exhausted) {
      const batch: LabelledRow[] = [];
      const sendLabels: boolean[] = [];
      while (batch.length < batchSize && progress.sent + batch.length < target) {
        const next = rows.next();
        if (next.done) {
          progress.exhausted = true;
          break;
        }
        batch.push(next.value);
        sendLabels.push(feedbackRandom.uniform() < feedbackShare);
      }
      if (batch.length > 0) sendBatch(batch, sendLabels);
    }
  };

  const totalRows = Math.floor(ratePerSecond * durationSeconds);
  const startMillis = performance.now();
  let lastReportedSecond = 0;
  const elapsed = (): number => (performance.now() - startMillis) / 1000;
  while (!signal?.aborted) {
    const seconds = elapsed();
    if (seconds >= durationSeconds) break;
    progress.elapsedSeconds = seconds;
    sendUpTo(Math.min(totalRows, Math.floor(seconds * ratePerSecond)));
    if (Math.floor(seconds) > lastReportedSecond) {
      lastReportedSecond = Math.floor(seconds);
      onProgress?.({ ...progress });
    }
    await sleep(TICK_MILLIS, undefined, { signal }).catch(() => undefined);
  }
  if (!signal?.aborted) sendUpTo(totalRows);
  progress.elapsedSeconds = Math.min(elapsed(), durationSeconds);

  // drain: requests in flight, then the feedback they scheduled, until nothing is left
  while (inFlight.size > 0 || feedbackTimers.size > 0) {
    if (signal?.aborted) {
      for (const timer of feedbackTimers) clearTimeout(timer);
      feedbackTimers.clear();
    }
    if (inFlight.size > 0) await Promise.race(inFlight);
    else await sleep(TICK_MILLIS);
  }
  progress.done = true;
  onProgress?.({ ...progress });
  return { ...progress };
}

/** One line about a traffic run. */
export function describeTraffic(p: TrafficProgress): string {
  return (
    `${p.scenario} ${p.elapsedSeconds.toFixed(0)}s: sent ${p.sent}, predicted ${p.predicted}, feedback ${p.feedbackSent}, errors ${p.errors}` +
    (p.exhausted ? ' (traffic stopped)' : '') +
    (p.lastError ? ` — last error: ${p.lastError}` : '')
  );
}

const USAGE = `usage: traffic --url URL --scenario NAME [--rate 20] [--duration 60] [--seed 1] [--feedback-delay 1000] [--feedback-share 1] [--batch 1]
               [--shift-factor 1.15] [--new-category-share 0.3] [--new-payment-method "Crypto wallet"] [--outage-after-rows 0]
scenarios:
${SCENARIO_NAMES.map((n) => `  ${n.padEnd(13)} ${SCENARIO_DESCRIPTIONS[n]}`).join('\n')}`;

function parseNumber(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new Error(`--${flag} must be a number, got "${value}"`);
  return n;
}

/** The CLI; returns the process exit code (1 if any request failed). */
export async function trafficCli(argv: readonly string[], signal?: AbortSignal): Promise<number> {
  let options: PlayTrafficOptions;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: {
        url: { type: 'string' },
        scenario: { type: 'string' },
        rate: { type: 'string' },
        duration: { type: 'string' },
        seed: { type: 'string' },
        'feedback-delay': { type: 'string' },
        'feedback-share': { type: 'string' },
        batch: { type: 'string' },
        'shift-factor': { type: 'string' },
        'new-category-share': { type: 'string' },
        'new-payment-method': { type: 'string' },
        'outage-after-rows': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    if (values.url === undefined) throw new Error('--url is required');
    if (values.scenario === undefined || !isScenarioName(values.scenario)) throw new Error(`--scenario must be one of ${SCENARIO_NAMES.join(', ')}`);
    options = {
      url: values.url,
      scenario: values.scenario,
      ratePerSecond: parseNumber('rate', values.rate, 20),
      durationSeconds: parseNumber('duration', values.duration, 60),
      seed: parseNumber('seed', values.seed, 1),
      feedbackDelayMillis: parseNumber('feedback-delay', values['feedback-delay'], 1000),
      feedbackShare: parseNumber('feedback-share', values['feedback-share'], 1),
      batchSize: parseNumber('batch', values.batch, 1),
      scenarioOptions: {
        monthlyChargesFactor: parseNumber('shift-factor', values['shift-factor'], DEFAULT_MONTHLY_CHARGES_FACTOR),
        newCategoryShare: parseNumber('new-category-share', values['new-category-share'], DEFAULT_NEW_CATEGORY_SHARE),
        newPaymentMethod: values['new-payment-method'] ?? DEFAULT_NEW_PAYMENT_METHOD,
        outageAfterRows: parseNumber('outage-after-rows', values['outage-after-rows'], 0),
      },
      signal,
      onProgress: (p) => console.log(describeTraffic(p)),
    };
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  try {
    const summary = await playTraffic(options);
    return summary.errors > 0 ? 1 : 0;
  } catch (error) {
    console.error(`traffic: ${(error as Error).message}`);
    return 2;
  }
}

if (isMainModule(import.meta.url)) {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  process.exitCode = await trafficCli(process.argv.slice(2), controller.signal);
}
