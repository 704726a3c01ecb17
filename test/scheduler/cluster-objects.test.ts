/**
 * Services, PersistentVolumes, PersistentVolumeClaims and StorageClasses written in a scenario
 * are what the scheduler reads: volume data locality (VolumeBinding, VolumeZone) and the
 * Services of PodTopologySpread's default selector, end to end from YAML.
 */
import { describe, expect, it } from '@jest/globals';
import { runSimulation, type RunResult } from '../../src/simulation.js';
import { SIM_HEAD, scenarioFrom } from './harness.js';

const ZONES = `  nodePools:
    - name: n
      count: 3
      zones: [zone-a, zone-b, zone-c]
      template: { status: { allocatable: { cpu: '4', memory: 8Gi, pods: '110' } } }
`;

function nodesOf(r: RunResult, prefix: string): string[] {
  return [...r.store.pods()]
    .filter((p) => p.metadata.name.startsWith(prefix))
    .map((p) => p.spec.nodeName ?? '');
}

describe('a pod whose claim is bound to a zonal PersistentVolume', () => {
  // Pool nodes in zones round-robin: n-0 zone-a, n-1 zone-b, n-2 zone-c. The volume lives in
  // zone-b (its node affinity, and the zone label VolumeZone reads), so every replica of the
  // pod goes to n-1 — the only node its data is on — whatever LeastAllocated prefers.
  const yaml = `${SIM_HEAD('data-locality', '10m')}
${ZONES}  workloads:
    - name: db
      arrivals: { constant: { rate: 1/m }, until: 3m }
      template:
        kind: Pod
        spec:
          volumes: [{ name: data, persistentVolumeClaim: { claimName: data } }]
          containers: [{ name: c, image: x, resources: { requests: { cpu: 500m } } }]
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv-b
  labels: { topology.kubernetes.io/zone: zone-b }
spec:
  capacity: { storage: 10Gi }
  accessModes: [ReadWriteMany]
  nodeAffinity:
    required:
      nodeSelectorTerms:
        - matchExpressions: [{ key: topology.kubernetes.io/zone, operator: In, values: [zone-b] }]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data }
spec:
  accessModes: [ReadWriteMany]
  resources: { requests: { storage: 10Gi } }
  volumeName: pv-b
`;

  it('is placed only on the node of the volume’s zone', () => {
    const r = runSimulation(scenarioFrom(yaml));
    expect(nodesOf(r, 'db-')).toEqual(['n-1', 'n-1', 'n-1']);
  });

  it('stays pending, with the volume’s reason, when that zone has no room', () => {
    const full = yaml.replace('requests: { cpu: 500m }', "requests: { cpu: '3' }");
    const r = runSimulation(scenarioFrom(full));
    expect(nodesOf(r, 'db-')).toEqual(['n-1', '', '']);
    const failed = r.metrics.events.filter((e) => e.reason === 'FailedScheduling');
    expect(failed[0]!.message).toBe(
      '0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had volume node affinity conflict. ' +
        'preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, ' +
        '2 Preemption is not helpful for scheduling.',
    );
  });
});

describe('a Service selecting bare pods', () => {
  // MostAllocated packs: without a Service a bare pod has no default spread constraints and
  // every pod goes to the fullest node. A Service selecting them makes PodTopologySpread's
  // system defaults (hostname maxSkew 3, zone maxSkew 5) apply, weight 2 against
  // NodeResourcesFit's 1, so they spread instead.
  const profile = `---
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
  - schedulerName: default-scheduler
    pluginConfig:
      - name: NodeResourcesFit
        args: { scoringStrategy: { type: MostAllocated } }
`;
  const pods = `${SIM_HEAD('service-spread', '10m')}
${ZONES}  workloads:
    - name: web
      arrivals: { constant: { rate: 1/m }, until: 6m }
      template:
        kind: Pod
        metadata: { labels: { app: web } }
        spec:
          containers: [{ name: c, image: x, resources: { requests: { cpu: 100m } } }]
`;
  const service = `---
apiVersion: v1
kind: Service
metadata: { name: web }
spec: { selector: { app: web }, ports: [{ port: 80 }] }
`;

  it('packs them without the Service', () => {
    const r = runSimulation(scenarioFrom(pods + profile));
    expect(new Set(nodesOf(r, 'web-')).size).toBe(1);
  });

  it('spreads them over every node with it', () => {
    const r = runSimulation(scenarioFrom(pods + profile + service));
    const nodes = nodesOf(r, 'web-');
    expect(nodes).toHaveLength(6);
    expect(new Set(nodes)).toEqual(new Set(['n-0', 'n-1', 'n-2']));
  });
});
