// Reader for the Standard Workload Format of the Parallel Workloads Archive
// (https://www.cs.huji.ac.il/labs/parallel/workload/swf.html): `;` header comments, then one job
// per line as 18 whitespace-separated numbers, -1 meaning unknown. A processor becomes a share
// of CPU; the archive's logs mostly lack memory, so a per-processor default fills it in.
import { numberedLines } from './csv-text.js';
import {
  TraceError,
  countSkipped,
  emptyResult,
  type TraceJob,
  type TraceReadResult,
} from './record.js';

export interface SwfOptions {
  /** Millicores per processor; default 1000 (one processor is one core). */
  cpuPerProcessor?: number;
  /** Memory per processor when the log gives neither used (7) nor requested (10) memory; default 1 GiB. */
  defaultMemoryPerProcessorBytes?: number;
}

export interface SwfReadResult extends TraceReadResult<TraceJob> {
  /** `; Key: value` header lines, first occurrence of each key (e.g. `MaxProcs`, `UnixStartTime`). */
  header: Record<string, string>;
}

export const SWF_FIELD_COUNT = 18;
const DEFAULT_CPU_PER_PROCESSOR = 1000;
const DEFAULT_MEMORY_PER_PROCESSOR = 1024 * 1024 * 1024;
const BYTES_PER_KB = 1024;
const MS_PER_S = 1000;

export const SKIP_SUBMIT_UNKNOWN = 'submit time unknown';
export const SKIP_RUN_TIME = 'run time <= 0';
export const SKIP_PROCESSORS = 'processors <= 0';

/** 1-based SWF field numbers, named as the format's definition names them. */
const F = {
  job: 1,
  submit: 2,
  runTime: 4,
  allocatedProcessors: 5,
  usedMemory: 7,
  requestedProcessors: 8,
  requestedMemory: 10,
} as const;

const FIELD_NAMES: Record<number, string> = {
  [F.job]: 'job number',
  [F.submit]: 'submit time',
  [F.runTime]: 'run time',
  [F.allocatedProcessors]: 'allocated processors',
  [F.usedMemory]: 'used memory',
  [F.requestedProcessors]: 'requested processors',
  [F.requestedMemory]: 'requested memory',
};

const HEADER_LINE = /^;\s*([A-Za-z][A-Za-z0-9_ ]*?)\s*:\s*(.*?)\s*$/;
const NUMBER = /^-?[0-9]+(\.[0-9]+)?$/;
const INTEGER = /^-?[0-9]+$/;

/**
 * Submit (2) and run time (4) are seconds; processors are allocated (5), or requested (8) when 5
 * is -1; memory is used (7) or else requested (10) KB per processor, times processors. Jobs with
 * an unknown submit time, a run time <= 0 or no processors cannot be replayed: they are counted
 * in `skipped`, not reported as errors.
 */
export function readSwf(text: string, file = 'trace.swf', opts: SwfOptions = {}): SwfReadResult {
  const cpuPerProcessor = opts.cpuPerProcessor ?? DEFAULT_CPU_PER_PROCESSOR;
  const defaultMemory = opts.defaultMemoryPerProcessorBytes ?? DEFAULT_MEMORY_PER_PROCESSOR;
  if (!(Number.isSafeInteger(cpuPerProcessor) && cpuPerProcessor > 0)) {
    throw new RangeError(
      `cpuPerProcessor must be a positive integer of millicores, got ${cpuPerProcessor}`,
    );
  }
  if (!(Number.isSafeInteger(defaultMemory) && defaultMemory > 0)) {
    throw new RangeError(
      `defaultMemoryPerProcessorBytes must be a positive integer, got ${defaultMemory}`,
    );
  }

  const result: SwfReadResult = { ...emptyResult<TraceJob>(), header: {} };
  const seen = new Map<string, number>();
  for (const { text: lineText, line } of numberedLines(text)) {
    const trimmed = lineText.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith(';')) {
      const m = HEADER_LINE.exec(trimmed);
      if (m !== null && !(m[1] in result.header)) result.header[m[1]] = m[2];
      continue;
    }
    const fields = [...lineText.matchAll(/\S+/g)].map((m) => ({
      value: m[0],
      column: m.index + 1,
    }));
    if (fields.length !== SWF_FIELD_COUNT) {
      result.errors.push(
        new TraceError(
          file,
          line,
          `expected ${SWF_FIELD_COUNT} whitespace-separated fields, found ${fields.length}`,
        ),
      );
      continue;
    }

    const before = result.errors.length;
    const num = (n: number, pattern: RegExp, expected: string): number => {
      const f = fields[n - 1];
      if (!pattern.test(f.value)) {
        result.errors.push(
          new TraceError(
            file,
            line,
            `field ${n} (${FIELD_NAMES[n]}): expected ${expected}, found ${JSON.stringify(f.value)}`,
            f.column,
          ),
        );
        return NaN;
      }
      return Number(f.value);
    };
    const id = fields[F.job - 1].value;
    num(F.job, INTEGER, 'an integer');
    const submit = num(F.submit, NUMBER, 'a number of seconds');
    const runTime = num(F.runTime, NUMBER, 'a number of seconds');
    const allocated = num(F.allocatedProcessors, INTEGER, 'an integer');
    const requested = num(F.requestedProcessors, INTEGER, 'an integer');
    const usedMemory = num(F.usedMemory, NUMBER, 'a number of KB');
    const requestedMemory = num(F.requestedMemory, NUMBER, 'a number of KB');
    if (result.errors.length > before) continue;

    const first = seen.get(id);
    if (first !== undefined) {
      result.errors.push(
        new TraceError(
          file,
          line,
          `field 1 (job number): ${id} already appears on line ${first}`,
          fields[0].column,
        ),
      );
      continue;
    }
    seen.set(id, line);

    const processors = allocated === -1 ? requested : allocated;
    if (submit < 0) {
      countSkipped(result, SKIP_SUBMIT_UNKNOWN);
      continue;
    }
    if (runTime <= 0) {
      countSkipped(result, SKIP_RUN_TIME);
      continue;
    }
    if (processors <= 0) {
      countSkipped(result, SKIP_PROCESSORS);
      continue;
    }
    const kbPerProcessor = usedMemory > 0 ? usedMemory : requestedMemory > 0 ? requestedMemory : -1;
    const memoryBytes =
      kbPerProcessor > 0
        ? Math.round(kbPerProcessor * BYTES_PER_KB * processors)
        : defaultMemory * processors;

    result.records.push({
      id,
      submitMs: Math.round(submit * MS_PER_S),
      cpuMilli: processors * cpuPerProcessor,
      memoryBytes,
      gpu: 0,
      gpuMilli: 0,
      durationMs: Math.round(runTime * MS_PER_S),
      count: 1,
      line,
    });
  }
  return result;
}
