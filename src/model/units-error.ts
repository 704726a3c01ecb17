/**
 * A value that does not parse as the unit a field wants. Messages are short and exact on purpose:
 * the scenario loader catches this and prefixes file:line:col and the field path.
 */
import { flowFound, quoteFound } from '../engine/found.js';

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
 * Strings are quoted (JSON) so that `""` and `" 5s"` stay visible, maps and lists are flow YAML
 * (`{value: 5m}`), long values are cut (engine/found.ts); numbers and the rest are shown as
 * JavaScript prints them (`NaN`, `Infinity`, `1e+21`).
 */
export function renderFound(input: unknown): string {
  if (typeof input === 'string') return quoteFound(input);
  if (typeof input === 'bigint') return `${input}`;
  if (typeof input === 'object' && input !== null) return flowFound(input);
  return String(input);
}
