/**
 * NodeAffinity (nodeaffinity/node_affinity.go).
 * - PreFilter: Skip when the pod has no nodeSelector, no required node affinity and the profile
 *   adds none; when every required term pins `metadata.name In [...]`, narrow the cycle to
 *   those nodes (how DaemonSet pods reach their node without scanning the cluster).
 * - Filter: the profile's `addedAffinity` required terms, then the pod's nodeSelector AND its
 *   required terms (ORed). Both rejections are UnschedulableAndUnresolvable.
 * - Score: Σ weights of matching preferred terms (the profile's added ones plus the pod's),
 *   normalized by the maximum.
 */
import type {
  NodeAffinity as NodeAffinitySpec,
  PreferredSchedulingTerm,
} from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from '../model/node-info.js';
import type { SimNode, SimPod } from '../model/objects.js';
import type { CycleState } from '../scheduler/framework/cycle-state.js';
import {
  ActionType,
  MAX_NODE_SCORE,
  QueueingHint,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type FilterPlugin,
  type PluginArgs,
  type PluginFactory,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ScorePlugin,
} from '../scheduler/framework/interfaces.js';
import { Status } from '../scheduler/framework/status.js';
import { throwFirst, type FieldError } from './helpers/field-error.js';
import { defaultNormalizeScore } from './helpers/normalize-score.js';
import {
  nodeMatchesNodeSelectorTerms,
  nodeSelectorErrors,
  OBJECT_NAME_FIELD,
  podMatchesNodeSelectorAndAffinityTerms,
  preferredSchedulingTermsErrors,
  preferredSchedulingTermsScore,
} from './helpers/node-selector.js';

export const Name = 'NodeAffinity';
export const ErrReasonPod = "node(s) didn't match Pod's node affinity/selector";
export const ErrReasonEnforced = "node(s) didn't match scheduler-enforced node affinity";
export const ErrReasonConflict = 'pod affinity terms conflict';

/** NodeAffinityArgs (kubescheduler.config.k8s.io/v1). */
export interface NodeAffinityArgs {
  addedAffinity?: NodeAffinitySpec;
}

export class NodeAffinity
  implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions
{
  readonly name = Name;
  private readonly addedNodeSelector: NodeAffinitySpec['requiredDuringSchedulingIgnoredDuringExecution'];
  private readonly addedPrefSchedTerms: PreferredSchedulingTerm[] | undefined;

  constructor(args: NodeAffinityArgs = {}) {
    this.addedNodeSelector = args.addedAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    const preferred = args.addedAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
    this.addedPrefSchedTerms = preferred?.length ? preferred : undefined;
  }

  preFilter(_state: CycleState, pod: SimPod): { result?: PreFilterResult; status: Status | null } {
    const required =
      pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (!required && !this.addedNodeSelector && pod.spec.nodeSelector === undefined) {
      return { status: Status.skip() };
    }
    const terms = required?.nodeSelectorTerms;
    if (!terms?.length) return { status: null };

    // Terms are ORed, requirements within a term ANDed: the pod can only land on the union over
    // terms of the intersection of each term's `metadata.name In` lists — and only if every
    // term has such a requirement (a term without one admits any node).
    let nodeNames: Set<string> | undefined;
    for (const term of terms) {
      let termNodeNames: Set<string> | undefined;
      for (const r of term.matchFields ?? []) {
        if (r.key !== OBJECT_NAME_FIELD || r.operator !== 'In') continue;
        const s = new Set(r.values ?? []);
        termNodeNames = termNodeNames ? new Set([...termNodeNames].filter((n) => s.has(n))) : s;
      }
      if (!termNodeNames) return { status: null };
      nodeNames = nodeNames ?? new Set();
      for (const n of termNodeNames) nodeNames.add(n);
    }
    if (nodeNames && nodeNames.size === 0)
      return { status: Status.unresolvable(ErrReasonConflict) };
    return nodeNames ? { result: { nodeNames }, status: null } : { status: null };
  }

  filter(_state: CycleState, pod: SimPod, nodeInfo: NodeInfo): Status | null {
    const node = nodeInfo.node;
    if (
      this.addedNodeSelector &&
      !nodeMatchesNodeSelectorTerms(this.addedNodeSelector.nodeSelectorTerms, node)
    ) {
      return Status.unresolvable(ErrReasonEnforced);
    }
    return podMatchesNodeSelectorAndAffinityTerms(pod, node)
      ? null
      : Status.unresolvable(ErrReasonPod);
  }

  preScore(_state: CycleState, pod: SimPod): Status | null {
    const preferred =
      pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
    if (preferred) {
      const first = preferredSchedulingTermsErrors(preferred, '')[0];
      if (first) return Status.error(`${first.field}: ${first.message}`);
    }
    if (!preferred && !this.addedPrefSchedTerms) return Status.skip();
    return null;
  }

  score(_state: CycleState, pod: SimPod, nodeInfo: NodeInfo): number {
    const node: SimNode = nodeInfo.node;
    const preferred =
      pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
    return (
      preferredSchedulingTermsScore(this.addedPrefSchedTerms, node) +
      preferredSchedulingTermsScore(preferred, node)
    );
  }

  normalizeScore(
    _state: CycleState,
    _pod: SimPod,
    _nodes: readonly NodeInfo[],
    scores: number[],
  ): Status | null {
    defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
    return null;
  }

  /** A node added or relabelled may now match (QHint on: no UpdateNodeTaint). */
  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel },
        queueingHintFn: (pod, oldObj, newObj) =>
          this.isSchedulableAfterNodeChange(pod, oldObj, newObj),
      },
    ];
  }

  /**
   * isSchedulableAfterNodeChange: the node must match the profile's added affinity and the
   * pod's nodeSelector and required terms; an added node then requeues, an updated one only
   * if it did not match before.
   */
  isSchedulableAfterNodeChange(pod: SimPod, oldObj: unknown, newObj: unknown): QueueingHint {
    const original = oldObj as SimNode | undefined;
    const modified = newObj as SimNode;
    const added = this.addedNodeSelector?.nodeSelectorTerms;
    if (added && !nodeMatchesNodeSelectorTerms(added, modified)) return QueueingHint.QueueSkip;
    if (!podMatchesNodeSelectorAndAffinityTerms(pod, modified)) return QueueingHint.QueueSkip;
    if (!original) return QueueingHint.Queue;
    return podMatchesNodeSelectorAndAffinityTerms(pod, original)
      ? QueueingHint.QueueSkip
      : QueueingHint.Queue;
  }
}

/** ValidateNodeAffinityArgs: the added terms must parse (upstream field paths and messages). */
export function validateNodeAffinityArgs(args: NodeAffinityArgs): FieldError[] {
  const affinity = args.addedAffinity;
  if (!affinity) return [];
  const errors: FieldError[] = [];
  const required = affinity.requiredDuringSchedulingIgnoredDuringExecution;
  if (required) {
    errors.push(
      ...nodeSelectorErrors(
        required.nodeSelectorTerms ?? [],
        'addedAffinity.requiredDuringSchedulingIgnoredDuringExecution',
      ),
    );
  }
  const preferred = affinity.preferredDuringSchedulingIgnoredDuringExecution;
  if (preferred?.length) {
    errors.push(
      ...preferredSchedulingTermsErrors(
        preferred,
        'addedAffinity.preferredDuringSchedulingIgnoredDuringExecution',
      ),
    );
  }
  return errors;
}

export const factory: PluginFactory = (args: PluginArgs | undefined) => {
  const typed = (args ?? {}) as NodeAffinityArgs;
  throwFirst(Name, validateNodeAffinityArgs(typed));
  return new NodeAffinity(typed);
};
