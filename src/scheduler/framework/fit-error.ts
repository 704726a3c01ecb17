/**
 * FitError.Error() (pkg/scheduler/framework/types.go, v1.35), shared by the scheduling cycle and
 * DefaultPreemption's own FitError:
 *
 *   0/N nodes are available: <PreFilter msg>. <sorted reason histogram>. <PostFilter msg>
 *
 * - With a PreFilter message the histogram is left out (every node carries that status).
 * - Each reason counts once per node holding it; nodes without a status of their own count
 *   under the absent-nodes status' reasons (NodeToStatus.AbsentNodesStatus), if any.
 * - "count reason" entries are sorted as strings (so "10 x" sorts before "9 x").
 * - The PostFilter message follows after a space with no period of its own (since v1.30; the
 *   preemption message ends with its own FitError's period).
 */
import { reasonHistogram, type Status } from './status.js';

export interface FitErrorParts {
  numAllNodes: number;
  /** Statuses of the nodes rejected one by one. */
  nodeToStatus: ReadonlyMap<string, Status>;
  /** The status of every node not in nodeToStatus (none: they add no reason). */
  absentStatus?: Status;
  preFilterMsg?: string;
  postFilterMsg?: string;
}

export function fitErrorMessage(e: FitErrorParts): string {
  let msg = `0/${e.numAllNodes} nodes are available:`;
  if (e.preFilterMsg) {
    msg += ` ${e.preFilterMsg}.`;
  } else {
    const histogram = reasonHistogram(e.nodeToStatus.values());
    const absent = e.numAllNodes - e.nodeToStatus.size;
    if (absent > 0 && e.absentStatus) {
      for (const r of e.absentStatus.reasons) histogram.set(r, (histogram.get(r) ?? 0) + absent);
    }
    const parts = [...histogram].map(([r, c]) => `${c} ${r}`);
    parts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (parts.length) msg += ` ${parts.join(', ')}.`;
  }
  if (e.postFilterMsg) msg += ` ${e.postFilterMsg}`;
  return msg;
}
