/**
 * DefaultPreemption (defaultpreemption/default_preemption.go + framework/preemption/
 * preemption.go, v1.35): the PostFilter that, when no node fits, looks for a node where
 * evicting lower-priority pods would make room, evicts them and nominates the node.
 *
 * 1. Eligibility: `preemptionPolicy: Never`, or a lower-priority pod on the already nominated
 *    node still terminating because of an earlier preemption, stop here.
 * 2. Candidates: nodes whose Filter status is Unschedulable (absent = UnschedulableAndUnresolvable,
 *    as NodeToStatus' default). A dry run starts at a random offset and stops once it holds at
 *    least one PDB-respecting candidate and numCandidates in all.
 * 3. Per node (SelectVictimsOnNode), on a copy of the NodeInfo and a clone of the CycleState:
 *    remove every lower-priority pod; if the pod still does not fit, the node is out. Otherwise
 *    reprieve pods most important first — PDB-violating ones, then the rest — keeping each
 *    one the pod still fits beside.
 * 4. Pick the node (pickOneNodeForPreemption), evict its victims through the handle, clear the
 *    nominations of lower-priority pods to that node, and nominate it.
 *
 * Upstream's dry run is parallel and its final tie-break walks a Go map; here both follow the
 * dry-run order, so a seed reproduces the choice. Preemption runs synchronously (victims are
 * deleted within the cycle), which is what async preemption amounts to in virtual time.
 */
import type { NodeInfo } from '../model/node-info.js';
import type { SimPod } from '../model/objects.js';
import type { CycleState } from '../scheduler/framework/cycle-state.js';
import type {
  Handle,
  PluginArgs,
  PluginFactory,
  PostFilterPlugin,
  PostFilterResult,
  PreFilterPlugin,
} from '../scheduler/framework/interfaces.js';
import { fitErrorMessage } from '../scheduler/framework/fit-error.js';
import { Code, Status } from '../scheduler/framework/status.js';
import { invalid, throwFirst, type FieldError } from './helpers/field-error.js';
import { filterPodsWithPDBViolation, listPDBs, type PDBView } from './helpers/pdb.js';

export const Name = 'DefaultPreemption';

/** Status reasons and messages, verbatim from upstream. */
export const ERR_NO_VICTIMS = 'No preemption victims found for incoming pod';
export const ERR_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const MSG_POLICY_NEVER = 'not eligible due to preemptionPolicy=Never.';
export const MSG_TERMINATING = 'not eligible due to a terminating pod on the nominated node.';
const NOT_HELPFUL = Status.unresolvable(ERR_NOT_HELPFUL);

/** math.MaxInt32 + 1: keeps every priority non-negative when summing victims' priorities. */
const PRIORITY_OFFSET = 2147483648;

/** DefaultPreemptionArgs (kubescheduler.config.k8s.io/v1) after defaulting. */
export interface DefaultPreemptionArgs {
  minCandidateNodesPercentage: number;
  minCandidateNodesAbsolute: number;
}

export function defaultDefaultPreemptionArgs(input: PluginArgs = {}): DefaultPreemptionArgs {
  return {
    minCandidateNodesPercentage: (input.minCandidateNodesPercentage ?? 10) as number,
    minCandidateNodesAbsolute: (input.minCandidateNodesAbsolute ?? 100) as number,
  };
}

/** ValidateDefaultPreemptionArgs. */
export function validateDefaultPreemptionArgs(args: DefaultPreemptionArgs): FieldError[] {
  const errs: FieldError[] = [];
  const pct = args.minCandidateNodesPercentage;
  const abs = args.minCandidateNodesAbsolute;
  if (!Number.isInteger(pct)) {
    errs.push(invalid('minCandidateNodesPercentage', pct, 'must be an integer'));
  } else if (pct < 0 || pct > 100) {
    errs.push(invalid('minCandidateNodesPercentage', pct, 'not in valid range [0, 100]'));
  }
  if (!Number.isInteger(abs)) {
    errs.push(invalid('minCandidateNodesAbsolute', abs, 'must be an integer'));
  } else if (abs < 0) {
    errs.push(invalid('minCandidateNodesAbsolute', abs, 'not in valid range [0, inf)'));
  }
  if (pct === 0 && abs === 0) {
    errs.push(
      invalid(
        'minCandidateNodesPercentage',
        pct,
        'cannot be zero at the same time as minCandidateNodesAbsolute',
      ),
      invalid(
        'minCandidateNodesAbsolute',
        abs,
        'cannot be zero at the same time as minCandidateNodesPercentage',
      ),
    );
  }
  return errs;
}

/**
 * What preemption needs of its profile's framework (upstream's framework.Handle): Filter on a
 * modified NodeInfo, and the PreFilter plugins whose AddPod/RemovePod keep a cloned cycle
 * state in step with it. The scheduler sets `handle.framework` to the profile's Framework.
 */
export interface PreemptionFramework {
  /** RunFilterPluginsWithNominatedPods; runFilter is used when absent. */
  runFilterWithNominatedPods?(state: CycleState, pod: SimPod, nodeInfo: NodeInfo): Status | null;
  runFilter(state: CycleState, pod: SimPod, nodeInfo: NodeInfo): Status | null;
  readonly preFilterPlugins: readonly PreFilterPlugin[];
}

/** A node where the preemptor fits once `victims` are gone (most important victim first). */
export interface Candidate {
  nodeName: string;
  victims: SimPod[];
  numPDBViolations: number;
}

/** Victims of one node, or why the node cannot be a candidate. */
export interface VictimsResult {
  victims: SimPod[];
  numPDBViolations: number;
  status: Status | null;
}

export class DefaultPreemption implements PostFilterPlugin {
  readonly name = Name;

  constructor(
    readonly args: DefaultPreemptionArgs,
    private readonly handle: Handle,
  ) {}

  postFilter(
    state: CycleState,
    pod: SimPod,
    filteredNodeStatus: ReadonlyMap<string, Status>,
  ): { result?: PostFilterResult; status: Status | null } {
    const { result, status } = this.preempt(state, pod, filteredNodeStatus);
    if (status && status.message()) {
      return { result, status: new Status(status.code, [`preemption: ${status.message()}`]) };
    }
    return { result, status };
  }

  /** Evaluator.Preempt. */
  private preempt(
    state: CycleState,
    pod: SimPod,
    m: ReadonlyMap<string, Status>,
  ): { result?: PostFilterResult; status: Status | null } {
    const fw = (this.handle as Handle & { framework?: PreemptionFramework }).framework;
    if (!fw) return { status: Status.error('no framework handle to run Filter plugins with') };
    const store = this.handle.store;
    // 0) The latest version of the pod: it may have been deleted meanwhile.
    if (store.getPod(pod.key) === undefined) {
      return { status: Status.error(`pod "${pod.metadata.name}" not found`) };
    }

    // 1) Eligibility.
    const nominated = pod.status.nominatedNodeName;
    const reason = this.podEligibleToPreemptOthers(pod, nominated ? statusOf(m, nominated) : null);
    if (reason) return { status: Status.unschedulable(reason) };

    // 2) Candidates.
    const allNodes = store.nodes();
    if (allNodes.length === 0) return { status: Status.error('no nodes available') };
    const { candidates, nodeStatuses, errors } = this.findCandidates(fw, state, pod, allNodes, m);
    if (errors.length > 0 && candidates.length === 0) {
      return { status: Status.error(aggregateErrors(errors)) };
    }
    if (candidates.length === 0) {
      // A FitError over the dry run's statuses; the empty nomination clears the pod's own.
      return {
        result: { nominatedNodeName: '' },
        status: Status.unschedulable(preemptionFitError(allNodes.length, nodeStatuses)),
      };
    }

    // 4) Best candidate (no extenders in the simulator: step 3 is a no-op).
    const best = selectCandidate(candidates, this.handle.now());

    // 5) Evict the victims, then clear lower-priority nominations to the node.
    const refused = this.prepareCandidate(best, pod);
    if (refused) return { status: refused };
    return { result: { nominatedNodeName: best.nodeName }, status: null };
  }

  /**
   * PodEligibleToPreemptOthers: undefined if eligible, else the reason. A nominated node that
   * has become UnschedulableAndUnresolvable does not hold the pod back.
   */
  podEligibleToPreemptOthers(pod: SimPod, nominatedNodeStatus: Status | null): string | undefined {
    if (pod.spec.preemptionPolicy === 'Never') return MSG_POLICY_NEVER;
    const nominated = pod.status.nominatedNodeName;
    if (nominated) {
      if (nominatedNodeStatus?.code === Code.UnschedulableAndUnresolvable) return undefined;
      const info = this.handle.store.getNodeInfo(nominated);
      for (const p of info?.pods ?? []) {
        if (p.priority < pod.priority && podTerminatingByPreemption(p)) return MSG_TERMINATING;
      }
    }
    return undefined;
  }

  /** calculateNumCandidates: max(N × pct / 100, abs), never more than N. */
  calculateNumCandidates(numNodes: number): number {
    let n = Math.trunc((numNodes * this.args.minCandidateNodesPercentage) / 100);
    if (n < this.args.minCandidateNodesAbsolute) n = this.args.minCandidateNodesAbsolute;
    return Math.min(n, numNodes);
  }

  /** GetOffsetAndNumCandidates: a uniform offset in [0, N) from the scheduler's stream. */
  getOffsetAndNumCandidates(numNodes: number): { offset: number; numCandidates: number } {
    const offset = Math.min(Math.floor(this.handle.random() * numNodes), numNodes - 1);
    return { offset, numCandidates: this.calculateNumCandidates(numNodes) };
  }

  private findCandidates(
    fw: PreemptionFramework,
    state: CycleState,
    pod: SimPod,
    allNodes: readonly NodeInfo[],
    m: ReadonlyMap<string, Status>,
  ): { candidates: Candidate[]; nodeStatuses: Map<string, Status>; errors: string[] } {
    // NodesForStatusCode(Unschedulable): nodes the filters rejected in a way preemption may fix.
    const potential = allNodes.filter((n) => statusOf(m, n.name).code === Code.Unschedulable);
    if (potential.length === 0) return { candidates: [], nodeStatuses: new Map(), errors: [] };
    const pdbs = listPDBs(this.handle.store);
    const { offset, numCandidates } = this.getOffsetAndNumCandidates(potential.length);
    return this.dryRunPreemption(fw, state, pod, potential, pdbs, offset, numCandidates);
  }

  /**
   * DryRunPreemption: candidates respecting every PDB first, then the others; each list holds
   * at most numCandidates. Statuses of the nodes found not to help are returned for the
   * FitError.
   */
  dryRunPreemption(
    fw: PreemptionFramework,
    state: CycleState,
    pod: SimPod,
    potential: readonly NodeInfo[],
    pdbs: readonly PDBView[],
    offset: number,
    numCandidates: number,
  ): { candidates: Candidate[]; nodeStatuses: Map<string, Status>; errors: string[] } {
    const nonViolating: Candidate[] = [];
    const violating: Candidate[] = [];
    const nodeStatuses = new Map<string, Status>();
    const errors: string[] = [];
    for (let i = 0; i < potential.length; i++) {
      const original = potential[(offset + i) % potential.length]!;
      // A node without a lower-priority pod ends SelectVictimsOnNode before anything is
      // removed: answer it without copying the NodeInfo and the cycle state.
      if (!hasPodBelow(original, pod.priority)) {
        nodeStatuses.set(original.name, NO_VICTIMS);
        continue;
      }
      state.postFilterDryRunNodes++;
      const nodeInfo = original.snapshot();
      const stateCopy = state.clone(cloneStateData);
      const r = this.selectVictimsOnNode(fw, stateCopy, pod, nodeInfo, pdbs);
      let status = r.status;
      if (!status && r.victims.length > 0) {
        const c: Candidate = {
          nodeName: nodeInfo.name,
          victims: r.victims,
          numPDBViolations: r.numPDBViolations,
        };
        const list = r.numPDBViolations === 0 ? nonViolating : violating;
        if (list.length < numCandidates) list.push(c);
        if (nonViolating.length > 0 && nonViolating.length + violating.length >= numCandidates)
          break;
        continue;
      }
      if (!status)
        status = Status.error(`expected at least one victim pod on node "${nodeInfo.name}"`);
      if (status.code === Code.Error) errors.push(status.message());
      nodeStatuses.set(nodeInfo.name, status);
    }
    return { candidates: [...nonViolating, ...violating], nodeStatuses, errors };
  }

  /**
   * SelectVictimsOnNode, on a NodeInfo copy and a cloned state (both mutated here): the
   * fewest lower-priority pods whose removal lets `pod` pass Filter, most important first.
   */
  selectVictimsOnNode(
    fw: PreemptionFramework,
    state: CycleState,
    pod: SimPod,
    nodeInfo: NodeInfo,
    pdbs: readonly PDBView[],
  ): VictimsResult {
    const none = (status: Status): VictimsResult => ({ victims: [], numPDBViolations: 0, status });
    const removePod = (p: SimPod): Status | null => {
      nodeInfo.removePod(p);
      return runPreFilterExtension(fw, 'RemovePod', state, pod, p, nodeInfo);
    };
    const addPod = (p: SimPod): Status | null => {
      nodeInfo.addPod(p);
      return runPreFilterExtension(fw, 'AddPod', state, pod, p, nodeInfo);
    };
    const filter = (): Status | null =>
      fw.runFilterWithNominatedPods
        ? fw.runFilterWithNominatedPods(state, pod, nodeInfo)
        : fw.runFilter(state, pod, nodeInfo);

    const potentialVictims = nodeInfo.pods.filter((p) => p.priority < pod.priority);
    for (const p of potentialVictims) {
      const err = removePod(p);
      if (err) return none(err);
    }
    if (potentialVictims.length === 0) return none(Status.unresolvable(ERR_NO_VICTIMS));
    // Affinity of the preemptor to the victims is deliberately not considered (upstream).
    const fits = filter();
    if (fits) return none(fits);

    const now = this.handle.now();
    const byImportance = (a: SimPod, b: SimPod): number =>
      moreImportantPod(a, b, now) ? -1 : moreImportantPod(b, a, now) ? 1 : 0;
    potentialVictims.sort(byImportance);
    const { violating, nonViolating } = filterPodsWithPDBViolation(potentialVictims, pdbs);
    const victims: SimPod[] = [];
    let numPDBViolations = 0;
    const reprieve = (p: SimPod): { fits: boolean; err: Status | null } => {
      let err = addPod(p);
      if (err) return { fits: false, err };
      const fits = !filter();
      if (!fits) {
        err = removePod(p);
        if (err) return { fits, err };
        victims.push(p);
      }
      return { fits, err: null };
    };
    for (const p of violating) {
      const { fits, err } = reprieve(p);
      if (err) return none(err);
      if (!fits) numPDBViolations++;
    }
    for (const p of nonViolating) {
      const { err } = reprieve(p);
      if (err) return none(err);
    }
    if (violating.length > 0 && nonViolating.length > 0) victims.sort(byImportance);
    return { victims, numPDBViolations, status: null };
  }

  /**
   * prepareCandidate: deletes each victim not already being deleted (the handle records the
   * `Preempted` event), then drops lower-priority pods' nominations to the node. Returns an
   * Error status if the apiserver refused a deletion.
   */
  private prepareCandidate(c: Candidate, pod: SimPod): Status | null {
    for (const victim of c.victims) {
      if (victim.metadata.deletionTimestamp !== undefined) continue;
      if (!this.handle.preemptPod?.(victim, pod)) {
        return Status.error(`failed to preempt pod "${victim.key}" on node "${c.nodeName}"`);
      }
    }
    const store = this.handle.store;
    const lower = [...store.pending()].filter(
      (p) => p.status.nominatedNodeName === c.nodeName && p.priority < pod.priority,
    );
    for (const p of lower) {
      p.status.nominatedNodeName = undefined;
      store.updatePod(p, 'nominated');
    }
    return null;
  }
}

/** One shared status: the dry run reports it for most nodes of a busy cluster. */
const NO_VICTIMS = new Status(Code.UnschedulableAndUnresolvable, [ERR_NO_VICTIMS]);

/** Absent nodes read as UnschedulableAndUnresolvable (NewDefaultNodeToStatus). */
const ABSENT = new Status(Code.UnschedulableAndUnresolvable);

function statusOf(m: ReadonlyMap<string, Status>, node: string): Status {
  return m.get(node) ?? ABSENT;
}

/**
 * podTerminatingByPreemption: being deleted with the DisruptionTarget condition of reason
 * PreemptionByScheduler — in the simulator, the `Preempted` outcome the victim got.
 */
function podTerminatingByPreemption(p: SimPod): boolean {
  return p.metadata.deletionTimestamp !== undefined && p.outcome === 'Preempted';
}

function hasPodBelow(info: NodeInfo, priority: number): boolean {
  for (const p of info.priorityCounts.keys()) if (p < priority) return true;
  return false;
}

/** CycleState.Clone() calls each StateData's Clone; plain values are shared. */
function cloneStateData(_key: string, value: unknown): unknown {
  const v = value as { clone?: () => unknown } | null;
  return v && typeof v === 'object' && typeof v.clone === 'function' ? v.clone() : value;
}

/** RunPreFilterExtensionAddPod / RemovePod, skipping plugins whose PreFilter returned Skip. */
function runPreFilterExtension(
  fw: PreemptionFramework,
  op: 'AddPod' | 'RemovePod',
  state: CycleState,
  podToSchedule: SimPod,
  pod: SimPod,
  nodeInfo: NodeInfo,
): Status | null {
  for (const p of fw.preFilterPlugins) {
    if (state.skipFilterPlugins.has(p.name)) continue;
    const s =
      op === 'AddPod'
        ? p.addPod?.(state, podToSchedule, pod, nodeInfo)
        : p.removePod?.(state, podToSchedule, pod, nodeInfo);
    if (s && !s.isSuccess()) {
      return Status.error(`running ${op} on PreFilter plugin "${p.name}": ${s.message()}`);
    }
  }
  return null;
}

/** GetPodStartTime: status.startTime, or now for pods the kubelet has not started yet. */
function podStartTime(p: SimPod, now: number): number {
  return p.times.started ?? now;
}

/** util.MoreImportantPod: higher priority, then the earlier start. */
export function moreImportantPod(a: SimPod, b: SimPod, now: number): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  return podStartTime(a, now) < podStartTime(b, now);
}

/** SelectCandidate. */
export function selectCandidate(candidates: readonly Candidate[], now: number): Candidate {
  if (candidates.length === 1) return candidates[0]!;
  const name = pickOneNodeForPreemption(candidates, now);
  return candidates.find((c) => c.nodeName === name) ?? candidates[0]!;
}

/**
 * pickOneNodeForPreemption: each criterion keeps only the best-scoring candidates, and the
 * next one breaks their tie — fewest PDB violations, lowest highest-priority victim, smallest
 * sum of (priority + MaxInt32 + 1), fewest victims, latest earliest-start among the
 * highest-priority victims, then the first. Victims must be ordered most important first.
 */
export function pickOneNodeForPreemption(candidates: readonly Candidate[], now: number): string {
  if (candidates.length === 0) return '';
  // Upstream's older shortcut; the dry run never yields such a candidate, but keep it total.
  const free = candidates.find((c) => c.victims.length === 0);
  if (free) return free.nodeName;
  const scoreFuncs: Array<(c: Candidate) => number> = [
    (c) => -c.numPDBViolations,
    (c) => -c.victims[0]!.priority,
    (c) => -c.victims.reduce((sum, p) => sum + p.priority + PRIORITY_OFFSET, 0),
    (c) => -c.victims.length,
    (c) => earliestStartOfHighestPriority(c.victims, now),
  ];
  let remaining: readonly Candidate[] = candidates;
  for (const f of scoreFuncs) {
    let best = -Infinity;
    let selected: Candidate[] = [];
    for (const c of remaining) {
      const score = f(c);
      if (score > best) {
        best = score;
        selected = [];
      }
      if (score === best) selected.push(c);
    }
    if (selected.length === 1) return selected[0]!.nodeName;
    remaining = selected;
  }
  return remaining[0]!.nodeName;
}

/** util.GetEarliestPodStartTime: earliest start among the victims of the highest priority. */
function earliestStartOfHighestPriority(victims: readonly SimPod[], now: number): number {
  let maxPriority = victims[0]!.priority;
  let earliest = podStartTime(victims[0]!, now);
  for (const p of victims) {
    if (p.priority === maxPriority) {
      earliest = Math.min(earliest, podStartTime(p, now));
    } else if (p.priority > maxPriority) {
      maxPriority = p.priority;
      earliest = podStartTime(p, now);
    }
  }
  return earliest;
}

/**
 * FitError.Error() over the dry run's statuses: nodes without one are counted under
 * "Preemption is not helpful for scheduling" (the absent-nodes status).
 */
export function preemptionFitError(
  numAllNodes: number,
  nodeStatuses: ReadonlyMap<string, Status>,
): string {
  return fitErrorMessage({ numAllNodes, nodeToStatus: nodeStatuses, absentStatus: NOT_HELPFUL });
}

/** utilerrors.NewAggregate(errs).Error(). */
function aggregateErrors(errors: readonly string[]): string {
  return errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`;
}

export const factory: PluginFactory = (args: PluginArgs | undefined, handle: Handle) => {
  const defaulted = defaultDefaultPreemptionArgs(args);
  throwFirst(Name, validateDefaultPreemptionArgs(defaulted));
  return new DefaultPreemption(defaulted, handle);
};
