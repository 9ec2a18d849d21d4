import { describe, expect, it } from 'vitest';
import { HttpError, toHttpError } from './http-error.js';

describe('toHttpError', () => {
  it('keeps an HttpError as it is', () => {
    const e = new HttpError(404, 'no route');
    expect(toHttpError(e)).toBe(e);
  });

  it('maps body-parser errors to 400 and 413', () => {
    expect(toHttpError(Object.assign(new Error('x'), { type: 'entity.parse.failed', status: 400 }))).toMatchObject({ status: 400, message: 'request body is not valid JSON' });
    expect(toHttpError(Object.assign(new Error('x'), { type: 'entity.too.large', status: 413 }))).toMatchObject({ status: 413, message: 'request body is too large' });
    expect(toHttpError(Object.assign(new Error('x'), { type: 'charset.unsupported', status: 415 }))).toMatchObject({ status: 415 });
  });

  it('hides anything else behind a 500', () => {
    expect(toHttpError(new TypeError('secret detail'))).toMatchObject({ status: 500, message: 'internal error' });
    expect(toHttpError('boom')).toMatchObject({ status: 500 });
  });
});
