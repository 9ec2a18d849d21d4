import type { IncomingMessage } from 'node:http';
import { badRequest, unsupportedMediaType } from './http-error.js';
import { readBody } from './read-body.js';

/**
 * Reads a JSON request body (gzip allowed) of at most `maxBytes`: 413 when larger, 400 when not JSON,
 * 415 for a media type other than JSON.
 */
export async function readJson(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = req.headers['content-type'];
  if (type !== undefined && !/^application\/(json|[\w.+-]*\+json)\b/i.test(type)) throw unsupportedMediaType(`expected application/json, got ${type}`);
  const text = (await readBody(req, { maxBodyBytes: maxBytes })).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw badRequest(`body is not valid JSON: ${(err as Error).message}`);
  }
}
