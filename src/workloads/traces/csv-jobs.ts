// ksim's own trace format, for workloads from anywhere else: a CSV with the header
// `submit,cpu,memory,duration[,count]` (docs/traces.md). Times are Go durations (`90s`, `1h30m`)
// or plain numbers of seconds, like the public traces; sizes are Kubernetes quantities.
import { EXPECTED_DURATION, parseDuration } from '../../model/duration.js';
import { parseBytes, parseCpuMillis } from '../../model/quantity.js';
import { UnitError } from '../../model/units-error.js';
import { readCsvRows, type CsvRow } from './csv-text.js';
import { TraceError, emptyResult, type TraceJob, type TraceReadResult } from './record.js';

const COLUMNS = {
  required: ['submit', 'cpu', 'memory', 'duration'],
  optional: ['count'],
  rejectUnknown: true,
} as const;

const SECONDS = /^[0-9]+(\.[0-9]+)?$/;
const EXPECTED_TIME = 'a duration (e.g. 90s, 1h30m) or a number of seconds';

/**
 * One job per row, named `job-<n>` (n counts data rows from 1, bad ones included,
 * so fixing a row never renames the others). An empty `duration` means the pod
 * runs until the simulation ends; `count` (default 1) pods are created at `submit`.
 */
export function readCsvJobs(text: string, file = 'jobs.csv'): TraceReadResult<TraceJob> {
  const result = emptyResult<TraceJob>();
  const errors = result.errors;
  for (const row of readCsvRows(text, file, COLUMNS, errors)) {
    const before = errors.length;
    const submitMs = cell(row, 'submit', file, errors, time);
    const cpuMilli = cell(row, 'cpu', file, errors, (s) => nonNegative(parseCpuMillis(s), s));
    const memoryBytes = cell(row, 'memory', file, errors, (s) => nonNegative(parseBytes(s), s));
    const durationText = row.get('duration')!.value.trim();
    const durationMs = durationText === '' ? undefined : cell(row, 'duration', file, errors, time);
    const countText = row.get('count')?.value.trim() ?? '';
    const count = countText === '' ? 1 : cell(row, 'count', file, errors, positiveInteger);
    if (errors.length > before) continue;

    const job: TraceJob = {
      id: `job-${row.index + 1}`,
      submitMs: submitMs!,
      cpuMilli: cpuMilli!,
      memoryBytes: memoryBytes!,
      gpu: 0,
      gpuMilli: 0,
      count: count!,
      line: row.line,
    };
    if (durationMs !== undefined) job.durationMs = durationMs;
    result.records.push(job);
  }
  return result;
}

/** Parses one cell, turning a UnitError into a TraceError that names the column. */
function cell(
  row: CsvRow,
  column: string,
  file: string,
  errors: TraceError[],
  parse: (text: string) => number,
): number | undefined {
  const field = row.get(column)!;
  try {
    return parse(field.value.trim());
  } catch (e) {
    if (!(e instanceof UnitError)) throw e;
    errors.push(new TraceError(file, row.line, `${column}: ${e.message}`, field.column));
    return undefined;
  }
}

/** Seconds as a plain number are read exactly (as a Go duration in `s`), then rounded to ms. */
function time(text: string): number {
  let ms: number;
  try {
    ms = parseDuration(SECONDS.test(text) ? `${text}s` : text);
  } catch (e) {
    // Say that plain seconds are accepted too; other unit errors (out of range) pass through.
    if (e instanceof UnitError && e.expected === EXPECTED_DURATION) {
      throw new UnitError(EXPECTED_TIME, JSON.stringify(text));
    }
    throw e;
  }
  if (ms < 0) throw new UnitError(`a time at or after 0`, JSON.stringify(text));
  return ms;
}

function nonNegative(value: number, text: string): number {
  if (value < 0) throw new UnitError('a non-negative quantity', JSON.stringify(text));
  return value;
}

function positiveInteger(text: string): number {
  const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!(Number.isSafeInteger(n) && n > 0)) {
    throw new UnitError('a positive integer', JSON.stringify(text));
  }
  return n;
}
