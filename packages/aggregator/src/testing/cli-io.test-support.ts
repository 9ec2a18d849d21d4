import type { CliIo } from '../cli/verbs.js';

/** A CliIo writing into strings (`out`, `err`), with the given environment and a stop signal that never comes. */
export function bufferedIo(env: Record<string, string> = {}): CliIo & { out: string; err: string } {
  const self = {
    out: '',
    err: '',
    stdout: { write: (t: string) => (self.out += t) },
    stderr: { write: (t: string) => (self.err += t) },
    env,
    stopSignal: new Promise<string>(() => {}),
  };
  return self;
}
