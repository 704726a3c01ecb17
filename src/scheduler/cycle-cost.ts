/**
 * How much virtual time a scheduling cycle takes. One cycle costs
 *
 *   baseMicros
 *   + perNodeMicros × nodes evaluated (Filter, and Score for the feasible ones)
 *   + Σ pluginMicros[p] × nodes evaluated, for each Filter plugin p that did not Skip
 *   + Σ pluginMicros[p] × nodes scored, for each Score plugin p that did not Skip
 *   + Σ clusterScanMicros[p] × nodes in the cluster, for each plugin p whose PreFilter or
 *     PreScore ran without Skip (they count over every node, not the sampled ones)
 *   + preemptionPerNodeMicros × nodes a preemption dry run selected victims on.
 *
 * Calibration, against upstream's scheduler_perf (test/integration/scheduler_perf, the
 * `threshold` of each 5000-node workload: the least average pods/s CI accepts, measured with
 * client QPS/burst 5000): SchedulingBasic 5000Nodes_10000Pods 680 and _50000Pods 810
 * (misc/performance-config.yaml). The defaults put that workload — adaptive sampling evaluates
 * 500 of 5,000 nodes, the default plugins, no spreading or affinity — at 250 + 2 × 500 =
 * 1,250 µs a cycle, 800 pods/s. The scans are then fitted to the same ratio (800 / 680) of the
 * thresholds of the workloads that add one plugin's work: TopologySpreading 460 pods/s
 * (hard zone spread) → 541 → (1,848 − 1,250) / 5,000 ≈ 0.12 µs per node for PodTopologySpread;
 * SchedulingPodAntiAffinity 60 → 70.6 → (14,167 − 1,250) / 5,000 ≈ 2.6 µs per node for
 * InterPodAffinity (topology_spreading/ and affinity/performance-config.yaml). A dry run node
 * costs what a Filter evaluation does. No upstream figure separates the default plugins from
 * each other, so they share perNodeMicros and pluginMicros is empty by default (for custom or
 * deliberately slowed plugins).
 */
import type { Framework } from './framework/framework.js';
import type { CycleState } from './framework/cycle-state.js';

export interface CycleCost {
  /** Fixed cost of a cycle (queue pop, PreFilter, bookkeeping), µs. */
  baseMicros: number;
  /** Cost per node run through Filter (and Score) by the default plugins, µs. */
  perNodeMicros: number;
  /** Extra µs per node a plugin works on (its Filter's nodes, its Score's nodes), by name. */
  pluginMicros: Readonly<Record<string, number>>;
  /** µs per node of the cluster for a plugin whose PreFilter or PreScore scans them all. */
  clusterScanMicros: Readonly<Record<string, number>>;
  /** µs per node on which a preemption dry run looked for victims. */
  preemptionPerNodeMicros: number;
}

export const DEFAULT_CYCLE_COST: CycleCost = {
  baseMicros: 250,
  perNodeMicros: 2,
  pluginMicros: {},
  clusterScanMicros: { InterPodAffinity: 2.6, PodTopologySpread: 0.12 },
  preemptionPerNodeMicros: 2,
};

/** A cycle that takes no virtual time (benchmarks, tests that want instant scheduling). */
export const ZERO_CYCLE_COST: CycleCost = {
  baseMicros: 0,
  perNodeMicros: 0,
  pluginMicros: {},
  clusterScanMicros: {},
  preemptionPerNodeMicros: 0,
};

/** What a cycle did, as the cost model reads it. */
export interface CycleWork {
  state: CycleState;
  evaluatedNodes: number;
  /** Nodes scored (0 when scoring did not run: one feasible node, the nominated node, none). */
  scoredNodes: number;
  /** The cycle ended in PreFilter (its later plugins never ran). */
  stoppedInPreFilter: boolean;
  numAllNodes: number;
}

interface Plan {
  filter: Array<[string, number]>;
  score: Array<[string, number]>;
  scanPreFilter: Array<[string, number]>;
  scanPreScore: Array<[string, number]>;
}

/** The cost model of one scheduler; a profile's plan (its costed plugins) is worked out once. */
export class CycleCostModel {
  private readonly plans = new WeakMap<Framework, Plan>();

  constructor(readonly cost: CycleCost) {}

  micros(fw: Framework, w: CycleWork): number {
    const c = this.cost;
    let us = c.baseMicros + c.perNodeMicros * w.evaluatedNodes;
    us += c.preemptionPerNodeMicros * w.state.postFilterDryRunNodes;
    const plan = this.plan(fw);
    const skipFilter = w.state.skipFilterPlugins;
    const skipScore = w.state.skipScorePlugins;
    for (const [name, m] of plan.filter) if (!skipFilter.has(name)) us += m * w.evaluatedNodes;
    if (w.scoredNodes > 0) {
      for (const [name, m] of plan.score) if (!skipScore.has(name)) us += m * w.scoredNodes;
    }
    if (!w.stoppedInPreFilter) {
      const scanned = new Set<string>();
      for (const [name, m] of plan.scanPreFilter) {
        if (!skipFilter.has(name)) {
          scanned.add(name);
          us += m * w.numAllNodes;
        }
      }
      if (w.scoredNodes > 0) {
        for (const [name, m] of plan.scanPreScore) {
          if (!skipScore.has(name) && !scanned.has(name)) us += m * w.numAllNodes;
        }
      }
    }
    return us;
  }

  private plan(fw: Framework): Plan {
    let plan = this.plans.get(fw);
    if (!plan) {
      const pick = (
        plugins: ReadonlyArray<{ name: string }>,
        by: Readonly<Record<string, number>>,
      ) => plugins.filter((p) => by[p.name]).map((p): [string, number] => [p.name, by[p.name]!]);
      const c = this.cost;
      plan = {
        filter: pick(fw.filterPlugins, c.pluginMicros),
        score: pick(fw.scorePlugins, c.pluginMicros),
        scanPreFilter: pick(fw.preFilterPlugins, c.clusterScanMicros),
        scanPreScore: pick(fw.preScorePlugins, c.clusterScanMicros),
      };
      this.plans.set(fw, plan);
    }
    return plan;
  }
}
