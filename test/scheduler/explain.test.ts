/**
 * What the scheduler examined and why: percentageOfNodesToScore bounding the nodes a cycle
 * looks at, `--explain` rows (filters.csv, scores.csv), and a bad KubeSchedulerConfiguration
 * reported at its field.
 */
import { describe, expect, it } from '@jest/globals';
import { basename } from 'node:path';
import { ScenarioError } from '../../src/scenario/errors.js';
import { loadScenario } from '../../src/scenario/loader.js';
import { runSimulation } from '../../src/simulation.js';
import { SIM_HEAD, scenarioFrom, writeScenario } from './harness.js';

describe('percentageOfNodesToScore limits the nodes examined per cycle', () => {
  // 300 identical nodes, all feasible: a cycle stops after numFeasibleNodesToFind of them,
  // max(300 × p / 100, 100); 0 is adaptive: p = 50 − ⌊300 / 125⌋ = 48 → 144.
  const yaml = (
    global: number | undefined,
    profile: number | undefined,
  ): string => `${SIM_HEAD('pct', '10m')}
  nodePools:
    - name: n
      count: 300
      zones: [zone-a]
      template:
        status: { allocatable: { cpu: '8', memory: 32Gi, pods: '110' } }
  workloads:
    - name: app
      arrivals: { constant: { rate: 1/m }, until: 3m }
      template:
        kind: Pod
        spec:
          containers: [{ name: c, image: x, resources: { requests: { cpu: 100m, memory: 128Mi } } }]
---
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
${global === undefined ? '' : `percentageOfNodesToScore: ${global}`}
profiles:
  - schedulerName: default-scheduler
    ${profile === undefined ? '' : `percentageOfNodesToScore: ${profile}`}
`;
  const cases: Array<[string, number | undefined, number | undefined, number]> = [
    ['the adaptive default examines 48% of 300 nodes', undefined, undefined, 144],
    ['a global 40% examines 120', 40, undefined, 120],
    ["a profile's 60% overrides the global 40%", 40, 60, 180],
    ['10% of 300 is below the floor of 100 nodes', 10, undefined, 100],
    ['100% examines every node', 100, undefined, 300],
  ];
  it.each(cases)('%s', (_name, global, profile, perPod) => {
    const result = runSimulation(scenarioFrom(yaml(global, profile)), { explain: true });
    expect(result.scheduler.stats.scheduled).toBe(3);
    expect(result.scheduler.stats.nodesEvaluated).toBe(3 * perPod);
    // scores.csv holds one row per examined node and scoring plugin: count the first pod's nodes.
    const nodes = new Set(
      result.explain!.scores.filter((r) => r[1] === 'default/app-0').map((r) => r[2]),
    );
    expect(nodes.size).toBe(perPod);
  });
});

describe('--explain rows for a tiny cluster', () => {
  // t-0 carries a taint the pod does not tolerate; a-0 has 4 cpu, b-0 8 cpu, both 16Gi; the pod
  // asks for 1 cpu and 1Gi.
  // TaintToleration: 0 intolerable PreferNoSchedule taints → reversed normalisation 100, ×3.
  // NodeResourcesFit (LeastAllocated): a-0 (⌊3000·100/4000⌋ + ⌊15·100/16⌋) / 2 = (75+93)/2 = 84,
  //   b-0 (87+93)/2 = 90.
  // BalancedAllocation: a-0 1 − |0.25 − 0.0625|/2 = 0.90625 → 90; b-0 1 − |0.125 − 0.0625|/2 → 96.
  // ImageLocality: no node reports images → 0.
  const yaml = `${SIM_HEAD('tiny', '5m')}
  nodePools:
    - name: t
      count: 1
      zones: [zone-a]
      template:
        spec: { taints: [{ key: dedicated, value: x, effect: NoSchedule }] }
        status: { allocatable: { cpu: '4', memory: 16Gi, pods: '110' } }
    - { name: a, count: 1, zones: [zone-a], template: { status: { allocatable: { cpu: '4', memory: 16Gi, pods: '110' } } } }
    - { name: b, count: 1, zones: [zone-a], template: { status: { allocatable: { cpu: '8', memory: 16Gi, pods: '110' } } } }
  workloads:
    - name: app
      arrivals: { constant: { rate: 1/m }, until: 1m }
      template:
        kind: Pod
        spec:
          containers: [{ name: c, image: x, resources: { requests: { cpu: '1', memory: 1Gi } } }]
`;

  it('writes one filters row per rejected node and one scores row per node and plugin', () => {
    const result = runSimulation(scenarioFrom(yaml), { explain: true });
    const explain = result.explain!;
    expect(explain.filters.map((r) => r.slice(1))).toEqual([
      ['default/app-0', 't-0', 'TaintToleration', 'node(s) had untolerated taint(s)'],
    ]);
    expect(explain.scores.map((r) => r.slice(1))).toEqual([
      ['default/app-0', 'a-0', 'TaintToleration', 0, 100, 300],
      ['default/app-0', 'a-0', 'NodeResourcesFit', 84, 84, 84],
      ['default/app-0', 'a-0', 'NodeResourcesBalancedAllocation', 90, 90, 90],
      ['default/app-0', 'a-0', 'ImageLocality', 0, 0, 0],
      ['default/app-0', 'b-0', 'TaintToleration', 0, 100, 300],
      ['default/app-0', 'b-0', 'NodeResourcesFit', 90, 90, 90],
      ['default/app-0', 'b-0', 'NodeResourcesBalancedAllocation', 96, 96, 96],
      ['default/app-0', 'b-0', 'ImageLocality', 0, 0, 0],
    ]);
    // The weighted column is the normalized score times the profile weight.
    const weights: Record<string, number> = {
      TaintToleration: 3,
      NodeResourcesFit: 1,
      NodeResourcesBalancedAllocation: 1,
      ImageLocality: 1,
    };
    for (const r of explain.scores) expect(r[6]).toBe((r[5] as number) * weights[r[3] as string]!);
    expect(result.metrics.podRows()[0]![2]).toBe('b-0');
  });
});

describe('a bad KubeSchedulerConfiguration names the field', () => {
  const head = `${SIM_HEAD('badcfg', '5m')}
  nodePools:
    - { name: n, count: 1, zones: [zone-a], template: { status: { allocatable: { cpu: '1', memory: 1Gi, pods: '10' } } } }
---
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
  - schedulerName: default-scheduler
`;
  const cases: Array<[string, string, string]> = [
    [
      'an unknown plugin',
      `    plugins:
      score:
        enabled: [{ name: NodeResourcesFitt }]
`,
      '17:19: profiles[0].plugins.score.enabled[0]: plugin "NodeResourcesFitt" is not registered (known: DefaultBinder, DefaultPreemption, DynamicResources, ',
    ],
    [
      'a plugin removed in v1.32',
      `    plugins:
      filter:
        enabled: [{ name: EBSLimits }]
`,
      '17:19: profiles[0].plugins.filter.enabled[0]: Invalid value: "EBSLimits": was invalid in version "kubescheduler.config.k8s.io/v1" (KubeSchedulerConfiguration is version "kubescheduler.config.k8s.io/v1")',
    ],
    [
      'a weight that is not an int32',
      `    plugins:
      multiPoint:
        enabled: [{ name: ImageLocality, weight: 1.5 }]
`,
      '17:50: profiles[0].plugins.multiPoint.enabled[0].weight: expected an int32, found 1.5',
    ],
    [
      'an unknown scoring strategy',
      `    pluginConfig:
      - name: NodeResourcesFit
        args: { scoringStrategy: { type: Foo } }
`,
      '17:42: profiles[0].pluginConfig[0].args.scoringStrategy.type: NodeResourcesFit: scoringStrategy.type: Unsupported value: "Foo": supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"',
    ],
    [
      'bad args of a plugin the profile disables (validatePluginConfig checks them anyway)',
      `    plugins:
      multiPoint:
        disabled: [{ name: DefaultPreemption }]
    pluginConfig:
      - name: DefaultPreemption
        args: { minCandidateNodesPercentage: 200 }
`,
      '20:46: profiles[0].pluginConfig[0].args.minCandidateNodesPercentage: DefaultPreemption: minCandidateNodesPercentage: Invalid value: 200: not in valid range [0, 100]',
    ],
  ];
  it.each(cases)('%s', (_name, body, expected) => {
    const file = writeScenario(head + body);
    let message = '';
    try {
      runSimulation(loadScenario(file));
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      const i = e.issues[0]!;
      message = `${i.line}:${i.column}: ${i.path}: ${i.message}`;
      expect(i.file.endsWith(basename(file))).toBe(true);
    }
    // Lines count from the file's first line: SIM_HEAD (6), a blank line, the pool, the
    // configuration's header (lines 10–14), then the case's body from line 15.
    expect(message.slice(0, expected.length)).toBe(expected);
  });
});
