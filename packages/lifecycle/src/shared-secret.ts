import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares a presented secret with the expected one in constant time. Both are hashed with
 * SHA-256 first, so neither the content nor the length of the expected secret leaks through
 * timing. Returns false for a missing or empty presented value, and for an empty expected secret
 * (an unset secret never authenticates anything).
 */
export function secretsEqual(presented: string | undefined | null, expected: string): boolean {
  if (presented === undefined || presented === null || presented === '' || expected === '') return false;
  const a = createHash('sha256').update(presented, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer <token>` header value, or `undefined`. */
export function bearerToken(authorization: string | undefined | null): string | undefined {
  if (authorization === undefined || authorization === null) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match?.[1];
}

/**
 * Checks the shared secret of an incoming Alertmanager webhook: Alertmanager sends it as
 * `Authorization: Bearer <secret>` (`http_config.authorization.credentials` in its receiver).
 */
export function isAuthorizedWebhook(authorization: string | undefined | null, secret: string): boolean {
  return secretsEqual(bearerToken(authorization), secret);
}
