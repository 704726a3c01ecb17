/**
 * VolumeZone (pkg/scheduler/framework/plugins/volumezone, v1.35): a pod whose bound
 * PersistentVolumes carry zone/region labels may only run on nodes with matching labels.
 * Unbound claims of a WaitForFirstConsumer class are skipped (VolumeBinding places them).
 * PV label values may name several zones joined by "__" (volumehelpers.LabelZonesToSet).
 */
import type { NodeInfo } from '../model/node-info.js';
import type { SimPod } from '../model/objects.js';
import type { ClusterStore } from '../model/store.js';
import {
  claimClass,
  getPV,
  getPVC,
  getStorageClass,
  notFoundMessage,
  podClaimNames,
  VOLUME_BINDING_WAIT_FOR_FIRST_CONSUMER,
  type SimPersistentVolume,
  type SimPersistentVolumeClaim,
  type SimStorageClass,
} from '../model/volumes.js';
import type { CycleState } from '../scheduler/framework/cycle-state.js';
import { deepEqual } from '../scheduler/framework/events.js';
import {
  ActionType,
  QueueingHint,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type FilterPlugin,
  type Handle,
  type PluginArgs,
  type PluginFactory,
  type PreFilterPlugin,
  type PreFilterResult,
} from '../scheduler/framework/interfaces.js';
import { Status } from '../scheduler/framework/status.js';

export const Name = 'VolumeZone';

const PRE_FILTER_KEY = 'PreFilter' + Name;

export const ERR_REASON_CONFLICT = 'node(s) had no available volume zone';

export const LABEL_FAILURE_DOMAIN_BETA_ZONE = 'failure-domain.beta.kubernetes.io/zone';
export const LABEL_FAILURE_DOMAIN_BETA_REGION = 'failure-domain.beta.kubernetes.io/region';
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';
export const LABEL_TOPOLOGY_REGION = 'topology.kubernetes.io/region';

/** Upstream topologyLabels, in upstream order. */
const TOPOLOGY_LABELS = [
  LABEL_FAILURE_DOMAIN_BETA_ZONE,
  LABEL_FAILURE_DOMAIN_BETA_REGION,
  LABEL_TOPOLOGY_ZONE,
  LABEL_TOPOLOGY_REGION,
];

function translateToGALabel(label: string): string {
  if (label === LABEL_FAILURE_DOMAIN_BETA_REGION) return LABEL_TOPOLOGY_REGION;
  if (label === LABEL_FAILURE_DOMAIN_BETA_ZONE) return LABEL_TOPOLOGY_ZONE;
  return label;
}

/** LabelZonesToSet: "a__b" → {a, b}; undefined if an element is empty (the label is then ignored). */
export function labelZonesToSet(value: string): Set<string> | undefined {
  const set = new Set<string>();
  for (const zone of value.split('__')) {
    const trimmed = zone.trim();
    if (trimmed === '') return undefined;
    set.add(trimmed);
  }
  return set;
}

interface PVTopology {
  pvName: string;
  key: string;
  values: Set<string>;
}

/** getPVbyPod: the topology labels of the pod's bound PVs, or the status rejecting the pod. */
function pvTopologiesOf(pod: SimPod, store: ClusterStore): PVTopology[] | Status {
  const out: PVTopology[] = [];
  for (const claimName of podClaimNames(pod)) {
    if (claimName === '') return Status.unresolvable('PersistentVolumeClaim had no name');
    const pvc = getPVC(store, pod.metadata.namespace, claimName);
    if (!pvc) return Status.unresolvable(notFoundMessage('persistentvolumeclaim', claimName));
    const pvName = pvc.spec?.volumeName ?? '';
    if (pvName === '') {
      const scName = claimClass(pvc);
      if (scName === '')
        return Status.unresolvable('PersistentVolumeClaim had no pv name and storageClass name');
      const sc = getStorageClass(store, scName);
      if (!sc) return Status.unresolvable(notFoundMessage('storageclass.storage.k8s.io', scName));
      // volumeBindingMode absent reads as the API default, Immediate.
      if (sc.volumeBindingMode === VOLUME_BINDING_WAIT_FOR_FIRST_CONSUMER) continue;
      return Status.unresolvable('PersistentVolume had no name');
    }
    const pv = getPV(store, pvName);
    if (!pv) return Status.unresolvable(notFoundMessage('persistentvolume', pvName));
    const labels = pv.metadata.labels ?? {};
    for (const key of TOPOLOGY_LABELS) {
      const value = labels[key];
      if (value === undefined) continue;
      const values = labelZonesToSet(value);
      if (values) out.push({ pvName, key, values });
    }
  }
  return out;
}

export class VolumeZone implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = Name;

  constructor(private readonly store: ClusterStore) {}

  preFilter(
    state: CycleState,
    pod: SimPod,
    _nodes: readonly NodeInfo[],
  ): { result?: PreFilterResult; status: Status | null } {
    const topologies = pvTopologiesOf(pod, this.store);
    if (topologies instanceof Status) return { status: topologies };
    if (topologies.length === 0) return { status: Status.skip() };
    state.write(PRE_FILTER_KEY, topologies);
    return { status: null };
  }

  filter(state: CycleState, pod: SimPod, nodeInfo: NodeInfo): Status | null {
    if (!pod.spec.volumes?.length) return null;
    let topologies = state.read<PVTopology[]>(PRE_FILTER_KEY);
    if (!topologies) {
      // Upstream falls back to computing the PV list here.
      const computed = pvTopologiesOf(pod, this.store);
      if (computed instanceof Status) return computed;
      topologies = computed;
    }
    const labels = nodeInfo.node.metadata.labels;
    // A node without any zone/region label is fine (single-zone clusters).
    if (!TOPOLOGY_LABELS.some((l) => l in labels)) return null;
    for (const t of topologies) {
      const v = labels[t.key] ?? labels[translateToGALabel(t.key)];
      if (v === undefined || !t.values.has(v)) return Status.unresolvable(ERR_REASON_CONFLICT);
    }
    return null;
  }

  /**
   * A WaitForFirstConsumer class added (volumeBindingMode is immutable), a node added or
   * relabelled, a claim of the pod added or bound, a PV added or its zone labels changed.
   */
  eventsToRegister(): ClusterEventWithHint[] {
    const addOrUpdate = ActionType.Add | ActionType.Update;
    return [
      {
        event: { resource: 'storage.k8s.io/StorageClass', actionType: ActionType.Add },
        queueingHintFn: isSchedulableAfterStorageClassAdded,
      },
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel } },
      {
        event: { resource: 'PersistentVolumeClaim', actionType: addOrUpdate },
        queueingHintFn: isSchedulableAfterPersistentVolumeClaimChange,
      },
      {
        event: { resource: 'PersistentVolume', actionType: addOrUpdate },
        queueingHintFn: isSchedulableAfterPersistentVolumeChange,
      },
    ];
  }
}

/** isSchedulableAfterPersistentVolumeClaimChange: the claim is one of the pod's. */
export function isSchedulableAfterPersistentVolumeClaimChange(
  pod: SimPod,
  _oldObj: unknown,
  newObj: unknown,
): QueueingHint {
  const pvc = newObj as SimPersistentVolumeClaim;
  const requested =
    pvc.metadata.namespace === pod.metadata.namespace &&
    podClaimNames(pod).includes(pvc.metadata.name);
  return requested ? QueueingHint.Queue : QueueingHint.QueueSkip;
}

/** isSchedulableAfterStorageClassAdded: only a WaitForFirstConsumer class can help. */
export function isSchedulableAfterStorageClassAdded(
  _pod: SimPod,
  _oldObj: unknown,
  newObj: unknown,
): QueueingHint {
  return (newObj as SimStorageClass).volumeBindingMode === VOLUME_BINDING_WAIT_FOR_FIRST_CONSUMER
    ? QueueingHint.Queue
    : QueueingHint.QueueSkip;
}

/** isSchedulableAfterPersistentVolumeChange: a new PV, or one whose zone/region labels changed. */
export function isSchedulableAfterPersistentVolumeChange(
  _pod: SimPod,
  oldObj: unknown,
  newObj: unknown,
): QueueingHint {
  const original = oldObj as SimPersistentVolume | undefined;
  if (!original) return QueueingHint.Queue;
  return deepEqual(pvTopologies(original), pvTopologies(newObj as SimPersistentVolume))
    ? QueueingHint.QueueSkip
    : QueueingHint.Queue;
}

/** getPVTopologies: the PV's parsable topology labels, as [key, sorted zones]. */
function pvTopologies(pv: SimPersistentVolume): Array<[string, string[]]> {
  const out: Array<[string, string[]]> = [];
  for (const key of TOPOLOGY_LABELS) {
    const value = pv.metadata.labels?.[key];
    const zones = value === undefined ? undefined : labelZonesToSet(value);
    if (zones) out.push([key, [...zones].sort()]);
  }
  return out;
}

export const factory: PluginFactory = (_args: PluginArgs | undefined, handle: Handle) =>
  new VolumeZone(handle.store);
