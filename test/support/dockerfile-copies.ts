/**
 * What a Dockerfile takes from its build context: the sources of every `COPY`/`ADD` that does not copy from
 * another stage (`--from=`), and whether `.dockerignore` would leave them out of the context.
 */

export interface ContextCopy {
  /** line number (1-based) of the instruction */
  readonly line: number;
  /** source paths as written, relative to the build context */
  readonly sources: readonly string[];
  readonly destination: string;
}

/** Joins continuation lines and drops comments, keeping the line number of each instruction. */
function instructions(dockerfile: string): Array<{ line: number; text: string }> {
  const out: Array<{ line: number; text: string }> = [];
  let pending: { line: number; text: string } | undefined;
  dockerfile.split('\n').forEach((raw, i) => {
    const trimmed = raw.trim();
    if (pending === undefined && (trimmed === '' || trimmed.startsWith('#'))) return;
    if (pending !== undefined && trimmed.startsWith('#')) return;
    const continued = trimmed.endsWith('\\');
    const part = continued ? trimmed.slice(0, -1).trim() : trimmed;
    pending = pending === undefined ? { line: i + 1, text: part } : { line: pending.line, text: `${pending.text} ${part}` };
    if (!continued) {
      out.push(pending);
      pending = undefined;
    }
  });
  if (pending !== undefined) out.push(pending);
  return out;
}

/** Every COPY/ADD from the build context (shell form; JSON form `COPY ["a", "b"]` too). */
export function contextCopies(dockerfile: string): ContextCopy[] {
  const copies: ContextCopy[] = [];
  for (const { line, text } of instructions(dockerfile)) {
    const match = /^(COPY|ADD)\s+(.*)$/i.exec(text);
    if (match === null) continue;
    let rest = (match[2] ?? '').trim();
    const flags: string[] = [];
    while (rest.startsWith('--')) {
      const [flag = '', ...tail] = rest.split(/\s+/);
      flags.push(flag);
      rest = tail.join(' ');
    }
    if (flags.some((f) => f.startsWith('--from='))) continue;
    const args = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : rest.split(/\s+/);
    const destination = args.at(-1) ?? '';
    copies.push({ line, sources: args.slice(0, -1), destination });
  }
  return copies;
}

/** The patterns of a .dockerignore (comments and blank lines dropped, leading `/` and `./` removed). */
export function dockerignorePatterns(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.replace(/^\.?\//, '').replace(/\/+$/, ''));
}

function patternToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*' && pattern[i + 1] === '*') {
      // `**/` matches any number of directories, `**` anything
      const slash = pattern[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * True when `path` (relative to the context) is excluded by the patterns: a pattern excludes the path
 * itself and everything under a matching directory; a later `!pattern` re-includes.
 */
export function isDockerignored(path: string, patterns: readonly string[]): boolean {
  const clean = path.replace(/^\.?\//, '').replace(/\/+$/, '');
  const prefixes = clean.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  let excluded = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const re = patternToRegExp(negated ? raw.slice(1) : raw);
    if (prefixes.some((p) => re.test(p))) excluded = !negated;
  }
  return excluded;
}
