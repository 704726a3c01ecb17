/**
 * Cluster events and QueueingHints (staging/src/k8s.io/kube-scheduler/framework/types.go and
 * pkg/scheduler/framework/events.go, v1.35). An event is a resource and a bitmask of actions;
 * a plugin registers the events that may resolve its rejections, each with an optional hint
 * that looks at the changed object (old and new) and answers Queue or QueueSkip.
 */
import type { SimNode, SimPod } from '../../model/objects.js';
import { cloneResource } from '../../model/resources.js';

/** ActionType bits, in upstream's order. */
export const ActionType = {
  Add: 1,
  Delete: 2,
  UpdateNodeAllocatable: 4,
  UpdateNodeLabel: 8,
  /** Taints changed, or spec.unschedulable cleared (extractNodeSpecUnschedulableChange). */
  UpdateNodeTaint: 16,
  UpdateNodeCondition: 32,
  UpdateNodeAnnotation: 64,
  UpdatePodLabel: 128,
  UpdatePodScaleDown: 256,
  UpdatePodToleration: 512,
  UpdatePodSchedulingGatesEliminated: 1024,
  /** Every update bit: the general Update, what an update no extractor recognised raises. */
  Update: 4 | 8 | 16 | 32 | 64 | 128 | 256 | 512 | 1024,
  All: 2047,
} as const;

/**
 * EventResource. AssignedPod/UnscheduledPod are internal: events carry them, registrations say
 * Pod, which matches both (matchEventResources).
 */
export type EventResource =
  | 'Pod'
  | 'AssignedPod'
  | 'UnscheduledPod'
  | 'Node'
  | 'PersistentVolume'
  | 'PersistentVolumeClaim'
  | 'storage.k8s.io/StorageClass'
  | '*';

export const WILDCARD: EventResource = '*';

export interface ClusterEvent {
  resource: EventResource;
  actionType: number;
  /** Overrides label() (special events such as UnschedulableTimeout). */
  customLabel?: string;
}

export enum QueueingHint {
  QueueSkip = 0,
  Queue = 1,
}

/**
 * Whether `event` may make `pod`, rejected by the registering plugin, schedulable. `oldObj` is
 * undefined for an add, `newObj` for a delete. A thrown error counts as Queue.
 */
export type QueueingHintFn = (pod: SimPod, oldObj: unknown, newObj: unknown) => QueueingHint;

/** The hint of an update that only the pod itself can make matter (its gates, tolerations). */
export const queueIfTargetPod: QueueingHintFn = (pod, _oldObj, newObj) =>
  (newObj as SimPod).metadata.uid === pod.metadata.uid
    ? QueueingHint.Queue
    : QueueingHint.QueueSkip;

export interface ClusterEventWithHint {
  event: ClusterEvent;
  /** Optional: without one the event always requeues (as Queue). */
  queueingHintFn?: QueueingHintFn;
}

export function eventLabel(e: ClusterEvent): string {
  if (e.customLabel) return e.customLabel;
  const names = Object.entries(ActionType).filter(([, v]) => v === e.actionType);
  return `${e.resource}${names[0]?.[0] ?? e.actionType}`;
}

export const isWildCard = (e: ClusterEvent): boolean =>
  e.resource === WILDCARD && e.actionType === ActionType.All;

/**
 * MatchClusterEvents(registered, incoming): same resource (Pod covers both pod kinds), a shared
 * action bit, and the incoming action no broader than the registered one — so a general
 * Update matches only registrations of Update (or All).
 */
export function matchClusterEvents(registered: ClusterEvent, incoming: ClusterEvent): boolean {
  if (isWildCard(registered)) return true;
  const r = registered.resource;
  const resourceMatches =
    r === WILDCARD ||
    r === incoming.resource ||
    (r === 'Pod' &&
      (incoming.resource === 'AssignedPod' || incoming.resource === 'UnscheduledPod'));
  return (
    resourceMatches &&
    (registered.actionType & incoming.actionType) !== 0 &&
    incoming.actionType <= registered.actionType
  );
}

export function matchAnyClusterEvent(
  incoming: ClusterEvent,
  registered: readonly ClusterEvent[],
): boolean {
  return registered.some((r) => matchClusterEvents(r, incoming));
}

// ---- the events the scheduler raises (pkg/scheduler/framework/events.go) ---------------------

export const EventAssignedPodAdd: ClusterEvent = {
  resource: 'AssignedPod',
  actionType: ActionType.Add,
};
export const EventAssignedPodDelete: ClusterEvent = {
  resource: 'AssignedPod',
  actionType: ActionType.Delete,
};
export const EventNodeAdd: ClusterEvent = { resource: 'Node', actionType: ActionType.Add };
export const EventNodeDelete: ClusterEvent = { resource: 'Node', actionType: ActionType.Delete };
/** Wildcard: a pod parked longer than podMaxInUnschedulablePodsDuration. */
export const EventUnschedulableTimeout: ClusterEvent = {
  resource: WILDCARD,
  actionType: ActionType.All,
  customLabel: 'UnschedulableTimeout',
};
/** What a plugin without EventsToRegister is registered for (UnrollWildCardResource). */
export const ALL_EVENTS: readonly ClusterEventWithHint[] = (
  [
    'Pod',
    'Node',
    'PersistentVolume',
    'PersistentVolumeClaim',
    'storage.k8s.io/StorageClass',
  ] as const
).map((resource) => ({ event: { resource, actionType: ActionType.All } }));

// ---- interpreting updates ------------------------------------------------------------------

function labelsEqual(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k]) return false;
  return true;
}

/** Semantic equality of two JSON-shaped values (equality.Semantic.DeepEqual for our objects). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Map || b instanceof Map) {
    if (!(a instanceof Map && b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!deepEqual(v, b.get(k))) return false;
    return true;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
      return false;
  }
  return true;
}

/**
 * PodSchedulingPropertiesChange: the specific update events an update of a pod raises, or the
 * general Update when none applies. `assigned` picks AssignedPod vs UnscheduledPod.
 */
export function podSchedulingPropertiesChange(newPod: SimPod, oldPod: SimPod): ClusterEvent[] {
  const resource: EventResource = newPod.spec.nodeName ? 'AssignedPod' : 'UnscheduledPod';
  const actions: number[] = [];
  if (!labelsEqual(newPod.metadata.labels, oldPod.metadata.labels))
    actions.push(ActionType.UpdatePodLabel);
  if (podScaledDown(newPod, oldPod)) actions.push(ActionType.UpdatePodScaleDown);
  if (!newPod.spec.schedulingGates?.length && oldPod.spec.schedulingGates?.length)
    actions.push(ActionType.UpdatePodSchedulingGatesEliminated);
  // Tolerations can only be added (API validation), so a changed length is the signal.
  if ((newPod.spec.tolerations?.length ?? 0) !== (oldPod.spec.tolerations?.length ?? 0))
    actions.push(ActionType.UpdatePodToleration);
  if (actions.length === 0) actions.push(ActionType.Update);
  return actions.map((actionType) => ({ resource, actionType }));
}

/** extractPodScaleDown: some request of the old pod is gone or smaller. */
function podScaledDown(newPod: SimPod, oldPod: SimPod): boolean {
  const o = oldPod.requests;
  const n = newPod.requests;
  if (n.milliCPU < o.milliCPU || n.memory < o.memory || n.ephemeralStorage < o.ephemeralStorage)
    return true;
  for (const [name, v] of o.scalar) if ((n.scalar.get(name) ?? 0) < v) return true;
  return false;
}

/** NodeSchedulingPropertiesChange: one event per kind of change, none for an unrelated update. */
export function nodeSchedulingPropertiesChange(newNode: SimNode, oldNode: SimNode): ClusterEvent[] {
  const actions: number[] = [];
  if (newNode.spec.unschedulable !== oldNode.spec.unschedulable && !newNode.spec.unschedulable)
    actions.push(ActionType.UpdateNodeTaint);
  if (!deepEqual(newNode.status.allocatable, oldNode.status.allocatable))
    actions.push(ActionType.UpdateNodeAllocatable);
  if (!labelsEqual(newNode.metadata.labels, oldNode.metadata.labels))
    actions.push(ActionType.UpdateNodeLabel);
  if (!deepEqual(newNode.spec.taints, oldNode.spec.taints))
    actions.push(ActionType.UpdateNodeTaint);
  if (newNode.status.ready !== oldNode.status.ready) actions.push(ActionType.UpdateNodeCondition);
  if (!labelsEqual(newNode.metadata.annotations, oldNode.metadata.annotations))
    actions.push(ActionType.UpdateNodeAnnotation);
  return actions.map((actionType) => ({ resource: 'Node', actionType }));
}

/**
 * The node as the scheduler's informer cache last saw it: the fields updates are compared on,
 * copied, since writers change nodes in place.
 */
export function snapshotNode(node: SimNode): SimNode {
  return {
    ...node,
    metadata: {
      ...node.metadata,
      labels: { ...node.metadata.labels },
      annotations: { ...node.metadata.annotations },
    },
    spec: {
      unschedulable: node.spec.unschedulable,
      taints: node.spec.taints.map((t) => ({ ...t })),
    },
    status: { ...node.status, allocatable: cloneResource(node.status.allocatable) },
  };
}
