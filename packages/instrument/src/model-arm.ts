import type { AnyFunction } from './function-types.js';
import type { ModelTelemetry } from './model-telemetry.js';
import type { DeploymentRole, PredictionId } from './options.js';

/** Retired versions of an arm kept recording late labels (and exported) at most. */
export const MAX_RETIRED_VERSIONS = 3;

interface RetiredVersion {
  readonly telemetry: ModelTelemetry;
  readonly atMillis: number;
}

/**
 * One arm of a monitored deployment (the primary, the canary or the shadow): the function serving it and
 * the telemetry of the version it serves. When the version changes (the alias moved, the rollout names
 * another candidate) the arm starts a new telemetry for the new version and keeps the old one attached to
 * the export pipeline — for late labels and its final cumulative export — for `keepRetiredMillis`
 * (at most {@link MAX_RETIRED_VERSIONS} of them), then detaches it.
 */
export class ModelArm {
  readonly role: DeploymentRole;
  telemetry: ModelTelemetry;
  fn: AnyFunction;
  readonly #create: (version: string, role: DeploymentRole) => ModelTelemetry;
  readonly #detach: (telemetry: ModelTelemetry) => void;
  readonly #keepRetiredMillis: number;
  readonly #retired: RetiredVersion[] = [];

  constructor(
    role: DeploymentRole,
    version: string,
    fn: AnyFunction,
    create: (version: string, role: DeploymentRole) => ModelTelemetry,
    detach: (telemetry: ModelTelemetry) => void,
    keepRetiredMillis: number,
  ) {
    this.role = role;
    this.fn = fn;
    this.#create = create;
    this.#detach = detach;
    this.#keepRetiredMillis = keepRetiredMillis;
    this.telemetry = create(version, role);
  }

  get version(): string {
    return this.telemetry.version;
  }

  /**
   * Serves `version` from now on (with `fn` when given, else the same function); the switch is one
   * synchronous assignment of function and telemetry, so a call sees either the old pair or the new one.
   */
  switchTo(version: string, fn?: AnyFunction): void {
    if (!this.telemetry.active) return;
    if (version === this.telemetry.version) {
      if (fn !== undefined) this.fn = fn;
      return;
    }
    const old = this.telemetry;
    const next = this.#create(version, this.role);
    if (fn !== undefined) this.fn = fn;
    this.telemetry = next;
    this.#retired.push({ telemetry: old, atMillis: performance.now() });
    this.prune(performance.now());
  }

  /** Detaches retired versions older than the keep time, or beyond the maximum count. */
  prune(nowMillis: number): void {
    while (this.#retired.length > 0) {
      const oldest = this.#retired[0] as RetiredVersion;
      if (this.#retired.length <= MAX_RETIRED_VERSIONS && nowMillis - oldest.atMillis <= this.#keepRetiredMillis) return;
      this.#retired.shift();
      this.#detach(oldest.telemetry);
    }
  }

  /** Joins a label in the current version, else in the newest retired version holding the prediction. */
  joinFeedback(id: PredictionId, actual: unknown): boolean {
    if (this.telemetry.joinFeedback(id, actual)) return true;
    for (let i = this.#retired.length - 1; i >= 0; i--) {
      if ((this.#retired[i] as RetiredVersion).telemetry.joinFeedback(id, actual)) return true;
    }
    return false;
  }

  /** The current and the retired telemetries (for shutdown). */
  all(): ModelTelemetry[] {
    return [this.telemetry, ...this.#retired.map((r) => r.telemetry)];
  }

  get retiredVersions(): string[] {
    return this.#retired.map((r) => r.telemetry.version);
  }
}
