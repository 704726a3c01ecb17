/**
 * NodeName (nodename/node_name.go): a pod that names its node in `spec.nodeName` fits only
 * that node.
 */
import type { NodeInfo } from '../model/node-info.js';
import type { SimPod } from '../model/objects.js';
import type { CycleState } from '../scheduler/framework/cycle-state.js';
import {
  ActionType,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type FilterPlugin,
  type PluginFactory,
} from '../scheduler/framework/interfaces.js';
import { Status } from '../scheduler/framework/status.js';

export const Name = 'NodeName';
export const ErrReason = "node(s) didn't match the requested node name";

export function fits(pod: SimPod, nodeInfo: NodeInfo): boolean {
  const nodeName = pod.spec.nodeName;
  return !nodeName || nodeName === nodeInfo.node.metadata.name;
}

export class NodeName implements FilterPlugin, EnqueueExtensions {
  readonly name = Name;

  filter(_state: CycleState, pod: SimPod, nodeInfo: NodeInfo): Status | null {
    return fits(pod, nodeInfo) ? null : Status.unresolvable(ErrReason);
  }

  fastPassConditions(_state: CycleState, pod: SimPod): number | undefined {
    return pod.spec.nodeName ? undefined : 0;
  }

  /** Only the named node appearing can help; no hint: every node added requeues (as Queue). */
  eventsToRegister(): ClusterEventWithHint[] {
    return [{ event: { resource: 'Node', actionType: ActionType.Add } }];
  }
}

export const factory: PluginFactory = () => new NodeName();
