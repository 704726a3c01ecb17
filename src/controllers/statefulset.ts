/**
 * StatefulSet controller (pkg/controller/statefulset, stateful_set_control.go): pods with
 * stable names `<name>-<ordinal>`. OrderedReady creates ordinals in increasing order, each
 * once its predecessors are Running and Ready (and available for minReadySeconds), and
 * deletes surplus ordinals from the highest down, each after its successor is gone; Parallel
 * does both without waiting. RollingUpdate replaces pods from the highest ordinal down to
 * `partition`, one at a time, waiting for each to be healthy; OnDelete only recreates pods
 * the user deleted. A pod object that still exists — even Terminating on a dead node —
 * keeps its identity: the replacement is created only once the object is gone.
 */
import type { SimContext } from '../components/context.js';
import type { CompiledPodTemplate } from '../model/pod-template.js';
import { podIsTerminal, type SimPod } from '../model/objects.js';
import { createPod, deletePod } from './pod-control.js';
import { API_RETRY_MS, SyncQueue, type SyncResult } from './sync-queue.js';
import {
  loadScenarioObjects,
  nextAvailabilityCheck,
  ownedPods,
  ownerLabel,
  podAvailable,
  STATUS_CHANGE,
  templateHash,
  workloadKey,
  type StoredWorkload,
} from './stored-workload.js';
import { LABEL_REVISION_HASH } from './daemonset.js';

export const STATEFULSET_KIND = 'StatefulSet';
export const LABEL_POD_NAME = 'statefulset.kubernetes.io/pod-name';
export const LABEL_POD_INDEX = 'apps.kubernetes.io/pod-index';

export interface StatefulSetSpec {
  replicas?: number;
  serviceName?: string;
  minReadySeconds?: number;
  podManagementPolicy?: 'OrderedReady' | 'Parallel';
  ordinals?: { start?: number };
  updateStrategy?: { type?: 'RollingUpdate' | 'OnDelete'; rollingUpdate?: { partition?: number } };
}

export interface StatefulSetStatus {
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  currentRevision: string;
  updateRevision: string;
}

export type StatefulSet = StoredWorkload<StatefulSetSpec, Partial<StatefulSetStatus>>;

/** The template of the current revision, kept while a rolling update is under way. */
interface Revisions {
  currentRevision: string;
  currentTemplate: CompiledPodTemplate;
}

export function startStatefulSetController(ctx: SimContext): void {
  const { store } = ctx;
  const revisions = new Map<string, Revisions>();
  const queue = new SyncQueue(ctx, (key) => {
    const sts = store.getObject<StatefulSet>(STATEFULSET_KIND, key);
    return sts ? syncStatefulSet(ctx, sts, revisions) : undefined;
  });
  store.onObject(STATEFULSET_KIND, (e) => {
    if (e.change === STATUS_CHANGE) return;
    const sts = e.obj as StatefulSet;
    if (e.type === 'delete') {
      for (const p of ownedPods(ctx, sts, ownerLabel(sts)))
        deletePod(ctx, p, { kind: STATEFULSET_KIND, key: workloadKey(sts) });
      return;
    }
    queue.enqueue(workloadKey(sts));
  });
  store.onPod((e) => {
    const ref = e.pod.metadata.ownerReferences?.find((r) => r.controller);
    if (ref?.kind === STATEFULSET_KIND) queue.enqueue(`${e.pod.metadata.namespace}/${ref.name}`);
  });
  loadScenarioObjects(ctx, STATEFULSET_KIND);
}

function isHealthy(pod: SimPod, minReady: number, now: number): boolean {
  return (
    pod.status.phase === 'Running' &&
    pod.metadata.deletionTimestamp === undefined &&
    podAvailable(pod, minReady, now)
  );
}

function syncStatefulSet(
  ctx: SimContext,
  sts: StatefulSet,
  revisions: Map<string, Revisions>,
): SyncResult {
  const tpl = sts.podTemplate;
  if (!tpl) return undefined;
  const now = ctx.engine.now;
  const ref = { kind: STATEFULSET_KIND, key: workloadKey(sts) };
  const replicas = sts.spec.replicas ?? 1;
  const start = sts.spec.ordinals?.start ?? 0;
  const minReady = sts.spec.minReadySeconds ?? 0;
  const monotonic = (sts.spec.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady';
  const onDelete = sts.spec.updateStrategy?.type === 'OnDelete';
  const partition = onDelete ? 0 : (sts.spec.updateStrategy?.rollingUpdate?.partition ?? 0);
  const updateRevision = `${sts.metadata.name}-${templateHash(tpl)}`;
  let rev = revisions.get(sts.metadata.uid);
  if (!rev) {
    rev = { currentRevision: updateRevision, currentTemplate: tpl };
    revisions.set(sts.metadata.uid, rev);
  }
  const top = ownerLabel(sts);
  const byOrdinal = new Map<number, SimPod>();
  for (const p of ownedPods(ctx, sts, top)) {
    const ord = ordinalOf(sts.metadata.name, p.metadata.name);
    if (ord !== undefined) byOrdinal.set(ord, p);
  }
  let failed = false;

  const status = (): SyncResult => {
    writeStatus(ctx, sts, byOrdinal, replicas, rev, updateRevision, minReady);
    if (failed) return API_RETRY_MS;
    // Sync again the instant the first Ready pod becomes available (v1.35.1+: kubernetes#135428,
    // cherry-picked to release-1.35 as #136097; before it, minReadySeconds after the sync).
    return nextAvailabilityCheck(byOrdinal.values(), minReady, now);
  };

  const create = (ordinal: number): void => {
    const name = `${sts.metadata.name}-${ordinal}`;
    // newVersionedStatefulSetPod: ordinals below the partition keep the current revision.
    const useCurrent = !onDelete && ordinal - start < partition;
    const template = useCurrent ? rev.currentTemplate : tpl;
    const revision = useCurrent ? rev.currentRevision : updateRevision;
    const pod = createPod(
      ctx,
      {
        kind: STATEFULSET_KIND,
        apiVersion: sts.apiVersion || 'apps/v1',
        namespace: sts.metadata.namespace,
        name: sts.metadata.name,
        uid: sts.metadata.uid,
        topOwner: top,
      },
      template,
      {
        name,
        labels: {
          [LABEL_POD_NAME]: name,
          [LABEL_POD_INDEX]: String(ordinal),
          [LABEL_REVISION_HASH]: revision,
        },
        specPatch: {
          hostname: name,
          ...(sts.spec.serviceName ? { subdomain: sts.spec.serviceName } : {}),
        },
      },
    );
    if (pod) byOrdinal.set(ordinal, pod);
    else failed = true;
  };

  // Replicas in [start, start + replicas), in increasing order.
  for (let ord = start; ord < start + replicas; ord++) {
    const pod = byOrdinal.get(ord);
    if (pod && podIsTerminal(pod) && pod.metadata.deletionTimestamp === undefined) {
      // A failed (or succeeded) pod is deleted and recreated once its object is gone.
      if (!deletePod(ctx, pod, ref)) failed = true;
      if (monotonic) return status();
      continue;
    }
    if (!pod) {
      create(ord);
      if (monotonic) return status();
      continue;
    }
    if (pod.metadata.deletionTimestamp !== undefined) {
      if (monotonic) return status();
      continue;
    }
    if (!isHealthy(pod, minReady, now) && monotonic) return status();
  }

  // Condemned: ordinals outside the range, highest first.
  const condemned = [...byOrdinal.keys()]
    .filter((o) => o < start || o >= start + replicas)
    .sort((a, b) => b - a);
  for (const ord of condemned) {
    const pod = byOrdinal.get(ord)!;
    if (pod.metadata.deletionTimestamp !== undefined) {
      if (monotonic) return status();
      continue;
    }
    if (!deletePod(ctx, pod, ref)) failed = true;
    if (monotonic) return status();
  }

  if (onDelete) return status();
  // Rolling update: the highest ordinal not at the update revision is deleted (and
  // recreated by a later sync); wait for each updated pod to be healthy.
  for (let ord = start + replicas - 1; ord >= start + partition; ord--) {
    const pod = byOrdinal.get(ord);
    if (!pod) return status();
    if (
      pod.metadata.labels[LABEL_REVISION_HASH] !== updateRevision &&
      pod.metadata.deletionTimestamp === undefined
    ) {
      if (!deletePod(ctx, pod, ref)) failed = true;
      return status();
    }
    if (!isHealthy(pod, minReady, now)) return status();
  }
  return status();
}

function ordinalOf(setName: string, podName: string): number | undefined {
  if (!podName.startsWith(`${setName}-`)) return undefined;
  const rest = podName.slice(setName.length + 1);
  return /^\d+$/.test(rest) ? Number(rest) : undefined;
}

function writeStatus(
  ctx: SimContext,
  sts: StatefulSet,
  byOrdinal: Map<number, SimPod>,
  replicas: number,
  rev: Revisions,
  updateRevision: string,
  minReady: number,
): void {
  const now = ctx.engine.now;
  const st: StatefulSetStatus = {
    replicas: 0,
    readyReplicas: 0,
    availableReplicas: 0,
    currentReplicas: 0,
    updatedReplicas: 0,
    currentRevision: rev.currentRevision,
    updateRevision,
  };
  for (const p of byOrdinal.values()) {
    if (podIsTerminal(p) || p.metadata.deletionTimestamp !== undefined) continue;
    st.replicas++;
    if (p.status.ready) st.readyReplicas++;
    if (podAvailable(p, minReady, now)) st.availableReplicas++;
    const r = p.metadata.labels[LABEL_REVISION_HASH];
    if (r === rev.currentRevision) st.currentReplicas++;
    if (r === updateRevision) st.updatedReplicas++;
  }
  // The update is complete once every replica runs the update revision.
  if (
    rev.currentRevision !== updateRevision &&
    st.updatedReplicas === replicas &&
    st.readyReplicas === replicas &&
    sts.podTemplate
  ) {
    rev.currentRevision = updateRevision;
    rev.currentTemplate = sts.podTemplate;
    st.currentRevision = updateRevision;
    st.currentReplicas = st.updatedReplicas;
  }
  sts.status = st;
  ctx.store.putObject(sts, STATUS_CHANGE);
}
