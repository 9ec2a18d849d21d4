import { randomBytes, randomUUID } from 'node:crypto';
import { rollbackTarget } from './champion-rollback.js';
import { USER_AGENT } from './http-request.js';
import { CHAMPION, RegistryError } from './model-registry.js';
import type { ChangeContext, HistoryAction, HistoryEvent, ModelRegistry, ModelVersion, RegisteredModel } from './model-registry.js';
import { checkAlias, checkChange, checkLimit, checkModelName, checkRegistration, checkVersion } from './registry-validation.js';

export interface MlflowRegistryOptions {
  /** The tracking server root, e.g. `http://127.0.0.1:5000`. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer` (e.g. a Databricks token). */
  readonly token?: string;
  /** Basic auth (MLflow's built-in auth app). */
  readonly username?: string;
  readonly password?: string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  readonly now?: () => number;
  readonly newId?: () => string;
}

/** Tag keys the adapter keeps in MLflow (MLflow has no change history of its own). */
export const MLFLOW_TAGS = {
  createdBy: 'driftwatch.created_by',
  metricPrefix: 'driftwatch.metric.',
  historyPrefix: 'driftwatch.history.',
} as const;

interface MlflowTag {
  key: string;
  value: string;
}
interface MlflowModelVersion {
  name: string;
  version: string;
  creation_timestamp?: number;
  user_id?: string;
  description?: string;
  source?: string;
  run_id?: string;
  tags?: MlflowTag[];
  aliases?: string[];
}
interface MlflowRegisteredModel {
  name: string;
  creation_timestamp?: number;
  description?: string;
  tags?: MlflowTag[];
  aliases?: Array<{ alias: string; version: string }>;
}

const ERROR_CODES: Readonly<Record<string, 'not_found' | 'conflict' | 'invalid'>> = {
  RESOURCE_DOES_NOT_EXIST: 'not_found',
  RESOURCE_ALREADY_EXISTS: 'conflict',
  INVALID_PARAMETER_VALUE: 'invalid',
};

function toVersion(mv: MlflowModelVersion): ModelVersion {
  const metrics: Record<string, number> = {};
  let createdBy = mv.user_id ?? '';
  for (const tag of mv.tags ?? []) {
    if (tag.key === MLFLOW_TAGS.createdBy) createdBy = tag.value;
    else if (tag.key.startsWith(MLFLOW_TAGS.metricPrefix)) metrics[tag.key.slice(MLFLOW_TAGS.metricPrefix.length)] = Number(tag.value);
  }
  return {
    model: mv.name,
    version: String(mv.version),
    artifactUri: mv.source ?? '',
    metrics,
    description: mv.description ?? '',
    runId: mv.run_id === undefined || mv.run_id === '' ? null : mv.run_id,
    createdBy,
    createdAtMs: mv.creation_timestamp ?? 0,
    aliases: [...(mv.aliases ?? [])].sort(),
  };
}

interface StoredEvent {
  id: string;
  action: HistoryAction;
  alias: string | null;
  version: string | null;
  previous_version: string | null;
  by: string;
  reason: string;
  at_ms: number;
}

function historyOf(model: MlflowRegisteredModel): HistoryEvent[] {
  const tags = (model.tags ?? []).filter((tag) => tag.key.startsWith(MLFLOW_TAGS.historyPrefix));
  tags.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const events: HistoryEvent[] = [];
  for (const tag of tags) {
    let stored: StoredEvent;
    try {
      stored = JSON.parse(tag.value) as StoredEvent;
    } catch {
      continue;
    }
    events.push({
      id: stored.id,
      model: model.name,
      action: stored.action,
      alias: stored.alias,
      version: stored.version,
      previousVersion: stored.previous_version,
      by: stored.by,
      reason: stored.reason,
      atMs: stored.at_ms,
    });
  }
  return events;
}

/**
 * A {@link ModelRegistry} over MLflow's Model Registry REST API (2.x, `/api/2.0/mlflow/…`).
 *
 * Mapping: versions ↔ model versions (`source` = artifact URI, `run_id`, `description`); metrics
 * and the creator ↔ model-version tags `driftwatch.metric.<name>` and `driftwatch.created_by`;
 * aliases ↔ registered-model aliases; the history ↔ registered-model tags
 * `driftwatch.history.<time>.<seq>.<random>` holding one JSON event each (MLflow keeps no history).
 *
 * MLflow has no transactions: a change is made first, then its history tag is written, so a failure
 * in between leaves the change without its event (`rollback` still sees the real champion, since it
 * reads the alias from MLflow). Alias moves made in the MLflow UI have no history event.
 */
export function createMlflowRegistry(options: MlflowRegistryOptions): ModelRegistry {
  const base = `${options.baseUrl.replace(/\/+$/, '')}/api/2.0/mlflow`;
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const now = options.now ?? Date.now;
  const newId = options.newId ?? randomUUID;
  const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': USER_AGENT };
  if (options.token !== undefined) headers['Authorization'] = `Bearer ${options.token}`;
  else if (options.username !== undefined) {
    headers['Authorization'] = `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`, 'utf8').toString('base64')}`;
  }
  let sequence = 0;

  async function call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, payload: Record<string, unknown>): Promise<T> {
    let url = `${base}/${path}`;
    const init: RequestInit = { method, headers: { ...headers }, signal: AbortSignal.timeout(timeoutMs) };
    if (method === 'GET') {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(payload)) if (value !== undefined) query.set(key, String(value));
      url += `?${query.toString()}`;
    } else {
      init.headers = { ...headers, 'Content-Type': 'application/json' };
      init.body = JSON.stringify(payload);
    }
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(url, init);
      text = await response.text();
    } catch (error) {
      throw new RegistryError('upstream', `MLflow ${method} ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    let json: Record<string, unknown> = {};
    if (text !== '') {
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        throw new RegistryError('upstream', `MLflow ${method} ${path}: HTTP ${response.status}, answer is not JSON`);
      }
    }
    if (!response.ok) {
      const code = typeof json['error_code'] === 'string' ? json['error_code'] : '';
      const message = typeof json['message'] === 'string' ? json['message'] : text.slice(0, 300);
      throw new RegistryError(ERROR_CODES[code] ?? 'upstream', `MLflow ${method} ${path}: HTTP ${response.status} ${code} ${message}`.trim());
    }
    return json as T;
  }

  const orNull = async <T>(promise: Promise<T>): Promise<T | null> => {
    try {
      return await promise;
    } catch (error) {
      if (error instanceof RegistryError && error.code === 'not_found') return null;
      throw error;
    }
  };

  const rawModel = (name: string): Promise<MlflowRegisteredModel | null> =>
    orNull(call<{ registered_model: MlflowRegisteredModel }>('GET', 'registered-models/get', { name })).then((r) => r?.registered_model ?? null);

  const toModel = (m: MlflowRegisteredModel): RegisteredModel => {
    const aliases: Record<string, string> = {};
    for (const a of [...(m.aliases ?? [])].sort((x, y) => (x.alias < y.alias ? -1 : 1))) aliases[a.alias] = String(a.version);
    return { name: m.name, description: m.description ?? '', createdAtMs: m.creation_timestamp ?? 0, aliases };
  };

  async function record(model: string, event: Omit<StoredEvent, 'id' | 'at_ms'>, atMs: number): Promise<void> {
    sequence += 1;
    const key = `${MLFLOW_TAGS.historyPrefix}${String(atMs).padStart(15, '0')}.${String(sequence).padStart(9, '0')}.${randomBytes(4).toString('hex')}`;
    const value: StoredEvent = { id: newId(), ...event, at_ms: atMs };
    await call('POST', 'registered-models/set-tag', { name: model, key, value: JSON.stringify(value) });
  }

  const aliasVersion = async (model: string, alias: string): Promise<string | null> => {
    const found = await orNull(call<{ model_version: MlflowModelVersion }>('GET', 'registered-models/alias', { name: model, alias }));
    return found === null ? null : String(found.model_version.version);
  };

  async function createModel(name: string, change: ChangeContext & { readonly description?: string }): Promise<RegisteredModel> {
    checkModelName(name);
    const { by, reason } = checkChange(change);
    const atMs = now();
    const body: Record<string, unknown> = { name, tags: [{ key: MLFLOW_TAGS.createdBy, value: by }] };
    if (change.description !== undefined && change.description !== '') body['description'] = change.description;
    const created = await call<{ registered_model: MlflowRegisteredModel }>('POST', 'registered-models/create', body);
    await record(name, { action: 'model_created', alias: null, version: null, previous_version: null, by, reason }, atMs);
    return toModel(created.registered_model);
  }

  async function moveAlias(model: string, alias: string, to: string | null, from: string | null, action: HistoryAction, change: { by: string; reason: string }): Promise<void> {
    if (to === null) await call('DELETE', 'registered-models/alias', { name: model, alias });
    else await call('POST', 'registered-models/alias', { name: model, alias, version: to });
    await record(model, { action, alias, version: to, previous_version: from, by: change.by, reason: change.reason }, now());
  }

  async function getVersion(model: string, version: string): Promise<ModelVersion | null> {
    checkModelName(model);
    checkVersion(version);
    const found = await orNull(call<{ model_version: MlflowModelVersion }>('GET', 'model-versions/get', { name: model, version }));
    return found === null ? null : toVersion(found.model_version);
  }

  return {
    createModel,

    async getModel(name) {
      checkModelName(name);
      const model = await rawModel(name);
      return model === null ? null : toModel(model);
    },

    async registerVersion(input) {
      checkRegistration(input);
      const { by, reason } = checkChange(input);
      if ((await rawModel(input.model)) === null) {
        try {
          await createModel(input.model, { by, reason });
        } catch (error) {
          if (!(error instanceof RegistryError && error.code === 'conflict')) throw error;
        }
      }
      const tags: MlflowTag[] = [{ key: MLFLOW_TAGS.createdBy, value: by }];
      for (const [name, value] of Object.entries(input.metrics ?? {})) tags.push({ key: `${MLFLOW_TAGS.metricPrefix}${name}`, value: String(value) });
      const body: Record<string, unknown> = { name: input.model, source: input.artifactUri, tags };
      if (input.runId !== undefined) body['run_id'] = input.runId;
      if (input.description !== undefined && input.description !== '') body['description'] = input.description;
      const created = await call<{ model_version: MlflowModelVersion }>('POST', 'model-versions/create', body);
      const version = toVersion(created.model_version);
      await record(input.model, { action: 'version_registered', alias: null, version: version.version, previous_version: null, by, reason }, now());
      return version;
    },

    getVersion,

    async listVersions(model) {
      checkModelName(model);
      if ((await rawModel(model)) === null) throw new RegistryError('not_found', `model ${model} is not registered`);
      const versions: ModelVersion[] = [];
      let pageToken: string | undefined;
      do {
        const page = await call<{ model_versions?: MlflowModelVersion[]; next_page_token?: string }>('GET', 'model-versions/search', {
          filter: `name='${model}'`,
          max_results: 1000,
          page_token: pageToken,
        });
        versions.push(...(page.model_versions ?? []).map(toVersion));
        pageToken = page.next_page_token === '' ? undefined : page.next_page_token;
      } while (pageToken !== undefined);
      return versions.sort((a, b) => Number(a.version) - Number(b.version));
    },

    async getVersionByAlias(model, alias) {
      checkModelName(model);
      checkAlias(alias);
      const found = await orNull(call<{ model_version: MlflowModelVersion }>('GET', 'registered-models/alias', { name: model, alias }));
      return found === null ? null : toVersion(found.model_version);
    },

    async setAlias(model, alias, version, change) {
      checkModelName(model);
      checkAlias(alias);
      checkVersion(version);
      const checked = checkChange(change);
      if ((await rawModel(model)) === null) throw new RegistryError('not_found', `model ${model} is not registered`);
      if ((await getVersion(model, version)) === null) throw new RegistryError('not_found', `model ${model} has no version ${version}`);
      const from = await aliasVersion(model, alias);
      if (from === version) return;
      await moveAlias(model, alias, version, from, 'alias_set', checked);
    },

    async deleteAlias(model, alias, change) {
      checkModelName(model);
      checkAlias(alias);
      const checked = checkChange(change);
      const from = await aliasVersion(model, alias);
      if (from === null) throw new RegistryError('not_found', `model ${model} has no alias ${alias}`);
      await moveAlias(model, alias, null, from, 'alias_deleted', checked);
    },

    async history(model, opts = {}) {
      checkModelName(model);
      const limit = checkLimit(opts.limit, 1000);
      const raw = await rawModel(model);
      return raw === null ? [] : historyOf(raw).reverse().slice(0, limit);
    },

    async rollback(model, change) {
      checkModelName(model);
      const checked = checkChange(change);
      const raw = await rawModel(model);
      if (raw === null) throw new RegistryError('not_found', `model ${model} is not registered`);
      const current = raw.aliases?.find((a) => a.alias === CHAMPION)?.version;
      if (current === undefined) throw new RegistryError('conflict', `model ${model} has no champion to roll back`);
      const target = rollbackTarget(historyOf(raw), String(current));
      if (target === null) throw new RegistryError('conflict', `model ${model} has no previous champion to roll back to`);
      await moveAlias(model, CHAMPION, target, String(current), 'rollback', checked);
      return { alias: CHAMPION, from: String(current), to: target };
    },
  };
}
