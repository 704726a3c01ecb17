import { describe, expect, it } from '@jest/globals';
import type { SimContext } from '../../src/components/context.js';
import { STATEFULSET_KIND, type StatefulSet } from '../../src/controllers/statefulset.js';
import { eventsWith, podsOf, runYaml, simulation } from './batch-helpers.js';

function sts(policy: string, extra = ''): string {
  return simulation(
    '5m',
    `  nodePools:
    - name: n
      count: 2
      template: {status: {allocatable: {cpu: '8', memory: 16Gi}}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 3
  serviceName: db
  podManagementPolicy: ${policy}
  selector: {matchLabels: {app: db}}
  template:
    metadata:
      labels: {app: db}
      annotations: {ksim.dev/startup: 5s${extra}}
    spec:
      containers: [{name: db, image: db, resources: {requests: {cpu: '1'}}}]
`,
  );
}

/** Scales the StatefulSet to `replicas` at `atMs`, as a `scale` action would. */
function scaleAt(atMs: number, replicas: number) {
  return (ctx: SimContext): void => {
    ctx.engine.scheduleAt(atMs, () => {
      const s = ctx.store.getObject<StatefulSet>(STATEFULSET_KIND, 'default/db')!;
      s.spec.replicas = replicas;
      ctx.store.putObject(s, 'spec');
    });
  };
}

describe('StatefulSet controller', () => {
  it('OrderedReady creates db-0, db-1, db-2 each once its predecessor is Running and Ready, and scales down 2, 1, 0', () => {
    const r = runYaml(sts('OrderedReady'), { onStart: scaleAt(60_000, 0) });
    const pods = podsOf(r, 'db-');
    expect(pods.map((p) => p.metadata.name)).toEqual(['db-0', 'db-1', 'db-2']);
    // Each is bound 1 ms after creation (a 254 µs scheduling cycle on 2 nodes ends in the
    // next millisecond) and Ready 5 s (ksim.dev/startup) after that; the next ordinal is
    // created the instant its predecessor is Ready.
    expect(pods.map((p) => [p.times.created, p.times.scheduled, p.times.ready])).toEqual([
      [0, 1, 5_001],
      [5_001, 5_002, 10_002],
      [10_002, 10_003, 15_003],
    ]);
    // Scale to 0 at 60 s: deleted highest ordinal first, each after its successor is gone
    // (terminationGracePeriod aside, containers exit promptly: all within the instant).
    const deletes = eventsWith(r, 'SuccessfulDelete', 'default/db').map((e) => [e.time, e.message]);
    expect(deletes).toEqual([
      [60_000, 'Deleted pod: db-2'],
      [60_000, 'Deleted pod: db-1'],
      [60_000, 'Deleted pod: db-0'],
    ]);
  });

  it('waits ksim.dev/shutdown for each pod to terminate before deleting the next ordinal', () => {
    const r = runYaml(sts('OrderedReady', ', ksim.dev/shutdown: 10s'), {
      onStart: scaleAt(60_000, 1),
    });
    const deletes = eventsWith(r, 'SuccessfulDelete', 'default/db').map((e) => [e.time, e.message]);
    expect(deletes).toEqual([
      [60_000, 'Deleted pod: db-2'],
      [70_000, 'Deleted pod: db-1'],
    ]);
    expect(podsOf(r, 'db-').map((p) => p.times.finished)).toEqual([undefined, 80_000, 70_000]);
  });

  it('Parallel creates all ordinals at once', () => {
    const r = runYaml(sts('Parallel'));
    expect(podsOf(r, 'db-').map((p) => p.times.created)).toEqual([0, 0, 0]);
  });

  it('does not replace a pod whose object still exists, and recreates it once the object is gone', () => {
    const r = runYaml(sts('Parallel', ', ksim.dev/shutdown: 20s'), {
      onStart: (ctx) => {
        ctx.engine.scheduleAt(30_000, () => {
          const p = ctx.store.getPod('default/db-1')!;
          p.metadata.deletionTimestamp = ctx.engine.now;
          ctx.store.updatePod(p, 'deleting');
        });
      },
    });
    const db1 = podsOf(r, 'db-1');
    expect(db1.map((p) => [p.times.created, p.times.finished])).toEqual([
      [0, 50_000],
      [50_000, undefined],
    ]);
  });

  it('each recreated pod draws its crashes afresh, from a stream of its own incarnation', () => {
    // ksim.dev/crash 0.6, seed 1. The n-th db-0 draws from seedrandom("1␀crash␀default/db-0"),
    // then "…␀1", "…␀2", "…␀3", counting draws < 0.6 before the first ≥ 0.6: 3, 1, 1, 0 crashes
    // (each restarted by the kubelet, so restartCount shows them once the pod runs). db-0 is
    // deleted at 10, 20 and 30 min; all four incarnations settle well within 10 min. Keyed by
    // name alone, every incarnation would crash 3 times.
    const deleteDb0 = (ctx: SimContext): void => {
      for (const at of [600_000, 1_200_000, 1_800_000])
        ctx.engine.scheduleAt(at, () => {
          const p = ctx.store.getPod('default/db-0')!;
          p.metadata.deletionTimestamp = ctx.engine.now;
          ctx.store.updatePod(p, 'deleting');
        });
    };
    const r = runYaml(sts('Parallel', ", ksim.dev/crash: '0.6'").replace('5m', '35m'), {
      onStart: deleteDb0,
    });
    expect(podsOf(r, 'db-0').map((p) => [p.times.created, p.status.restartCount])).toEqual([
      [0, 3],
      [600_000, 1],
      [1_200_000, 1],
      [1_800_000, 0],
    ]);
  });
});
