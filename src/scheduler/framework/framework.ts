/**
 * One scheduling profile: its plugins instantiated once and arranged per extension point,
 * and the runners that call them in configured order (upstream frameworkImpl).
 */
import type { NodeInfo } from '../../model/node-info.js';
import { rowsOf } from '../../model/node-table.js';
import type { SimPod } from '../../model/objects.js';
import type { CycleState } from './cycle-state.js';
import {
  hasEvents,
  isBind,
  isFilter,
  isPermit,
  isPostBind,
  isPostFilter,
  isPreBind,
  isPreEnqueue,
  isPreFilter,
  isPreScore,
  isQueueSort,
  isReserve,
  isScore,
  type BindPlugin,
  type FilterPlugin,
  type Handle,
  type NodeRows,
  type PermitPlugin,
  type Plugin,
  type PluginArgs,
  type PluginFactory,
  type PostBindPlugin,
  type PostFilterPlugin,
  type PostFilterResult,
  type PreBindPlugin,
  type PreEnqueuePlugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type QueuedPodInfo,
  type QueueSortPlugin,
  type ReservePlugin,
  type ScorePlugin,
} from './interfaces.js';
import { Nominator } from '../nominator.js';
import { ALL_EVENTS, type ClusterEvent, type ClusterEventWithHint } from './events.js';
import { Code, Status } from './status.js';
import { MAX_PERMIT_TIMEOUT_MS, WaitingPodsMap } from './waiting-pods.js';

export interface WeightedPlugin {
  name: string;
  weight: number;
}

/** A fully merged profile (after multiPoint/enabled/disabled merging and defaulting). */
export interface ProfileConfig {
  schedulerName: string;
  plugins: {
    preEnqueue: string[];
    queueSort: string[];
    preFilter: string[];
    filter: string[];
    postFilter: string[];
    preScore: string[];
    score: WeightedPlugin[];
    reserve: string[];
    permit: string[];
    preBind: string[];
    bind: string[];
    postBind: string[];
  };
  /** Plugin args by plugin name (after defaulting). */
  pluginConfig: Map<string, PluginArgs>;
  /** Profile-level percentageOfNodesToScore; undefined = use the global setting. */
  percentageOfNodesToScore?: number;
}

export type PluginRegistry = ReadonlyMap<string, PluginFactory>;

/** Per-plugin scores of one cycle, kept only when explaining (scores.csv). */
export interface ScoreBreakdown {
  plugin: string;
  weight: number;
  raw: number[];
  normalized: number[];
}

export class Framework {
  readonly name: string;
  private readonly instances = new Map<string, Plugin>();
  readonly preEnqueuePlugins: PreEnqueuePlugin[];
  readonly queueSortPlugin: QueueSortPlugin;
  readonly preFilterPlugins: PreFilterPlugin[];
  readonly filterPlugins: FilterPlugin[];
  readonly postFilterPlugins: PostFilterPlugin[];
  readonly preScorePlugins: PreScorePlugin[];
  readonly scorePlugins: ScorePlugin[];
  readonly scoreWeights: number[];
  readonly reservePlugins: ReservePlugin[];
  readonly permitPlugins: PermitPlugin[];
  readonly preBindPlugins: PreBindPlugin[];
  readonly bindPlugins: BindPlugin[];
  readonly postBindPlugins: PostBindPlugin[];
  readonly percentageOfNodesToScore: number | undefined;
  /**
   * QueueingHint registrations by plugin name (buildQueueingHintMap): what each PreEnqueue,
   * PreFilter, Filter, Reserve or Permit plugin's eventsToRegister returned, or every event
   * for one without it (defaultEnqueueExtension).
   */
  readonly queueingHints = new Map<string, readonly ClusterEventWithHint[]>();
  /** Every registered event of the profile: an event none matches moves nothing. */
  readonly registeredEvents: ClusterEvent[] = [];

  /**
   * `waitingPods` is shared by every profile of a scheduler (upstream WithWaitingPods); the
   * framework completes `handle` with its calls, as upstream's frameworkImpl is the Handle.
   */
  constructor(
    readonly profile: ProfileConfig,
    registry: PluginRegistry,
    readonly handle: Handle,
    readonly waitingPods: WaitingPodsMap = new WaitingPodsMap(),
  ) {
    const h = handle as { -readonly [K in keyof Handle]: Handle[K] };
    const calls = waitingPods.handleCalls();
    h.getWaitingPod ??= calls.getWaitingPod;
    h.iterateOverWaitingPods ??= calls.iterateOverWaitingPods;
    h.rejectWaitingPod ??= calls.rejectWaitingPod;
    this.name = profile.schedulerName;
    this.percentageOfNodesToScore = profile.percentageOfNodesToScore;
    const p = profile.plugins;
    const get = <T extends Plugin>(
      name: string,
      point: string,
      guard: (x: Plugin) => x is T,
    ): T => {
      const plugin = this.instance(name, registry);
      if (!guard(plugin)) {
        throw new Error(`plugin "${name}" does not extend ${point} extension point`);
      }
      return plugin;
    };
    this.preEnqueuePlugins = p.preEnqueue.map((n) => get(n, 'PreEnqueue', isPreEnqueue));
    if (p.queueSort.length !== 1) {
      throw new Error(`only one queue sort plugin can be enabled, got ${p.queueSort.length}`);
    }
    this.queueSortPlugin = get(p.queueSort[0]!, 'QueueSort', isQueueSort);
    this.preFilterPlugins = p.preFilter.map((n) => get(n, 'PreFilter', isPreFilter));
    this.filterPlugins = p.filter.map((n) => get(n, 'Filter', isFilter));
    this.postFilterPlugins = p.postFilter.map((n) => get(n, 'PostFilter', isPostFilter));
    this.preScorePlugins = p.preScore.map((n) => get(n, 'PreScore', isPreScore));
    this.scorePlugins = p.score.map((w) => get(w.name, 'Score', isScore));
    this.scoreWeights = p.score.map((w) => w.weight);
    this.reservePlugins = p.reserve.map((n) => get(n, 'Reserve', isReserve));
    this.permitPlugins = p.permit.map((n) => get(n, 'Permit', isPermit));
    this.preBindPlugins = p.preBind.map((n) => get(n, 'PreBind', isPreBind));
    this.bindPlugins = p.bind.map((n) => get(n, 'Bind', isBind));
    this.postBindPlugins = p.postBind.map((n) => get(n, 'PostBind', isPostBind));
    if (this.bindPlugins.length === 0) throw new Error('at least one bind plugin is needed');
    for (const [name, plugin] of this.instances) {
      // shouldHaveEnqueueExtensions: only these extension points can reject a pod.
      const rejects =
        isPreEnqueue(plugin) ||
        isPreFilter(plugin) ||
        isFilter(plugin) ||
        isReserve(plugin) ||
        isPermit(plugin);
      if (!rejects) continue;
      const hints = hasEvents(plugin) ? plugin.eventsToRegister() : ALL_EVENTS;
      this.queueingHints.set(name, hints);
      for (const h of hints) this.registeredEvents.push(h.event);
    }
  }

  private instance(name: string, registry: PluginRegistry): Plugin {
    let plugin = this.instances.get(name);
    if (!plugin) {
      const factory = registry.get(name);
      if (!factory) {
        throw new Error(
          `plugin "${name}" is not registered (known: ${[...registry.keys()].sort().join(', ')})`,
        );
      }
      plugin = factory(this.profile.pluginConfig.get(name), this.handle);
      this.instances.set(name, plugin);
    }
    return plugin;
  }

  plugin(name: string): Plugin | undefined {
    return this.instances.get(name);
  }

  less = (a: QueuedPodInfo, b: QueuedPodInfo): boolean => this.queueSortPlugin.less(a, b);

  hasScorePlugins(): boolean {
    return this.scorePlugins.length > 0;
  }

  /**
   * PreEnqueue plugins in order, `first` (the plugin that gated the pod last time) before the
   * rest (runPreEnqueuePlugins); the first rejection wins.
   */
  runPreEnqueue(pod: SimPod, first = ''): Status | null {
    const gating = first ? this.preEnqueuePlugins.find((p) => p.name === first) : undefined;
    const order = gating
      ? [gating, ...this.preEnqueuePlugins.filter((p) => p !== gating)]
      : this.preEnqueuePlugins;
    let current = '';
    try {
      for (const p of order) {
        current = p.name;
        const s = p.preEnqueue(pod);
        current = '';
        if (s && !s.isSuccess()) return s.withPlugin(p.name);
      }
    } catch (e) {
      throw current ? pluginThrew(current, 'PreEnqueue', pod, e) : e;
    }
    return null;
  }

  /**
   * RunPreFilterPlugins (v1.35): Skip disables the plugin's Filter; UnschedulableAndUnresolvable
   * stops at once (preemption cannot help); Unschedulable is remembered and the remaining
   * plugins still run, so preemption sees every plugin's state (#119770); an Error aborts
   * the cycle. Node subsets are intersected; an empty intersection rejects every node.
   * `pluginsWithNodes` are the plugins that returned a subset (the Diagnosis' rejectors
   * when the intersection is empty, or for the nodes left out).
   */
  runPreFilter(
    state: CycleState,
    pod: SimPod,
    nodes: readonly NodeInfo[],
  ): { nodeNames?: Set<string>; status: Status | null; pluginsWithNodes: ReadonlySet<string> } {
    let nodeNames: Set<string> | undefined;
    // Made only when a plugin returns a node subset (rare): no Set per cycle.
    let pluginsWithNodes: Set<string> | undefined;
    let rejection: Status | null = null;
    state.activeFilterPlugins = undefined;
    for (const p of this.preFilterPlugins) {
      let out: ReturnType<PreFilterPlugin['preFilter']>;
      // A try per call, not a guard closure: no allocation per plugin and cycle.
      try {
        out = p.preFilter(state, pod, nodes);
      } catch (e) {
        throw pluginThrew(p.name, 'PreFilter', pod, e);
      }
      const { result, status } = out;
      if (status?.isSkip()) {
        state.skipFilterPlugins.add(p.name);
        continue;
      }
      if (status && !status.isSuccess()) {
        if (status.code === Code.UnschedulableAndUnresolvable) {
          return { status: status.withPlugin(p.name), pluginsWithNodes: NO_PLUGINS };
        }
        if (status.code === Code.Unschedulable) {
          rejection = status.withPlugin(p.name);
          continue;
        }
        const error = Status.error(`running PreFilter plugin "${p.name}": ${status.message()}`);
        return { status: error.withPlugin(p.name), pluginsWithNodes: NO_PLUGINS };
      }
      if (result?.nodeNames) {
        (pluginsWithNodes ??= new Set()).add(p.name);
        nodeNames = nodeNames
          ? new Set([...nodeNames].filter((n) => result.nodeNames!.has(n)))
          : new Set(result.nodeNames);
        if (nodeNames.size === 0) {
          const names = [...pluginsWithNodes].sort();
          const msg =
            names.length === 1
              ? `node(s) didn't satisfy plugin ${names[0]}`
              : `node(s) didn't satisfy plugin(s) [${names.join(' ')}] simultaneously`;
          // No plugin is named: the Diagnosis takes pluginsWithNodes as the rejectors.
          return { nodeNames, status: Status.unresolvable(msg), pluginsWithNodes };
        }
      }
    }
    return { nodeNames, status: rejection, pluginsWithNodes: pluginsWithNodes ?? NO_PLUGINS };
  }

  /** Active Filter plugin lists by the bitmask of skipped ones (few distinct per profile). */
  private readonly activeFilterLists = new Map<number, readonly FilterPlugin[]>();

  /** The Filter plugins whose PreFilter did not Skip, computed once per cycle. */
  private activeFilterPlugins(state: CycleState): readonly FilterPlugin[] {
    let plugins = state.activeFilterPlugins;
    if (!plugins) {
      const skip = state.skipFilterPlugins;
      if (skip.size === 0 || this.filterPlugins.length > 31) {
        plugins = skip.size
          ? this.filterPlugins.filter((p) => !skip.has(p.name))
          : this.filterPlugins;
      } else {
        // Shared between cycles skipping the same plugins: no array per cycle.
        let mask = 0;
        for (let i = 0; i < this.filterPlugins.length; i++) {
          if (skip.has(this.filterPlugins[i]!.name)) mask |= 1 << i;
        }
        plugins = this.activeFilterLists.get(mask);
        if (!plugins) {
          plugins = this.filterPlugins.filter((_, i) => (mask & (1 << i)) === 0);
          this.activeFilterLists.set(mask, plugins);
        }
      }
      state.activeFilterPlugins = plugins;
    }
    return plugins;
  }

  /**
   * The union of the active Filter plugins' FastPass conditions: a node meeting all of them
   * passes every plugin (runFilter would return null). -1 when some plugin knows none.
   */
  fastPassConditions(state: CycleState, pod: SimPod): number {
    let mask = 0;
    for (const p of this.activeFilterPlugins(state)) {
      const m = p.fastPassConditions?.(state, pod);
      if (m === undefined) return -1;
      mask |= m;
    }
    return mask;
  }

  /**
   * Runs Filter plugins on one node; the first rejection short-circuits. A status other than a
   * rejection is an Error naming the plugin (RunFilterPlugins); the cycle aborts on it.
   */
  runFilter(state: CycleState, pod: SimPod, nodeInfo: NodeInfo): Status | null {
    const plugins = this.activeFilterPlugins(state);
    let i = 0;
    try {
      for (; i < plugins.length; i++) {
        const p = plugins[i]!;
        const s = p.filter(state, pod, nodeInfo);
        if (s && !s.isSuccess()) {
          if (!s.isRejected()) {
            return Status.error(`running "${p.name}" filter plugin: ${s.message()}`).withPlugin(
              p.name,
            );
          }
          return s.withPlugin(p.name);
        }
      }
    } catch (e) {
      throw pluginThrew(plugins[i]!.name, 'Filter', pod, e, nodeInfo.name);
    }
    return null;
  }

  /**
   * RunFilterPluginsWithNominatedPods: when pods of at least this pod's priority are nominated
   * to the node, Filter runs with them added (the room preemption freed for them is taken),
   * and, if that passes, again without them (so a pod does not pass only thanks to, say,
   * affinity to a pod not there yet). Otherwise Filter runs once.
   */
  runFilterWithNominatedPods(state: CycleState, pod: SimPod, nodeInfo: NodeInfo): Status | null {
    const nominator = this.nominator();
    const nominated = nominator.isEmpty ? undefined : nominator.podsOn(nodeInfo.name);
    if (!nominated) return this.runFilter(state, pod, nodeInfo);
    let withPods: { node: NodeInfo; state: CycleState } | undefined;
    for (const p of nominated) {
      if (p === pod || p.priority < pod.priority) continue;
      withPods ??= { node: nodeInfo.snapshot(), state: state.clone() };
      withPods.node.addPod(p);
      const s = this.runPreFilterAddPod(withPods.state, pod, p, withPods.node);
      if (s) return s;
    }
    if (!withPods) return this.runFilter(state, pod, nodeInfo);
    return (
      this.runFilter(withPods.state, pod, withPods.node) ?? this.runFilter(state, pod, nodeInfo)
    );
  }

  /** RunPreFilterExtensionAddPod, skipping plugins whose PreFilter returned Skip. */
  private runPreFilterAddPod(
    state: CycleState,
    podToSchedule: SimPod,
    podToAdd: SimPod,
    nodeInfo: NodeInfo,
  ): Status | null {
    for (const p of this.preFilterPlugins) {
      if (!p.addPod || state.skipFilterPlugins.has(p.name)) continue;
      const s = p.addPod(state, podToSchedule, podToAdd, nodeInfo);
      if (s && !s.isSuccess()) {
        return Status.error(`running AddPod on PreFilter plugin "${p.name}": ${s.message()}`);
      }
    }
    return null;
  }

  private nominatorRef: Nominator | undefined;

  private nominator(): Nominator {
    return (this.nominatorRef ??= Nominator.of(this.handle.store));
  }

  /**
   * Whether no pod is nominated anywhere: runFilterWithNominatedPods is then runFilter, for
   * every node of the cycle (Filter plugins nominate nothing).
   */
  noNominatedPods(): boolean {
    return this.nominator().isEmpty;
  }

  /**
   * RunPostFilterPlugins: the first Success wins; UnschedulableAndUnresolvable or an Error stops
   * the chain; the Unschedulable messages of the others are joined.
   */
  runPostFilter(
    state: CycleState,
    pod: SimPod,
    statuses: ReadonlyMap<string, Status>,
  ): { result?: PostFilterResult; status: Status | null; message: string } {
    // RunPostFilterPlugins: until a Success, an UnschedulableAndUnresolvable or an Error;
    // the reasons of the Unschedulable ones are joined as Status.Message() joins them (", "),
    // and the last non-empty nomination counts.
    const reasons: string[] = [];
    let last: PostFilterResult | undefined;
    let rejector = '';
    for (const p of this.postFilterPlugins) {
      const { result, status } = guard(p.name, 'PostFilter', pod, () =>
        p.postFilter(state, pod, statuses),
      );
      if (!status || status.isSuccess()) return { result, status: null, message: '' };
      if (!status.isRejected() || status.code === Code.UnschedulableAndUnresolvable) {
        return {
          result: status.isRejected() ? result : undefined,
          status: status.withPlugin(p.name),
          message: status.message(),
        };
      }
      if (result) last = result;
      reasons.push(...status.reasons);
      rejector ||= p.name;
    }
    const status = Status.unschedulable(...reasons).withPlugin(rejector);
    return { result: last, status, message: status.message() };
  }

  /**
   * PreScore + Score + NormalizeScore + weights. Returns the weighted totals aligned with
   * `nodes` (a buffer the next call reuses), or the Error status (upstream's messages, naming
   * the plugin) that aborts the cycle; fills `breakdown` with per-plugin raw/normalized
   * scores when given.
   */
  runScore(
    state: CycleState,
    pod: SimPod,
    nodes: readonly NodeInfo[],
    breakdown?: ScoreBreakdown[],
    rows: NodeRows | undefined = rowsOf(nodes),
  ): number[] | Status {
    for (const p of this.preScorePlugins) {
      let s: Status | null;
      try {
        s = p.preScore(state, pod, nodes, rows);
      } catch (e) {
        throw pluginThrew(p.name, 'PreScore', pod, e);
      }
      if (s?.isSkip()) {
        state.skipScorePlugins.add(p.name);
      } else if (s && !s.isSuccess()) {
        return Status.error(`running PreScore plugin "${p.name}": ${s.message()}`);
      }
    }
    // Reused across cycles: callers read the totals before the next cycle starts.
    const totals = this.totalsBuffer(nodes.length);
    const skip = state.skipScorePlugins;
    for (let i = 0; i < this.scorePlugins.length; i++) {
      const p = this.scorePlugins[i]!;
      if (skip.has(p.name)) continue;
      const weight = this.scoreWeights[i]!;
      // One buffer serves every plugin and cycle unless explaining keeps the scores.
      const scores = breakdown ? new Array<number>(nodes.length) : this.scoreBuffer(nodes.length);
      scores.fill(0);
      try {
        if (p.scoreNodes) p.scoreNodes(state, pod, nodes, scores, rows);
        else for (let j = 0; j < nodes.length; j++) scores[j] = p.score(state, pod, nodes[j]!);
      } catch (e) {
        throw pluginThrew(p.name, 'Score', pod, e);
      }
      const raw = breakdown ? scores.slice() : undefined;
      if (p.normalizeScore) {
        let s: Status | null;
        try {
          s = p.normalizeScore(state, pod, nodes, scores);
        } catch (e) {
          throw pluginThrew(p.name, 'NormalizeScore', pod, e);
        }
        if (s && !s.isSuccess()) {
          const m = `running Normalize on Score plugins: plugin "${p.name}" failed with: `;
          return Status.error(m + s.message());
        }
      }
      for (let j = 0; j < nodes.length; j++) {
        const v = scores[j]!;
        if (v > 100 || v < 0) {
          return Status.error(
            `applying score defaultWeights on Score plugins: plugin "${p.name}" returns an invalid score ${v}, it should in the range of [0, 100] after normalizing`,
          );
        }
        totals[j]! += v * weight;
      }
      breakdown?.push({ plugin: p.name, weight, raw: raw!, normalized: scores });
    }
    return totals;
  }

  private scratchScores: number[] = [];
  private scratchTotals: number[] = [];

  private totalsBuffer(n: number): number[] {
    if (this.scratchTotals.length !== n) this.scratchTotals = new Array<number>(n);
    return this.scratchTotals.fill(0);
  }

  private scoreBuffer(n: number): number[] {
    if (this.scratchScores.length !== n) this.scratchScores = new Array<number>(n).fill(0);
    return this.scratchScores;
  }

  /** RunReservePluginsReserve: the first failure stops; an Error names the plugin. */
  runReserve(state: CycleState, pod: SimPod, nodeName: string): Status | null {
    for (const p of this.reservePlugins) {
      let s: Status | null;
      try {
        s = p.reserve(state, pod, nodeName);
      } catch (e) {
        throw pluginThrew(p.name, 'Reserve', pod, e);
      }
      if (s && !s.isSuccess()) {
        if (s.isRejected()) return s.withPlugin(p.name);
        return Status.error(`running Reserve plugin "${p.name}": ${s.message()}`).withPlugin(
          p.name,
        );
      }
    }
    return null;
  }

  /** Unreserve runs in reverse order, as upstream. */
  runUnreserve(state: CycleState, pod: SimPod, nodeName: string): void {
    for (let i = this.reservePlugins.length - 1; i >= 0; i--) {
      const p = this.reservePlugins[i]!;
      guard(p.name, 'Unreserve', pod, () => p.unreserve(state, pod, nodeName));
    }
  }

  /**
   * RunPermitPlugins: a rejection or an Error stops at once; otherwise every plugin that asked
   * to wait is returned with its timeout, capped at 15 min (maxTimeout) — the caller makes the
   * pod a waiting pod. Empty `waits` and a null status: approved.
   */
  runPermit(
    state: CycleState,
    pod: SimPod,
    nodeName: string,
  ): { status: Status | null; waits: ReadonlyMap<string, number> } {
    // Made only when a plugin waits: most pods are approved at once.
    let waits: Map<string, number> | undefined;
    for (const p of this.permitPlugins) {
      let out: ReturnType<PermitPlugin['permit']>;
      try {
        out = p.permit(state, pod, nodeName);
      } catch (e) {
        throw pluginThrew(p.name, 'Permit', pod, e);
      }
      const { status, timeoutMs } = out;
      if (!status || status.isSuccess()) continue;
      if (status.isRejected()) return { status: status.withPlugin(p.name), waits: NO_WAITS };
      if (status.code === Code.Wait) {
        (waits ??= new Map()).set(p.name, Math.min(timeoutMs ?? 0, MAX_PERMIT_TIMEOUT_MS));
        continue;
      }
      const error = Status.error(`running Permit plugin "${p.name}": ${status.message()}`);
      return { status: error.withPlugin(p.name), waits: NO_WAITS };
    }
    return { status: null, waits: waits ?? NO_WAITS };
  }

  runPreBind(state: CycleState, pod: SimPod, nodeName: string): Status | null {
    for (const p of this.preBindPlugins) {
      let s: Status | null;
      try {
        s = p.preBind(state, pod, nodeName);
      } catch (e) {
        throw pluginThrew(p.name, 'PreBind', pod, e);
      }
      if (s && !s.isSuccess()) return s.withPlugin(p.name);
    }
    return null;
  }

  /** The first Bind plugin that does not Skip handles the pod. */
  runBind(state: CycleState, pod: SimPod, nodeName: string): Status | null {
    for (const p of this.bindPlugins) {
      let s: Status | null;
      try {
        s = p.bind(state, pod, nodeName);
      } catch (e) {
        throw pluginThrew(p.name, 'Bind', pod, e);
      }
      if (s?.isSkip()) continue;
      return s && !s.isSuccess() ? s.withPlugin(p.name) : null;
    }
    return Status.error('all bind plugins skipped');
  }

  runPostBind(state: CycleState, pod: SimPod, nodeName: string): void {
    for (const p of this.postBindPlugins) {
      guard(p.name, 'PostBind', pod, () => p.postBind(state, pod, nodeName));
    }
  }
}

/** No plugin returned a node subset: shared, never written. */
const NO_PLUGINS: ReadonlySet<string> = new Set();

/** No plugin waits: shared, never written. */
export const NO_WAITS: ReadonlyMap<string, number> = new Map();

/**
 * An exception from a plugin is a bug in that plugin (upstream a panic, which crashes
 * kube-scheduler): it still aborts the run, but says which plugin, where and for which pod.
 */
export function pluginThrew(
  plugin: string,
  point: string,
  pod: SimPod,
  error: unknown,
  node?: string,
): Error {
  const where = node === undefined ? '' : ` on node ${node}`;
  const why = error instanceof Error ? error.message : String(error);
  return new Error(`plugin "${plugin}" threw at ${point} for pod ${pod.key}${where}: ${why}`, {
    cause: error,
  });
}

/** Runs one once-per-cycle plugin call, turning an exception into pluginThrew's. */
function guard<T>(plugin: string, point: string, pod: SimPod, call: () => T): T {
  try {
    return call();
  } catch (e) {
    throw pluginThrew(plugin, point, pod, e);
  }
}
