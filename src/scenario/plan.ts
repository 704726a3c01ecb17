/**
 * How many pods a scenario will create, and how many values its time series will hold, known
 * before anything runs: the loader refuses a scenario beyond LIMITS with one message that prints
 * the total checked and names the biggest contributors, at the biggest one's field.
 *
 * Pods counted: pods listed at time 0; the expected arrivals of each workload (times the pods of
 * one Job for a Job template); replicas of Deployments, ReplicaSets and StatefulSets — at their
 * largest over the run (an HPA's maxReplicas, a timeline `scale`); completions (else
 * parallelism) of Jobs; one pod per node for DaemonSets. Churn (pods replaced after evictions,
 * rollouts) and CronJobs are not counted: the figure is an estimate of the floor.
 */
import type { Path } from './errors.js';
import { formatPath } from './errors.js';
import type { Obj } from './fields.js';
import { LIMITS } from './limits.js';
import type { Issues, SourceDoc } from './source.js';

interface Contribution {
  /** `spec.workloads[0] "batch"`, `Deployment shop/web`. */
  what: string;
  pods: number;
  src: SourceDoc;
  path: Path;
}

/** How many contributors a limit message names. */
const NAMED = 3;

export class PodPlan {
  private readonly items: Contribution[] = [];

  add(what: string, pods: number, src: SourceDoc, path: Path): void {
    if (pods > 0) this.items.push({ what, pods, src, path });
  }

  get total(): number {
    let n = 0;
    for (const c of this.items) n += c.pods;
    return n;
  }

  /** One issue when the total is beyond LIMITS.pods, at the biggest contributor. */
  check(issues: Issues): void {
    const total = this.total;
    if (!(total > LIMITS.pods)) return;
    // Stable: equal contributors keep file order.
    const biggest = [...this.items].sort((a, b) => b.pods - a.pods);
    const named = biggest.slice(0, NAMED).map((c) => `${c.what}: ${formatCount(c.pods)}`);
    const rest = biggest.length - NAMED;
    if (rest > 0) named.push(`${rest} more`);
    const top = biggest[0]!;
    issues.at(
      top.src,
      top.path,
      `the scenario would create about ${formatCount(total)} pods over the run (${named.join(', ')}); ksim handles at most ${LIMITS.pods} pods per run`,
    );
  }
}

/** `spec.workloads[0] "web"`, or the path alone when the workload has no name. */
export function workloadLabel(path: Path, name: string | undefined): string {
  return name ? `${formatPath(path)} "${name}"` : formatPath(path);
}

/** 3.60e9 above a million, the rounded count below. */
export function formatCount(n: number): string {
  return n >= 1e6 ? n.toExponential(2).replace('e+', 'e') : String(Math.round(n));
}

/** A count the way controllers will read it: a non-negative integer, else the default. */
function count(v: unknown, dflt: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : dflt;
}

/** Pods one Job creates (without retries): completions, else parallelism, else 1. */
export function podsPerJob(jobSpec: unknown): number {
  const spec = isObj(jobSpec) ? jobSpec : {};
  if (spec.completions !== undefined && spec.completions !== null)
    return count(spec.completions, 1);
  return count(spec.parallelism, 1);
}

/** What a workload object asks for, and where: the field a limit message points at. */
export function objectPods(
  manifest: Obj,
  nodes: number,
): { pods: number; field: string[] } | undefined {
  const spec = isObj(manifest.spec) ? manifest.spec : {};
  switch (manifest.kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
      return { pods: count(spec.replicas, 1), field: ['spec', 'replicas'] };
    case 'Job':
      return {
        pods: podsPerJob(spec),
        field: ['spec', spec.completions !== undefined ? 'completions' : 'parallelism'],
      };
    case 'DaemonSet':
      return { pods: nodes, field: ['spec'] };
    default:
      return undefined;
  }
}

/** An HPA's target (`Deployment/ns/name`) and maxReplicas, when both read as the controller will. */
export function hpaTarget(manifest: Obj): { key: string; maxReplicas: number } | undefined {
  const spec = isObj(manifest.spec) ? manifest.spec : {};
  const ref = isObj(spec.scaleTargetRef) ? spec.scaleTargetRef : {};
  const meta = isObj(manifest.metadata) ? manifest.metadata : {};
  if (typeof ref.kind !== 'string' || typeof ref.name !== 'string') return undefined;
  const max = count(spec.maxReplicas, 0);
  if (max === 0) return undefined;
  const ns = typeof meta.namespace === 'string' ? meta.namespace : 'default';
  return { key: `${ref.kind}/${ns}/${ref.name}`, maxReplicas: max };
}

/** `Deployment/ns/name` of a workload object. */
export function objectKeyOf(manifest: Obj): string {
  const meta = isObj(manifest.metadata) ? manifest.metadata : {};
  const ns = typeof meta.namespace === 'string' ? meta.namespace : 'default';
  return `${String(manifest.kind)}/${ns}/${String(meta.name ?? '')}`;
}

/**
 * Values timeseries.csv will hold: one row per sample, each with the base columns, four per zone
 * and per pool, and ready/desired per Deployment and StatefulSet.
 */
export function timeseriesValues(opts: {
  durationMs: number;
  sampleIntervalMs: number;
  baseColumns: number;
  zones: number;
  pools: number;
  workloads: number;
}): { samples: number; columns: number; values: number } {
  const samples = Math.floor(opts.durationMs / opts.sampleIntervalMs) + 1;
  const columns = opts.baseColumns + 4 * opts.zones + 4 * opts.pools + 2 * opts.workloads;
  return { samples, columns, values: samples * columns };
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
