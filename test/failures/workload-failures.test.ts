/**
 * A node dies under real workload controllers (default configuration): DaemonSet pods
 * tolerate the unreachable taint forever and are never evicted; a StatefulSet pod is not
 * replaced while its object still exists on the dead node — only once the Node object is
 * removed (and PodGC force-deletes the orphan); Deployment pods are replaced right at
 * eviction. Availability per Deployment and per StatefulSet is reported.
 */
import { describe, expect, it } from '@jest/globals';
import { run, simulation } from './helpers.js';

const WORKLOADS = `---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: default}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: a, image: agent, resources: {requests: {cpu: 100m, memory: 100Mi}}}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: default}
spec:
  replicas: 3
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector: {matchLabels: {app: db}}
              topologyKey: kubernetes.io/hostname
      containers: [{name: db, image: db, resources: {requests: {cpu: "1", memory: 1Gi}}}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      # One per node (4 replicas, 4 nodes): n-0 surely holds a web pod.
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector: {matchLabels: {app: web}}
              topologyKey: kubernetes.io/hostname
      containers: [{name: web, image: web, resources: {requests: {cpu: 500m, memory: 512Mi}}}]
`;

const pools = [{ name: 'n', count: 4, zones: ['zone-a'] }];
const FAIL_AT = 5 * 60_000;
const REMOVE_AT = 20 * 60_000;

describe('workloads on a node that dies', () => {
  const r = run(
    simulation({
      pools,
      duration: '30m',
      timeline: [
        `{at: 5m, action: fail-node, target: {node: n-0}}`,
        `{at: 20m, action: remove-nodes, target: {node: n-0}}`,
      ],
    }) + WORKLOADS,
  );
  const pods = r.metrics.pods;
  const onDead = pods.filter((p) => p.spec.nodeName === 'n-0' && p.times.created < FAIL_AT);
  const evictions = r.metrics.events.filter((e) => e.reason === 'TaintManagerEviction');

  it('had one pod of each workload on the node when it died', () => {
    const owners = onDead.map((p) => p.topOwner.split('/')[0]).sort();
    expect(owners).toEqual(['DaemonSet', 'Deployment', 'StatefulSet']);
  });

  it('never evicts the DaemonSet pod', () => {
    const agent = onDead.find((p) => p.topOwner === 'DaemonSet/default/agent')!;
    expect(evictions.map((e) => e.object)).not.toContain(agent.key);
    expect(agent.outcome).not.toBe('Evicted');
  });

  it('evicts the StatefulSet pod 300 s after the taint but does not replace it while the object exists', () => {
    const db = onDead.find((p) => p.topOwner === 'StatefulSet/default/db')!;
    const eviction = evictions.find((e) => e.object === db.key)!;
    expect(eviction).toBeDefined();
    const replacement = pods.find((p) => p.key === db.key && p !== db);
    expect(replacement).toBeDefined();
    // Not before the Node object is removed (and the orphan force-deleted by PodGC).
    expect(replacement!.times.created).toBeGreaterThan(REMOVE_AT);
    expect(replacement!.spec.nodeName).not.toBe('n-0');
  });

  it('replaces a Deployment pod as soon as it is evicted', () => {
    const web = onDead.find((p) => p.topOwner === 'Deployment/default/web')!;
    expect(web).toBeDefined();
    const eviction = evictions.find((e) => e.object === web.key)!;
    expect(eviction).toBeDefined();
    const created = pods.filter(
      (p) => p.topOwner === 'Deployment/default/web' && p.times.created === eviction.time,
    );
    expect(created).toHaveLength(1);
  });

  it('reports availability per Deployment and per StatefulSet, below 1 for the StatefulSet', () => {
    const a = r.metrics.summaryMetrics().availability as Record<string, number>;
    expect(Object.keys(a).sort()).toEqual(['Deployment/default/web', 'StatefulSet/default/db']);
    expect(a['StatefulSet/default/db']).toBeLessThan(1);
    expect(a['StatefulSet/default/db']).toBeGreaterThan(0.5);
  });
});
