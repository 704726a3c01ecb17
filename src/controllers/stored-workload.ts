/**
 * Workload objects (DaemonSet, StatefulSet, Job, CronJob, PodDisruptionBudget) as the
 * controllers keep them in the store: the manifest's `spec` as written, a `status` the
 * controller maintains, and the pod template compiled once by the scenario loader.
 * Whoever changes a spec (a timeline action, another controller) writes the object back
 * with `store.putObject(obj, 'spec')`; controllers write their status with change 'status'
 * and ignore those notifications, so a status write never triggers its own sync.
 */
import type { SimContext } from '../components/context.js';
import type { Labels, SimPod } from '../model/objects.js';
import type { CompiledPodTemplate } from '../model/pod-template.js';
import { objectKey } from '../model/store.js';
import type { KubeObject } from '../scenario/types.js';

export interface WorkloadMeta {
  name: string;
  namespace: string;
  uid: string;
  labels: Labels;
  annotations: Labels;
  creationTimestamp: number;
  ownerReferences?: Array<{
    apiVersion?: string;
    kind: string;
    name: string;
    uid?: string;
    controller?: boolean;
  }>;
}

export interface StoredWorkload<Spec = unknown, Status = unknown> {
  kind: string;
  apiVersion: string;
  metadata: WorkloadMeta;
  spec: Spec;
  status: Status;
  /** Compiled pod template (absent for kinds without one, e.g. PodDisruptionBudget). */
  podTemplate?: CompiledPodTemplate;
  /** `Kind/namespace/name` of the top-level workload its pods report (pods.csv owner). */
  topOwner?: string;
}

/** A store watch change written by the controller itself (ignored by its own listener). */
export const STATUS_CHANGE = 'status';

export function workloadKey(obj: StoredWorkload): string {
  return objectKey(obj);
}

export function ownerLabel(obj: StoredWorkload): string {
  return `${obj.kind}/${obj.metadata.namespace}/${obj.metadata.name}`;
}

/** Builds the stored object of a scenario manifest (uid from the store's counter). */
export function fromManifest<Spec>(ctx: SimContext, o: KubeObject): StoredWorkload<Spec> {
  const m = o.manifest as {
    metadata?: { name?: string; namespace?: string; labels?: Labels; annotations?: Labels };
    spec?: Spec;
  };
  const meta = m.metadata ?? {};
  return {
    kind: o.kind,
    apiVersion: o.apiVersion,
    metadata: {
      name: String(meta.name ?? ''),
      namespace: String(meta.namespace ?? 'default'),
      uid: ctx.store.nextUid(o.kind.toLowerCase()),
      labels: { ...(meta.labels ?? {}) },
      annotations: { ...(meta.annotations ?? {}) },
      creationTimestamp: ctx.engine.now,
    },
    spec: structuredClone(m.spec ?? ({} as Spec)),
    status: {},
    podTemplate: o.podTemplate,
  };
}

/**
 * Puts the scenario's objects of `kind` into the store at time 0 (after the initial nodes
 * exist, so the first syncs see the whole cluster).
 */
export function loadScenarioObjects(ctx: SimContext, kind: string): void {
  const objs = ctx.scenario.objects.filter((o) => o.kind === kind);
  if (objs.length === 0) return;
  ctx.engine.scheduleAt(0, () => {
    for (const o of objs) ctx.store.putObject(fromManifest(ctx, o));
  });
}

/** Pods whose controller reference names this object (by uid). */
export function ownedPods(ctx: SimContext, obj: StoredWorkload, topOwner: string): SimPod[] {
  const out: SimPod[] = [];
  for (const p of ctx.store.podsOfOwner(topOwner)) {
    const ref = p.metadata.ownerReferences?.find((r) => r.controller);
    if (ref && ref.uid === obj.metadata.uid) out.push(p);
  }
  return out;
}

/** The controller owner reference of a pod as `Kind/namespace/name`, if any. */
export function controllerKey(pod: SimPod): { kind: string; key: string } | undefined {
  const ref = pod.metadata.ownerReferences?.find((r) => r.controller);
  return ref ? { kind: ref.kind, key: `${pod.metadata.namespace}/${ref.name}` } : undefined;
}

/**
 * A short stable hash of a pod template (controller-revision-hash): FNV-1a over its JSON, so
 * the same template always gets the same revision name.
 */
export function templateHash(tpl: CompiledPodTemplate | undefined): string {
  const text = JSON.stringify([tpl?.labels, tpl?.annotations, tpl?.spec]);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0').slice(0, 8);
}

/**
 * podutil.IsPodAvailable (pkg/api/v1/pod/util.go, v1.34+): Ready, and with minReadySeconds,
 * Ready condition lastTransitionTime + minReadySeconds <= now (`Compare(now) <= 0` since
 * kubernetes#132122; `Before`, strictly, until v1.33). The transition time has the API's
 * whole-second precision, so a pod Ready at 65.5 s with minReadySeconds 10 is available at 75 s.
 * Like upstream it does not look at deletion: callers that must not count terminating pods
 * leave them out first.
 */
export function podAvailable(pod: SimPod, minReadySeconds: number, now: number): boolean {
  if (!pod.status.ready) return false;
  if (minReadySeconds <= 0) return true;
  const since = pod.status.readyTransitionTime;
  return since !== undefined && since + minReadySeconds * 1000 <= now;
}

/**
 * nextPodAvailabilityCheck (pkg/controller/controller_utils.go): ms until a Ready pod becomes
 * available, or undefined if it is not Ready or already is.
 */
export function msUntilAvailable(
  pod: SimPod,
  minReadySeconds: number,
  now: number,
): number | undefined {
  if (!pod.status.ready || minReadySeconds <= 0) return undefined;
  const since = pod.status.readyTransitionTime;
  if (since === undefined) return undefined;
  const at = since + minReadySeconds * 1000;
  return at > now ? at - now : undefined;
}

/**
 * FindMinNextPodAvailabilityCheck: the earliest instant, as a delay from now, at which one of
 * `pods` becomes available; undefined if none is waiting for minReadySeconds.
 */
export function nextAvailabilityCheck(
  pods: Iterable<SimPod>,
  minReadySeconds: number,
  now: number,
): number | undefined {
  let next: number | undefined;
  for (const p of pods) {
    if (p.metadata.deletionTimestamp !== undefined) continue;
    const d = msUntilAvailable(p, minReadySeconds, now);
    if (d !== undefined && (next === undefined || d < next)) next = d;
  }
  return next;
}

/** Deterministic pod-name suffix (upstream uses 5 random characters). */
export function nameSuffix(n: number): string {
  return n.toString(36).padStart(5, '0');
}

/** intstr.GetScaledValueFromIntOrPercent. */
export function scaledIntOrPercent(
  v: number | string | undefined,
  total: number,
  roundUp: boolean,
  dflt: number,
): number {
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return Number.isFinite(Number(v)) ? Number(v) : dflt;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}
