/** What kind of change a history event records. */
export type HistoryAction = 'model_created' | 'version_registered' | 'alias_set' | 'alias_deleted' | 'rollback';

/** One change to a registered model: who did what, when and why. */
export interface HistoryEvent {
  readonly id: string;
  readonly model: string;
  readonly action: HistoryAction;
  /** `alias_set`/`alias_deleted`/`rollback`: the alias moved. */
  readonly alias: string | null;
  /** The version the change is about: the one registered, or the one the alias points to now (`null` after a delete). */
  readonly version: string | null;
  /** Alias changes: the version the alias pointed to before (`null` if it was unset). */
  readonly previousVersion: string | null;
  readonly by: string;
  readonly reason: string;
  readonly atMs: number;
}

/** A registered model version with its metadata. */
export interface ModelVersion {
  readonly model: string;
  /** "1", "2", … in registration order (MLflow numbering). */
  readonly version: string;
  readonly artifactUri: string;
  /** Evaluation metrics recorded at registration, e.g. `{ accuracy: 0.91 }`. */
  readonly metrics: Readonly<Record<string, number>>;
  readonly description: string;
  readonly runId: string | null;
  readonly createdBy: string;
  readonly createdAtMs: number;
  /** Aliases pointing at this version, sorted. */
  readonly aliases: readonly string[];
}

export interface RegisteredModel {
  readonly name: string;
  readonly description: string;
  readonly createdAtMs: number;
  /** alias → version. */
  readonly aliases: Readonly<Record<string, string>>;
}

/** Who makes a change and why; recorded in the history. */
export interface ChangeContext {
  readonly by: string;
  readonly reason?: string;
}

export interface RegisterVersionInput extends ChangeContext {
  readonly model: string;
  readonly artifactUri: string;
  readonly metrics?: Readonly<Record<string, number>>;
  readonly description?: string;
  readonly runId?: string;
}

export interface RollbackResult {
  readonly alias: 'champion';
  readonly from: string;
  readonly to: string;
}

/** The alias serving production traffic. */
export const CHAMPION = 'champion';
/** The alias of the candidate under evaluation (shadow/canary). */
export const CHALLENGER = 'challenger';

/**
 * A model registry: models, versions with metadata, aliases and a full change history.
 * Implemented by the embedded SQLite registry and by the MLflow adapter; both pass one conformance
 * suite. All methods reject with {@link RegistryError}.
 */
export interface ModelRegistry {
  /** Creates a model; `conflict` if it exists. */
  createModel(name: string, change: ChangeContext & { readonly description?: string }): Promise<RegisteredModel>;
  getModel(name: string): Promise<RegisteredModel | null>;
  /** Registers the next version (creating the model first if needed). */
  registerVersion(input: RegisterVersionInput): Promise<ModelVersion>;
  getVersion(model: string, version: string): Promise<ModelVersion | null>;
  /** All versions, oldest first; `not_found` for an unknown model. */
  listVersions(model: string): Promise<ModelVersion[]>;
  getVersionByAlias(model: string, alias: string): Promise<ModelVersion | null>;
  /** Points `alias` at `version` (no-op, and no history event, if it already does); `not_found` for an unknown version. */
  setAlias(model: string, alias: string, version: string, change: ChangeContext): Promise<void>;
  /** Removes `alias`; `not_found` when it is not set. */
  deleteAlias(model: string, alias: string, change: ChangeContext): Promise<void>;
  /** The model's history, newest first (default limit 1000). */
  history(model: string, options?: { readonly limit?: number }): Promise<HistoryEvent[]>;
  /**
   * Moves `champion` back to the previous champion version, found from the history;
   * `conflict` when there is no champion or no earlier one.
   */
  rollback(model: string, change: ChangeContext): Promise<RollbackResult>;
}

export type RegistryErrorCode = 'not_found' | 'conflict' | 'invalid' | 'upstream';

const HTTP_STATUS: Readonly<Record<RegistryErrorCode, number>> = { not_found: 404, conflict: 409, invalid: 400, upstream: 502 };

/** The one error type of registry operations; `httpStatus` is what an HTTP route should answer. */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  readonly code: RegistryErrorCode;

  constructor(code: RegistryErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }
}
