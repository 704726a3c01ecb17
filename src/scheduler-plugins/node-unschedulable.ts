/**
 * NodeUnschedulable (nodeunschedulable/node_unschedulable.go): a cordoned node
 * (`spec.unschedulable`) rejects every pod that does not tolerate the
 * `node.kubernetes.io/unschedulable:NoSchedule` taint — DaemonSet pods do, so they still land.
 */
import type { Taint } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from '../model/node-info.js';
import type { SimNode, SimPod } from '../model/objects.js';
import type { CycleState } from '../scheduler/framework/cycle-state.js';
import {
  ActionType,
  FastPass,
  QueueingHint,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type FilterPlugin,
  type PluginFactory,
} from '../scheduler/framework/interfaces.js';
import { Status } from '../scheduler/framework/status.js';
import { TAINT_NODE_UNSCHEDULABLE, tolerationsTolerateTaint } from './helpers/taints.js';

export const Name = 'NodeUnschedulable';
export const ErrReasonUnschedulable = 'node(s) were unschedulable';

const UNSCHEDULABLE_TAINT: Taint = { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' };

export class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {
  readonly name = Name;

  filter(_state: CycleState, pod: SimPod, nodeInfo: NodeInfo): Status | null {
    if (!nodeInfo.node.spec.unschedulable) return null;
    if (tolerationsTolerateTaint(pod.spec.tolerations, UNSCHEDULABLE_TAINT)) return null;
    return Status.unresolvable(ErrReasonUnschedulable);
  }

  fastPassConditions(): number {
    return FastPass.Schedulable;
  }

  /** A schedulable node added or uncordoned, or the pod gaining the toleration. */
  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint },
        queueingHintFn: isSchedulableAfterNodeChange,
      },
      {
        event: { resource: 'Pod', actionType: ActionType.UpdatePodToleration },
        queueingHintFn: isSchedulableAfterPodTolerationChange,
      },
    ];
  }
}

/** isSchedulableAfterNodeChange: Queue for a node added schedulable, or uncordoned. */
export function isSchedulableAfterNodeChange(
  _pod: SimPod,
  oldObj: unknown,
  newObj: unknown,
): QueueingHint {
  const original = oldObj as SimNode | undefined;
  const modified = newObj as SimNode;
  if (modified.spec.unschedulable) return QueueingHint.QueueSkip;
  return !original || original.spec.unschedulable ? QueueingHint.Queue : QueueingHint.QueueSkip;
}

/** isSchedulableAfterPodTolerationChange: the pod itself now tolerates the unschedulable taint. */
export function isSchedulableAfterPodTolerationChange(
  pod: SimPod,
  _oldObj: unknown,
  newObj: unknown,
): QueueingHint {
  const modified = newObj as SimPod;
  if (modified.metadata.uid !== pod.metadata.uid) return QueueingHint.QueueSkip;
  return tolerationsTolerateTaint(modified.spec.tolerations, UNSCHEDULABLE_TAINT)
    ? QueueingHint.Queue
    : QueueingHint.QueueSkip;
}

export const factory: PluginFactory = () => new NodeUnschedulable();
