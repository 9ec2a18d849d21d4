/** A scenario's timeline: each key event is printed as it happens and kept for the verdict and drift-report.json. */
import type { TimelineEvent } from './demo-scenario.js';

export interface Timeline {
  readonly events: readonly TimelineEvent[];
  /** Records and prints one event (`● stage: text`). */
  add(stage: string, text: string, atMs?: number): void;
  /** The first event of `stage`, if any. */
  first(stage: string): TimelineEvent | undefined;
}

export function createTimeline(log: (line: string) => void, now: () => number = Date.now): Timeline {
  const events: TimelineEvent[] = [];
  return {
    events,
    add(stage, text, atMs = now()) {
      events.push({ atMs, stage, text });
      log(`● ${stage}: ${text}`);
    },
    first: (stage) => events.find((e) => e.stage === stage),
  };
}
