/**
 * VolumeBinding (pkg/scheduler/framework/plugins/volumebinding, v1.35), reduced to what
 * decides where a pod with PersistentVolumeClaims may run:
 *
 * - PreFilter: every claim must exist and not be lost or being deleted; an unbound claim whose
 *   class is not WaitForFirstConsumer must wait for the PV controller ("pod has unbound
 *   immediate PersistentVolumeClaims"). No claims → Skip.
 * - Filter: a bound claim's PV must exist and its spec.nodeAffinity.required must match the
 *   node; each WaitForFirstConsumer claim needs an available PV that fits the node (smallest
 *   that fits, as FindMatchingVolume) or a class that can provision there (a provisioner
 *   other than kubernetes.io/no-provisioner and matching allowedTopologies).
 * - Reserve/PreBind: the chosen static bindings are written (PV claimRef, PVC volumeName), and
 *   dynamic provisioning is simulated by creating the PV the external provisioner would:
 *   `pvc-<claim uid>`, the claim's size, bound, with node affinity to the node's zone (or the
 *   node itself when it has no zone label), so later pods of the claim follow its data.
 *
 * Left out: storage-capacity checks (CSIStorageCapacity) and scoring, CSI migration, volume
 * modes and attributes classes, the bind timeout (binding is instantaneous here).
 * ksim has no PV controller: a claim with spec.volumeName is bound, and a PV without
 * status.phase and without claimRef counts as Available.
 */
import type { PersistentVolumeClaim, TopologySelectorTerm } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from '../model/node-info.js';
import {
  LABEL_HOSTNAME,
  LABEL_ZONE,
  type Labels,
  type SimNode,
  type SimPod,
} from '../model/objects.js';
import { parseBytes } from '../model/quantity.js';
import type { ClusterStore } from '../model/store.js';
import {
  claimClass,
  getPV,
  getPVC,
  getStorageClass,
  KIND_PV,
  KIND_PVC,
  notFoundMessage,
  NOT_SUPPORTED_PROVISIONER,
  podClaimNames,
  volumeClass,
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
  type PreBindPlugin,
  type PreFilterPlugin,
  type PreFilterResult,
  type ReservePlugin,
} from '../scheduler/framework/interfaces.js';
import { Status } from '../scheduler/framework/status.js';
import { invalid, throwFirst, type FieldError } from './helpers/field-error.js';
import { labelSelectorMatches } from './helpers/label-selector.js';
import { nodeMatchesNodeSelectorTerms } from './helpers/node-selector.js';

export const Name = 'VolumeBinding';

const STATE_KEY = 'PreFilter' + Name;

export const ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
export const ERR_REASON_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
export const ERR_REASON_NOT_ENOUGH_SPACE = 'node(s) did not have enough free storage';
export const ERR_REASON_PV_NOT_EXIST =
  'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
export const ERR_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';

/** Claim annotation naming the node a claim is being provisioned for. */
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';

export interface VolumeBindingArgs {
  bindTimeoutSeconds: number;
}

interface StaticBinding {
  pv: SimPersistentVolume;
  pvc: SimPersistentVolumeClaim;
}

interface PodVolumes {
  staticBindings: StaticBinding[];
  dynamicProvisions: SimPersistentVolumeClaim[];
}

interface StateData {
  skip: boolean;
  boundClaims: SimPersistentVolumeClaim[];
  /** Unbound WaitForFirstConsumer claims the scheduler binds. */
  claimsToBind: SimPersistentVolumeClaim[];
  podVolumesByNode: Map<string, PodVolumes>;
}

function storageRequest(pvc: PersistentVolumeClaim): number {
  const q = pvc.spec?.resources?.requests?.storage;
  return q === undefined ? 0 : parseBytes(q);
}

function storageCapacity(pv: SimPersistentVolume): number {
  const q = pv.spec?.capacity?.storage;
  return q === undefined ? 0 : parseBytes(q);
}

/** volume.CheckNodeAffinity: only the node's labels are visible (matchFields never match). */
function pvFitsNode(pv: SimPersistentVolume, node: SimNode): boolean {
  const required = pv.spec?.nodeAffinity?.required;
  if (!required) return true;
  const labelsOnly: SimNode = { ...node, metadata: { ...node.metadata, name: '' } };
  return nodeMatchesNodeSelectorTerms(required.nodeSelectorTerms, labelsOnly);
}

function isVolumeBoundToClaim(pv: SimPersistentVolume, pvc: SimPersistentVolumeClaim): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== pvc.metadata.name || ref.namespace !== pvc.metadata.namespace) return false;
  return !ref.uid || ref.uid === pvc.metadata.uid;
}

/** v1helper.MatchTopologySelectorTerms: no terms match everything; terms are ORed, expressions ANDed. */
function matchTopologySelectorTerms(
  terms: TopologySelectorTerm[] | undefined,
  labels: Labels,
): boolean {
  if (!terms?.length) return true;
  return terms.some((t) =>
    (t.matchLabelExpressions ?? []).every(
      (e) => e.key in labels && (e.values ?? []).includes(labels[e.key]!),
    ),
  );
}

/** FindMatchingVolume on the scheduler path: a pre-bound PV, else the smallest available one that fits. */
function findMatchingVolume(
  pvc: SimPersistentVolumeClaim,
  volumes: readonly SimPersistentVolume[],
  node: SimNode,
  excluded: ReadonlySet<string>,
): SimPersistentVolume | undefined {
  const requested = storageRequest(pvc);
  const requestedClass = claimClass(pvc);
  const selector = pvc.spec?.selector;
  let smallest: SimPersistentVolume | undefined;
  let smallestQty = 0;
  for (const pv of volumes) {
    if (excluded.has(pv.metadata.name)) continue;
    if (pv.spec?.claimRef && !isVolumeBoundToClaim(pv, pvc)) continue;
    const qty = storageCapacity(pv);
    if (qty < requested) continue;
    if (pv.metadata.deletionTimestamp) continue;
    const affinityOk = pvFitsNode(pv, node);
    // A PV pre-bound to this claim is the answer, if the node can reach it.
    if (isVolumeBoundToClaim(pv, pvc)) return affinityOk ? pv : undefined;
    if ((pv.status?.phase ?? 'Available') !== 'Available') continue;
    if (selector && !labelSelectorMatches(selector, pv.metadata.labels ?? {})) continue;
    if (volumeClass(pv) !== requestedClass) continue;
    if (!affinityOk) continue;
    const modes = pv.spec?.accessModes ?? [];
    if (!(pvc.spec?.accessModes ?? []).every((m) => modes.includes(m))) continue;
    if (smallest === undefined || smallestQty > qty) {
      smallest = pv;
      smallestQty = qty;
    }
  }
  return smallest;
}

export class VolumeBinding
  implements PreFilterPlugin, FilterPlugin, ReservePlugin, PreBindPlugin, EnqueueExtensions
{
  readonly name = Name;

  constructor(
    readonly args: VolumeBindingArgs,
    private readonly store: ClusterStore,
  ) {}

  /** podHasPVCs + GetPodVolumeClaims: the pod's claims sorted by binding state, or a rejection. */
  preFilter(
    state: CycleState,
    pod: SimPod,
    _nodes: readonly NodeInfo[],
  ): { result?: PreFilterResult; status: Status | null } {
    const ns = pod.metadata.namespace;
    const claims: SimPersistentVolumeClaim[] = [];
    for (const vol of pod.spec.volumes ?? []) {
      let claimName: string;
      let ephemeral = false;
      if (vol.persistentVolumeClaim) claimName = vol.persistentVolumeClaim.claimName ?? '';
      else if (vol.ephemeral) {
        claimName = `${pod.metadata.name}-${vol.name}`;
        ephemeral = true;
      } else continue;
      const pvc = getPVC(this.store, ns, claimName);
      if (!pvc) {
        return {
          status: Status.unresolvable(
            ephemeral
              ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${claimName}"`
              : notFoundMessage('persistentvolumeclaim', claimName),
          ),
        };
      }
      if (pvc.status?.phase === 'Lost') {
        return {
          status: Status.unresolvable(
            `persistentvolumeclaim "${claimName}" bound to non-existent persistentvolume "${pvc.spec?.volumeName ?? ''}"`,
          ),
        };
      }
      if (pvc.metadata.deletionTimestamp) {
        return {
          status: Status.unresolvable(`persistentvolumeclaim "${claimName}" is being deleted`),
        };
      }
      claims.push(pvc);
    }
    const data: StateData = {
      skip: true,
      boundClaims: [],
      claimsToBind: [],
      podVolumesByNode: new Map(),
    };
    if (claims.length === 0) {
      state.write(STATE_KEY, data);
      return { status: Status.skip() };
    }
    data.skip = false;
    let immediate = false;
    for (const pvc of claims) {
      if (pvc.spec?.volumeName) data.boundClaims.push(pvc);
      else if (this.isDelayBinding(pvc)) data.claimsToBind.push(pvc);
      else immediate = true;
    }
    // The PV controller binds immediate claims; the pod waits for it.
    if (immediate) return { status: Status.unresolvable(ERR_UNBOUND_IMMEDIATE) };
    state.write(STATE_KEY, data);
    return { status: null };
  }

  /** volume.IsDelayBindingMode: the claim's class exists and is WaitForFirstConsumer. */
  private isDelayBinding(pvc: SimPersistentVolumeClaim): boolean {
    const className = claimClass(pvc);
    if (className === '') return false;
    return (
      getStorageClass(this.store, className)?.volumeBindingMode ===
      VOLUME_BINDING_WAIT_FOR_FIRST_CONSUMER
    );
  }

  filter(state: CycleState, _pod: SimPod, nodeInfo: NodeInfo): Status | null {
    const data = state.read<StateData>(STATE_KEY);
    if (!data) return Status.error(`reading "${STATE_KEY}" from cycleState: not found`);
    if (data.skip) return null;
    const { reasons, podVolumes } = this.findPodVolumes(data, nodeInfo.node);
    if (reasons.length > 0) return Status.unresolvable(...reasons);
    data.podVolumesByNode.set(nodeInfo.name, podVolumes);
    return null;
  }

  /** FindPodVolumes: the conflict reasons for this node, or the bindings that would satisfy it. */
  private findPodVolumes(
    data: StateData,
    node: SimNode,
  ): { reasons: string[]; podVolumes: PodVolumes } {
    const podVolumes: PodVolumes = { staticBindings: [], dynamicProvisions: [] };
    let boundSatisfied = true;
    let boundPVsFound = true;
    let unboundSatisfied = true;
    for (const pvc of data.boundClaims) {
      const pv = getPV(this.store, pvc.spec!.volumeName!);
      if (!pv) {
        boundPVsFound = false;
        break;
      }
      if (!pvFitsNode(pv, node)) {
        boundSatisfied = false;
        break;
      }
    }
    const reasons = (): string[] => {
      const r: string[] = [];
      if (!boundSatisfied) r.push(ERR_REASON_NODE_CONFLICT);
      if (!unboundSatisfied) r.push(ERR_REASON_BIND_CONFLICT);
      if (!boundPVsFound) r.push(ERR_REASON_PV_NOT_EXIST);
      return r;
    };
    if (!boundSatisfied || !boundPVsFound || data.claimsToBind.length === 0)
      return { reasons: reasons(), podVolumes };

    const toProvision: SimPersistentVolumeClaim[] = [];
    const toMatch: SimPersistentVolumeClaim[] = [];
    for (const pvc of data.claimsToBind) {
      const selected = pvc.metadata.annotations?.[ANN_SELECTED_NODE];
      if (selected === undefined) toMatch.push(pvc);
      else if (selected !== node.metadata.name) {
        unboundSatisfied = false;
        return { reasons: reasons(), podVolumes };
      } else toProvision.push(pvc);
    }
    const chosen = new Set<string>();
    const pvs = this.store.listObjects<SimPersistentVolume>(KIND_PV);
    for (const pvc of toMatch) {
      const pv = findMatchingVolume(pvc, pvs, node, chosen);
      if (!pv) {
        toProvision.push(pvc);
        continue;
      }
      chosen.add(pv.metadata.name);
      podVolumes.staticBindings.push({ pv, pvc });
    }
    for (const pvc of toProvision) {
      const sc = getStorageClass(this.store, claimClass(pvc))!;
      const provisioner = sc.provisioner ?? '';
      if (
        provisioner === NOT_SUPPORTED_PROVISIONER ||
        !matchTopologySelectorTerms(sc.allowedTopologies, node.metadata.labels)
      ) {
        unboundSatisfied = false;
        return { reasons: reasons(), podVolumes };
      }
      podVolumes.dynamicProvisions.push(pvc);
    }
    return { reasons: reasons(), podVolumes };
  }

  reserve(state: CycleState, _pod: SimPod, nodeName: string): Status | null {
    const data = state.read<StateData>(STATE_KEY);
    if (!data || data.skip) return null;
    if (!data.podVolumesByNode.has(nodeName)) {
      return Status.error(`no volumes assumed for node "${nodeName}"`);
    }
    return null;
  }

  unreserve(): void {
    // Nothing is written before PreBind, so there is nothing to roll back.
  }

  /** BindPodVolumes, with the PV controller and the external provisioner acting at once. */
  preBind(state: CycleState, _pod: SimPod, nodeName: string): Status | null {
    const data = state.read<StateData>(STATE_KEY);
    if (!data || data.skip) return null;
    const podVolumes = data.podVolumesByNode.get(nodeName);
    if (!podVolumes) return Status.error(`no volumes assumed for node "${nodeName}"`);
    for (const { pv, pvc } of podVolumes.staticBindings) this.bindVolume(pv, pvc);
    const node = this.store.getNode(nodeName);
    for (const pvc of podVolumes.dynamicProvisions) {
      if (!node) return Status.error(`node "${nodeName}" not found`);
      this.bindVolume(this.provision(pvc, node), pvc);
    }
    return null;
  }

  /** Writes new PV and PVC objects (the store's old ones may still be read by this cycle's state). */
  private bindVolume(pv: SimPersistentVolume, pvc: SimPersistentVolumeClaim): void {
    const ref = {
      kind: KIND_PVC,
      namespace: pvc.metadata.namespace,
      name: pvc.metadata.name,
      uid: pvc.metadata.uid,
    };
    const boundPV: SimPersistentVolume = {
      ...pv,
      spec: { ...pv.spec, claimRef: ref },
      status: { ...pv.status, phase: 'Bound' },
    };
    this.store.putObject(boundPV, 'bound');
    const boundPVC: SimPersistentVolumeClaim = {
      ...pvc,
      spec: { ...pvc.spec, volumeName: pv.metadata.name },
      status: { ...pvc.status, phase: 'Bound' },
    };
    this.store.putObject(boundPVC, 'bound');
  }

  /** The PV a topology-aware provisioner creates: the claim's size, reachable from the node's zone. */
  private provision(pvc: SimPersistentVolumeClaim, node: SimNode): SimPersistentVolume {
    const zone = node.metadata.labels[LABEL_ZONE];
    const [key, value] =
      zone !== undefined ? [LABEL_ZONE, zone] : [LABEL_HOSTNAME, node.metadata.name];
    const id = pvc.metadata.uid ?? `${pvc.metadata.namespace}-${pvc.metadata.name}`;
    const pv: SimPersistentVolume = {
      kind: KIND_PV,
      apiVersion: 'v1',
      metadata: { name: `pvc-${id}` },
      spec: {
        capacity: { storage: pvc.spec?.resources?.requests?.storage ?? '0' },
        accessModes: pvc.spec?.accessModes ?? [],
        storageClassName: claimClass(pvc),
        persistentVolumeReclaimPolicy: 'Delete',
        nodeAffinity: {
          required: {
            nodeSelectorTerms: [{ matchExpressions: [{ key, operator: 'In', values: [value] }] }],
          },
        },
      },
      status: { phase: 'Available' },
    };
    return pv;
  }

  /**
   * StorageClasses, claims and volumes appearing or changing; nodes appearing or relabelled
   * (QHint on: no UpdateNodeTaint). The CSI objects upstream also watches are not modelled.
   */
  eventsToRegister(): ClusterEventWithHint[] {
    const addOrUpdate = ActionType.Add | ActionType.Update;
    return [
      {
        event: { resource: 'storage.k8s.io/StorageClass', actionType: addOrUpdate },
        queueingHintFn: isSchedulableAfterStorageClassChange,
      },
      {
        event: { resource: 'PersistentVolumeClaim', actionType: addOrUpdate },
        queueingHintFn: isSchedulableAfterPersistentVolumeClaimChange,
      },
      { event: { resource: 'PersistentVolume', actionType: addOrUpdate } },
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel } },
    ];
  }
}

/** isSchedulableAfterPersistentVolumeClaimChange: a claim of the pod, in its namespace. */
export function isSchedulableAfterPersistentVolumeClaimChange(
  pod: SimPod,
  _oldObj: unknown,
  newObj: unknown,
): QueueingHint {
  const pvc = newObj as SimPersistentVolumeClaim;
  if (pvc.metadata.namespace !== pod.metadata.namespace) return QueueingHint.QueueSkip;
  return podClaimNames(pod).includes(pvc.metadata.name)
    ? QueueingHint.Queue
    : QueueingHint.QueueSkip;
}

/** isSchedulableAfterStorageClassChange: any class added, or its allowedTopologies changed. */
export function isSchedulableAfterStorageClassChange(
  _pod: SimPod,
  oldObj: unknown,
  newObj: unknown,
): QueueingHint {
  const oldSC = oldObj as SimStorageClass | undefined;
  const newSC = newObj as SimStorageClass;
  if (!oldSC) return QueueingHint.Queue;
  return deepEqual(newSC.allowedTopologies, oldSC.allowedTopologies)
    ? QueueingHint.QueueSkip
    : QueueingHint.Queue;
}

/** SetDefaults_VolumeBindingArgs (bindTimeoutSeconds 600) + ValidateVolumeBindingArgs. */
export function volumeBindingArgs(raw: PluginArgs | undefined): VolumeBindingArgs {
  const t = raw?.bindTimeoutSeconds ?? 600;
  const errors: FieldError[] = [];
  if (typeof t !== 'number' || !Number.isInteger(t) || t < 0) {
    errors.push(
      invalid(
        'bindTimeoutSeconds',
        t,
        'invalid BindTimeoutSeconds, should not be a negative value',
      ),
    );
  }
  throwFirst(Name, errors);
  return { bindTimeoutSeconds: t as number };
}

export const factory: PluginFactory = (args: PluginArgs | undefined, handle: Handle) =>
  new VolumeBinding(volumeBindingArgs(args), handle.store);
