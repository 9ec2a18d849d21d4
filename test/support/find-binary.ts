/**
 * Locates the Debian binaries the integration tests drive (prometheus, promtool, alertmanager, amtool).
 *
 * Locally a missing binary skips the test that needs it. In CI (`DRIFTWATCH_E2E_REQUIRED=1`, set by
 * `.ci/run`) a missing binary is an error: the test file fails instead of silently skipping.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Env variable that turns a missing binary from a skip into a failure. */
export const E2E_REQUIRED_ENV = 'DRIFTWATCH_E2E_REQUIRED';

/** True when the environment demands that end-to-end tests run (CI). */
export function isE2eRequired(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return env[E2E_REQUIRED_ENV] === '1';
}

/** The absolute path of the first of `names` found as an executable on `searchPath`, else undefined. */
export function findBinary(names: readonly string[], searchPath: string = process.env['PATH'] ?? ''): string | undefined {
  const dirs = searchPath.split(delimiter).filter((dir) => dir !== '');
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here: keep looking
      }
    }
  }
  return undefined;
}

/**
 * The path of the first of `names` on PATH, or undefined so the caller can `describe.skipIf(...)`.
 * Throws when the binary is missing and `DRIFTWATCH_E2E_REQUIRED=1`: in CI a skip would hide a broken setup.
 */
export function binaryForTest(names: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const found = findBinary(names, env['PATH'] ?? '');
  if (found === undefined && isE2eRequired(env)) {
    throw new Error(
      `${names.join(' or ')} not found on PATH, and ${E2E_REQUIRED_ENV}=1 requires it (install the Debian package: see .ci/run)`,
    );
  }
  return found;
}
