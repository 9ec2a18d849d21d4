#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { CLI_VERBS } from './verb-list.js';
import { runCli, type CliIo } from './verbs.js';

let stop: Promise<string> | undefined;

const io: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  // installed only when a long-running verb waits for it, so Ctrl-C still ends the other verbs at once
  get stopSignal(): Promise<string> {
    stop ??= new Promise<string>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
    });
    return stop;
  },
};

// dist/cli/main.js → the package's package.json
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

process.exitCode = await runCli(process.argv.slice(2), CLI_VERBS, io, version);
