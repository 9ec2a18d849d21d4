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

/** A candidate arm the rollout steers, with the version it was configured with (undefined: the rollout's). */
export interface RolloutCandidate {
  readonly arm: ModelArm;
  readonly configuredVersion: string | undefined;
}

/**
 * Applies rollout answers: to the canary, the weight (0 when `phase` is `rolled_back`, when the rollout
 * names a candidate other than the configured `canary.version`, or when the rollout is `promoted` and the primary
 * already serves the candidate's version because it follows the alias — from then on the new champion's calls are the
 * primary's, recorded as `role=primary`); to the canary and the shadow configured without a version, the candidate's
 * recorded version (`candidateVersion`). docs/rollout.md.
 */
export class RolloutFollower {
  readonly #routing: CanaryRouting | undefined;
  readonly #canary: RolloutCandidate | undefined;
  readonly #shadow: RolloutCandidate | undefined;
  readonly #logger: MonitorLogger;
  readonly #primary: ModelArm | undefined;
  readonly #warnedVersions = new Set<string>();
  #last: RolloutStatus | undefined;

  /** `primary`: the primary arm when it follows an alias (its version can become the promoted candidate's). */
  constructor(routing: CanaryRouting | undefined, canary: RolloutCandidate | undefined, shadow: RolloutCandidate | undefined, logger: MonitorLogger, primary?: ModelArm) {
    this.#primary = primary;
    this.#routing = routing;
    this.#canary = canary;
    this.#shadow = shadow;
    this.#logger = logger;
  }

  apply(status: RolloutStatus): void {
    this.#last = status;
    const candidate = status.candidateVersion;
    if (this.#shadow !== undefined && this.#shadow.configuredVersion === undefined && candidate !== null) this.#shadow.arm.switchTo(candidate);
    if (this.#canary === undefined || this.#routing === undefined) return;
    this.#applyCanary(status, this.#canary, this.#routing);
  }

  /** Applies the last answer again (after the primary switched version, which can settle a promotion). */
  reapply(): void {
    if (this.#last !== undefined) this.apply(this.#last);
  }

  #applyCanary(status: RolloutStatus, canary: RolloutCandidate, routing: CanaryRouting): void {
    const candidate = status.candidateVersion;
    const promotedToPrimary = status.phase === 'promoted' && candidate !== null && this.#primary !== undefined && this.#primary.version === candidate;
    let weight = status.phase === 'rolled_back' || promotedToPrimary ? 0 : status.weight;
    if (candidate !== null) {
      if (canary.configuredVersion === undefined) {
        canary.arm.switchTo(candidate);
      } else if (candidate !== canary.configuredVersion) {
        weight = 0;
        if (!this.#warnedVersions.has(candidate) && this.#warnedVersions.size < 100) {
          this.#warnedVersions.add(candidate);
          safeLog(
            this.#logger,
            `the rollout of ${canary.arm.telemetry.model} is for version ${candidate} but this process's canary is version ${canary.configuredVersion}; routing nothing to the canary`,
          );
        }
      }
    }
    routing.setWeight(weight);
  }

  state(): RolloutState {
    const s = this.#last;
    return { source: s ? 'rollout' : 'option', phase: s?.phase, candidateVersion: s?.candidateVersion, requestedWeight: s?.weight };
  }
}
