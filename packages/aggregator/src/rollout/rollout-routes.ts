import { hasBearerToken } from '../http/bearer-auth.js';
import { sendJsonWithEtag } from '../http/etag-json.js';
import { badRequest, notFound, unauthorized } from '../http/http-error.js';
import { numberField, readObjectBody, stringField, versionField } from '../http/json-fields.js';
import { sendJson } from '../http/json-response.js';
import type { Route, RouteParams } from '../http/router.js';
import type { RolloutChange, RolloutController } from './rollout-controller.js';
import { rolloutEventJson, rolloutJson } from './rollout-json.js';
import { ROLLOUT_MODES, type RolloutMode } from './rollout-record.js';

export interface RolloutRoutesContext {
  readonly controller: () => RolloutController;
  readonly adminToken: string | undefined;
  /** How often the SDK should poll (the analysis interval). */
  readonly evaluationIntervalMs: number;
  /** Whether the aggregator knows the model (telemetry, a rollout or the registry); GET answers 404 otherwise. */
  readonly knownModel: (model: string) => Promise<boolean>;
}

const PUT_KEYS = ['candidateVersion', 'primaryVersion', 'mode', 'phase', 'weight', 'weightPercent', 'by', 'reason'];
const PHASES = ['progressing', 'paused', 'promoted', 'rolled_back'] as const;

function modelParam(params: RouteParams): string {
  const model = params['model'];
  if (model === undefined || model.length > 256) throw badRequest('model: expected a model name of at most 256 characters');
  return model;
}

/**
 * `GET/PUT /api/v1/models/{model}/rollout`, `GET /api/v1/models/{model}/rollout/history` and `GET /api/v1/rollouts`
 * (docs/rollout.md). Reads are open like the other GET endpoints (the SDK polls them); PUT needs the admin token.
 */
export function rolloutRoutes(ctx: RolloutRoutesContext): Route[] {
  const pollIntervalSeconds = Math.max(1, Math.round(ctx.evaluationIntervalMs / 1000));
  const view = (model: string) => {
    const c = ctx.controller();
    const r = c.latest(model);
    return rolloutJson(model, r, r && r.state.phase === 'progressing' ? c.progress(r) : undefined, pollIntervalSeconds);
  };
  return [
    {
      method: 'GET',
      path: '/api/v1/rollouts',
      handler: (_req, res) => {
        const c = ctx.controller();
        sendJson(res, 200, { rollouts: c.list().map((r) => view(r.model)) });
      },
    },
    {
      method: 'GET',
      path: '/api/v1/models/:model/rollout',
      handler: async (req, res, params) => {
        const model = modelParam(params);
        if (!ctx.controller().latest(model) && !(await ctx.knownModel(model))) {
          throw notFound(`unknown model ${JSON.stringify(model)}: no telemetry, rollout or registry entry`);
        }
        sendJsonWithEtag(req, res, view(model));
      },
    },
    {
      method: 'PUT',
      path: '/api/v1/models/:model/rollout',
      handler: async (req, res, params) => {
        if (!hasBearerToken(req, ctx.adminToken)) throw unauthorized('admin endpoints need Authorization: Bearer <admin token>');
        const model = modelParam(params);
        const body = await readObjectBody(req, PUT_KEYS);
        const by = stringField(body, 'by', { required: true, maxLength: 200 });
        const reason = stringField(body, 'reason');
        const candidateVersion = versionField(body, 'candidateVersion', false);
        const c = ctx.controller();
        if (candidateVersion !== undefined) {
          for (const key of ['phase', 'weight', 'weightPercent']) {
            if (body[key] !== undefined) throw badRequest(`${key}: not allowed when starting a rollout (candidateVersion starts one at the first step)`);
          }
          const mode = body['mode'];
          if (mode !== undefined && !(ROLLOUT_MODES as readonly unknown[]).includes(mode)) throw badRequest(`mode: must be one of ${ROLLOUT_MODES.join(', ')}`);
          const primaryVersion = versionField(body, 'primaryVersion', false);
          const started = await c.start(model, {
            candidateVersion,
            by,
            ...(primaryVersion === undefined ? {} : { primaryVersion }),
            ...(mode === undefined ? {} : { mode: mode as RolloutMode }),
            ...(reason === undefined ? {} : { reason }),
          });
          sendJson(res, 201, view(started.model));
          return;
        }
        for (const key of ['primaryVersion', 'mode']) if (body[key] !== undefined) throw badRequest(`${key}: only allowed with candidateVersion (starting a rollout)`);
        const phase = body['phase'];
        if (phase !== undefined && !(PHASES as readonly unknown[]).includes(phase)) throw badRequest(`phase: must be one of ${PHASES.join(', ')}`);
        if (body['weight'] !== undefined && body['weightPercent'] !== undefined) throw badRequest('weight: give weight (0-1) or weightPercent (0-100), not both');
        const fraction = numberField(body, 'weight', 0, 1);
        const weightPercent = fraction === undefined ? numberField(body, 'weightPercent', 0, 100) : Math.round(fraction * 1e6) / 1e4;
        if (phase === undefined && weightPercent === undefined) throw badRequest('give candidateVersion (start a rollout), phase, or weight/weightPercent');
        const change: RolloutChange = {
          by,
          ...(reason === undefined ? {} : { reason }),
          ...(phase === undefined ? {} : { phase: phase as (typeof PHASES)[number] }),
          ...(weightPercent === undefined ? {} : { weightPercent }),
        };
        const changed = await c.change(model, change);
        sendJson(res, 200, view(changed.model));
      },
    },
    {
      method: 'GET',
      path: '/api/v1/models/:model/rollout/history',
      handler: (_req, res, params, url) => {
        const model = modelParam(params);
        const limitText = url.searchParams.get('limit');
        const limit = limitText === null ? 100 : Number(limitText);
        if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw badRequest('limit: expected an integer from 1 to 10000');
        const rolloutText = url.searchParams.get('rollout');
        const rolloutId = rolloutText === null ? undefined : Number(rolloutText);
        if (rolloutId !== undefined && !(Number.isInteger(rolloutId) && rolloutId > 0)) throw badRequest('rollout: expected a rollout id');
        const events = ctx.controller().events(model, { limit, ...(rolloutId === undefined ? {} : { rolloutId }) });
        sendJson(res, 200, { model, events: events.map(rolloutEventJson) });
      },
    },
  ];
}
