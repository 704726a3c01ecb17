/**
 * TaintToleration (tainttoleration/taint_toleration.go).
 * - Filter: a NoSchedule/NoExecute taint no toleration tolerates rejects the node, and
 *   preemption cannot help (UnschedulableAndUnresolvable).
 * - Score: the number of PreferNoSchedule taints not tolerated by the pod's tolerations whose
 *   effect is PreferNoSchedule or empty; normalized in reverse, so fewer is better.
 */
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from '../model/node-info.js';
import { NodeFlag } from '../model/node-table.js';
import type { SimNode, SimPod } from '../model/objects.js';
import type { CycleState } from '../scheduler/framework/cycle-state.js';
import {
  ActionType,
  FastPass,
  MAX_NODE_SCORE,
  QueueingHint,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type FilterPlugin,
  type NodeRows,
  type PluginFactory,
  type PreScorePlugin,
  type ScorePlugin,
} from '../scheduler/framework/interfaces.js';
import { queueIfTargetPod } from '../scheduler/framework/events.js';
import { Status } from '../scheduler/framework/status.js';
import { defaultNormalizeScore } from './helpers/normalize-score.js';
import {
  findUntoleratedTaint,
  isDoNotScheduleTaint,
  tolerationsTolerateTaint,
} from './helpers/taints.js';

export const Name = 'TaintToleration';
const preScoreStateKey = 'PreScore' + Name;

/**
 * The Filter reason since PR #134740 (v1.35, cherry-picked to v1.34): taint keys and values can
 * be sensitive, so the pod status no longer names them (upstream logs the taint instead). Older
 * releases wrote `node(s) had untolerated taint {key: value}`.
 */
export const ERR_REASON_UNTOLERATED = 'node(s) had untolerated taint(s)';

/** Tolerations that can tolerate a PreferNoSchedule taint: that effect or empty (all effects). */
export function tolerationsPreferNoSchedule(
  tolerations: readonly Toleration[] | undefined,
): Toleration[] {
  return (tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
}

export function countIntolerableTaintsPreferNoSchedule(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
): number {
  let count = 0;
  for (const taint of taints) {
    if (taint.effect !== 'PreferNoSchedule') continue;
    if (!tolerationsTolerateTaint(tolerations, taint)) count++;
  }
  return count;
}

/** One shared status: a rejection costs no allocation, and FitError counts it once per node. */
const UNTOLERATED = Status.unresolvable(ERR_REASON_UNTOLERATED);

export class TaintToleration
  implements FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions
{
  readonly name = Name;

  filter(_state: CycleState, pod: SimPod, nodeInfo: NodeInfo): Status | null {
    const taint = findUntoleratedTaint(
      nodeInfo.node.spec.taints,
      pod.spec.tolerations,
      isDoNotScheduleTaint,
    );
    return taint ? UNTOLERATED : null;
  }

  /** A node without taints has none to tolerate. */
  fastPassConditions(): number {
    return FastPass.Untainted;
  }

  preScore(state: CycleState, pod: SimPod): Status | null {
    state.write(preScoreStateKey, tolerationsPreferNoSchedule(pod.spec.tolerations));
    return null;
  }

  score(state: CycleState, pod: SimPod, nodeInfo: NodeInfo): number {
    // Upstream errors without PreScore state; recomputing gives the same number.
    const tolerations =
      state.read<Toleration[]>(preScoreStateKey) ??
      tolerationsPreferNoSchedule(pod.spec.tolerations);
    return countIntolerableTaintsPreferNoSchedule(nodeInfo.node.spec.taints, tolerations);
  }

  scoreNodes(
    state: CycleState,
    pod: SimPod,
    nodes: readonly NodeInfo[],
    scores: number[],
    rows?: NodeRows,
  ): void {
    const tolerations =
      state.read<Toleration[]>(preScoreStateKey) ??
      tolerationsPreferNoSchedule(pod.spec.tolerations);
    // Only nodes with a PreferNoSchedule taint can count one: the table's flag says which.
    const flags = rows?.table.flags;
    for (let i = 0; i < nodes.length; i++) {
      if (flags && (flags[rows!.rows[i]!]! & NodeFlag.PreferNoScheduleTaint) === 0) {
        scores[i] = 0;
        continue;
      }
      const taints = nodes[i]!.node.spec.taints;
      scores[i] =
        taints.length === 0 ? 0 : countIntolerableTaintsPreferNoSchedule(taints, tolerations);
    }
  }

  normalizeScore(
    _state: CycleState,
    _pod: SimPod,
    _nodes: readonly NodeInfo[],
    scores: number[],
  ): Status | null {
    defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
    return null;
  }

  /** A node added or its taints changed, or the pod gaining a toleration (QHint on). */
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

const untolerated = (node: SimNode, pod: SimPod): boolean =>
  findUntoleratedTaint(node.spec.taints, pod.spec.tolerations, isDoNotScheduleTaint) !== undefined;

/**
 * isSchedulableAfterNodeChange: Queue when the node (new, or before the change) had a
 * NoSchedule/NoExecute taint the pod did not tolerate and now has none.
 */
export function isSchedulableAfterNodeChange(
  pod: SimPod,
  oldObj: unknown,
  newObj: unknown,
): QueueingHint {
  const original = oldObj as SimNode | undefined;
  const wasUntolerated = original ? untolerated(original, pod) : true;
  return wasUntolerated && !untolerated(newObj as SimNode, pod)
    ? QueueingHint.Queue
    : QueueingHint.QueueSkip;
}

/** isSchedulableAfterPodTolerationChange: a toleration added to the pod itself. */
export const isSchedulableAfterPodTolerationChange = queueIfTargetPod;

export const factory: PluginFactory = () => new TaintToleration();
