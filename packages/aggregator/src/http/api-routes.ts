import { validateReferenceProfile, type ReferenceProfile } from '@driftwatch/stats';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AggregatorConfig } from '../config/aggregator-config.js';
import type { EvaluationResult } from '../engine/evaluation-types.js';
import type { PrometheusMetrics } from '../metrics/prometheus-metrics.js';
import { captureReference } from '../reference/capture-reference.js';
import type { AggregatorState } from '../state/aggregator-state.js';
import { hasBearerToken } from './bearer-auth.js';
import { driftReport } from './drift-report.js';
import { HttpError, badRequest, notFound, unauthorized } from './http-error.js';
import { sendJson } from './json-response.js';
import { modelsReport } from './models-report.js';
import { parseTimeMs } from './parse-time.js';
import { readJson } from './read-json.js';
import { timelineReport } from './timeline-report.js';
import type { Route, RouteParams } from './router.js';

/** What the API routes need from the aggregator. */
export interface ApiContext {
  readonly config: AggregatorConfig;
  readonly state: AggregatorState;
  readonly metrics: PrometheusMetrics;
  now(): number;
  /** The latest evaluation, evaluating first if none has run yet. */
  latestEvaluation(): EvaluationResult;
  /** Sets and persists a validated reference; throws HttpError when limits refuse it. */
  setReference(profile: ReferenceProfile): void;
  /** Started, restored and listening. */
  isReady(): boolean;
}

function requireAdmin(ctx: ApiContext, req: IncomingMessage): void {
  if (!hasBearerToken(req, ctx.config.adminToken)) throw unauthorized('admin endpoints need Authorization: Bearer <admin token>');
}

function param(params: RouteParams, name: string): string {
  const v = params[name];
  if (v === undefined) throw badRequest(`missing path parameter ${name}`);
  return v;
}

function referenceSummary(p: ReferenceProfile): unknown {
  return {
    model: p.model,
    version: p.version,
    source: p.source,
    createdAt: p.createdAt,
    rowCount: p.rowCount,
    features: Object.keys(p.features).length,
    outputs: p.outputs ? Object.keys(p.outputs).length : 0,
  };
}

/** The aggregator's HTTP API (port 9464): /metrics, health, models, drift and references. */
export function apiRoutes(ctx: ApiContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/metrics',
      handler: async (_req: IncomingMessage, res: ServerResponse) => {
        const text = await ctx.metrics.registry.metrics();
        res.writeHead(200, { 'content-type': ctx.metrics.registry.contentType, 'cache-control': 'no-store' });
        res.end(text);
      },
    },
    { method: 'GET', path: '/healthz', handler: (_req, res) => sendJson(res, 200, { status: 'ok' }) },
    {
      method: 'GET',
      path: '/readyz',
      handler: (_req, res) => (ctx.isReady() ? sendJson(res, 200, { status: 'ready' }) : sendJson(res, 503, { status: 'starting' })),
    },
    { method: 'GET', path: '/api/v1/models', handler: (_req, res) => sendJson(res, 200, modelsReport(ctx.state, ctx.metrics.latest())) },
    {
      method: 'GET',
      path: '/api/v1/models/:model/drift',
      handler: (_req, res, params, url) => {
        const name = param(params, 'model');
        const m = ctx.state.models.get(name);
        if (!m) throw notFound(`unknown model ${JSON.stringify(name)}`);
        const version = url.searchParams.get('version') ?? undefined;
        const window = url.searchParams.get('window') ?? undefined;
        if (version !== undefined && !m.versions.has(version)) throw notFound(`model ${JSON.stringify(name)} has no version ${JSON.stringify(version)}`);
        if (window !== undefined && !m.config.windows.some((w) => w.name === window)) {
          throw badRequest(`window must be one of ${m.config.windows.map((w) => w.name).join(', ')}`);
        }
        sendJson(res, 200, driftReport(m, ctx.latestEvaluation(), ctx.now(), { ...(version === undefined ? {} : { version }), ...(window === undefined ? {} : { window }) }));
      },
    },
    {
      method: 'GET',
      path: '/api/v1/models/:model/timeline',
      handler: (_req, res, params, url) => {
        const name = param(params, 'model');
        const m = ctx.state.models.get(name);
        if (!m) throw notFound(`unknown model ${JSON.stringify(name)}`);
        const version = url.searchParams.get('version') ?? undefined;
        if (version !== undefined && !m.versions.has(version)) throw notFound(`model ${JSON.stringify(name)} has no version ${JSON.stringify(version)}`);
        const windowName = url.searchParams.get('window') ?? m.config.windows[0]?.name;
        const window = m.config.windows.find((w) => w.name === windowName);
        if (!window) throw badRequest(`window must be one of ${m.config.windows.map((w) => w.name).join(', ')}`);
        sendJson(res, 200, timelineReport(m, window, ctx.now(), version === undefined ? {} : { version }));
      },
    },
    {
      method: 'GET',
      path: '/api/v1/models/:model/versions/:version/reference',
      handler: (_req, res, params) => {
        const v = ctx.state.models.get(param(params, 'model'))?.versions.get(param(params, 'version'));
        if (!v?.reference) throw notFound('no reference for this model version');
        sendJson(res, 200, v.reference.profile);
      },
    },
    {
      method: 'PUT',
      path: '/api/v1/models/:model/versions/:version/reference',
      handler: async (req, res, params) => {
        requireAdmin(ctx, req);
        const model = param(params, 'model');
        const version = param(params, 'version');
        const body = await readJson(req, ctx.config.limits.maxBodyBytes);
        let profile: ReferenceProfile;
        try {
          profile = validateReferenceProfile(body);
        } catch (err) {
          throw badRequest(`invalid reference profile: ${(err as Error).message}`);
        }
        if (profile.model !== model) throw badRequest(`model: the profile is for ${JSON.stringify(profile.model)}, the URL names ${JSON.stringify(model)}`);
        if (profile.version !== version) throw badRequest(`version: the profile is for ${JSON.stringify(profile.version)}, the URL names ${JSON.stringify(version)}`);
        ctx.setReference(profile);
        sendJson(res, 200, referenceSummary(profile));
      },
    },
    {
      method: 'POST',
      path: '/api/v1/models/:model/versions/:version/reference/capture',
      handler: async (req, res, params) => {
        requireAdmin(ctx, req);
        const model = param(params, 'model');
        const version = param(params, 'version');
        const body = await readJson(req, 64 * 1024);
        if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('body must be an object {from, to}');
        const unknown = Object.keys(body).find((key) => key !== 'from' && key !== 'to');
        if (unknown !== undefined) throw badRequest(`${unknown}: unknown field (expected from, to)`);
        const { from, to } = body as Record<string, unknown>;
        const fromMs = parseTimeMs(from);
        if (fromMs === undefined) throw badRequest('from: expected an ISO 8601 date-time or Unix seconds');
        const toMs = to === undefined ? ctx.now() : parseTimeMs(to);
        if (toMs === undefined) throw badRequest('to: expected an ISO 8601 date-time or Unix seconds');
        if (!(toMs > fromMs)) throw badRequest('to: must be after from');
        const v = ctx.state.models.get(model)?.versions.get(version);
        if (!v) throw notFound(`no data for model ${JSON.stringify(model)} version ${JSON.stringify(version)}`);
        let profile: ReferenceProfile;
        try {
          profile = captureReference(v, fromMs, toMs, ctx.now());
        } catch (err) {
          throw new HttpError(422, (err as Error).message);
        }
        ctx.setReference(profile);
        sendJson(res, 201, referenceSummary(profile));
      },
    },
  ];
}
