/**
 * How a value the user wrote is echoed after "found" in an error message: strings quoted (so
 * `""` and `" 5s"` stay visible), maps and lists as flow YAML (`{value: 5m}`), and anything
 * longer than MAX_FOUND_CHARS cut with "…" — a message quotes a mistake, not a whole file.
 */
export const MAX_FOUND_CHARS = 60;

/** JSON-quoted, escapes included in the budget; O(MAX_FOUND_CHARS) however long `s` is. */
export function quoteFound(s: string, max = MAX_FOUND_CHARS): string {
  let out = '';
  for (const ch of s) {
    const escaped = JSON.stringify(ch).slice(1, -1);
    if (out.length + escaped.length > max) return `"${out}…"`;
    out += escaped;
  }
  return `"${out}"`;
}

/** A map or list as compact flow YAML (`{a: 1, b: [x, "y z"]}`), cut at `max` characters. */
export function flowFound(v: unknown, max = MAX_FOUND_CHARS): string {
  const text = flow(v);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

const PLAIN = /^[\w./@+-]+$/;

function flow(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return PLAIN.test(v) ? v : JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    return `{${entries.map(([k, x]) => `${flow(k)}: ${flow(x)}`).join(', ')}}`;
  }
  return String(v);
}
