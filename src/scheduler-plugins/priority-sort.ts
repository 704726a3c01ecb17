/**
 * PrioritySort (queuesort/priority_sort.go): the default QueueSort. Higher `spec.priority`
 * first; among equals, the pod queued earlier (QueuedPodInfo.timestamp) first.
 */
import type {
  PluginFactory,
  QueuedPodInfo,
  QueueSortPlugin,
} from '../scheduler/framework/interfaces.js';

export const Name = 'PrioritySort';

export class PrioritySort implements QueueSortPlugin {
  readonly name = Name;

  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    const p1 = a.pod.priority;
    const p2 = b.pod.priority;
    return p1 > p2 || (p1 === p2 && a.timestamp < b.timestamp);
  }
}

export const factory: PluginFactory = () => new PrioritySort();
