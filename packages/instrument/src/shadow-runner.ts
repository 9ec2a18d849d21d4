import type { ModelArm } from './model-arm.js';
import type { ModelTelemetry } from './model-telemetry.js';
import type { ResolvedShadow } from './options.js';
import { ShadowComparisons } from './shadow-comparison.js';
import { isThenable } from './thenable.js';

/** What {@link MonitorHealth.shadow} reports. */
export interface ShadowHealth {
  readonly version: string;
  readonly sampleRate: number;
  /** calls waiting for the shadow */
  readonly queued: number;
  /** shadow calls running now */
  readonly running: number;
  /** shadow calls started (sampled and not dropped) */
  readonly started: number;
  /** shadow calls finished, with a result or an error */
  readonly completed: number;
  /** shadow calls that threw or rejected (also in the shadow's `ml.model.errors`) */
  readonly errors: number;
  /** sampled calls dropped because the queue was full (`ml.model.shadow.dropped`) */
  readonly dropped: number;
  readonly agreements: number;
  readonly disagreements: number;
}

/** One call to mirror: the primary's arguments and outcome. */
interface ShadowTask {
  readonly args: readonly unknown[];
  /** the primary's result (awaited), or undefined when it threw */
  readonly primaryOk: boolean;
  readonly primaryResult: unknown;
  /** the primary's extracted rows (an array for a batch call) */
  readonly primaryRows: unknown;
  readonly primaryTelemetry: ModelTelemetry;
}

/**
 * Runs a candidate model in shadow, off the hot path: a call picked by `shadowSampleRate` is queued
 * (O(1), bounded by `maxQueueSize` plus the free concurrency slots; a full queue drops and counts) once the primary has its result, and
 * the candidate runs later from `setImmediate`, at most `maxConcurrency` at a time. The candidate is
 * recorded as its own model (role `shadow`), its outputs compared with the primary's
 * ({@link ShadowComparisons}); its errors are counted, never thrown, and nothing it does reaches the caller.
 * Inputs and results are passed by reference: the caller must not mutate them after the call.
 */
export class ShadowRunner {
  readonly arm: ModelArm;
  readonly #options: ResolvedShadow;
  readonly #comparisons: () => ShadowComparisons;
  #queue: ShadowTask[] = [];
  #head = 0;
  #running = 0;
  #scheduled = false;
  #stopped = false;
  started = 0;
  completed = 0;
  errors = 0;

  constructor(arm: ModelArm, options: ResolvedShadow) {
    this.arm = arm;
    this.#options = options;
    this.#comparisons = () => (arm.telemetry.comparisons ??= new ShadowComparisons());
  }

  get queued(): number {
    return this.#queue.length - this.#head;
  }

  /**
   * Offers a finished primary call for shadowing (called on the call path after the primary's result is
   * known): samples, then queues or drops. Never throws, O(1).
   */
  offer(args: ArrayLike<unknown>, primaryOk: boolean, primaryResult: unknown, primaryRows: unknown, primaryTelemetry: ModelTelemetry): void {
    if (this.#stopped) return;
    const rate = this.#options.sampleRate;
    if (rate < 1 && !(Math.random() < rate)) return;
    // free concurrency slots count as queue room: the task starts on the next turn of the event loop
    if (this.queued >= this.#options.maxQueueSize + Math.max(0, this.#options.maxConcurrency - this.#running)) {
      this.#comparisons().dropped++;
      return;
    }
    this.#queue.push({ args: Array.prototype.slice.call(args), primaryOk, primaryResult, primaryRows, primaryTelemetry });
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled || this.#stopped) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#drain();
    });
  }

  #drain(): void {
    while (!this.#stopped && this.#running < this.#options.maxConcurrency && this.queued > 0) {
      const task = this.#queue[this.#head] as ShadowTask;
      this.#queue[this.#head] = undefined as unknown as ShadowTask;
      this.#head++;
      if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
        this.#queue = this.#queue.slice(this.#head);
        this.#head = 0;
      }
      this.#run(task);
    }
    if (this.queued === 0 && this.#head > 0) {
      this.#queue = [];
      this.#head = 0;
    }
  }

  #run(task: ShadowTask): void {
    const telemetry = this.arm.telemetry;
    if (!telemetry.active) return;
    this.#running++;
    this.started++;
    const input = task.args[0];
    let rows: unknown;
    try {
      rows = telemetry.beginCall(input);
    } catch (error) {
      telemetry.drops.drop('internal', error);
    }
    const start = performance.now();
    let result: unknown;
    try {
      result = Reflect.apply(this.arm.fn, undefined, task.args);
    } catch (error) {
      this.#failed(telemetry, error, start);
      return;
    }
    if (isThenable(result)) {
      try {
        result.then(
          (value) => this.#succeeded(telemetry, task, input, rows, value, start),
          (error: unknown) => this.#failed(telemetry, error, start),
        );
      } catch (error) {
        this.#failed(telemetry, error, start);
      }
      return;
    }
    this.#succeeded(telemetry, task, input, rows, result, start);
  }

  #succeeded(telemetry: ModelTelemetry, task: ShadowTask, input: unknown, rows: unknown, result: unknown, start: number): void {
    try {
      telemetry.endCall(input, rows, result, start);
      if (task.primaryOk) this.#compare(telemetry, task, rows, result);
    } catch (error) {
      telemetry.drops.drop('internal', error);
    }
    this.#finish();
  }

  #failed(telemetry: ModelTelemetry, error: unknown, start: number): void {
    this.errors++;
    try {
      telemetry.failCall(error, start);
    } catch (e) {
      telemetry.drops.drop('internal', e);
    }
    this.#finish();
  }

  #finish(): void {
    this.#running--;
    this.completed++;
    if (this.queued > 0) this.#schedule();
  }

  #compare(telemetry: ModelTelemetry, task: ShadowTask, rows: unknown, result: unknown): void {
    const primary = task.primaryTelemetry.comparable(task.primaryResult, Array.isArray(task.primaryRows) ? task.primaryRows.length : undefined);
    const shadow = telemetry.comparable(result, Array.isArray(rows) ? rows.length : undefined);
    if (primary === undefined || shadow === undefined || primary.length !== shadow.length) return;
    const comparisons = this.#comparisons();
    for (let i = 0; i < primary.length; i++) {
      const p = primary[i];
      const s = shadow[i];
      if (p !== undefined && s !== undefined) comparisons.record(p, s, this.#options.agreementTolerance);
    }
  }

  /** Stops taking calls and forgets the queued ones (calls already running finish and are recorded). */
  stop(): void {
    this.#stopped = true;
    this.#queue = [];
    this.#head = 0;
  }

  health(): ShadowHealth {
    const c = this.arm.telemetry.comparisons;
    return {
      version: this.arm.version,
      sampleRate: this.#options.sampleRate,
      queued: this.queued,
      running: this.#running,
      started: this.started,
      completed: this.completed,
      errors: this.errors,
      dropped: c?.dropped ?? 0,
      agreements: c?.agree ?? 0,
      disagreements: c?.disagree ?? 0,
    };
  }
}
