/** Where a CLI verb reads and writes (process streams in `main.ts`, buffers in tests). */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); long-running verbs await it. */
  readonly stopSignal: Promise<string>;
}

/**
 * One `driftwatch` verb: `name` is its words (`serve`, `reference build`). Add a verb by writing `cli/<verb>.ts`
 * exporting a CliVerb and listing it in `cli/verb-list.ts`.
 */
export interface CliVerb {
  readonly name: string;
  readonly summary: string;
  /** Full `--help` text. */
  readonly help: string;
  /** Returns the exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

function usage(verbs: readonly CliVerb[], group?: string): string {
  const listed = group === undefined ? verbs : verbs.filter((v) => v.name.startsWith(`${group} `));
  const width = Math.max(...listed.map((v) => v.name.length));
  return [
    `Usage: driftwatch ${group === undefined ? '' : `${group} `}<command> [options]`,
    '',
    'Commands:',
    ...listed.map((v) => `  ${v.name.padEnd(width)}  ${v.summary}`),
    '',
    'Run `driftwatch <command> --help` for the options of a command.',
    '',
  ].join('\n');
}

const isHelp = (arg: string | undefined): boolean => arg === '--help' || arg === '-h' || arg === 'help';

/**
 * Dispatches `argv` (without node and the script) to the verb whose words it starts with (longest match).
 * Usage errors print the message and the verb's help and exit 2; other errors exit 1. `--version` prints `version`.
 */
export async function runCli(argv: readonly string[], verbs: readonly CliVerb[], io: CliIo, version?: string): Promise<number> {
  const sorted = [...verbs].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  const verb = sorted.find((v) => {
    const words = v.name.split(' ');
    return words.every((w, i) => argv[i] === w);
  });
  if (!verb) {
    const first = argv[0];
    if (first === undefined || isHelp(first)) {
      io.stdout.write(usage(verbs));
      return first === undefined ? 2 : 0;
    }
    if (first === '--version' || first === '-V') {
      io.stdout.write(`driftwatch ${version ?? 'unknown'}\n`);
      return 0;
    }
    // `driftwatch registry` / `driftwatch registry --help`: the commands of that group
    const group = verbs.some((v) => v.name.startsWith(`${first} `)) ? first : undefined;
    if (group !== undefined && (argv[1] === undefined || isHelp(argv[1]))) {
      io.stdout.write(usage(verbs, group));
      return argv[1] === undefined ? 2 : 0;
    }
    io.stderr.write(`driftwatch: unknown command ${JSON.stringify(argv.slice(0, 2).join(' '))}\n\n${usage(verbs, group)}`);
    return 2;
  }
  const args = argv.slice(verb.name.split(' ').length);
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(verb.help);
    return 0;
  }
  try {
    return await verb.run(args, io);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`driftwatch ${verb.name}: ${(err as Error).message}\n\n${verb.help}`);
      return 2;
    }
    io.stderr.write(`driftwatch ${verb.name}: ${(err as Error).message}\n`);
    return 1;
  }
}
