import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PROMTOOL = '/usr/bin/promtool';

/**
 * Pipes an exposition through `promtool check metrics`. Returns undefined when promtool is not installed, unless
 * `DRIFTWATCH_E2E_REQUIRED=1`, which makes its absence an error.
 */
export function promtoolCheck(text: string): { status: number; output: string } | undefined {
  if (!existsSync(PROMTOOL)) {
    if (process.env['DRIFTWATCH_E2E_REQUIRED'] === '1') throw new Error(`${PROMTOOL} is required (DRIFTWATCH_E2E_REQUIRED=1) but missing`);
    return undefined;
  }
  const r = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}
