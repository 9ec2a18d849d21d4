/**
 * Plays one traffic phase for as long as a story runs next to it: the story (dispatch, retrain, canary, …) reacts to
 * what the traffic causes while the traffic goes on uninterrupted, and the phase ends at the first evaluation after
 * the story finished (or at the phase's `maxSeconds`, which the story sees through `cancelled()`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { DemoContext, PhaseOptions, PhaseResult } from './demo-scenario.js';

export async function playWhile<T>(ctx: DemoContext, phase: Omit<PhaseOptions, 'until'>, story: (cancelled: () => boolean) => Promise<T>): Promise<{ phase: PhaseResult; value: T }> {
  let storyDone = false;
  let phaseDone = false;
  const played = ctx.playPhase({ ...phase, until: () => storyDone }).finally(() => {
    phaseDone = true;
  });
  let value: T;
  try {
    value = await story(() => phaseDone);
  } finally {
    storyDone = true;
  }
  return { phase: await played, value };
}

/**
 * Calls `probe` every `intervalMillis` until it returns a value (not undefined), the deadline passes or `cancelled()`;
 * undefined then. A probe that throws is retried (its error is passed to `onError`).
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  options: { readonly deadlineMs: number; readonly cancelled: () => boolean; readonly intervalMillis?: number; readonly onError?: (error: Error) => void },
): Promise<T | undefined> {
  while (!options.cancelled() && Date.now() <= options.deadlineMs) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      options.onError?.(error as Error);
    }
    await sleep(options.intervalMillis ?? 250);
  }
  return undefined;
}
