/**
 * FailedScheduling and --explain as a v1.35 cluster writes them, end to end: nodes a PreFilter
 * node subset left out, the DynamicResources PostFilter before preemption, a PreFilter
 * rejection, several reasons on one node, and a Permit rejection.
 */
import { describe, expect, it } from '@jest/globals';
import type { SimPersistentVolumeClaim } from '../../src/model/volumes.js';
import type { PluginFactory } from '../../src/scheduler/framework/interfaces.js';
import { Status } from '../../src/scheduler/framework/status.js';
import { runSimulation, type RunResult } from '../../src/simulation.js';
import { SIM_HEAD, scenarioFrom } from './harness.js';

function failures(result: RunResult): string[] {
  return result.metrics.events.filter((e) => e.reason === 'FailedScheduling').map((e) => e.message);
}

const POOLS = `  nodePools:
    - { name: n, count: 3, zones: [zone-a], template: { status: { allocatable: { cpu: '2', memory: 4Gi, pods: '110' } } } }
`;

describe('a pod pinned by NodeAffinity to a node with no room', () => {
  // matchFields metadata.name In [n-0] makes NodeAffinity's PreFilter return {n-0}: n-1 and n-2
  // are never filtered and count as "didn't satisfy plugin(s) [NodeAffinity]"; n-0 lacks cpu,
  // more than it has at all (3 > 2 cpu: UnschedulableAndUnresolvable), so preemption is no help
  // anywhere.
  const yaml = `${SIM_HEAD('pinned', '5m')}
${POOLS}  workloads:
    - name: big
      arrivals: { constant: { rate: 1/m }, until: 1m }
      template:
        kind: Pod
        spec:
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                  - matchFields: [{ key: metadata.name, operator: In, values: [n-0] }]
          containers: [{ name: c, image: x, resources: { requests: { cpu: '3' } } }]
`;

  it('counts the left-out nodes under the PreFilter plugin', () => {
    const result = runSimulation(scenarioFrom(yaml), { explain: true });
    expect(failures(result)[0]).toBe(
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. " +
        'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
    // filters.csv: the filtered node, then the left-out ones under NodeAffinity.
    expect(
      result.explain!.filters.filter((r) => r[1] === 'default/big-0').map((r) => r.slice(2)),
    ).toEqual([
      ['n-0', 'NodeResourcesFit', 'Insufficient cpu'],
      ['n-1', 'NodeAffinity', "node(s) didn't satisfy plugin(s) [NodeAffinity]"],
      ['n-2', 'NodeAffinity', "node(s) didn't satisfy plugin(s) [NodeAffinity]"],
    ]);
  });
});

describe('a pod whose PersistentVolumeClaim is unbound and not WaitForFirstConsumer', () => {
  // VolumeBinding rejects it in PreFilter as UnschedulableAndUnresolvable; DynamicResources'
  // PostFilter adds nothing for a pod without claims (before v1.33 it failed "not found" here,
  // which ended the PostFilter plugins), and preemption finds every node unresolvable.
  const yaml = `${SIM_HEAD('pvc', '5m')}
${POOLS}  workloads:
    - name: db
      arrivals: { constant: { rate: 1/m }, until: 1m }
      template:
        kind: Pod
        spec:
          volumes: [{ name: data, persistentVolumeClaim: { claimName: data } }]
          containers: [{ name: c, image: x, resources: { requests: { cpu: 100m } } }]
`;
  // No class, no volumeName: an unbound claim of Immediate binding mode.
  const claim: SimPersistentVolumeClaim = {
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: 'default' },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  };

  it('explains the PreFilter rejection on every node', () => {
    const result = runSimulation(scenarioFrom(yaml), {
      explain: true,
      onStart: (ctx) => ctx.store.putObject(claim),
    });
    expect(failures(result)[0]).toBe(
      '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. ' +
        'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
    expect(
      result.explain!.filters.filter((r) => r[1] === 'default/db-0').map((r) => r.slice(2)),
    ).toEqual([
      ['n-0', 'VolumeBinding', 'pod has unbound immediate PersistentVolumeClaims'],
      ['n-1', 'VolumeBinding', 'pod has unbound immediate PersistentVolumeClaims'],
      ['n-2', 'VolumeBinding', 'pod has unbound immediate PersistentVolumeClaims'],
    ]);
  });
});

describe('a node short of two resources', () => {
  const yaml = `${SIM_HEAD('two', '5m')}
  nodePools:
    - { name: n, count: 1, zones: [zone-a], template: { status: { allocatable: { cpu: '1', memory: 1Gi, pods: '110' } } } }
  workloads:
    - name: big
      arrivals: { constant: { rate: 1/m }, until: 1m }
      template:
        kind: Pod
        spec:
          containers: [{ name: c, image: x, resources: { requests: { cpu: '2', memory: 2Gi } } }]
`;

  it('is one filters.csv row with the reasons joined by "; "', () => {
    const result = runSimulation(scenarioFrom(yaml), { explain: true });
    expect(result.explain!.filters.map((r) => r.slice(1))).toEqual([
      ['default/big-0', 'n-0', 'NodeResourcesFit', 'Insufficient cpu; Insufficient memory'],
    ]);
    expect(failures(result)[0]).toBe(
      '0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. ' +
        'preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    );
  });
});

describe('a Permit plugin rejecting the chosen node', () => {
  const Deny: PluginFactory = () => ({
    name: 'Deny',
    permit: () => ({ status: Status.unschedulable('not today', 'not here') }),
  });
  const yaml = `${SIM_HEAD('permit', '5m')}
${POOLS}  workloads:
    - name: app
      arrivals: { constant: { rate: 1/m }, until: 1m }
      template:
        kind: Pod
        spec:
          containers: [{ name: c, image: x, resources: { requests: { cpu: 100m } } }]
---
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
  - plugins:
      permit:
        enabled: [{ name: Deny }]
`;

  it('is a FitError over one node, with the plugin kept for requeueing', () => {
    const result = runSimulation(scenarioFrom(yaml), { plugins: new Map([['Deny', Deny]]) });
    expect(failures(result)[0]).toBe('0/1 nodes are available: 1 not here, 1 not today.');
    const parked = result.scheduler.queue
      .unschedulablePods()
      .map((i) => [i.pod.key, [...i.unschedulablePlugins]]);
    expect(parked).toEqual([['default/app-0', ['Deny']]]);
  });
});
