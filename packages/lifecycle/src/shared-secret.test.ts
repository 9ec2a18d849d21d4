import { describe, expect, it } from 'vitest';
import { bearerToken, isAuthorizedWebhook, secretsEqual } from './shared-secret.js';

describe('secretsEqual', () => {
  it('accepts only the exact secret', () => {
    expect(secretsEqual('s3cret', 's3cret')).toBe(true);
    expect(secretsEqual('s3cres', 's3cret')).toBe(false);
    expect(secretsEqual('s3cret!', 's3cret')).toBe(false);
    expect(secretsEqual('S3CRET', 's3cret')).toBe(false);
  });

  it('never authenticates with a missing presented value or an empty expected secret', () => {
    expect(secretsEqual(undefined, 's3cret')).toBe(false);
    expect(secretsEqual(null, 's3cret')).toBe(false);
    expect(secretsEqual('', 's3cret')).toBe(false);
    expect(secretsEqual('', '')).toBe(false);
    expect(secretsEqual('x', '')).toBe(false);
  });
});

describe('bearerToken / isAuthorizedWebhook', () => {
  it('extracts the token of a Bearer header', () => {
    expect(bearerToken('Bearer abc.def')).toBe('abc.def');
    expect(bearerToken('bearer   abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it('checks the Alertmanager Authorization header against the shared secret', () => {
    expect(isAuthorizedWebhook('Bearer s3cret', 's3cret')).toBe(true);
    expect(isAuthorizedWebhook('Bearer wrong', 's3cret')).toBe(false);
    expect(isAuthorizedWebhook(undefined, 's3cret')).toBe(false);
  });
});
