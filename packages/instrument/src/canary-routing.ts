import { routingBucket, routingThreshold } from './key-hash.js';

/** Phases of a rollout as the aggregator reports them (docs/rollout.md). */
export type RolloutPhase = 'none' | 'progressing' | 'paused' | 'promoted' | 'rolled_back';
const PHASES: readonly string[] = ['none', 'progressing', 'paused', 'promoted', 'rolled_back'];

/** The answer of `GET /api/v1/models/{model}/rollout` (fields the SDK reads). */
export interface RolloutStatus {
  readonly model: string;
  readonly candidateVersion: string | null;
  /** fraction of traffic for the canary, in [0, 1] */
  readonly weight: number;
  readonly phase: RolloutPhase;
}

/**
 * Validates a rollout answer for `model`; throws an Error naming the bad field. Unknown fields are
 * ignored; `weight` must be a fraction (0.1 = 10 %), not a percentage.
 */
export function parseRolloutStatus(json: unknown, model: string): RolloutStatus {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('rollout answer must be a JSON object');
  const o = json as Record<string, unknown>;
  if (o['model'] !== undefined && o['model'] !== model) throw new Error(`rollout.model is ${JSON.stringify(o['model'])}, expected ${JSON.stringify(model)}`);
  const weight = o['weight'];
  if (typeof weight !== 'number' || !(weight >= 0 && weight <= 1)) throw new Error(`rollout.weight must be a number in [0, 1] (a fraction: 0.1 = 10 %), got ${JSON.stringify(weight)}`);
  const cv = o['candidateVersion'];
  let candidateVersion: string | null;
  if (cv === null || cv === undefined) candidateVersion = null;
  else if (typeof cv === 'string' && cv !== '') candidateVersion = cv;
  else if (typeof cv === 'number' && Number.isFinite(cv)) candidateVersion = String(cv);
  else throw new Error(`rollout.candidateVersion must be a non-empty string or null, got ${JSON.stringify(cv)}`);
  const phase = o['phase'] ?? (candidateVersion === null ? 'none' : 'progressing');
  if (typeof phase !== 'string' || !PHASES.includes(phase)) throw new Error(`rollout.phase must be one of ${PHASES.join(', ')}, got ${JSON.stringify(phase)}`);
  return { model, candidateVersion, weight, phase: phase as RolloutPhase };
}

/**
 * Deterministic canary routing at a weight that may change at any time: a key goes to the canary when
 * `fnv1a32(String(key)) mod 10000 < round(weight × 10000)` — the routing of `routeCanary` in
 * `@driftwatch/lifecycle`, so the same key takes the same arm at a given weight and raising the weight
 * only moves keys to the canary. Cost per call: one FNV-1a over the key, no allocation for string keys.
 */
export class CanaryRouting {
  #weight = 0;
  #threshold = 0;

  constructor(weight: number) {
    this.setWeight(weight);
  }

  get weight(): number {
    return this.#weight;
  }

  /** true when no key can reach the canary (weight 0) */
  get closed(): boolean {
    return this.#threshold === 0;
  }

  setWeight(weight: number): void {
    this.#weight = weight;
    this.#threshold = routingThreshold(weight);
  }

  /** Whether the call with this routing key goes to the canary; non-string/number keys are rejected by the caller. */
  routes(key: string | number): boolean {
    return routingBucket(typeof key === 'string' ? key : String(key)) < this.#threshold;
  }
}
