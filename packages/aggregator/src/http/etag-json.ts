import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './json-response.js';

/**
 * Sends JSON with a strong ETag (SHA-256 of the body); answers 304 without a body when the request's
 * `If-None-Match` lists it, so a client polling for changes (the SDK's rollout weight and alias) gets an empty
 * answer while nothing changed. `cache-control: no-cache`: caches must revalidate every time.
 */
export function sendJsonWithEtag(req: IncomingMessage, res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
  const match = req.headers['if-none-match'];
  if (typeof match === 'string' && match.split(',').some((t) => t.trim() === etag || t.trim() === `W/${etag}`)) {
    res.writeHead(304, { etag, 'cache-control': 'no-cache' });
    res.end();
    return;
  }
  sendJson(res, 200, body, { etag, 'cache-control': 'no-cache' });
}
