/** Polling with a deadline: the way end-to-end tests wait for something that happens asynchronously. */
import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitForOptions {
  readonly timeoutMs: number;
  /** default 250 */
  readonly intervalMs?: number;
  /** extra context for the timeout error (daemon output, what was seen so far) */
  readonly describe?: () => string | Promise<string>;
}

/**
 * Calls `check` until it returns something other than `undefined` or `false`, and returns that. Throws
 * after `timeoutMs` naming `what`, with the last error `check` threw and `describe()`'s context.
 */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, options: WaitForOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result !== undefined && result !== false) return result;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const context = options.describe === undefined ? '' : `\n${await options.describe()}`;
      const cause = lastError === undefined ? '' : `\nlast error: ${(lastError as Error).message ?? String(lastError)}`;
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}${cause}${context}`);
    }
    await sleep(options.intervalMs ?? 250);
  }
}
