/**
 * Output files are written to a temporary name and renamed, so an interrupted run never
 * leaves a half-written file that looks whole.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { stringify } from 'csv-stringify/sync';

export function writeAtomic(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${basename(file)}.tmp-${process.pid}`);
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

/** CSV text with a header row; cells are strings or numbers (no booleans, no dates). */
export function toCsv(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
): string {
  return stringify([header as string[], ...(rows as Array<Array<string | number>>)], {
    record_delimiter: 'unix',
  });
}
