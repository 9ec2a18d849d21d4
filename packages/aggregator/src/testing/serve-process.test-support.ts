import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built CLI (`npx tsc --build` first; `npm test` builds before it runs vitest). */
export const CLI_MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly otlpPort: number;
  readonly httpPort: number;
  readonly otlpUrl: string;
  readonly apiUrl: string;
  /** stdout + stderr so far. */
  output(): string;
  /** Sends a signal and resolves with the exit code / signal once the process is gone. */
  kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ServeResult {
  readonly code: number | null;
  readonly output: string;
}

function start(args: readonly string[], env: Readonly<Record<string, string>>): { child: ChildProcess; output: () => string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  if (!existsSync(CLI_MAIN)) throw new Error(`${CLI_MAIN} is missing: run \`npx tsc --build\` first`);
  const child = spawn(process.execPath, [CLI_MAIN, 'serve', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env['PATH'] ?? '', ...env },
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => out, exited };
}

/**
 * Spawns `driftwatch serve` (the built CLI) with `args` on ports 0 and waits for its "listening" line, which names
 * the bound ports. Rejects with the output when it exits first or does not listen within `timeoutMs`.
 */
export async function spawnServe(args: readonly string[], env: Readonly<Record<string, string>> = {}, timeoutMs = 20_000): Promise<ServeProcess> {
  const { child, output, exited } = start(['--otlp-port', '0', '--http-port', '0', ...args], env);
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const m = /listening on (\S+): OTLP\/HTTP :(\d+) .* API :(\d+)/.exec(output());
    if (m) {
      const host = m[1] as string;
      const otlpPort = Number(m[2]);
      const httpPort = Number(m[3]);
      return {
        child,
        otlpPort,
        httpPort,
        otlpUrl: `http://${host}:${otlpPort}`,
        apiUrl: `http://${host}:${httpPort}`,
        output,
        kill: (signal) => {
          if (!gone) child.kill(signal);
          return exited;
        },
      };
    }
    if (gone) throw new Error(`driftwatch serve exited before listening:\n${output()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`driftwatch serve did not listen in time:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Runs `driftwatch serve` expecting it to exit by itself (a refused configuration); kills it after `timeoutMs`. */
export async function runServeToExit(args: readonly string[], env: Readonly<Record<string, string>> = {}, timeoutMs = 10_000): Promise<ServeResult> {
  const { child, output, exited } = start(args, env);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const { code } = await exited;
  clearTimeout(timer);
  return { code, output: output() };
}
