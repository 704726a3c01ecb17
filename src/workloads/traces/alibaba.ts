// Readers for Alibaba cluster-trace-gpu-v2023 (the FGD paper's "openb" traces): the pod list
// (`openb_pod_list_*.csv`) and the node list (`openb_node_list_*.csv`). Column meanings are the
// trace README's; times there are in seconds, memory in MiB.
import { nonNegativeInteger, readCsvRows, type CsvRow } from './csv-text.js';
import { LABEL_GPU_MODEL } from './gpu-resources.js';
import {
  TraceError,
  emptyResult,
  type TraceJob,
  type TraceNode,
  type TraceReadResult,
} from './record.js';

const MS_PER_S = 1000;
const BYTES_PER_MIB = 1024 * 1024;
const MILLI_PER_GPU = 1000;

const POD_COLUMNS = {
  required: [
    'name',
    'cpu_milli',
    'memory_mib',
    'num_gpu',
    'gpu_milli',
    'creation_time',
    'deletion_time',
    'scheduled_time',
  ],
  optional: ['gpu_spec', 'qos', 'pod_phase'],
} as const;

const NODE_COLUMNS = {
  required: ['sn', 'cpu_milli', 'memory_mib', 'gpu'],
  optional: ['model'],
} as const;

/**
 * One job per pod row: submitted at `creation_time`; runs `deletion_time − scheduled_time` (or
 * `− creation_time` for a pod the trace never scheduled), with no duration when `deletion_time` is
 * empty or 0. `num_gpu > 1`, or `num_gpu = 1` with `gpu_milli = 1000`, is whole GPUs; `num_gpu = 1`
 * with a smaller `gpu_milli` is a fractional share. A non-empty `gpu_spec` becomes the
 * `ksim.dev/gpu-model` hint.
 */
export function readAlibabaPods(
  text: string,
  file = 'openb_pod_list.csv',
): TraceReadResult<TraceJob> {
  const result = emptyResult<TraceJob>();
  const seen = new Map<string, number>();
  for (const row of readCsvRows(text, file, POD_COLUMNS, result.errors)) {
    const job = podJob(row, file, result.errors);
    if (job !== undefined && unique(job.id, 'name', row, seen, file, result.errors)) {
      result.records.push(job);
    }
  }
  return result;
}

function podJob(row: CsvRow, file: string, errors: TraceError[]): TraceJob | undefined {
  const before = errors.length;
  const int = (column: string) => nonNegativeInteger(row, column, file, errors);
  const nameField = row.get('name')!;
  if (nameField.value.trim() === '') {
    errors.push(
      new TraceError(file, row.line, 'name: expected a pod name, found ""', nameField.column),
    );
  }
  const cpuMilli = int('cpu_milli');
  const memoryMib = int('memory_mib');
  const numGpu = int('num_gpu');
  const gpuMilli = int('gpu_milli');
  const creation = int('creation_time');
  const scheduled = optionalTime(row, 'scheduled_time', file, errors);
  const deletion = optionalTime(row, 'deletion_time', file, errors);
  if (errors.length > before) return undefined;

  const gpu = gpuShare(row, numGpu!, gpuMilli!, file, errors);
  if (gpu === undefined) return undefined;

  let durationMs: number | undefined;
  if (deletion !== undefined && deletion !== 0) {
    const startColumn = scheduled === undefined ? 'creation_time' : 'scheduled_time';
    const start = scheduled ?? creation!;
    if (deletion < start) {
      errors.push(
        new TraceError(
          file,
          row.line,
          `deletion_time: expected a time at or after ${startColumn} (${start}), found ${deletion}`,
          row.get('deletion_time')!.column,
        ),
      );
      return undefined;
    }
    durationMs = (deletion - start) * MS_PER_S;
  }

  const job: TraceJob = {
    id: nameField.value.trim(),
    submitMs: creation! * MS_PER_S,
    cpuMilli: cpuMilli!,
    memoryBytes: memoryMib! * BYTES_PER_MIB,
    gpu: gpu.whole,
    gpuMilli: gpu.milli,
    count: 1,
    line: row.line,
  };
  if (durationMs !== undefined) job.durationMs = durationMs;
  const spec = cellText(row, 'gpu_spec');
  if (spec !== '') job.labels = { [LABEL_GPU_MODEL]: spec };
  return job;
}

function gpuShare(
  row: CsvRow,
  numGpu: number,
  gpuMilli: number,
  file: string,
  errors: TraceError[],
): { whole: number; milli: number } | undefined {
  if (numGpu > 1) return { whole: numGpu, milli: 0 };
  const column = row.get('gpu_milli')!.column;
  if (numGpu === 0) {
    if (gpuMilli === 0) return { whole: 0, milli: 0 };
    errors.push(
      new TraceError(
        file,
        row.line,
        `gpu_milli: expected 0 when num_gpu is 0, found ${gpuMilli}`,
        column,
      ),
    );
    return undefined;
  }
  if (gpuMilli === MILLI_PER_GPU) return { whole: 1, milli: 0 };
  if (gpuMilli > 0 && gpuMilli < MILLI_PER_GPU) return { whole: 0, milli: gpuMilli };
  errors.push(
    new TraceError(
      file,
      row.line,
      `gpu_milli: expected 1 to 1000 when num_gpu is 1, found ${gpuMilli}`,
      column,
    ),
  );
  return undefined;
}

/** An empty time cell means "did not happen" (a pod never scheduled). */
function optionalTime(
  row: CsvRow,
  column: string,
  file: string,
  errors: TraceError[],
): number | undefined {
  const field = row.get(column)!;
  if (field.value === '') return undefined;
  return nonNegativeInteger(row, column, file, errors);
}

/** pandas writes a missing string as `nan`; the published files use both that and an empty cell. */
function cellText(row: CsvRow, column: string): string {
  const value = row.get(column)?.value.trim() ?? '';
  return value === 'nan' ? '' : value;
}

/** One node per row: `sn` is the name; `model` (when present) the GPU model. */
export function readAlibabaNodes(
  text: string,
  file = 'openb_node_list.csv',
): TraceReadResult<TraceNode> {
  const result = emptyResult<TraceNode>();
  const errors = result.errors;
  const seen = new Map<string, number>();
  for (const row of readCsvRows(text, file, NODE_COLUMNS, errors)) {
    const before = errors.length;
    const int = (column: string) => nonNegativeInteger(row, column, file, errors);
    const snField = row.get('sn')!;
    if (snField.value.trim() === '') {
      errors.push(
        new TraceError(file, row.line, 'sn: expected a node name, found ""', snField.column),
      );
    }
    const cpuMilli = int('cpu_milli');
    const memoryMib = int('memory_mib');
    const gpu = int('gpu');
    if (errors.length > before) continue;
    const node: TraceNode = {
      name: snField.value.trim(),
      cpuMilli: cpuMilli!,
      memoryBytes: memoryMib! * BYTES_PER_MIB,
      gpu: gpu!,
      line: row.line,
    };
    const model = cellText(row, 'model');
    if (model !== '') node.gpuModel = model;
    if (unique(node.name, 'sn', row, seen, file, errors)) result.records.push(node);
  }
  return result;
}

/** Names identify pods and nodes, so a repeated one is an error at its second appearance. */
function unique(
  name: string,
  column: string,
  row: CsvRow,
  seen: Map<string, number>,
  file: string,
  errors: TraceError[],
): boolean {
  const first = seen.get(name);
  if (first === undefined) {
    seen.set(name, row.line);
    return true;
  }
  errors.push(
    new TraceError(
      file,
      row.line,
      `${column}: ${JSON.stringify(name)} already appears on line ${first}`,
      row.get(column)!.column,
    ),
  );
  return false;
}
