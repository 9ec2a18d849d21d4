import { safeLog } from './counting-exporter.js';
import type { MonitorLogger } from './options.js';

/** Bodies longer than this are not read (a poll answer is a few hundred bytes). */
export const MAX_POLL_BODY_BYTES = 1_048_576;

/** Outcomes of one poller. */
export interface PollHealth {
  readonly url: string;
  polls: number;
  /** answered 200 with a valid body, or 304 Not Modified */
  succeeded: number;
  /** of those, 304 Not Modified (the answer's `ETag` is sent back as `If-None-Match`) */
  notModified: number;
  /** non-200, timeout, connection error, not JSON, or a body of the wrong shape */
  failed: number;
  consecutiveFailures: number;
  lastError: string | undefined;
}

export interface JsonPollerOptions<T> {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly intervalMillis: number;
  readonly timeoutMillis: number;
  /** what is polled, for messages ("canary rollout", "alias champion") */
  readonly what: string;
  /** validates a decoded body; throws (a message naming the field) when it has the wrong shape */
  readonly parse: (json: unknown) => T;
  /** called with every valid answer (also unchanged ones); exceptions are counted as failures */
  readonly onValue: (value: T) => void;
  /** called after every poll, successful or not (housekeeping) */
  readonly afterPoll?: () => void;
  readonly logger: MonitorLogger;
}

/**
 * Polls a JSON endpoint of the aggregator from a timer: first right after {@link start}, then every
 * `intervalMillis` after the previous poll finished (never two at a time). The `ETag` of the last valid
 * answer goes back as `If-None-Match`, so an unchanged answer is a `304` without a body. A failed poll changes nothing
 * the caller holds: it is counted in {@link health} and logged (the first failure, every 100th, and the
 * recovery); it never throws and never runs on a caller's path. The timer does not keep the process alive.
 */
export class JsonPoller<T> {
  readonly health: PollHealth;
  readonly #options: JsonPollerOptions<T>;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inFlight: Promise<void> | undefined;
  #abort: AbortController | undefined;
  #stopped = false;
  /** the ETag of the last valid answer */
  #etag: string | undefined;

  constructor(options: JsonPollerOptions<T>) {
    this.#options = options;
    this.health = { url: options.url, polls: 0, succeeded: 0, notModified: 0, failed: 0, consecutiveFailures: 0, lastError: undefined };
  }

  start(): void {
    this.#schedule(0);
  }

  /** Stops polling and aborts a poll in flight. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#abort?.abort();
  }

  /** Polls now (unless a poll is in flight, then waits for it); resolves when done, never rejects. */
  pollNow(): Promise<void> {
    this.#inFlight ??= this.#poll().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  #schedule(delayMillis: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.pollNow().then(() => this.#schedule(this.#options.intervalMillis));
    }, delayMillis);
    this.#timer.unref();
  }

  async #poll(): Promise<void> {
    if (this.#stopped) return;
    const o = this.#options;
    this.health.polls++;
    const abort = new AbortController();
    this.#abort = abort;
    const timer = setTimeout(() => abort.abort(new Error(`no answer within ${o.timeoutMillis} ms`)), o.timeoutMillis);
    timer.unref();
    try {
      const headers: Record<string, string> = { accept: 'application/json', ...o.headers };
      if (this.#etag !== undefined) headers['if-none-match'] = this.#etag;
      const response = await fetch(o.url, { headers, signal: abort.signal });
      const text = await readLimited(response);
      if (response.status === 304 && this.#etag !== undefined) {
        this.health.notModified++;
        this.#succeeded();
        return;
      }
      if (response.status !== 200) throw new Error(`HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new Error('the answer is not JSON');
      }
      this.#etag = undefined;
      o.onValue(o.parse(json));
      this.#etag = response.headers.get('etag') ?? undefined;
      this.#succeeded();
    } catch (error) {
      if (this.#stopped) return;
      this.#failed(abort.signal.aborted && abort.signal.reason instanceof Error ? abort.signal.reason : error);
    } finally {
      clearTimeout(timer);
      if (this.#abort === abort) this.#abort = undefined;
      try {
        o.afterPoll?.();
      } catch {
        // housekeeping must not break polling
      }
    }
  }

  #succeeded(): void {
    const h = this.health;
    if (h.consecutiveFailures > 0) safeLog(this.#options.logger, `${this.#options.what} poll of ${h.url} recovered after ${h.consecutiveFailures} failures`);
    h.succeeded++;
    h.consecutiveFailures = 0;
  }

  #failed(error: unknown): void {
    const h = this.health;
    h.failed++;
    h.consecutiveFailures++;
    h.lastError = error instanceof Error ? `${error.name}: ${error.message}${causeOf(error)}` : String(error);
    if (h.consecutiveFailures === 1 || h.consecutiveFailures % 100 === 0) {
      safeLog(
        this.#options.logger,
        `${this.#options.what} poll of ${h.url} failed (${h.lastError}); ${h.consecutiveFailures} consecutive failures, ${h.failed} in total. Keeping the last known value.`,
      );
    }
  }
}

function causeOf(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? ` (${cause.message})` : '';
}

/** The body as text, at most {@link MAX_POLL_BODY_BYTES} (a longer body is an error). */
async function readLimited(response: Response): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_POLL_BODY_BYTES) {
      await reader.cancel();
      throw new Error(`the answer is larger than ${MAX_POLL_BODY_BYTES} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
