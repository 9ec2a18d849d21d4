import { ValidationError, isAuthorizedWebhook, parseAlertmanagerWebhook, type AlertmanagerWebhook } from '@driftwatch/lifecycle';
import { badRequest, notFound, unauthorized } from '../http/http-error.js';
import { sendJson } from '../http/json-response.js';
import { readJson } from '../http/read-json.js';
import type { Route } from '../http/router.js';
import type { RetrainingLoop } from './retraining-loop.js';

/** Largest Alertmanager notification accepted (Alertmanager's `max_alerts` is unlimited by default). */
export const MAX_ALERTS_BODY_BYTES = 4 * 1024 * 1024;
const MAX_AUDIT_LIMIT = 1_000;

export interface RetrainingRoutesContext {
  /** `config.alertsSecret`; without it `POST /api/v1/alerts` answers 401. */
  readonly alertsSecret: string | undefined;
  readonly loop: () => RetrainingLoop | undefined;
}

/**
 * `POST /api/v1/alerts` (Alertmanager's webhook receiver: `Authorization: Bearer <alertsSecret>`, 401 without it,
 * 400 naming the field of a malformed notification) and `GET /api/v1/models/{model}/retraining?limit=N` (the policy,
 * trigger state and audit log, newest dispatch first).
 */
export function retrainingRoutes(ctx: RetrainingRoutesContext): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/v1/alerts',
      handler: async (req, res) => {
        if (ctx.alertsSecret === undefined) throw unauthorized('the alerts webhook is disabled: set alertsSecret (DRIFTWATCH_ALERTS_SECRET) in the aggregator config');
        if (!isAuthorizedWebhook(req.headers.authorization, ctx.alertsSecret)) throw unauthorized('POST /api/v1/alerts needs Authorization: Bearer <alerts secret>');
        const body = await readJson(req, MAX_ALERTS_BODY_BYTES);
        let webhook: AlertmanagerWebhook;
        try {
          webhook = parseAlertmanagerWebhook(body);
        } catch (err) {
          if (err instanceof ValidationError) throw badRequest(`invalid Alertmanager notification: ${err.message}`);
          throw err;
        }
        const loop = ctx.loop();
        if (!loop) throw notFound('the aggregator is not started');
        sendJson(res, 200, loop.receiveAlerts(webhook));
      },
    },
    {
      method: 'GET',
      path: '/api/v1/models/:model/retraining',
      handler: (_req, res, params, url) => {
        const model = params['model'] ?? '';
        const raw = url.searchParams.get('limit');
        const limit = raw === null ? 100 : Number(raw);
        if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_LIMIT) throw badRequest(`limit: ${JSON.stringify(raw)} is not an integer in [1, ${MAX_AUDIT_LIMIT}]`);
        const report = ctx.loop()?.report(model, limit);
        if (!report) throw notFound(`model ${JSON.stringify(model)} has no retraining policy and no dispatch`);
        sendJson(res, 200, report);
      },
    },
  ];
}
