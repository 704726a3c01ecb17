/**
 * Clients that submit work on the simulation's behalf: a workload whose template is a Job
 * creates one Job object per arrival (the Job controller runs it), and a trace replay creates
 * each trace job's pods at its (rebased, scaled) submit time with the trace's requests, GPUs
 * as extended resources and run time. The replay keeps one pending event: the next
 * submission is scheduled when the current one is handled.
 */
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import type { SimContext } from '../components/context.js';
import { constant } from '../engine/distributions.js';
import type { SimPod } from '../model/objects.js';
import {
  computePodRequests,
  instantiatePod,
  type CompiledPodTemplate,
} from '../model/pod-template.js';
import type { WorkloadSpec } from '../scenario/types.js';
import {
  applyTraceOptions,
  gpuModelChoices,
  jobExtendedResources,
  LABEL_GPU_MODEL,
  type TraceJob,
} from '../workloads/traces/index.js';
import { JOB_KIND, type Job, type JobSpec } from './job.js';

const CLIENT_RETRY_MS = 1_000;

/**
 * Creates the Job of one arrival, `<workload>-<index>`; retried a second after each failure
 * (learnt at once, or after etcd's request timeout when the write hangs).
 */
export function createJobFromWorkload(ctx: SimContext, w: WorkloadSpec, index: number): void {
  ctx.api.write('object', 'client', (ok) => {
    if (ok) putJob(ctx, w, index);
    else ctx.engine.schedule(CLIENT_RETRY_MS, () => createJobFromWorkload(ctx, w, index));
  });
}

function putJob(ctx: SimContext, w: WorkloadSpec, index: number): void {
  const manifest = w.template as {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec?: JobSpec & { template?: unknown };
  };
  const { template: _template, ...spec } = manifest.spec ?? {};
  const job: Job = {
    kind: JOB_KIND,
    apiVersion: 'batch/v1',
    metadata: {
      name: `${w.name}-${index}`,
      namespace: w.namespace,
      uid: ctx.store.nextUid('job'),
      labels: { ...(manifest.metadata?.labels ?? {}) },
      annotations: { ...(manifest.metadata?.annotations ?? {}) },
      creationTimestamp: ctx.engine.now,
    },
    spec: structuredClone(spec),
    status: {},
    podTemplate: w.pod,
  };
  ctx.store.putObject(job);
}

/** The pod template of one trace job: the workload's template with the trace's numbers. */
export function traceJobTemplate(base: CompiledPodTemplate, job: TraceJob): CompiledPodTemplate {
  const requests: Record<string, string | number> = {
    cpu: `${job.cpuMilli}m`,
    memory: job.memoryBytes,
    ...jobExtendedResources(job),
  };
  const [first, ...rest] = base.spec.containers ?? [];
  const spec: PodSpec = {
    ...base.spec,
    containers: [
      {
        ...(first ?? { name: 'job' }),
        resources: { requests: requests as Record<string, string> },
      },
      ...rest.map((c) => ({ ...c, resources: {} })),
    ],
  };
  const models = gpuModelChoices(job);
  if (models.length) {
    spec.affinity = {
      ...(spec.affinity ?? {}),
      nodeAffinity: {
        ...(spec.affinity?.nodeAffinity ?? {}),
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: LABEL_GPU_MODEL, operator: 'In', values: models }] },
          ],
        },
      },
    };
  }
  const { requests: r, nonZero } = computePodRequests(spec);
  return {
    ...base,
    spec,
    requests: r,
    nonZeroRequests: nonZero,
    behaviour: {
      ...base.behaviour,
      duration: job.durationMs === undefined ? undefined : constant(job.durationMs),
    },
  };
}

/**
 * Replays `w.trace`: window, load scale (RNG stream `trace/<workload>`), rebase and time
 * scale applied, then `limit`; pods `<workload>-<trace id>[-<k>]` created through `create`.
 */
export function startTraceReplay(
  ctx: SimContext,
  w: WorkloadSpec,
  create: (pod: SimPod) => void,
): void {
  const t = w.trace;
  if (!t || !w.pod) return;
  let jobs = applyTraceOptions(t.jobs, {
    window: t.window,
    timeScale: t.timeScale,
    loadScale: t.loadScale,
    rebase: t.rebase,
    rng: ctx.rng.stream(`trace/${w.name}`),
  });
  if (t.limit !== undefined) jobs = jobs.slice(0, t.limit);
  const base = w.pod;
  const podRng = ctx.rng.stream(`pods/${w.name}`);
  let i = 0;
  const submit = (): void => {
    const job = jobs[i++]!;
    const tpl = traceJobTemplate(base, job);
    for (let k = 1; k <= job.count; k++) {
      create(
        instantiatePod(tpl, {
          name: job.count > 1 ? `${w.name}-${job.id}-${k}` : `${w.name}-${job.id}`,
          namespace: w.namespace,
          uid: ctx.store.nextUid('pod'),
          now: ctx.engine.now,
          rng: podRng,
        }),
      );
    }
    scheduleNext();
  };
  const scheduleNext = (): void => {
    const next = jobs[i];
    if (next === undefined || next.submitMs > ctx.scenario.durationMs) return;
    ctx.engine.scheduleAt(Math.max(next.submitMs, ctx.engine.now), submit);
  };
  scheduleNext();
}
