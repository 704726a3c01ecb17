/**
 * Ready vs desired pods of DaemonSets and Jobs, as timeseries columns
 * `workload:<Kind>/<ns>/<name>:ready` and `:desired` beside the Deployments' and StatefulSets'
 * (workload-series.ts), read from each object's status as its controller last wrote it — what
 * `kubectl get` would show, stale while the controller-manager is down:
 * - DaemonSet: desired = status.desiredNumberScheduled (nodes that should run a daemon pod),
 *   ready = status.numberReady.
 * - Job: desired = the pods the Job wants running now — min(parallelism, completions −
 *   succeeded) while it is neither finished nor suspended (with no completions, a work queue:
 *   parallelism until a pod succeeds, then its active pods), 0 once Complete or Failed;
 *   ready = status.ready (active pods that are Ready). So ready < desired is parallel work the
 *   Job wanted but did not get: pods pending, starting or lost with a node.
 * Neither enters summary.json `availability`, which measures serving workloads.
 *
 * Only objects that exist before the first sample get columns (every timeseries row has the
 * header's columns), so Jobs made later by a CronJob or an arrival process are not charted.
 * A sample costs O(tracked objects).
 */
import type { SimContext } from '../components/context.js';
import type { SeriesProvider } from '../metrics/collector.js';
import { objectKey } from '../model/store.js';
import type { DaemonSet } from './daemonset.js';
import type { Job } from './job.js';
import { ownerLabel, type StoredWorkload } from './stored-workload.js';

const KINDS = ['DaemonSet', 'Job'] as const;
type Kind = (typeof KINDS)[number];

/** Successful completions in a status.completedIndexes list such as `1,3-5,7` (5). */
export function countIndexes(list: string | undefined): number {
  let n = 0;
  for (const part of (list ?? '').split(',')) {
    if (part === '') continue;
    const [from, to] = part.split('-').map(Number);
    n += to === undefined ? 1 : to - from! + 1;
  }
  return n;
}

export function jobDesired(job: Job): number {
  const { spec, status } = job;
  if (spec.suspend) return 0;
  if ((status.conditions ?? []).some((c) => c.type === 'Complete' || c.type === 'Failed')) return 0;
  const parallelism = spec.parallelism ?? 1;
  const completions =
    spec.completions === undefined && spec.parallelism === undefined
      ? 1
      : (spec.completions ?? undefined);
  const succeeded =
    spec.completionMode === 'Indexed'
      ? countIndexes(status.completedIndexes)
      : (status.succeeded ?? 0);
  if (completions === undefined) return succeeded > 0 ? (status.active ?? 0) : parallelism;
  return Math.max(0, Math.min(parallelism, completions - succeeded));
}

export class WorkloadStatusSeries implements SeriesProvider {
  private readonly tracked: Array<{ kind: Kind; label: string; key: string }> = [];
  private readonly seen = new Set<string>();

  constructor(private readonly ctx: SimContext) {
    for (const kind of KINDS) {
      for (const obj of ctx.store.listObjects<StoredWorkload>(kind)) this.track(kind, obj);
      ctx.store.onObject(kind, (e) => {
        if (e.type !== 'delete' && ctx.metrics.samples.length === 0)
          this.track(kind, e.obj as StoredWorkload);
      });
    }
  }

  private track(kind: Kind, obj: StoredWorkload): void {
    const label = ownerLabel(obj);
    if (this.seen.has(label)) return;
    this.seen.add(label);
    this.tracked.push({ kind, label, key: objectKey(obj) });
  }

  columns(): string[] {
    return this.tracked.flatMap((t) => [
      `workload:${t.label}:ready`,
      `workload:${t.label}:desired`,
    ]);
  }

  values(): number[] {
    return this.tracked.flatMap((t) => {
      const obj = this.ctx.store.getObject<StoredWorkload>(t.kind, t.key);
      if (!obj) return [0, 0];
      if (t.kind === 'DaemonSet') {
        const st = (obj as DaemonSet).status;
        return [st.numberReady ?? 0, st.desiredNumberScheduled ?? 0];
      }
      const job = obj as Job;
      return [job.status.ready ?? 0, jobDesired(job)];
    });
  }
}
