/**
 * Runs a server binary (prometheus, alertmanager) as a child process for a test: waits until its
 * readiness URL answers 200, keeps its output for error messages, and stops it on request.
 */
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export interface StartDaemonOptions {
  readonly command: string;
  readonly args: readonly string[];
  /** Base URL the daemon serves, e.g. http://127.0.0.1:9090 */
  readonly baseUrl: string;
  /** Path answering 200 once the daemon is ready, e.g. /-/ready */
  readonly readyPath: string;
  /** default 20 000 */
  readonly readyTimeoutMs?: number;
}

export interface Daemon {
  readonly baseUrl: string;
  /** stdout and stderr so far (for assertion messages). */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited after 5 s. */
  stop(): Promise<void>;
}

const MAX_OUTPUT_CHARS = 200_000;

export async function startDaemon(options: StartDaemonOptions): Promise<Daemon> {
  const child = spawn(options.command, [...options.args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-MAX_OUTPUT_CHARS);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      resolve();
    });
    child.once('error', (error) => {
      output += `\nspawn error: ${error.message}`;
      exited = true;
      resolve();
    });
  });

  const stop = async (): Promise<void> => {
    if (exited) return;
    child.kill('SIGTERM');
    const killed = await Promise.race([exit.then(() => true), sleep(5_000).then(() => false)]);
    if (!killed) {
      child.kill('SIGKILL');
      await exit;
    }
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  for (;;) {
    if (exited) throw new Error(`${options.command} exited before becoming ready:\n${output}`);
    try {
      const response = await fetch(new URL(options.readyPath, options.baseUrl));
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${options.command} not ready at ${options.baseUrl}${options.readyPath} in time:\n${output}`);
    }
    await sleep(100);
  }
  return { baseUrl: options.baseUrl, output: () => output, stop };
}
