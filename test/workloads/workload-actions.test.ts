/**
 * `rollout` and `scale` timeline actions on StatefulSets and DaemonSets. Scheduling costs no
 * virtual time, containers exit at once (no ksim.dev/shutdown), startup as annotated.
 */
import { describe, expect, it } from '@jest/globals';
import type { SimContext } from '../../src/components/context.js';
import { STATEFULSET_KIND, type StatefulSet } from '../../src/controllers/statefulset.js';
import type { SimPod } from '../../src/model/objects.js';
import { ScenarioError } from '../../src/scenario/errors.js';
import { instantSimulation, podsOf, runYaml } from './batch-helpers.js';

function scenario(timeline: string[], docs: string): string {
  return instantSimulation('5m', { nodes: 3, timeline }, docs);
}

function statefulSet(replicas: number, updateStrategy: string): string {
  return `---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: ${replicas}
  serviceName: db
  podManagementPolicy: Parallel
  updateStrategy: ${updateStrategy}
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}, annotations: {ksim.dev/startup: 5s}}
    spec:
      containers: [{name: db, image: 'db:v1', resources: {requests: {cpu: 100m}}}]
`;
}

/** Deletes pod `name` at `atMs`, as `kubectl delete pod` would. */
function deletePodAt(atMs: number, name: string) {
  return (ctx: SimContext): void => {
    ctx.engine.scheduleAt(atMs, () => {
      const p = ctx.store.getPod(`default/${name}`)!;
      p.metadata.deletionTimestamp = ctx.engine.now;
      ctx.store.updatePod(p, 'deleting');
    });
  };
}

/** Every incarnation of the StatefulSet's pods as `name image created finished`. */
function incarnations(pods: SimPod[]): string[] {
  return pods
    .map(
      (p) =>
        `${p.metadata.name} ${p.spec.containers[0]!.image} ${p.times.created / 1000} ${
          p.times.finished === undefined ? '-' : p.times.finished / 1000
        }`,
    )
    .sort();
}

const ROLLOUT_DB = "{at: 60s, action: rollout, target: {statefulset: default/db}, image: 'db:v2'}";

describe('rollout and scale on a StatefulSet', () => {
  it('RollingUpdate with partition 2 updates ordinals 3 then 2, highest first; 0 and 1 keep the old revision, even when recreated', () => {
    // 60 s: db-3 (the highest ordinal not at the update revision) is deleted and recreated
    // with db:v2, Ready 5 s later; 65 s: then db-2. Ordinals below the partition are left
    // alone; db-1, deleted by hand at 100 s, comes back at the current revision (db:v1).
    const r = runYaml(
      scenario(
        [ROLLOUT_DB],
        statefulSet(4, '{type: RollingUpdate, rollingUpdate: {partition: 2}}'),
      ),
      { onStart: deletePodAt(100_000, 'db-1') },
    );
    expect(incarnations(podsOf(r, 'db-'))).toEqual([
      'db-0 db:v1 0 -',
      'db-1 db:v1 0 100',
      'db-1 db:v1 100 -',
      'db-2 db:v1 0 65',
      'db-2 db:v2 65 -',
      'db-3 db:v1 0 60',
      'db-3 db:v2 60 -',
    ]);
    const sts = r.store.getObject<StatefulSet>(STATEFULSET_KIND, 'default/db')!;
    expect(sts.status).toMatchObject({ replicas: 4, updatedReplicas: 2, currentReplicas: 2 });
    expect(sts.status.currentRevision).not.toBe(sts.status.updateRevision);
  });

  it('OnDelete changes no pod until one is deleted, which is recreated at the new revision', () => {
    const r = runYaml(scenario([ROLLOUT_DB], statefulSet(3, '{type: OnDelete}')), {
      onStart: deletePodAt(90_000, 'db-1'),
    });
    expect(incarnations(podsOf(r, 'db-'))).toEqual([
      'db-0 db:v1 0 -',
      'db-1 db:v1 0 90',
      'db-1 db:v2 90 -',
      'db-2 db:v1 0 -',
    ]);
  });

  it('scale sets spec.replicas: Parallel creates db-3 and db-4 at once', () => {
    const r = runYaml(
      scenario(
        ['{at: 30s, action: scale, target: {statefulset: default/db}, replicas: 5}'],
        statefulSet(3, '{type: RollingUpdate}'),
      ),
    );
    expect(incarnations(podsOf(r, 'db-'))).toEqual([
      'db-0 db:v1 0 -',
      'db-1 db:v1 0 -',
      'db-2 db:v1 0 -',
      'db-3 db:v1 30 -',
      'db-4 db:v1 30 -',
    ]);
  });

  it('a target that names no StatefulSet of the scenario is an error before time starts', () => {
    expect(() =>
      runYaml(
        scenario(
          ["{at: 60s, action: rollout, target: {statefulset: default/nope}, image: 'x'}"],
          statefulSet(1, '{type: RollingUpdate}'),
        ),
      ),
    ).toThrow(ScenarioError);
  });
});

describe('rollout on a DaemonSet', () => {
  it('replaces one node at a time, each once the previous new pod has been available for minReadySeconds', () => {
    // 3 nodes, maxUnavailable 1, minReadySeconds 10, Ready 2 s after start. A pod turning Ready
    // at t is rechecked at t + 10 s (status numberReady ≠ numberAvailable; the + 11 s recheck
    // from updatePod comes later) and is available then: its Ready transition, t in whole
    // seconds, + 10 s <= now.
    //   60 s: n-0's old pod deleted, new one created, Ready 62 → available, next node at 72
    //   72 s: n-1 → Ready 74 → 84 s: n-2 → Ready 86.
    const r = runYaml(
      scenario(
        ["{at: 60s, action: rollout, target: {daemonset: default/agent}, image: 'agent:v2'}"],
        `---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  minReadySeconds: 10
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: a, image: 'agent:v1', resources: {requests: {cpu: 100m}}}]
`,
      ),
    );
    const pods = podsOf(r, 'agent-');
    const v2 = pods.filter((p) => p.spec.containers[0]!.image === 'agent:v2');
    expect(v2.map((p) => [p.spec.nodeName, p.times.created, p.times.ready])).toEqual([
      ['n-0', 60_000, 62_000],
      ['n-1', 72_000, 74_000],
      ['n-2', 84_000, 86_000],
    ]);
    const v1 = pods.filter((p) => p.spec.containers[0]!.image === 'agent:v1');
    expect(v1.map((p) => [p.spec.nodeName, p.times.finished])).toEqual([
      ['n-0', 60_000],
      ['n-1', 72_000],
      ['n-2', 84_000],
    ]);
  });
});
