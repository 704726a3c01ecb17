/**
 * CronJob controller (pkg/controller/cronjob, v2): creates a Job `<name>-<minutes since the
 * epoch>` at each schedule time (woken 100 ms after it, nextScheduleDelta), honouring
 * suspend, startingDeadlineSeconds (a start later than that is missed), concurrencyPolicy
 * (Allow; Forbid skips a run while one is active; Replace deletes the active Jobs first) and
 * the history limits (3 successful, 1 failed). After a control-plane outage only the most
 * recent missed time is started, as upstream.
 */
import type { SimContext } from '../components/context.js';
import { CronSchedule } from './cron-schedule.js';
import { JOB_KIND, jobFinished, type Job, type JobSpec } from './job.js';
import { API_RETRY_MS, SyncQueue, type SyncResult } from './sync-queue.js';
import {
  loadScenarioObjects,
  ownerLabel,
  STATUS_CHANGE,
  workloadKey,
  type StoredWorkload,
} from './stored-workload.js';

export const CRONJOB_KIND = 'CronJob';
/** cronjob_controllerv2.go nextScheduleDelta. */
export const NEXT_SCHEDULE_DELTA_MS = 100;
export const ANNOTATION_SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

export interface CronJobSpec {
  schedule?: string;
  timeZone?: string;
  startingDeadlineSeconds?: number;
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  suspend?: boolean;
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
  jobTemplate?: {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec?: JobSpec;
  };
}

export interface CronJobStatus {
  active: string[];
  lastScheduleTime?: number;
  lastSuccessfulTime?: number;
}

export type CronJob = StoredWorkload<CronJobSpec, Partial<CronJobStatus>>;

export function startCronJobController(ctx: SimContext): void {
  const { store } = ctx;
  const schedules = new Map<string, CronSchedule | null>();
  const queue = new SyncQueue(ctx, (key) => {
    const cj = store.getObject<CronJob>(CRONJOB_KIND, key);
    return cj ? syncCronJob(ctx, cj, schedules) : undefined;
  });
  store.onObject(CRONJOB_KIND, (e) => {
    if (e.change === STATUS_CHANGE) return;
    const cj = e.obj as CronJob;
    schedules.delete(cj.metadata.uid);
    if (e.type === 'delete') {
      for (const j of jobsOf(ctx, cj)) deleteJob(ctx, cj, j);
      return;
    }
    queue.enqueue(workloadKey(cj));
  });
  store.onObject(JOB_KIND, (e) => {
    const job = e.obj as Job;
    const ref = job.metadata.ownerReferences?.find((r) => r.controller);
    if (ref?.kind !== CRONJOB_KIND) return;
    // A Job finishing (or going away) frees the Forbid slot and counts against the history.
    if (e.type === 'delete' || jobFinished(job))
      queue.enqueue(`${job.metadata.namespace}/${ref.name}`);
  });
  loadScenarioObjects(ctx, CRONJOB_KIND);
}

function jobsOf(ctx: SimContext, cj: CronJob): Job[] {
  return ctx.store
    .listObjects<Job>(JOB_KIND)
    .filter(
      (j) =>
        j.metadata.namespace === cj.metadata.namespace &&
        j.metadata.ownerReferences?.some((r) => r.controller && r.uid === cj.metadata.uid),
    );
}

function deleteJob(ctx: SimContext, cj: CronJob, job: Job): boolean {
  if (!ctx.api.tryWrite('object', 'controller/cronjob')) return false;
  ctx.store.deleteObject(job);
  ctx.events.record(
    CRONJOB_KIND,
    workloadKey(cj),
    'SuccessfulDelete',
    `Deleted job ${job.metadata.name}`,
  );
  return true;
}

function syncCronJob(
  ctx: SimContext,
  cj: CronJob,
  schedules: Map<string, CronSchedule | null>,
): SyncResult {
  const now = ctx.engine.now;
  const key = workloadKey(cj);
  const status = cj.status;
  status.active ??= [];
  const jobs = jobsOf(ctx, cj);
  let failed = false;

  // Active list: Jobs that exist and have not finished.
  const byName = new Map(jobs.map((j) => [j.metadata.name, j]));
  for (const name of [...status.active]) {
    const j = byName.get(name);
    const fin = j && jobFinished(j);
    if (!j || fin) {
      status.active = status.active.filter((n) => n !== name);
      if (j && fin) {
        ctx.events.record(
          CRONJOB_KIND,
          key,
          'SawCompletedJob',
          `Saw completed job: ${name}, condition: ${fin}`,
        );
        if (fin === 'Complete') status.lastSuccessfulTime = now;
      }
    }
  }
  // History limits: delete the oldest finished Jobs beyond them.
  const limit = (kind: 'Complete' | 'Failed', n: number): void => {
    const done = jobs.filter(
      (j) => jobFinished(j) === kind && ctx.store.getObject(JOB_KIND, workloadKey(j)),
    );
    for (const j of done.slice(0, Math.max(0, done.length - n)))
      if (!deleteJob(ctx, cj, j)) failed = true;
  };
  limit('Complete', cj.spec.successfulJobsHistoryLimit ?? 3);
  limit('Failed', cj.spec.failedJobsHistoryLimit ?? 1);

  let sched = schedules.get(cj.metadata.uid);
  if (sched === undefined) {
    try {
      sched = CronSchedule.parse(String(cj.spec.schedule ?? ''), cj.spec.timeZone ?? 'UTC');
    } catch (e) {
      ctx.events.record(
        CRONJOB_KIND,
        key,
        'UnparseableSchedule',
        `unparseable schedule: "${String(cj.spec.schedule)}" : ${(e as Error).message}`,
      );
      sched = null;
    }
    schedules.set(cj.metadata.uid, sched);
  }
  const finish = (): SyncResult => {
    ctx.store.putObject(cj, STATUS_CHANGE);
    return failed ? API_RETRY_MS : undefined;
  };
  if (!sched || cj.spec.suspend) return finish();

  const wakeAt = (from: number): SyncResult => {
    const r = finish();
    const t = sched.next(from) + NEXT_SCHEDULE_DELTA_MS - now;
    return r === undefined ? t : Math.min(r, t);
  };
  let earliest = status.lastScheduleTime ?? cj.metadata.creationTimestamp;
  const sds = cj.spec.startingDeadlineSeconds;
  if (sds !== undefined) earliest = Math.max(earliest, now - sds * 1000);
  const { time: scheduled } = sched.mostRecent(earliest, now);
  if (scheduled === undefined) return wakeAt(now);

  const jobName = `${cj.metadata.name}-${Math.floor(scheduled / 60_000)}`;
  if (byName.has(jobName)) return wakeAt(now);
  const policy = cj.spec.concurrencyPolicy ?? 'Allow';
  if (policy === 'Forbid' && status.active.length > 0) {
    ctx.events.record(
      CRONJOB_KIND,
      key,
      'JobAlreadyActive',
      'Not starting job because prior execution is running and concurrency policy is Forbid',
    );
    return wakeAt(now);
  }
  if (policy === 'Replace') {
    for (const name of [...status.active]) {
      const j = byName.get(name);
      if (j && !deleteJob(ctx, cj, j)) {
        failed = true;
        return finish();
      }
      status.active = status.active.filter((n) => n !== name);
    }
  }
  if (!ctx.api.tryWrite('object', 'controller/cronjob')) {
    ctx.events.record(CRONJOB_KIND, key, 'FailedCreate', `Error creating job: ${jobName}`);
    failed = true;
    return finish();
  }
  const tplMeta = cj.spec.jobTemplate?.metadata ?? {};
  const { template: _t, ...jobSpec } = (cj.spec.jobTemplate?.spec ?? {}) as JobSpec & {
    template?: unknown;
  };
  const job: Job = {
    kind: JOB_KIND,
    apiVersion: 'batch/v1',
    metadata: {
      name: jobName,
      namespace: cj.metadata.namespace,
      uid: ctx.store.nextUid('job'),
      labels: { ...(tplMeta.labels ?? {}) },
      annotations: {
        ...(tplMeta.annotations ?? {}),
        [ANNOTATION_SCHEDULED_TIMESTAMP]: new Date(scheduled).toISOString(),
      },
      creationTimestamp: now,
      ownerReferences: [
        {
          apiVersion: 'batch/v1',
          kind: CRONJOB_KIND,
          name: cj.metadata.name,
          uid: cj.metadata.uid,
          controller: true,
        },
      ],
    },
    spec: structuredClone(jobSpec),
    status: {},
    podTemplate: cj.podTemplate,
    topOwner: cj.topOwner ?? ownerLabel(cj),
  };
  ctx.store.putObject(job);
  ctx.events.record(CRONJOB_KIND, key, 'SuccessfulCreate', `Created job ${jobName}`);
  status.active.push(jobName);
  status.lastScheduleTime = scheduled;
  return wakeAt(now);
}
