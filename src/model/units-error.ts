/**
 * A value that does not parse as the unit a field wants. Messages are short and exact on purpose:
 * the scenario loader catches this and prefixes file:line:col and the field path.
 */
export class UnitError extends Error {
  /**
   * @param expected what the field accepts, e.g. `a Kubernetes quantity (e.g. 500m, 2, 1Gi)`
   * @param found the offending input as the user wrote it, rendered by {@link renderFound}
   */
  constructor(
    readonly expected: string,
    readonly found: string,
  ) {
    super(`expected ${expected}, found ${found}`);
    this.name = 'UnitError';
  }
}

/**
 * Strings are quoted (JSON) so that `""` and `" 5s"` stay visible; numbers and the rest are shown as
 * JavaScript prints them (`NaN`, `Infinity`, `1e+21`).
 */
export function renderFound(input: unknown): string {
  if (typeof input === 'string') return JSON.stringify(input);
  if (typeof input === 'bigint') return `${input}`;
  return String(input);
}
