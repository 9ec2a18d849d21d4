import { CHAMPION, RegistryError } from '@driftwatch/lifecycle';
import type { ChangeContext, HistoryEvent, ModelRegistry, ModelVersion } from '@driftwatch/lifecycle';
import type { IncomingMessage } from 'node:http';
import { hasBearerToken } from '../http/bearer-auth.js';
import { sendJsonWithEtag } from '../http/etag-json.js';
import { HttpError, badRequest, notFound, unauthorized } from '../http/http-error.js';
import { readObjectBody, stringField, versionField } from '../http/json-fields.js';
import { sendJson } from '../http/json-response.js';
import type { Route, RouteHandler, RouteParams } from '../http/router.js';

export interface RegistryRoutesContext {
  readonly registry: () => ModelRegistry;
  readonly adminToken: string | undefined;
  /** Called after `champion` moved through this API (the rollout follows it). */
  readonly championMoved: (model: string, from: string | null, to: string | null, change: ChangeContext) => Promise<void>;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function versionJson(v: ModelVersion): unknown {
  return { ...v, createdAt: iso(v.createdAtMs) };
}

function eventJson(e: HistoryEvent): unknown {
  return { ...e, at: iso(e.atMs) };
}

function param(params: RouteParams, name: string): string {
  const v = params[name];
  if (v === undefined) throw badRequest(`missing path parameter ${name}`);
  return v;
}

/** Registry errors answer with their status (404, 409, 400, 502) and message. */
function guarded(handler: RouteHandler): RouteHandler {
  return async (req, res, params, url) => {
    try {
      await handler(req, res, params, url);
    } catch (err) {
      if (err instanceof RegistryError) throw new HttpError(err.httpStatus, err.message);
      throw err;
    }
  };
}

async function changeOf(req: IncomingMessage, extra: readonly string[] = []): Promise<{ body: Record<string, unknown>; change: ChangeContext }> {
  const body = await readObjectBody(req, ['by', 'reason', ...extra]);
  const by = stringField(body, 'by', { required: true, maxLength: 200 });
  const reason = stringField(body, 'reason');
  return { body, change: reason === undefined ? { by } : { by, reason } };
}

/**
 * The model registry over HTTP (docs/rollout.md): `/api/v1/registry/models/{model}` with `versions`, `aliases/{alias}`,
 * `history` and `rollback`. Reads are open (the SDK resolves aliases); writes need the admin token and a `by`.
 */
export function registryRoutes(ctx: RegistryRoutesContext): Route[] {
  const admin = (req: IncomingMessage): void => {
    if (!hasBearerToken(req, ctx.adminToken)) throw unauthorized('admin endpoints need Authorization: Bearer <admin token>');
  };
  const base = '/api/v1/registry/models/:model';
  return [
    {
      method: 'GET',
      path: base,
      handler: guarded(async (_req, res, params) => {
        const model = param(params, 'model');
        const m = await ctx.registry().getModel(model);
        if (m === null) throw notFound(`model ${model} is not registered`);
        sendJson(res, 200, { ...m, createdAt: iso(m.createdAtMs) });
      }),
    },
    {
      method: 'GET',
      path: `${base}/versions`,
      handler: guarded(async (_req, res, params) => {
        const model = param(params, 'model');
        const versions = await ctx.registry().listVersions(model);
        sendJson(res, 200, { model, versions: versions.map(versionJson) });
      }),
    },
    {
      method: 'POST',
      path: `${base}/versions`,
      handler: guarded(async (req, res, params) => {
        admin(req);
        const model = param(params, 'model');
        const { body, change } = await changeOf(req, ['artifactUri', 'metrics', 'description', 'runId']);
        const artifactUri = stringField(body, 'artifactUri', { required: true, maxLength: 4096 });
        const description = stringField(body, 'description', { maxLength: 5000 });
        const runId = stringField(body, 'runId', { maxLength: 256 });
        const rawMetrics = body['metrics'];
        if (rawMetrics !== undefined && (rawMetrics === null || typeof rawMetrics !== 'object' || Array.isArray(rawMetrics))) throw badRequest('metrics: expected an object of numbers');
        const metrics: Record<string, number> = {};
        for (const [name, value] of Object.entries((rawMetrics ?? {}) as Record<string, unknown>)) {
          if (typeof value !== 'number' || !Number.isFinite(value)) throw badRequest(`metrics.${name}: expected a finite number`);
          metrics[name] = value;
        }
        const v = await ctx.registry().registerVersion({
          model,
          artifactUri,
          metrics,
          ...change,
          ...(description === undefined ? {} : { description }),
          ...(runId === undefined ? {} : { runId }),
        });
        sendJson(res, 201, versionJson(v), { location: `/api/v1/registry/models/${encodeURIComponent(model)}/versions/${v.version}` });
      }),
    },
    {
      method: 'GET',
      path: `${base}/versions/:version`,
      handler: guarded(async (_req, res, params) => {
        const model = param(params, 'model');
        const version = param(params, 'version');
        const v = await ctx.registry().getVersion(model, version);
        if (v === null) throw notFound(`model ${model} has no version ${version}`);
        sendJson(res, 200, versionJson(v));
      }),
    },
    // the SDK follows an alias at /api/v1/models/{model}/aliases/{alias} (docs/rollout.md): the same answer
    ...[`${base}/aliases/:alias`, '/api/v1/models/:model/aliases/:alias'].map(
      (path): Route => ({
        method: 'GET',
        path,
        handler: guarded(async (req, res, params) => {
          const model = param(params, 'model');
          const alias = param(params, 'alias');
          const v = await ctx.registry().getVersionByAlias(model, alias);
          if (v === null) throw notFound(`model ${model} has no alias ${alias}`);
          sendJsonWithEtag(req, res, { ...(versionJson(v) as Record<string, unknown>), alias });
        }),
      }),
    ),
    {
      method: 'PUT',
      path: `${base}/aliases/:alias`,
      handler: guarded(async (req, res, params) => {
        admin(req);
        const model = param(params, 'model');
        const alias = param(params, 'alias');
        const { body, change } = await changeOf(req, ['version']);
        const version = versionField(body, 'version', true) as string;
        const registry = ctx.registry();
        const before = (await registry.getModel(model))?.aliases[alias] ?? null;
        await registry.setAlias(model, alias, version, change);
        if (alias === CHAMPION && before !== version) await ctx.championMoved(model, before, version, change);
        sendJson(res, 200, { model, alias, version, previousVersion: before });
      }),
    },
    {
      method: 'DELETE',
      path: `${base}/aliases/:alias`,
      handler: guarded(async (req, res, params) => {
        admin(req);
        const model = param(params, 'model');
        const alias = param(params, 'alias');
        const { change } = await changeOf(req);
        const registry = ctx.registry();
        const before = (await registry.getModel(model))?.aliases[alias] ?? null;
        await registry.deleteAlias(model, alias, change);
        if (alias === CHAMPION) await ctx.championMoved(model, before, null, change);
        sendJson(res, 200, { model, alias, version: null, previousVersion: before });
      }),
    },
    {
      method: 'GET',
      path: `${base}/history`,
      handler: guarded(async (_req, res, params, url) => {
        const model = param(params, 'model');
        const limitText = url.searchParams.get('limit');
        const limit = limitText === null ? 100 : Number(limitText);
        if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw badRequest('limit: expected an integer from 1 to 10000');
        const registry = ctx.registry();
        if ((await registry.getModel(model)) === null) throw notFound(`model ${model} is not registered`);
        sendJson(res, 200, { model, events: (await registry.history(model, { limit })).map(eventJson) });
      }),
    },
    {
      method: 'POST',
      path: `${base}/rollback`,
      handler: guarded(async (req, res, params) => {
        admin(req);
        const model = param(params, 'model');
        const { change } = await changeOf(req);
        const result = await ctx.registry().rollback(model, change);
        await ctx.championMoved(model, result.from, result.to, change);
        sendJson(res, 200, { model, ...result });
      }),
    },
  ];
}
