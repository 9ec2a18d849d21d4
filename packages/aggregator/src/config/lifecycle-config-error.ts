import { ValidationError } from '@driftwatch/lifecycle';
import { ConfigError } from './config-error.js';

/**
 * Runs a `@driftwatch/lifecycle` validator and turns its `ValidationError` (message `path: problem`) into the
 * aggregator's `ConfigError` for the same field, so every bad config value reads alike whoever validated it.
 */
export function asConfigError<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof ValidationError) {
      const prefix = `${err.path}: `;
      throw new ConfigError(err.path, err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message);
    }
    throw err;
  }
}
