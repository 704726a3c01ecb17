/**
 * SchedulingGates (schedulinggates/scheduling_gates.go): a pod whose `spec.schedulingGates` is
 * not empty stays gated at PreEnqueue until every gate is removed.
 */
import type { SimPod } from '../model/objects.js';
import type {
  ClusterEventKind,
  EnqueueExtensions,
  PluginFactory,
  PreEnqueuePlugin,
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

  /** Removing a gate is a pod update (UpdatePodSchedulingGatesEliminated upstream). */
  eventsToRegister(): ClusterEventKind[] {
    return ['PodUpdate'];
  }
}

export const factory: PluginFactory = () => new SchedulingGates();
