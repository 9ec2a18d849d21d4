import { safeLog } from './counting-exporter.js';
import type { AnyFunction } from './function-types.js';
import type { ModelArm } from './model-arm.js';
import type { MonitorLogger } from './options.js';

/** The version an answer of `GET /api/v1/models/{model}/aliases/{alias}` names (docs/rollout.md); throws naming the field. */
export function parseAliasVersion(json: unknown): string {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('alias answer must be a JSON object');
  const v = (json as Record<string, unknown>)['version'];
  if (typeof v === 'string' && v.trim() !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw new Error(`alias answer .version must be a non-empty string, got ${JSON.stringify(v)}`);
}

/** What {@link MonitorHealth.alias} reports (without the poll counters, added by the monitor). */
export interface AliasState {
  readonly alias: string;
  /** the version the alias pointed to at the last successful poll */
  readonly target: string | undefined;
  /** the version being loaded now */
  readonly loading: string | undefined;
  readonly switches: number;
  readonly loads: number;
  readonly loadFailures: number;
  readonly lastLoadError: string | undefined;
}

/**
 * Makes an arm serve the version an alias points to. Without a loader the recorded version switches at
 * once; with one, the new version's model is loaded in the background (the old one keeps serving) and
 * function and version switch together when it has loaded. A load that fails or returns something that
 * is not a function is counted and logged, and retried at the next poll; a load that finishes after the
 * alias moved on is discarded.
 */
export class AliasFollower {
  readonly alias: string;
  readonly #arm: ModelArm;
  readonly #load: ((version: string) => unknown) | undefined;
  readonly #logger: MonitorLogger;
  #target: string | undefined;
  #loading: string | undefined;
  #switches = 0;
  #loads = 0;
  #loadFailures = 0;
  #lastLoadError: string | undefined;

  constructor(alias: string, arm: ModelArm, load: ((version: string) => unknown) | undefined, logger: MonitorLogger) {
    this.alias = alias;
    this.#arm = arm;
    this.#load = load;
    this.#logger = logger;
  }

  /** Called with the alias's version at every successful poll. */
  follow(version: string): void {
    this.#target = version;
    if (this.#loading !== undefined || version === this.#arm.version || !this.#arm.telemetry.active) return;
    if (this.#load === undefined) {
      this.#switch(version, undefined);
      return;
    }
    const load = this.#load;
    this.#loading = version;
    this.#loads++;
    void Promise.resolve()
      .then(() => load(version))
      .then((fn: unknown) => {
        this.#loading = undefined;
        if (typeof fn !== 'function') throw new TypeError(`load('${version}') must return the model function, got ${fn === null ? 'null' : typeof fn}`);
        if (this.#target !== version) return; // the alias moved on while loading: the next poll loads the new target
        this.#switch(version, fn as AnyFunction);
      })
      .catch((error: unknown) => {
        this.#loading = undefined;
        this.#loadFailures++;
        this.#lastLoadError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        safeLog(this.#logger, `loading version ${version} (alias ${this.alias}) failed (${this.#lastLoadError}); still serving ${this.#arm.version}, retrying at the next poll`);
      });
  }

  #switch(version: string, fn: AnyFunction | undefined): void {
    const from = this.#arm.version;
    this.#arm.switchTo(version, fn);
    this.#switches++;
    try {
      this.#logger.info(`alias ${this.alias} moved: now ${fn ? 'serving and ' : ''}recording version ${version} (was ${from})`);
    } catch {
      // ignore a throwing logger
    }
  }

  state(): AliasState {
    return {
      alias: this.alias,
      target: this.#target,
      loading: this.#loading,
      switches: this.#switches,
      loads: this.#loads,
      loadFailures: this.#loadFailures,
      lastLoadError: this.#lastLoadError,
    };
  }
}
