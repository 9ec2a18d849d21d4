/**
 * Docker Compose variable interpolation (https://docs.docker.com/reference/compose-file/interpolation/),
 * enough to read docker-compose.yml as Compose would: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?message}`, `${VAR?message}`, and `$$` for a literal `$`.
 */

/** A variable the file uses, and how. */
export interface ComposeVariable {
  readonly name: string;
  /** `:?` / `?`: Compose refuses to start without it */
  readonly required: boolean;
  /** `:-` / `-`: the value used when it is unset */
  readonly fallback?: string;
}

const PATTERN = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/** Every variable referenced in `text` (first use of each name wins). */
export function composeVariables(text: string): ComposeVariable[] {
  const found = new Map<string, ComposeVariable>();
  for (const match of text.matchAll(PATTERN)) {
    const [whole, braced, operator, argument, bare] = match;
    if (whole === '$$') continue;
    const name = braced ?? bare ?? '';
    if (found.has(name)) continue;
    const required = operator === ':?' || operator === '?';
    const fallback = operator === ':-' || operator === '-' ? argument : undefined;
    found.set(name, { name, required, ...(fallback === undefined ? {} : { fallback }) });
  }
  return [...found.values()];
}

/**
 * Substitutes the variables of `text` from `env`. Throws, as Compose does, when a required variable
 * (`:?` empty or unset, `?` unset) has no value; an unset variable without a default becomes ''.
 */
export function interpolateCompose(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(PATTERN, (whole, braced: string | undefined, operator: string | undefined, argument: string | undefined, bare: string | undefined) => {
    if (whole === '$$') return '$';
    const name = braced ?? bare ?? '';
    const value = env[name];
    const emptyCounts = operator?.startsWith(':') ?? false;
    const missing = value === undefined || (emptyCounts && value === '');
    if (operator === ':?' || operator === '?') {
      if (missing) throw new Error(`required variable ${name} is missing a value: ${argument ?? ''}`);
      return value ?? '';
    }
    if (operator === ':-' || operator === '-') return missing ? (argument ?? '') : (value ?? '');
    return value ?? '';
  });
}
