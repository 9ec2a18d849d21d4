/** A configuration problem; the message starts with the field's path, e.g. `config.windows[1].duration: …`. */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'ConfigError';
  }
}
