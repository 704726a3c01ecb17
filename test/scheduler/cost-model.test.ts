/**
 * Virtual scheduling throughput: the cycle cost calibration against upstream's scheduler_perf,
 * and the client-side rate limit on bindings (clientConnection qps/burst).
 *
 * scheduler_perf's SchedulingBasic (test/integration/scheduler_perf/misc/performance-config.yaml):
 * 5,000 nodes of 4 cpu / 32Gi / 110 pods (templates/node-default.yaml), pods of 100m / 500Mi
 * without owner (templates/pod-default.yaml), a scheduler client of QPS/burst 5000
 * (scheduler_perf util.go mustSetupCluster); CI's floors for the 5000Nodes workloads are 680
 * and 810 pods/s.
 */
import { describe, expect, it } from '@jest/globals';
import type { SimPod } from '../../src/model/objects.js';
import { makeNode, makePod } from '../../src/model/testing.js';
import { runSimulation } from '../../src/simulation.js';
import { SIM_HEAD, scenarioFrom, schedulerHarness } from './harness.js';

const Gi = 2 ** 30;
const nodes = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    makeNode(`node-${i}`, { allocatable: { cpu: 4000, memory: 32 * Gi, pods: 110 } }),
  );
const basicPods = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    makePod(`pod-${i}`, { requests: { cpu: 100, memory: 500 * 2 ** 20 } }),
  );

function run(numNodes: number, pods: SimPod[], qps: number, burst: number) {
  const h = schedulerHarness(nodes(numNodes), {
    scheduler: { clientQPS: qps, clientBurst: burst },
  });
  for (const p of pods) h.store.addPod(p);
  h.engine.run();
  const bound = pods.map((p) => p.times.scheduled ?? -1);
  return { h, bound };
}

describe('the cycle cost calibration', () => {
  it('SchedulingBasic, 5,000 nodes, default profile, QPS 5000: 800 pods/s (1,250 µs a cycle)', () => {
    // Adaptive sampling: 50 − 5000/125 = 10 % → 500 nodes a cycle; no plugin scans the cluster
    // (no spreading, no affinity): 250 + 2 × 500 = 1,250 µs. Pod k is decided at ⌈1.25 k⌉ ms
    // and bound then, the 1,000th at 1,250 ms.
    const { h, bound } = run(5000, basicPods(1000), 5000, 5000);
    expect(h.scheduler.stats.scheduled).toBe(1000);
    expect(h.scheduler.stats.nodesEvaluated).toBe(1000 * 500);
    expect(bound[0]).toBe(2);
    expect(bound[399]).toBe(500);
    expect(Math.max(...bound)).toBe(1250);
  });

  it('Deployment-like pods selected by a Service: default spreading scans the cluster, 541 pods/s', () => {
    // The system default constraints (ScheduleAnyway) make PodTopologySpread's PreScore run:
    // + 0.12 µs × 5,000 nodes = 1,850 µs a cycle; 500 pods → 925 ms.
    const pods = basicPods(500).map((p) => {
      p.metadata.labels = { app: 'web' };
      return p;
    });
    const h = schedulerHarness(nodes(5000), { scheduler: { clientQPS: 5000, clientBurst: 5000 } });
    h.store.putObject({
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' } },
    } as never);
    for (const p of pods) h.store.addPod(p);
    h.engine.run();
    expect(Math.max(...pods.map((p) => p.times.scheduled ?? -1))).toBe(925);
  });
});

describe('controlPlane.scheduler.cycleCost', () => {
  it('per-plugin maps merge over the defaults', () => {
    const s = scenarioFrom(`${SIM_HEAD('cost', '1m')}
  controlPlane:
    scheduler:
      cycleCost:
        baseMicros: 100
        pluginMicros: { PreferLabelledNodes: 1.5 }
        clusterScanMicros: { PodTopologySpread: 0 }
        preemptionPerNodeMicros: 4
`);
    expect(s.controlPlane.scheduler.cycleCost).toEqual({
      baseMicros: 100,
      perNodeMicros: 2,
      pluginMicros: { PreferLabelledNodes: 1.5 },
      clusterScanMicros: { InterPodAffinity: 2.6, PodTopologySpread: 0 },
      preemptionPerNodeMicros: 4,
    });
  });
});

describe('the client rate limit on bindings', () => {
  it('the default qps 50 / burst 100 caps a fast scheduler at 50 bindings a second', () => {
    // Cycles still take 1.25 ms, but the Binding POSTs wait for tokens: the bucket starts with
    // 100 and gains one every 20 ms. Pod k's token is free at 20,000 k − 1,998,000 µs (its
    // reservation at 2 ms started the debt), so pod 300 binds at 4,002 ms; pods up to 106 bind
    // when decided.
    const { h, bound } = run(5000, basicPods(300), 50, 100);
    expect(h.scheduler.stats.scheduled).toBe(300);
    expect(bound[105]).toBe(Math.ceil(1.25 * 106));
    expect(bound[106]).toBe(142);
    expect(bound[299]).toBe(4002);
  });

  it('qps ≤ 0 means no limiter, as client-go', () => {
    const { bound } = run(200, basicPods(300), -1, 0);
    // 200 nodes: 49 % is 98, below the floor of 100 nodes: 250 + 2 × 100 = 450 µs a cycle, so
    // the 300th pod is decided and bound at 135 ms (the default limiter would hold it to 4 s).
    expect(Math.max(...bound)).toBe(135);
  });

  it('reads qps and burst from the KubeSchedulerConfiguration', () => {
    const yaml = (client: string) => `${SIM_HEAD('qps', '1m')}
  nodePools:
    - { name: n, count: 1, zones: [zone-a], template: { status: { allocatable: { cpu: '1', memory: 1Gi, pods: '110' } } } }
---
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
${client}`;
    const config = (client: string) => runSimulation(scenarioFrom(yaml(client))).scheduler.config;
    expect(config('')).toMatchObject({ clientQPS: 50, clientBurst: 100 });
    expect(config('clientConnection: { qps: 20, burst: 30 }\n')).toMatchObject({
      clientQPS: 20,
      clientBurst: 30,
    });
  });
});
