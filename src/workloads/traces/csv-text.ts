// The small CSV dialect trace files use (RFC 4180 without line breaks inside quotes), read with
// the line and column of every field so that readers can point at the exact cell that is wrong.
import { TraceError } from './record.js';

export interface CsvField {
  value: string;
  /** 1-based character column where the field starts. */
  column: number;
}

/** Lines of a text with their 1-based numbers; a BOM and Windows line ends are tolerated. */
export function* numberedLines(text: string): Generator<{ text: string; line: number }> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const parts = body.split('\n');
  // A final newline does not start another (empty) line.
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  for (let i = 0; i < parts.length; i++) {
    const raw = parts[i];
    yield { text: raw.endsWith('\r') ? raw.slice(0, -1) : raw, line: i + 1 };
  }
}

/** Splits one CSV line; returns an error message instead when a quote is left open. */
export function splitCsvLine(text: string): CsvField[] | string {
  const fields: CsvField[] = [];
  let i = 0;
  for (;;) {
    const column = i + 1;
    if (text[i] === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) return `unterminated quoted field starting at column ${column}`;
        if (text[j] === '"') {
          if (text[j + 1] === '"') {
            value += '"';
            j += 2;
            continue;
          }
          break;
        }
        value += text[j++];
      }
      j++;
      if (j < text.length && text[j] !== ',') {
        return `unexpected character after quoted field at column ${j + 1}`;
      }
      fields.push({ value, column });
      if (j >= text.length) return fields;
      i = j + 1;
    } else {
      const comma = text.indexOf(',', i);
      const end = comma === -1 ? text.length : comma;
      fields.push({ value: text.slice(i, end), column });
      if (comma === -1) return fields;
      i = comma + 1;
    }
  }
}

export interface CsvRow {
  line: number;
  /** 0-based position among the data rows, counting the malformed ones too. */
  index: number;
  /** The field under a header name; undefined for an optional column the file does not have. */
  get(column: string): CsvField | undefined;
}

export interface CsvSchema {
  required: readonly string[];
  optional?: readonly string[];
  /** Reject header names outside required ∪ optional (our own format, where a typo must not pass). */
  rejectUnknown?: boolean;
}

/**
 * Reads a header line and the rows under it. Problems with the header are fatal for the file
 * (reported, and no rows); a row with the wrong number of fields is reported and left out.
 * Blank lines are ignored. Lazy, so that a caller's own errors about a row land in file order
 * among the ones found here.
 */
export function* readCsvRows(
  text: string,
  file: string,
  schema: CsvSchema,
  errors: TraceError[],
): Generator<CsvRow> {
  let index: Map<string, number> | undefined;
  let width = 0;
  let dataRows = 0;
  for (const { text: lineText, line } of numberedLines(text)) {
    if (lineText.trim() === '') continue;
    const rowIndex = index === undefined ? -1 : dataRows++;
    const fields = splitCsvLine(lineText);
    if (typeof fields === 'string') {
      errors.push(new TraceError(file, line, fields));
      if (index === undefined) return;
      continue;
    }
    if (index === undefined) {
      index = headerIndex(fields, file, line, schema, errors);
      if (index === undefined) return;
      width = fields.length;
      continue;
    }
    if (fields.length !== width) {
      errors.push(
        new TraceError(
          file,
          line,
          `expected ${width} fields as in the header, found ${fields.length}`,
        ),
      );
      continue;
    }
    const cells = fields;
    const at = index;
    yield {
      line,
      index: rowIndex,
      get: (column) => {
        const k = at.get(column);
        return k === undefined ? undefined : cells[k];
      },
    };
  }
  if (index === undefined) errors.push(new TraceError(file, 1, 'the file has no header line'));
}

function headerIndex(
  fields: CsvField[],
  file: string,
  line: number,
  schema: CsvSchema,
  errors: TraceError[],
): Map<string, number> | undefined {
  const index = new Map<string, number>();
  const known = new Set([...schema.required, ...(schema.optional ?? [])]);
  const problems: string[] = [];
  fields.forEach((f, k) => {
    const name = f.value.trim();
    if (index.has(name)) problems.push(`column ${JSON.stringify(name)} appears twice`);
    else if (schema.rejectUnknown === true && !known.has(name)) {
      problems.push(`unknown column ${JSON.stringify(name)} (known: ${[...known].join(', ')})`);
    }
    index.set(name, k);
  });
  const missing = schema.required.filter((name) => !index.has(name));
  if (missing.length > 0) problems.push(`missing column(s) ${missing.join(', ')}`);
  if (problems.length === 0) return index;
  for (const p of problems) errors.push(new TraceError(file, line, `header: ${p}`));
  return undefined;
}

/** A cell that must be a plain non-negative decimal integer (trace columns are). */
export function nonNegativeInteger(
  row: CsvRow,
  column: string,
  file: string,
  errors: TraceError[],
): number | undefined {
  const field = row.get(column);
  if (field === undefined) return undefined;
  const value = parseNonNegativeInteger(field.value);
  if (value === undefined) {
    errors.push(
      new TraceError(
        file,
        row.line,
        `${column}: expected a non-negative integer, found ${JSON.stringify(field.value)}`,
        field.column,
      ),
    );
  }
  return value;
}

export function parseNonNegativeInteger(text: string): number | undefined {
  if (!/^[0-9]+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}
