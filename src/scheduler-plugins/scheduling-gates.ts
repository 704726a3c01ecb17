/**
 * SchedulingGates (schedulinggates/scheduling_gates.go): a pod whose `spec.schedulingGates` is
 * not empty stays gated at PreEnqueue until every gate is removed.
 */
import type { SimPod } from '../model/objects.js';
import { queueIfTargetPod } from '../scheduler/framework/events.js';
import {
  ActionType,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type PluginFactory,
  type PreEnqueuePlugin,
} from '../scheduler/framework/interfaces.js';
import { Status } from '../scheduler/framework/status.js';

export const Name = 'SchedulingGates';

export class SchedulingGates implements PreEnqueuePlugin, EnqueueExtensions {
  readonly name = Name;

  preEnqueue(pod: SimPod): Status | null {
    const gates = pod.spec.schedulingGates;
    if (!gates?.length) return null;
    // Go's %v of a []string: "[a b]".
    return Status.unresolvable(
      `waiting for scheduling gates: [${gates.map((g) => g.name).join(' ')}]`,
    );
  }

  /** The pod's own gates all removed (UpdatePodSchedulingGatesEliminated). */
  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Pod', actionType: ActionType.UpdatePodSchedulingGatesEliminated },
        queueingHintFn: isSchedulableAfterUpdatePodSchedulingGatesEliminated,
      },
    ];
  }
}

/** isSchedulableAfterUpdatePodSchedulingGatesEliminated: only the gated pod's own update counts. */
export const isSchedulableAfterUpdatePodSchedulingGatesEliminated = queueIfTargetPod;

export const factory: PluginFactory = () => new SchedulingGates();
