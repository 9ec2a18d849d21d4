/**
 * Thrown by every decoder of this package on undecodable input. `path` locates the offending message in
 * OTLP/JSON field names (e.g. `resourceMetrics[0].scopeMetrics[1].metrics[2]`, empty at the root) and `reason`
 * says what is wrong; `message` is `"<path>: <reason>"`.
 */
export class OtlpDecodeError extends Error {
  readonly path: string;
  readonly reason: string;

  constructor(reason: string, path = '') {
    super(path === '' ? reason : `${path}: ${reason}`);
    this.name = 'OtlpDecodeError';
    this.path = path;
    this.reason = reason;
  }
}

/**
 * Re-throws `err` with `segment` prepended to its path (decoders catch at message boundaries, so the happy
 * path builds no path strings). Errors that are not OtlpDecodeError pass through untouched.
 */
export function rethrowAt(err: unknown, segment: string, index?: number): never {
  if (!(err instanceof OtlpDecodeError)) throw err;
  const head = index === undefined ? segment : `${segment}[${index}]`;
  const path = err.path === '' ? head : err.path.startsWith('[') ? head + err.path : `${head}.${err.path}`;
  throw new OtlpDecodeError(err.reason, path);
}
