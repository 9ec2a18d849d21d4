import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, methodNotAllowed, notFound, sendError } from './http-error.js';
import { requestUrl } from './request-url.js';
import { matchRoute, type RequestHandler, type Route } from './router.js';

export interface ApiHandlerOptions {
  readonly routes: readonly Route[];
  /** Serves GET/HEAD requests the routes do not (the drift report UI at `/`); 404 when absent. */
  readonly ui?: RequestHandler;
  /** Unexpected errors (not HttpError) are reported here and answered 500 without details. */
  readonly onError?: (err: unknown) => void;
}

/**
 * The node:http handler of port 9464: routes first, then the UI for GET/HEAD requests, else 404 (405 with `Allow`
 * when the path exists for other methods). Errors go out through the shared `sendError` as `{ "error": message }`
 * with the HttpError's status.
 */
export function createApiHandler(options: ApiHandlerOptions): RequestHandler {
  return (req: IncomingMessage, res: ServerResponse) => {
    const fail = (err: unknown): void => {
      if (!(err instanceof HttpError)) options.onError?.(err);
      req.resume();
      sendError(res, err, 'api');
    };
    let url: URL;
    try {
      url = requestUrl(req);
    } catch {
      fail(new HttpError(400, 'malformed request URL'));
      return;
    }
    const method = req.method ?? 'GET';
    const { match, allowed } = matchRoute(options.routes, method, url.pathname);
    if (!match) {
      if (allowed.length > 0) fail(methodNotAllowed(method, [...new Set(allowed)]));
      else if (options.ui && (method === 'GET' || method === 'HEAD')) options.ui(req, res);
      else fail(notFound(`no route for ${method} ${url.pathname}`));
      return;
    }
    Promise.resolve()
      .then(() => match.route.handler(req, res, match.params, url))
      .catch(fail);
  };
}
