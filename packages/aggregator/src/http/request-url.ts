import type { IncomingMessage } from 'node:http';

/**
 * The URL of a request. An origin-form target is a path even when it starts with `//` (resolved against a base,
 * `//api/v1/models` would name the host `api`); an absolute-form target is taken as it is.
 * @throws TypeError for a target that is not a URL
 */
export function requestUrl(req: IncomingMessage): URL {
  const target = req.url ?? '/';
  return target.startsWith('/') ? new URL(`http://localhost${target}`) : new URL(target);
}
