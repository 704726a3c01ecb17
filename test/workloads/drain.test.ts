import { describe, expect, it } from '@jest/globals';
import type { PDB } from '../../src/controllers/disruption.js';
import { eventsWith, podsOf, runYaml, simulation } from './batch-helpers.js';

const yaml = (timeline: string) =>
  simulation(
    '2m',
    `  nodePools:
    - name: old
      count: 1
      template: {status: {allocatable: {cpu: '8', memory: 16Gi}}}
    - name: new
      count: 1
      template:
        spec: {unschedulable: true}
        status: {allocatable: {cpu: '8', memory: 16Gi}}
  timeline:
${timeline}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 3
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: db, resources: {requests: {cpu: '1'}}}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: db}
spec:
  minAvailable: 2
  selector: {matchLabels: {app: db}}
`,
  );

const at = (xs: Array<{ time: number; object: string }>) => xs.map((e) => [e.time, e.object]);

describe('drain', () => {
  const r = runYaml(
    yaml(`    - {at: 1m, action: uncordon, target: {node: new-0}}
    - {at: 1m, action: drain, target: {pool: old}}`),
  );

  it('evicts one pod at a time as the PodDisruptionBudget allows, retrying refusals every 5 s', () => {
    // minAvailable 2 of 3: one disruption at a time. Each evicted pod is recreated at once on
    // new-0 and Ready 2 001 ms later, before the next retry 5 s on.
    expect(at(eventsWith(r, 'Evicted'))).toEqual([
      [60_000, 'default/db-0'],
      [65_000, 'default/db-1'],
      [70_000, 'default/db-2'],
    ]);
    expect(at(eventsWith(r, 'EvictionRefused'))).toEqual([
      [60_000, 'default/db-1'],
      [60_000, 'default/db-2'],
      [65_000, 'default/db-2'],
    ]);
    expect(at(eventsWith(r, 'Drained'))).toEqual([[70_000, 'old-0']]);
  });

  it('cordons the drained node first, so replacements land elsewhere', () => {
    expect(at(eventsWith(r, 'NodeNotSchedulable'))).toEqual([[60_000, 'old-0']]);
    const replacements = podsOf(r, 'db-').filter((p) => p.times.created >= 60_000);
    expect(replacements.map((p) => p.spec.nodeName)).toEqual(['new-0', 'new-0', 'new-0']);
    expect(replacements.map((p) => p.times.created)).toEqual([60_000, 65_000, 70_000]);
  });

  it('keeps the budget status current: 3 expected, 3 healthy, 2 desired, 1 allowed', () => {
    const pdb = r.store.getObject<PDB>('PodDisruptionBudget', 'default/db')!;
    expect(pdb.status).toEqual({
      expectedPods: 3,
      currentHealthy: 3,
      desiredHealthy: 2,
      disruptionsAllowed: 1,
      disruptedPods: {},
    });
  });

  it('gives up at the timeout while the budget still refuses', () => {
    const stuck = runYaml(
      yaml(`    - {at: 1m, action: drain, target: {node: old-0}, timeout: 12s}`),
    );
    // new-0 stays cordoned: the first evicted pod cannot be replaced, the budget stays at 0.
    expect(at(eventsWith(stuck, 'Evicted'))).toEqual([[60_000, 'default/db-0']]);
    expect(eventsWith(stuck, 'DrainTimeout').map((e) => [e.time, e.message])).toEqual([
      [72_000, 'drain of node/old-0 timed out with 2 pod(s) left'],
    ]);
  });

  it('evicts Pending pods without consulting the budget', () => {
    // Startup 5 min: at the 1 min drain all three pods are still Pending (containers starting),
    // so the budget has 0 healthy of 2 desired and allows nothing — but the Eviction API lets
    // Pending pods go regardless (canIgnorePDB), so all three are evicted at once.
    const pending = runYaml(
      yaml(`    - {at: 1m, action: uncordon, target: {node: new-0}}
    - {at: 1m, action: drain, target: {pool: old}}`).replace(
        'metadata: {labels: {app: db}}',
        'metadata: {labels: {app: db}, annotations: {ksim.dev/startup: 5m}}',
      ),
    );
    expect(at(eventsWith(pending, 'Evicted'))).toEqual([
      [60_000, 'default/db-0'],
      [60_000, 'default/db-1'],
      [60_000, 'default/db-2'],
    ]);
    expect(eventsWith(pending, 'EvictionRefused')).toEqual([]);
  });
});
