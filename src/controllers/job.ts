/**
 * Job controller (pkg/controller/job): runs pods until `completions` succeed (NonIndexed),
 * or each index 0…completions−1 has succeeded once (Indexed, index in the
 * `batch.kubernetes.io/job-completion-index` label and annotation), at most `parallelism`
 * at a time. Failed pods are replaced after the pod-failure back-off — 10 s × 2^(n−1) after
 * the last failure, n the failures since the last success, capped at 10 min
 * (DefaultJobPodFailureBackOff / MaxJobPodFailureBackOff in job_controller.go; the user docs
 * say six minutes, the code says ten) — until more than `backoffLimit` (default 6) pods have
 * failed (BackoffLimitExceeded), or — with restartPolicy OnFailure — until the container
 * restarts of its running pods reach it (pastBackoffLimitOnFailure). `activeDeadlineSeconds` fails the Job (DeadlineExceeded)
 * and terminates its pods; `ttlSecondsAfterFinished` deletes the finished Job and its pods.
 *
 * Not modelled: podFailurePolicy, backoffLimitPerIndex, successPolicy, the 1 s sync batching.
 */
import type { SimContext } from '../components/context.js';
import { podIsActive, podIsTerminal, type SimPod } from '../model/objects.js';
import { createPod, deletePod } from './pod-control.js';
import { API_RETRY_MS, sooner, SyncQueue, type SyncResult } from './sync-queue.js';
import {
  loadScenarioObjects,
  nameSuffix,
  ownedPods,
  ownerLabel,
  STATUS_CHANGE,
  workloadKey,
  type StoredWorkload,
} from './stored-workload.js';

export const JOB_KIND = 'Job';
export const LABEL_JOB_NAME = 'batch.kubernetes.io/job-name';
export const LABEL_CONTROLLER_UID = 'batch.kubernetes.io/controller-uid';
export const LABEL_COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';

export interface JobControllerConfig {
  /** DefaultJobPodFailureBackOff. */
  podFailureBackoffMs: number;
  /** MaxJobPodFailureBackOff. */
  maxPodFailureBackoffMs: number;
}

export const DEFAULT_JOB_CONTROLLER_CONFIG: JobControllerConfig = {
  podFailureBackoffMs: 10_000,
  maxPodFailureBackoffMs: 600_000,
};

export interface JobSpec {
  completions?: number | null;
  parallelism?: number;
  completionMode?: 'NonIndexed' | 'Indexed';
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  ttlSecondsAfterFinished?: number;
  suspend?: boolean;
}

export interface JobCondition {
  type: 'Complete' | 'Failed' | 'SuccessCriteriaMet' | 'FailureTarget';
  status: 'True';
  reason?: string;
  message?: string;
  lastTransitionTime: number;
}

export interface JobStatus {
  active: number;
  ready: number;
  succeeded: number;
  failed: number;
  startTime?: number;
  completionTime?: number;
  completedIndexes?: string;
  conditions: JobCondition[];
}

export type Job = StoredWorkload<JobSpec, Partial<JobStatus>>;

/** What the controller remembers per Job between syncs (upstream: status + finalizers). */
interface JobState {
  counted: Set<SimPod>;
  succeeded: number;
  failed: number;
  succeededIndexes: Set<number>;
  /** backoffRecord: failures after the last success and when the last one happened. */
  failuresAfterLastSuccess: number;
  lastFailureTime: number;
  names: number;
}

/** Pod failure back-off (getRemainingTime): 10 s doubling, capped. */
export function podFailureBackoffMs(failures: number, cfg: JobControllerConfig): number {
  if (failures <= 0) return 0;
  let d = cfg.podFailureBackoffMs;
  for (let i = 1; i < failures; i++) {
    d *= 2;
    if (d >= cfg.maxPodFailureBackoffMs) return cfg.maxPodFailureBackoffMs;
  }
  return d;
}

/**
 * pastBackoffLimitOnFailure (job_controller.go): with restartPolicy OnFailure a failing
 * container is restarted in place rather than failing its pod, so the Job counts the container
 * restarts of its Running and Pending pods instead — failed once they reach backoffLimit, or on
 * any restart when backoffLimit is 0.
 */
export function pastBackoffLimitOnFailure(
  restartPolicy: string | undefined,
  pods: readonly SimPod[],
  backoffLimit: number,
): boolean {
  if (restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods)
    if (p.status.phase === 'Running' || p.status.phase === 'Pending')
      restarts += p.status.restartCount;
  return backoffLimit === 0 ? restarts > 0 : restarts >= backoffLimit;
}

export function jobFinished(job: Job): 'Complete' | 'Failed' | undefined {
  for (const c of job.status.conditions ?? []) {
    if (c.type === 'Complete' || c.type === 'Failed') return c.type;
  }
  return undefined;
}

export function startJobController(
  ctx: SimContext,
  cfg: JobControllerConfig = DEFAULT_JOB_CONTROLLER_CONFIG,
): void {
  const { store } = ctx;
  const states = new Map<string, JobState>();
  const stateOf = (job: Job): JobState => {
    let s = states.get(job.metadata.uid);
    if (!s) {
      s = {
        counted: new Set(),
        succeeded: 0,
        failed: 0,
        succeededIndexes: new Set(),
        failuresAfterLastSuccess: 0,
        lastFailureTime: 0,
        names: 0,
      };
      states.set(job.metadata.uid, s);
    }
    return s;
  };
  const queue = new SyncQueue(ctx, (key) => {
    const job = store.getObject<Job>(JOB_KIND, key);
    return job ? syncJob(ctx, job, stateOf(job), cfg) : undefined;
  });
  store.onObject(JOB_KIND, (e) => {
    if (e.change === STATUS_CHANGE) return;
    const job = e.obj as Job;
    if (e.type === 'delete') {
      // Garbage collection of the dependents (background propagation).
      for (const p of ownedPods(ctx, job, topOf(job)))
        deletePod(ctx, p, { kind: JOB_KIND, key: workloadKey(job) });
      states.delete(job.metadata.uid);
      return;
    }
    queue.enqueue(workloadKey(job));
  });
  store.onPod((e) => {
    const ref = e.pod.metadata.ownerReferences?.find((r) => r.controller);
    if (ref?.kind !== JOB_KIND) return;
    const key = `${e.pod.metadata.namespace}/${ref.name}`;
    const job = store.getObject<Job>(JOB_KIND, key);
    if (!job || job.metadata.uid !== ref.uid) return;
    // Count terminations when they happen: the pod object may be gone before the next sync.
    const st = stateOf(job);
    const pod = e.pod;
    if (!st.counted.has(pod)) {
      if (podIsTerminal(pod)) {
        st.counted.add(pod);
        recordFinished(
          st,
          pod,
          pod.status.phase === 'Succeeded',
          pod.times.finished ?? ctx.engine.now,
        );
      } else if (e.type === 'delete') {
        // Deleted before it finished: a failure (JobPodReplacementPolicy counts it when gone).
        st.counted.add(pod);
        if (!jobFinished(job)) recordFinished(st, pod, false, ctx.engine.now);
      }
    }
    queue.enqueue(key);
  });
  loadScenarioObjects(ctx, JOB_KIND);
}

function recordFinished(st: JobState, pod: SimPod, succeeded: boolean, at: number): void {
  if (succeeded) {
    st.succeeded++;
    const idx = completionIndex(pod);
    if (idx !== undefined) st.succeededIndexes.add(idx);
    st.failuresAfterLastSuccess = 0;
  } else {
    st.failed++;
    st.failuresAfterLastSuccess++;
    st.lastFailureTime = at;
  }
}

function completionIndex(pod: SimPod): number | undefined {
  const v = pod.metadata.labels[LABEL_COMPLETION_INDEX];
  return v === undefined ? undefined : Number(v);
}

/** Pods of a Job report the top-level owner (the CronJob that made it, if any). */
function topOf(job: Job): string {
  return job.topOwner ?? ownerLabel(job);
}

function syncJob(ctx: SimContext, job: Job, st: JobState, cfg: JobControllerConfig): SyncResult {
  const tpl = job.podTemplate;
  if (!tpl) return undefined;
  const now = ctx.engine.now;
  const key = workloadKey(job);
  const ref = { kind: JOB_KIND, key };
  const status = job.status;
  status.conditions ??= [];
  const finished = jobFinished(job);
  if (finished) return handleTTL(ctx, job);

  const spec = job.spec;
  const indexed = spec.completionMode === 'Indexed';
  const parallelism = spec.parallelism ?? 1;
  const completions =
    spec.completions === undefined && spec.parallelism === undefined
      ? 1
      : (spec.completions ?? undefined);
  const backoffLimit = spec.backoffLimit ?? 6;
  const pods = ownedPods(ctx, job, topOf(job));
  const active = pods.filter(podIsActive);
  let failedWrite = false;
  let next: SyncResult;

  if (spec.suspend) {
    for (const p of active) if (!deletePod(ctx, p, ref)) failedWrite = true;
    writeStatus(ctx, job, st, active.length, indexed);
    return failedWrite ? API_RETRY_MS : undefined;
  }
  status.startTime ??= now;

  const finish = (type: 'Complete' | 'Failed', reason: string, message: string): SyncResult => {
    status.conditions!.push({ type, status: 'True', reason, message, lastTransitionTime: now });
    if (type === 'Complete') status.completionTime = now;
    for (const p of active) deletePod(ctx, p, ref);
    ctx.events.record(JOB_KIND, key, reason, message);
    writeStatus(ctx, job, st, 0, indexed);
    return handleTTL(ctx, job);
  };

  if (
    st.failed > backoffLimit ||
    pastBackoffLimitOnFailure(tpl.spec.restartPolicy, pods, backoffLimit)
  ) {
    return finish('Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
  }
  if (spec.activeDeadlineSeconds !== undefined) {
    const deadline = status.startTime + spec.activeDeadlineSeconds * 1000;
    if (now >= deadline)
      return finish('Failed', 'DeadlineExceeded', 'Job was active longer than specified deadline');
    next = sooner(next, deadline - now);
  }
  const done = indexed
    ? completions !== undefined && st.succeededIndexes.size >= completions
    : completions !== undefined
      ? st.succeeded >= completions
      : st.succeeded > 0 && active.length === 0;
  if (done) return finish('Complete', 'Completed', 'Job completed');

  let wantActive: number;
  if (completions === undefined) wantActive = st.succeeded > 0 ? active.length : parallelism;
  else {
    const remaining = indexed ? completions - st.succeededIndexes.size : completions - st.succeeded;
    wantActive = Math.max(0, Math.min(parallelism, remaining));
  }

  if (active.length > wantActive) {
    // Newest first, as upstream's ActivePods order prefers deleting not-yet-running pods.
    const victims = [...active].reverse().slice(0, active.length - wantActive);
    for (const p of victims) if (!deletePod(ctx, p, ref)) failedWrite = true;
  } else if (active.length < wantActive) {
    const remainingBackoff =
      st.failuresAfterLastSuccess > 0
        ? st.lastFailureTime + podFailureBackoffMs(st.failuresAfterLastSuccess, cfg) - now
        : 0;
    if (remainingBackoff > 0) {
      next = sooner(next, remainingBackoff);
    } else {
      const toCreate = wantActive - active.length;
      const indexes = indexed
        ? missingIndexes(completions ?? 0, st.succeededIndexes, pods, toCreate)
        : Array.from({ length: toCreate }, () => undefined);
      for (const idx of indexes) {
        if (!createJobPod(ctx, job, st, idx)) {
          failedWrite = true;
          break;
        }
      }
    }
  }
  writeStatus(ctx, job, st, ownedPods(ctx, job, topOf(job)).filter(podIsActive).length, indexed);
  return failedWrite ? API_RETRY_MS : next;
}

/** The lowest indexes that neither succeeded nor have an active pod. */
function missingIndexes(
  completions: number,
  succeeded: Set<number>,
  pods: SimPod[],
  n: number,
): Array<number | undefined> {
  const busy = new Set<number>();
  for (const p of pods) {
    const i = completionIndex(p);
    if (i !== undefined && podIsActive(p)) busy.add(i);
  }
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < n; i++) {
    if (!succeeded.has(i) && !busy.has(i)) out.push(i);
  }
  return out;
}

function createJobPod(ctx: SimContext, job: Job, st: JobState, index: number | undefined): boolean {
  const tpl = job.podTemplate!;
  const base = index === undefined ? job.metadata.name : `${job.metadata.name}-${index}`;
  const labels: Record<string, string> = {
    [LABEL_JOB_NAME]: job.metadata.name,
    'job-name': job.metadata.name,
    [LABEL_CONTROLLER_UID]: job.metadata.uid,
    'controller-uid': job.metadata.uid,
  };
  if (index !== undefined) labels[LABEL_COMPLETION_INDEX] = String(index);
  const pod = createPod(
    ctx,
    {
      kind: JOB_KIND,
      apiVersion: job.apiVersion || 'batch/v1',
      namespace: job.metadata.namespace,
      name: job.metadata.name,
      uid: job.metadata.uid,
      topOwner: topOf(job),
    },
    tpl,
    { name: `${base}-${nameSuffix(st.names++)}`, labels },
  );
  if (!pod) return false;
  if (index !== undefined) {
    pod.metadata.annotations = {
      ...pod.metadata.annotations,
      [LABEL_COMPLETION_INDEX]: String(index),
    };
  }
  return true;
}

/** ttlSecondsAfterFinished (TTL-after-finished controller): delete the Job and its pods. */
function handleTTL(ctx: SimContext, job: Job): SyncResult {
  const ttl = job.spec.ttlSecondsAfterFinished;
  if (ttl === undefined) return undefined;
  const finishedAt = (job.status.conditions ?? []).find(
    (c) => c.type === 'Complete' || c.type === 'Failed',
  )?.lastTransitionTime;
  if (finishedAt === undefined) return undefined;
  const at = finishedAt + ttl * 1000;
  if (ctx.engine.now < at) return at - ctx.engine.now;
  if (!ctx.api.tryWrite('object', 'controller/ttl-after-finished')) return API_RETRY_MS;
  ctx.store.deleteObject(job);
  return undefined;
}

function writeStatus(
  ctx: SimContext,
  job: Job,
  st: JobState,
  active: number,
  indexed: boolean,
): void {
  const s = job.status;
  s.active = active;
  s.succeeded = st.succeeded;
  s.failed = st.failed;
  s.ready = ownedPods(ctx, job, topOf(job)).filter((p) => podIsActive(p) && p.status.ready).length;
  if (indexed) s.completedIndexes = formatIndexes(st.succeededIndexes);
  ctx.store.putObject(job, STATUS_CHANGE);
}

/** `1,3-5,7`, as status.completedIndexes. */
export function formatIndexes(set: Set<number>): string {
  const xs = [...set].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < xs.length;) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j]! + 1) j++;
    parts.push(i === j ? String(xs[i]) : `${xs[i]}-${xs[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
