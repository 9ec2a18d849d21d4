/** The demo's terminal output: lines prefixed with the time since the demo started, ANSI colours when enabled. */

export interface Paint {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

export interface Terminal {
  readonly paint: Paint;
  /** one line, prefixed with `[ 12.3s]` */
  line(text: string): void;
  /** one line as is */
  raw(text: string): void;
}

const ansi = (code: number) => (text: string) => `\u001b[${code}m${text}\u001b[0m`;
const plain = (text: string): string => text;

export function createTerminal(stream: { write(text: string): unknown }, color: boolean, startMs: number = performance.now()): Terminal {
  const paint: Paint = color
    ? { bold: ansi(1), dim: ansi(2), red: ansi(31), green: ansi(32), yellow: ansi(33), cyan: ansi(36) }
    : { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };
  return {
    paint,
    line: (text) => {
      const seconds = ((performance.now() - startMs) / 1000).toFixed(1).padStart(5);
      stream.write(`${paint.dim(`[${seconds}s]`)} ${text}\n`);
    },
    raw: (text) => {
      stream.write(`${text}\n`);
    },
  };
}

/** Whether to colour output: a TTY, and neither NO_COLOR nor `--no-color`. */
export function wantsColor(stream: { isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>, noColorFlag: boolean): boolean {
  return stream.isTTY === true && !noColorFlag && (env['NO_COLOR'] === undefined || env['NO_COLOR'] === '');
}
