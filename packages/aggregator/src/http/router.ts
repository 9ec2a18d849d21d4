import type { IncomingMessage, ServerResponse } from 'node:http';

/** Path parameters (null prototype: a parameter named like `__proto__` is plain data). */
export type RouteParams = Readonly<Record<string, string>>;

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, params: RouteParams, url: URL) => Promise<void> | void;

/** A node:http request handler (what the UI and the OTLP receiver provide too). */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface Route {
  readonly method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** e.g. `/api/v1/models/:model/drift`; `:name` matches one non-empty path segment (percent-decoded). */
  readonly path: string;
  readonly handler: RouteHandler;
}

export interface RouteMatch {
  readonly route: Route;
  readonly params: RouteParams;
}

/** Matches a request path against the routes; `allowed` lists the methods of routes matching the path. */
export function matchRoute(routes: readonly Route[], method: string, pathname: string): { match?: RouteMatch; allowed: string[] } {
  const segments = pathname.split('/');
  const allowed: string[] = [];
  for (const route of routes) {
    const pattern = route.path.split('/');
    if (pattern.length !== segments.length) continue;
    const params = Object.create(null) as Record<string, string>;
    let ok = true;
    for (let i = 0; i < pattern.length && ok; i++) {
      const p = pattern[i] as string;
      const s = segments[i] as string;
      if (p.startsWith(':')) {
        if (s === '') ok = false;
        else {
          try {
            params[p.slice(1)] = decodeURIComponent(s);
          } catch {
            ok = false;
          }
        }
      } else if (p !== s) ok = false;
    }
    if (!ok) continue;
    allowed.push(route.method);
    if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { match: { route, params }, allowed };
  }
  return { allowed };
}
