import { readFileSync } from 'node:fs';
import { readOptionalString } from './config-fields.js';
import type { PlainObject } from './config-fields.js';
import { ValidationError, joinPath } from './validation-error.js';

/** The config keys a secret `key` may be given by: inline, from a file, or from an environment variable. */
export function secretKeys(key: string): [string, string, string] {
  return [key, `${key}_file`, `${key}_env`];
}

/**
 * Reads a secret field that may be written three ways, exactly one at a time (the Prometheus/Alertmanager
 * convention, plus the environment for container platforms):
 * - `key: s3cret` — inline (keep the config file private);
 * - `key_file: /run/secrets/x` — the file's content, one trailing newline removed (as `echo x > file` writes it);
 * - `key_env: NAME` — the environment variable `NAME`.
 * Read once, when the config is parsed: a missing file, an unset variable or an empty secret throws a
 * {@link ValidationError} naming the field (e.g. `targets[0].token_file: cannot read /run/secrets/x (ENOENT)`), so a bad
 * deployment fails at start rather than at the first dispatch. Returns `undefined` when none of the three is given.
 */
export function readOptionalSecret(obj: PlainObject, key: string, path: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const [inlineKey, fileKey, envKey] = secretKeys(key);
  const given = [inlineKey, fileKey, envKey].filter((k) => obj[k] !== undefined);
  if (given.length > 1) throw new ValidationError(joinPath(path, given[1] as string), `give only one of ${inlineKey}, ${fileKey} and ${envKey}`);
  const inline = readOptionalString(obj, inlineKey, path);
  if (inline !== undefined) return inline;
  const file = readOptionalString(obj, fileKey, path);
  if (file !== undefined) {
    let content: string;
    try {
      content = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      throw new ValidationError(joinPath(path, fileKey), `cannot read ${file} (${code})`);
    }
    const secret = content.replace(/\r?\n$/, '');
    if (secret === '') throw new ValidationError(joinPath(path, fileKey), `${file} is empty`);
    return secret;
  }
  const name = readOptionalString(obj, envKey, path);
  if (name !== undefined) {
    const secret = env[name];
    if (secret === undefined || secret === '') throw new ValidationError(joinPath(path, envKey), `environment variable ${name} is not set`);
    return secret;
  }
  return undefined;
}

/** {@link readOptionalSecret} for a required secret: none of the three given throws, naming `key`. */
export function readSecret(obj: PlainObject, key: string, path: string, env: NodeJS.ProcessEnv = process.env): string {
  const secret = readOptionalSecret(obj, key, path, env);
  if (secret === undefined) throw new ValidationError(joinPath(path, key), `expected a non-empty string (or ${key}_file, or ${key}_env)`);
  return secret;
}
