/**
 * `workloads[].trace` and `nodePools[].fromTrace`: validated, and the trace files read at
 * load time so a malformed row fails the scenario before anything runs, reported with the
 * trace file's name and line. Paths are relative to the scenario file; `.gz` is accepted.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { LABEL_ZONE, type SimNode } from '../model/objects.js';
import { emptyResource, setResource } from '../model/resources.js';
import {
  nodeExtendedResources,
  nodeLabels,
  readAlibabaNodes,
  readAlibabaPods,
  readCsvJobs,
  readSwf,
  readTraceFile,
  type TraceError,
  type TraceJob,
  type TraceRebase,
} from '../workloads/traces/index.js';
import type { Path } from './errors.js';
import type { Reader } from './fields.js';
import { buildNode, DEFAULT_MAX_PODS, LABEL_POOL, type NodeShape } from './nodes.js';

export const TRACE_FORMATS = ['alibaba-gpu-v2023', 'swf', 'csv'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

export interface TraceReplaySpec {
  format: TraceFormat;
  /** The path as the user wrote it (for messages). */
  path: string;
  /** Jobs as read, before window/scale options (applied per run with the run's seed). */
  jobs: TraceJob[];
  window?: { fromMs?: number; untilMs?: number };
  timeScale: number;
  loadScale: number;
  rebase: TraceRebase;
  /** Replay at most this many jobs (after the window), in submit order. */
  limit?: number;
}

/** The file a scenario-relative path names, and how messages should show it. */
function resolve(r: Reader, p: string): { abs: string; shown: string } {
  const base = r.src.absFile ? join(r.src.absFile, '..') : '.';
  const abs = isAbsolute(p) ? p : join(base, p);
  const shown = relative(process.cwd(), abs) || abs;
  return { abs, shown };
}

function readText(r: Reader, p: string, path: Path): { text: string; shown: string } | undefined {
  const { abs, shown } = resolve(r, p);
  if (!existsSync(abs)) {
    r.issues.at(r.src, path, `no trace file at ${shown}`);
    return undefined;
  }
  try {
    return { text: readTraceFile(abs), shown };
  } catch (e) {
    r.issues.at(r.src, path, `cannot read trace file ${shown}: ${(e as Error).message}`);
    return undefined;
  }
}

function report(r: Reader, errors: readonly TraceError[]): void {
  for (const e of errors) r.issues.file(e.file, e.message, e.line, e.column ?? 0);
}

export function readTraceReplay(r: Reader, v: unknown, path: Path): TraceReplaySpec | undefined {
  const o = r.obj(v, path, [
    'format',
    'path',
    'window',
    'timeScale',
    'loadScale',
    'limit',
    'rebase',
  ]);
  if (!o) return undefined;
  const before = r.issues.count;
  const format = r.oneOf(o.format, [...path, 'format'], TRACE_FORMATS);
  const file = r.string(o.path, [...path, 'path'], 'a trace file path (relative to the scenario)');
  let window: TraceReplaySpec['window'];
  if (o.window !== undefined) {
    const w = r.obj(o.window, [...path, 'window'], ['from', 'until']);
    if (w) {
      const fromMs =
        w.from === undefined ? undefined : r.duration(w.from, [...path, 'window', 'from']);
      const untilMs =
        w.until === undefined ? undefined : r.duration(w.until, [...path, 'window', 'until']);
      if (fromMs !== undefined && untilMs !== undefined && untilMs <= fromMs)
        r.issues.at(r.src, [...path, 'window', 'until'], 'must be after window.from');
      window = { fromMs, untilMs };
    }
  }
  const timeScale =
    o.timeScale === undefined ? 1 : r.number(o.timeScale, [...path, 'timeScale'], 1e-9, 1e9);
  const loadScale =
    o.loadScale === undefined ? 1 : r.number(o.loadScale, [...path, 'loadScale'], 0, 1000);
  const limit = o.limit === undefined ? undefined : r.int(o.limit, [...path, 'limit'], 1);
  const rebase =
    o.rebase === undefined
      ? 'window-start'
      : r.oneOf(o.rebase, [...path, 'rebase'], ['window-start', 'first-job', 'none'] as const);
  if (r.issues.count !== before || !format || !file) return undefined;
  const t = readText(r, file, [...path, 'path']);
  if (!t) return undefined;
  const result =
    format === 'alibaba-gpu-v2023'
      ? readAlibabaPods(t.text, t.shown)
      : format === 'swf'
        ? readSwf(t.text, t.shown)
        : readCsvJobs(t.text, t.shown);
  report(r, result.errors);
  if (result.errors.length) return undefined;
  return {
    format,
    path: file,
    jobs: result.records,
    window,
    timeScale: timeScale ?? 1,
    loadScale: loadScale ?? 1,
    rebase: rebase ?? 'window-start',
    limit,
  };
}

/**
 * Nodes of a `fromTrace` pool: the trace's machines under their own names, with cpu,
 * memory, 110 pods, GPUs as extended resources (`nvidia.com/gpu`, `alibaba.com/gpu-milli`),
 * the GPU model label, the pool label and zones round-robin.
 */
export function readTracePool(
  r: Reader,
  v: unknown,
  path: Path,
  pool: string,
  zones: string[],
): SimNode[] | undefined {
  const o = r.obj(v, path, ['format', 'path', 'limit']);
  if (!o) return undefined;
  const before = r.issues.count;
  r.oneOf(o.format, [...path, 'format'], ['alibaba-gpu-v2023'] as const);
  const file = r.string(o.path, [...path, 'path'], 'a trace file path (relative to the scenario)');
  const limit = o.limit === undefined ? undefined : r.int(o.limit, [...path, 'limit'], 1);
  if (r.issues.count !== before || !file) return undefined;
  const t = readText(r, file, [...path, 'path']);
  if (!t) return undefined;
  const result = readAlibabaNodes(t.text, t.shown);
  report(r, result.errors);
  if (result.errors.length) return undefined;
  const machines = limit === undefined ? result.records : result.records.slice(0, limit);
  return machines.map((m, i) => {
    const res = emptyResource();
    setResource(res, 'cpu', m.cpuMilli);
    setResource(res, 'memory', m.memoryBytes);
    setResource(res, 'pods', DEFAULT_MAX_PODS);
    for (const [name, q] of Object.entries(nodeExtendedResources(m))) setResource(res, name, q);
    const shape: NodeShape = {
      labels: nodeLabels(m),
      annotations: {},
      taints: [],
      unschedulable: false,
      capacity: res,
      allocatable: res,
      images: [],
    };
    const extra: Record<string, string> = { [LABEL_POOL]: pool };
    if (zones.length) extra[LABEL_ZONE] = zones[i % zones.length]!;
    return buildNode(m.name, shape, pool, extra);
  });
}
