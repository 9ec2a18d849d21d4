import { hasBearerToken } from '../http/bearer-auth.js';
import { notFound, unauthorized } from '../http/http-error.js';
import type { Route } from '../http/router.js';
import { parseExportRequest, streamRecords } from './records-export.js';
import type { RecordStore } from './record-store.js';

export interface RecordsRoutesContext {
  readonly adminToken: string | undefined;
  readonly store: () => RecordStore | undefined;
  readonly now: () => number;
}

/**
 * `GET /api/v1/models/{model}/records?since=&until=&format=jsonl|csv&version=&labelled=true`: the sampled prediction
 * records, streamed in prediction-time order. Raw production data, so it takes the admin token when one is set.
 */
export function recordsRoutes(ctx: RecordsRoutesContext): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/v1/models/:model/records',
      handler: async (req, res, params, url) => {
        if (!hasBearerToken(req, ctx.adminToken)) throw unauthorized('the records export needs Authorization: Bearer <admin token>');
        const store = ctx.store();
        if (!store) throw notFound('the aggregator is not started');
        await streamRecords(store, parseExportRequest(params['model'] ?? '', url, ctx.now()), res);
      },
    },
  ];
}
