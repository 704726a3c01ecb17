// The neutral records every trace reader yields, whatever the source format: a reader's job is
// to turn its columns into these, and everything after (windowing, scaling, pods) is shared.

/** One submission in a trace: `count` identical pods asked for at `submitMs`. */
export interface TraceJob {
  /** The trace's own identifier (pod name, SWF job number, or `job-<n>`); unique per trace. */
  id: string;
  /** Trace time in ms (rebased to the simulation clock by `applyTraceOptions`). */
  submitMs: number;
  cpuMilli: number;
  memoryBytes: number;
  /** Whole GPUs. */
  gpu: number;
  /** A fractional GPU share in 1/1000 GPU (0 < gpuMilli < 1000), 0 when the job asks for none. */
  gpuMilli: number;
  /** How long the pod runs once started; absent when the trace does not say (runs until the end). */
  durationMs?: number;
  count: number;
  /** Placement hints, e.g. `ksim.dev/gpu-model` (see gpu-resources.ts). */
  labels?: Record<string, string>;
  /** 1-based line in the source file, for messages about this job. */
  line: number;
}

/** One machine in a trace's node list. */
export interface TraceNode {
  name: string;
  cpuMilli: number;
  memoryBytes: number;
  /** Whole GPUs. */
  gpu: number;
  gpuModel?: string;
  line: number;
}

/**
 * A malformed row, reported with its place in the file. Readers collect every one of them rather
 * than stopping at the first, so a user fixes a file in one pass; the loader decides whether to
 * fail. Not an Error subclass: it is a finding, not a throw site.
 */
export class TraceError {
  constructor(
    readonly file: string,
    /** 1-based line. */
    readonly line: number,
    readonly message: string,
    /** 1-based character column of the offending field, when known. */
    readonly column?: number,
  ) {}

  /** `openb_pod_list_default.csv:17: cpu_milli: expected a non-negative integer, found "abc"` */
  toString(): string {
    return `${this.file}:${this.line}: ${this.message}`;
  }
}

/** What a reader returns: the good records, every bad row, and rows deliberately left out. */
export interface TraceReadResult<T> {
  records: T[];
  errors: TraceError[];
  /** Rows that are well formed but cannot be replayed (e.g. SWF run time -1); counted, not errors. */
  skipped: number;
  /** `skipped` broken down by reason (e.g. `run time <= 0`). */
  skippedByReason: Record<string, number>;
}

/** Counts a skipped row under its reason. */
export function countSkipped(result: TraceReadResult<unknown>, reason: string): void {
  result.skipped++;
  result.skippedByReason[reason] = (result.skippedByReason[reason] ?? 0) + 1;
}

export function emptyResult<T>(): TraceReadResult<T> {
  return { records: [], errors: [], skipped: 0, skippedByReason: {} };
}
