/**
 * Output files are written to a temporary name and renamed, so an interrupted run never
 * leaves a half-written file that looks whole. CSVs are streamed: rows go through
 * csv-stringify a chunk at a time into the temporary file, so a multi-million-pod pods.csv or events.csv never
 * exists as one string (V8 caps a string near 512 MB).
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { stringify, type Options } from 'csv-stringify/sync';

export type CsvRow = ReadonlyArray<string | number>;

const CSV_OPTIONS: Options = { record_delimiter: 'unix' };

/**
 * Rows per csv-stringify call: records are independent, so chunks concatenate to exactly the
 * bytes of one call, while memory stays bounded by the chunk (a few MB).
 */
export const CSV_CHUNK_ROWS = 8192;

/** The temporary name `file` is written under until it is complete. */
export function temporaryName(file: string): string {
  return join(dirname(file), `.${basename(file)}.tmp-${process.pid}`);
}

/**
 * Writes `file` through `write(fd)` into its temporary name, then renames it into place. If
 * `write` throws, the temporary file is removed and an older `file` is left as it was.
 */
export function writeAtomicWith(file: string, write: (fd: number) => void): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = temporaryName(file);
  const fd = openSync(tmp, 'w');
  try {
    write(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, file);
}

export function writeAtomic(file: string, content: string): void {
  writeAtomicWith(file, (fd) => writeAll(fd, content));
}

/** A CSV with a header row, its rows taken one at a time from `rows` (an array or a generator). */
export function writeCsvAtomic(
  file: string,
  header: readonly string[],
  rows: Iterable<CsvRow>,
): void {
  writeAtomicWith(file, (fd) => {
    let chunk: CsvRow[] = [header];
    for (const row of rows) {
      chunk.push(row);
      if (chunk.length >= CSV_CHUNK_ROWS) {
        writeAll(fd, stringify(chunk as Array<Array<string | number>>, CSV_OPTIONS));
        chunk = [];
      }
    }
    if (chunk.length > 0)
      writeAll(fd, stringify(chunk as Array<Array<string | number>>, CSV_OPTIONS));
  });
}

/** CSV text with a header row; cells are strings or numbers (no booleans, no dates). */
export function toCsv(header: readonly string[], rows: ReadonlyArray<CsvRow>): string {
  return stringify([header as string[], ...(rows as Array<Array<string | number>>)], CSV_OPTIONS);
}

/** writeSync may write less than asked: loop until every byte is out. */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}
