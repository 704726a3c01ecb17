/**
 * DaemonSet controller (pkg/controller/daemon): one pod per eligible node. A node is
 * eligible when the pod's nodeSelector and required node affinity match it and it has no
 * untolerated NoSchedule/NoExecute taint (a pod already there stays unless a NoExecute taint
 * is untolerated). Pods carry the automatic DaemonSet tolerations and a required node
 * affinity `matchFields metadata.name In [node]`, and go through the default scheduler as
 * upstream. RollingUpdate replaces pods node by node within maxUnavailable (default 1) and
 * maxSurge (default 0), both rounded up from percentages; OnDelete replaces only deleted pods.
 */
import type { NodeAffinity, PodSpec, Toleration } from 'kubernetes-types/core/v1.js';
import type { SimContext } from '../components/context.js';
import { podIsTerminal, type SimNode, type SimPod } from '../model/objects.js';
import { TAINT_NOT_READY, TAINT_UNREACHABLE } from '../model/pod-template.js';
import { podMatchesNodeSelectorAndAffinityTerms } from '../scheduler-plugins/helpers/node-selector.js';
import {
  findUntoleratedTaint,
  TAINT_NODE_UNSCHEDULABLE,
} from '../scheduler-plugins/helpers/taints.js';
import { labelSelectorMatches } from '../scheduler-plugins/helpers/label-selector.js';
import { createPod, deletePod } from './pod-control.js';
import { API_RETRY_MS, SyncQueue, type SyncResult } from './sync-queue.js';
import {
  loadScenarioObjects,
  nameSuffix,
  ownedPods,
  ownerLabel,
  podAvailable,
  scaledIntOrPercent,
  STATUS_CHANGE,
  templateHash,
  workloadKey,
  type StoredWorkload,
} from './stored-workload.js';

export const DAEMONSET_KIND = 'DaemonSet';
export const LABEL_REVISION_HASH = 'controller-revision-hash';
const TAINT_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
const TAINT_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
const TAINT_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';
const TAINT_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';

export interface DaemonSetSpec {
  selector?: { matchLabels?: Record<string, string> };
  minReadySeconds?: number;
  updateStrategy?: {
    type?: 'RollingUpdate' | 'OnDelete';
    rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string };
  };
}

export interface DaemonSetStatus {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberMisscheduled: number;
  numberReady: number;
  numberAvailable: number;
  updatedNumberScheduled: number;
}

export type DaemonSet = StoredWorkload<DaemonSetSpec, Partial<DaemonSetStatus>>;

/**
 * util.AddOrUpdateDaemonPodTolerations: not-ready/unreachable NoExecute without
 * tolerationSeconds (so DaemonSet pods are never evicted for them, replacing the 300 s ones
 * DefaultTolerationSeconds added), the node-condition NoSchedule taints, unschedulable, and
 * network-unavailable for hostNetwork pods.
 */
export function daemonPodTolerations(spec: PodSpec): Toleration[] {
  const add: Toleration[] = [
    { key: TAINT_NOT_READY, operator: 'Exists', effect: 'NoExecute' },
    { key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoExecute' },
    { key: TAINT_DISK_PRESSURE, operator: 'Exists', effect: 'NoSchedule' },
    { key: TAINT_MEMORY_PRESSURE, operator: 'Exists', effect: 'NoSchedule' },
    { key: TAINT_PID_PRESSURE, operator: 'Exists', effect: 'NoSchedule' },
    { key: TAINT_NODE_UNSCHEDULABLE, operator: 'Exists', effect: 'NoSchedule' },
  ];
  if (spec.hostNetwork) {
    add.push({ key: TAINT_NETWORK_UNAVAILABLE, operator: 'Exists', effect: 'NoSchedule' });
  }
  // AddOrUpdateTolerationInPod: a toleration with the same key, operator, value and effect
  // is replaced by the new one.
  const same = (a: Toleration, b: Toleration): boolean =>
    a.key === b.key &&
    (a.operator ?? 'Equal') === (b.operator ?? 'Equal') &&
    (a.value ?? '') === (b.value ?? '') &&
    (a.effect ?? '') === (b.effect ?? '');
  const kept = (spec.tolerations ?? []).filter((t) => !add.some((a) => same(a, t)));
  return [...kept, ...add];
}

/** util.ReplaceDaemonSetPodNodeNameNodeAffinity: required terms become `metadata.name In [node]`. */
export function daemonPodAffinity(spec: PodSpec, node: string): PodSpec['affinity'] {
  const nodeAffinity: NodeAffinity = {
    ...(spec.affinity?.nodeAffinity ?? {}),
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [
        { matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] },
      ],
    },
  };
  return { ...(spec.affinity ?? {}), nodeAffinity };
}

/**
 * NodeShouldRunDaemonPod: whether a new pod should run on the node, and whether one already
 * there should continue running.
 */
export function nodeShouldRunDaemonPod(
  spec: PodSpec,
  tolerations: Toleration[],
  node: SimNode,
): { shouldRun: boolean; shouldContinueRunning: boolean } {
  if (spec.nodeName && spec.nodeName !== node.metadata.name)
    return { shouldRun: false, shouldContinueRunning: false };
  if (!podMatchesNodeSelectorAndAffinityTerms({ spec } as SimPod, node))
    return { shouldRun: false, shouldContinueRunning: false };
  const untolerated = findUntoleratedTaint(
    node.spec.taints,
    tolerations,
    (t) => t.effect === 'NoExecute' || t.effect === 'NoSchedule',
  );
  if (!untolerated) return { shouldRun: true, shouldContinueRunning: true };
  const noExecute = findUntoleratedTaint(
    node.spec.taints,
    tolerations,
    (t) => t.effect === 'NoExecute',
  );
  return { shouldRun: false, shouldContinueRunning: noExecute === undefined };
}

/** The node a DaemonSet pod is for: its binding, else its `metadata.name` affinity. */
export function targetNodeName(pod: SimPod): string | undefined {
  if (pod.spec.nodeName) return pod.spec.nodeName;
  const terms =
    pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
      ?.nodeSelectorTerms;
  for (const t of terms ?? []) {
    for (const f of t.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1)
        return f.values[0];
    }
  }
  return undefined;
}

export function startDaemonSetController(ctx: SimContext): void {
  const { store } = ctx;
  const names = new Map<string, number>();
  const queue: SyncQueue = new SyncQueue(ctx, (key): SyncResult => {
    const ds = store.getObject<DaemonSet>(DAEMONSET_KIND, key);
    return ds ? syncDaemonSet(ctx, ds, names, queue) : undefined;
  });
  const enqueueAll = (): void => {
    for (const ds of store.listObjects<DaemonSet>(DAEMONSET_KIND)) queue.enqueue(workloadKey(ds));
  };
  store.onObject(DAEMONSET_KIND, (e) => {
    if (e.change === STATUS_CHANGE) return;
    const ds = e.obj as DaemonSet;
    if (e.type === 'delete') {
      for (const p of ownedPods(ctx, ds, ownerLabel(ds))) deletePod(ctx, p, dsRef(ds));
      return;
    }
    queue.enqueue(workloadKey(ds));
  });
  store.onNode(() => enqueueAll());
  // updatePod: a pod that turned Ready is rechecked minReadySeconds + 1 s later ("to avoid
  // milliseconds skew"); the informer compares old and new objects, here the last Ready seen.
  const seenReady = new WeakSet<SimPod>();
  store.onPod((e) => {
    const ref = e.pod.metadata.ownerReferences?.find((r) => r.controller);
    if (ref?.kind !== DAEMONSET_KIND) return;
    const key = `${e.pod.metadata.namespace}/${ref.name}`;
    queue.enqueue(key);
    // A pod being deleted is handled as a deletion (updatePod → deletePod), never rechecked.
    const ready =
      e.type !== 'delete' && e.pod.metadata.deletionTimestamp === undefined && e.pod.status.ready;
    if (ready && !seenReady.has(e.pod)) {
      seenReady.add(e.pod);
      const minReady = store.getObject<DaemonSet>(DAEMONSET_KIND, key)?.spec.minReadySeconds ?? 0;
      if (e.type === 'update' && minReady > 0) queue.addAfter(key, minReady * 1000 + 1000);
    } else if (!ready) seenReady.delete(e.pod);
  });
  loadScenarioObjects(ctx, DAEMONSET_KIND);
}

function dsRef(ds: DaemonSet): { kind: string; key: string } {
  return { kind: DAEMONSET_KIND, key: workloadKey(ds) };
}

function syncDaemonSet(
  ctx: SimContext,
  ds: DaemonSet,
  names: Map<string, number>,
  queue: SyncQueue,
): SyncResult {
  const tpl = ds.podTemplate;
  if (!tpl) return undefined;
  const now = ctx.engine.now;
  const hash = templateHash(tpl);
  const tolerations = daemonPodTolerations(tpl.spec);
  const minReady = ds.spec.minReadySeconds ?? 0;
  const top = ownerLabel(ds);
  const selector = ds.spec.selector;

  // Pods by target node, in creation order.
  const byNode = new Map<string, SimPod[]>();
  for (const p of ownedPods(ctx, ds, top)) {
    if (selector && !labelSelectorMatches(selector, p.metadata.labels)) continue;
    const n = targetNodeName(p);
    if (n === undefined) continue;
    let list = byNode.get(n);
    if (!list) byNode.set(n, (list = []));
    list.push(p);
  }

  const strategy = ds.spec.updateStrategy?.type ?? 'RollingUpdate';
  const rolling = strategy === 'RollingUpdate';
  const nodes = ctx.store.nodes();
  let desired = 0;
  for (const info of nodes)
    if (nodeShouldRunDaemonPod(tpl.spec, tolerations, info.node).shouldRun) desired++;
  const maxSurge = rolling
    ? scaledIntOrPercent(ds.spec.updateStrategy?.rollingUpdate?.maxSurge, desired, true, 0)
    : 0;
  const maxUnavailable = rolling
    ? scaledIntOrPercent(ds.spec.updateStrategy?.rollingUpdate?.maxUnavailable, desired, true, 1)
    : 0;

  const toCreate: string[] = [];
  const toDelete: SimPod[] = [];
  let failed = false;

  // manage(): podsShouldBeOnNode for every node.
  for (const info of nodes) {
    const node = info.node;
    const name = node.metadata.name;
    const pods = byNode.get(name) ?? [];
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(
      tpl.spec,
      tolerations,
      node,
    );
    if (shouldRun && pods.length === 0) {
      toCreate.push(name);
    } else if (shouldContinueRunning) {
      const running: SimPod[] = [];
      for (const p of pods) {
        if (p.metadata.deletionTimestamp !== undefined) continue;
        if (podIsTerminal(p)) toDelete.push(p);
        else running.push(p);
      }
      if (!(rolling && maxSurge > 0) && running.length > 1) {
        // Keep the oldest; delete the rest.
        toDelete.push(...running.slice(1));
      }
    } else {
      for (const p of pods) if (p.metadata.deletionTimestamp === undefined) toDelete.push(p);
    }
  }
  // Unscheduled pods for nodes that no longer exist.
  for (const [n, pods] of byNode) {
    if (ctx.store.getNode(n)) continue;
    for (const p of pods)
      if (!p.spec.nodeName && p.metadata.deletionTimestamp === undefined) toDelete.push(p);
  }

  // rollingUpdate(): old pods to delete, nodes to surge onto.
  if (rolling) {
    let numUnavailable = 0;
    let numSurge = 0;
    const allowed: SimPod[] = [];
    const candidates: SimPod[] = [];
    const surgeAllowed: string[] = [];
    const surgeCandidates: string[] = [];
    for (const info of nodes) {
      const name = info.node.metadata.name;
      // A pod created this sync counts as a not-yet-available new pod (upstream's next sync,
      // gated by expectations, sees it); terminating pods leave a node unavailable.
      const listed = byNode.get(name) ?? [];
      if (listed.length === 0 && !toCreate.includes(name)) continue;
      const pods = listed.filter(
        (p) => p.metadata.deletionTimestamp === undefined && !podIsTerminal(p),
      );
      if (pods.length === 0) {
        if (maxSurge === 0) numUnavailable++;
        continue;
      }
      const newPod = pods.find((p) => p.metadata.labels[LABEL_REVISION_HASH] === hash);
      const oldPod = pods.find((p) => p.metadata.labels[LABEL_REVISION_HASH] !== hash);
      if (maxSurge === 0) {
        if ((!oldPod && !newPod) || (oldPod && newPod)) numUnavailable++;
        else if (newPod) {
          if (!podAvailable(newPod, minReady, now)) numUnavailable++;
        } else if (oldPod) {
          if (!podAvailable(oldPod, minReady, now)) allowed.push(oldPod);
          else if (numUnavailable < maxUnavailable) candidates.push(oldPod);
        }
      } else {
        if (!oldPod) continue;
        if (!newPod) {
          if (!podAvailable(oldPod, minReady, now)) surgeAllowed.push(name);
          else surgeCandidates.push(name);
        } else if (podAvailable(newPod, minReady, now)) toDelete.push(oldPod);
        else numSurge++;
      }
    }
    if (maxSurge === 0) {
      const remaining = Math.min(Math.max(maxUnavailable - numUnavailable, 0), candidates.length);
      toDelete.push(...allowed, ...candidates.slice(0, remaining));
    } else {
      const remaining = Math.min(Math.max(maxSurge - numSurge, 0), surgeCandidates.length);
      toCreate.push(...surgeAllowed, ...surgeCandidates.slice(0, remaining));
    }
  }

  const seen = new Set<SimPod>();
  for (const p of toDelete) {
    if (seen.has(p)) continue;
    seen.add(p);
    if (!deletePod(ctx, p, dsRef(ds))) failed = true;
  }
  for (const nodeName of toCreate) {
    const n = names.get(ds.metadata.uid) ?? 0;
    names.set(ds.metadata.uid, n + 1);
    const pod = createPod(
      ctx,
      {
        kind: DAEMONSET_KIND,
        apiVersion: ds.apiVersion || 'apps/v1',
        namespace: ds.metadata.namespace,
        name: ds.metadata.name,
        uid: ds.metadata.uid,
        topOwner: top,
      },
      tpl,
      {
        name: `${ds.metadata.name}-${nameSuffix(n)}`,
        labels: { [LABEL_REVISION_HASH]: hash },
        specPatch: { tolerations, affinity: daemonPodAffinity(tpl.spec, nodeName) },
      },
    );
    if (!pod) failed = true;
  }

  const st = writeStatus(ctx, ds, byNode, hash, desired, minReady, tpl.spec, tolerations);
  // updateDaemonSetStatus: "Resync the DaemonSet after MinReadySeconds as a last line of
  // defense to guard against clock-skew" — v1.35 has no exact availability check here (the
  // ReplicaSet and StatefulSet controllers got one), so a pod Ready at t is seen available at
  // the first recheck after t + minReadySeconds.
  if (minReady > 0 && st.numberReady !== st.numberAvailable)
    queue.addAfter(workloadKey(ds), minReady * 1000);
  return failed ? API_RETRY_MS : undefined;
}

function writeStatus(
  ctx: SimContext,
  ds: DaemonSet,
  byNode: Map<string, SimPod[]>,
  hash: string,
  desired: number,
  minReady: number,
  spec: PodSpec,
  tolerations: Toleration[],
): DaemonSetStatus {
  const now = ctx.engine.now;
  const st: DaemonSetStatus = {
    desiredNumberScheduled: desired,
    currentNumberScheduled: 0,
    numberMisscheduled: 0,
    numberReady: 0,
    numberAvailable: 0,
    updatedNumberScheduled: 0,
  };
  for (const [nodeName, pods] of byNode) {
    const node = ctx.store.getNode(nodeName);
    const scheduled = pods.filter((p) => p.spec.nodeName && !podIsTerminal(p));
    if (scheduled.length === 0 || !node) continue;
    if (!nodeShouldRunDaemonPod(spec, tolerations, node).shouldRun) {
      st.numberMisscheduled++;
      continue;
    }
    st.currentNumberScheduled++;
    const p = scheduled[0]!;
    if (p.status.ready) st.numberReady++;
    if (podAvailable(p, minReady, now)) st.numberAvailable++;
    if (scheduled.some((q) => q.metadata.labels[LABEL_REVISION_HASH] === hash))
      st.updatedNumberScheduled++;
  }
  ds.status = st;
  ctx.store.putObject(ds, STATUS_CHANGE);
  return st;
}
