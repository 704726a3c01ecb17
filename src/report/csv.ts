/** Reading the CSV files of a run directory (written by csv-stringify, header row first). */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

export interface CsvTable {
  file: string;
  columns: string[];
  rows: Record<string, string>[];
}

/** The table in `file`, or null when the run did not write it. */
export function readCsv(file: string): CsvTable | null {
  if (!existsSync(file)) return null;
  const records: string[][] = parse(readFileSync(file, 'utf8'), {
    bom: true,
    skip_empty_lines: true,
    relax_column_count: false,
  });
  const [header, ...body] = records;
  if (!header) return { file, columns: [], rows: [] };
  const rows = body.map((cells) => {
    const row: Record<string, string> = {};
    header.forEach((column, i) => (row[column] = cells[i] ?? ''));
    return row;
  });
  return { file, columns: header, rows };
}

/** A numeric cell; an empty cell (or a missing column) means "never happened" and gives null. */
export function numberCell(
  table: CsvTable,
  row: Record<string, string>,
  column: string,
): number | null {
  const text = row[column];
  if (text === undefined || text === '') return null;
  const value = Number(text);
  if (!Number.isFinite(value)) {
    const line = table.rows.indexOf(row) + 2;
    throw new Error(`${table.file}:${line}: column ${column}: "${text}" is not a number`);
  }
  return value;
}
