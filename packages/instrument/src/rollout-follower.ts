import type { CanaryRouting, RolloutPhase, RolloutStatus } from './canary-routing.js';
import { safeLog } from './counting-exporter.js';
import type { ModelArm } from './model-arm.js';
import type { MonitorLogger } from './options.js';

/** What {@link MonitorHealth.canary} reports about the rollout (without the poll counters). */
export interface RolloutState {
  /** where the weight in force comes from: the `canary.weight` option, or the rollout API */
  readonly source: 'option' | 'rollout';
  /** the last valid rollout answer */
  readonly phase: RolloutPhase | undefined;
  readonly candidateVersion: string | null | undefined;
  /** the weight the rollout asked for (before the version check) */
  readonly requestedWeight: number | undefined;
}

/**
 * Applies rollout answers to the canary: the weight (0 when `phase` is `rolled_back`, or when the rollout
 * names a candidate other than the configured `canary.version`), and — when no version was configured —
 * the candidate's recorded version. docs/rollout.md.
 */
export class RolloutFollower {
  readonly #routing: CanaryRouting;
  readonly #arm: ModelArm;
  readonly #configuredVersion: string | undefined;
  readonly #logger: MonitorLogger;
  readonly #warnedVersions = new Set<string>();
  #last: RolloutStatus | undefined;

  constructor(routing: CanaryRouting, arm: ModelArm, configuredVersion: string | undefined, logger: MonitorLogger) {
    this.#routing = routing;
    this.#arm = arm;
    this.#configuredVersion = configuredVersion;
    this.#logger = logger;
  }

  apply(status: RolloutStatus): void {
    this.#last = status;
    let weight = status.phase === 'rolled_back' ? 0 : status.weight;
    const candidate = status.candidateVersion;
    if (candidate !== null) {
      if (this.#configuredVersion === undefined) {
        this.#arm.switchTo(candidate);
      } else if (candidate !== this.#configuredVersion) {
        weight = 0;
        if (!this.#warnedVersions.has(candidate) && this.#warnedVersions.size < 100) {
          this.#warnedVersions.add(candidate);
          safeLog(
            this.#logger,
            `@driftwatch/instrument: the rollout of ${this.#arm.telemetry.model} is for version ${candidate} but this process's canary is version ${this.#configuredVersion}; routing nothing to the canary`,
          );
        }
      }
    }
    this.#routing.setWeight(weight);
  }

  state(): RolloutState {
    const s = this.#last;
    return { source: s ? 'rollout' : 'option', phase: s?.phase, candidateVersion: s?.candidateVersion, requestedWeight: s?.weight };
  }
}
