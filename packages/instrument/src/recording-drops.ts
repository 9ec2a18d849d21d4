import type { MonitorLogger } from './options.js';

/** Why a recording was dropped. Each kind is warned about once, then only counted. */
export type DropKind =
  | 'extract' // the extractor threw or returned something that is not a row
  | 'row' // a row of a batch is not an object
  | 'output' // the result could not be read as the configured output
  | 'prediction_id' // the prediction id function threw or returned an unusable id
  | 'feedback' // feedback with an unusable label
  | 'kpi' // a KPI with a bad name or value
  | 'canary_key' // canary.key(input) threw or returned something that is not a string or finite number (the call went to the primary)
  | 'internal'; // any other exception inside the recording code

/**
 * Counts recordings that were dropped instead of throwing into the model server,
 * and warns once per kind through the logger.
 */
export class RecordingDrops {
  readonly #counts = new Map<DropKind, number>();
  readonly #logger: MonitorLogger;
  readonly #label: string;

  constructor(logger: MonitorLogger, label: string) {
    this.#logger = logger;
    this.#label = label;
  }

  /** Counts one drop of `kind`; the first of each kind is logged with `detail`. Never throws. */
  drop(kind: DropKind, detail: unknown): void {
    const n = this.#counts.get(kind) ?? 0;
    this.#counts.set(kind, n + 1);
    if (n === 0) {
      try {
        this.#logger.warn(`${this.#label}: dropped a recording (${kind}): ${describe(detail)}; further ${kind} drops are only counted`);
      } catch {
        // a throwing logger must not break the model server either
      }
    }
  }

  /** Drops so far, by kind. */
  counts(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }

  get total(): number {
    let t = 0;
    for (const n of this.#counts.values()) t += n;
    return t;
  }
}

function describe(detail: unknown): string {
  if (detail instanceof Error) return `${detail.name}: ${detail.message}`;
  if (typeof detail === 'string') return detail;
  try {
    return String(detail);
  } catch {
    return 'unprintable value';
  }
}
