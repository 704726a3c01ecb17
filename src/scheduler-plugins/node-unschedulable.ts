/**
 * NodeUnschedulable (nodeunschedulable/node_unschedulable.go): a cordoned node
 * (`spec.unschedulable`) rejects every pod that does not tolerate the
 * `node.kubernetes.io/unschedulable:NoSchedule` taint — DaemonSet pods do, so they still land.
 */
import type { Taint } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from '../model/node-info.js';
import type { SimPod } from '../model/objects.js';
import type { CycleState } from '../scheduler/framework/cycle-state.js';
import {
  FastPass,
  type ClusterEventKind,
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

  /** Uncordon (node update), a new node, or a pod gaining the toleration. */
  eventsToRegister(): ClusterEventKind[] {
    return ['NodeAdd', 'NodeUpdate', 'PodUpdate'];
  }
}

export const factory: PluginFactory = () => new NodeUnschedulable();
