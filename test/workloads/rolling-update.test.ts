/**
 * Exact Deployment timelines, worked out by hand from upstream's rolling.go / recreate.go /
 * progress.go with scheduling that costs no virtual time.
 */
import { describe, expect, it } from '@jest/globals';
import type { DeploymentObject, ReplicaSetObject } from '../../src/controllers/apps-objects.js';
import { runSimulation } from '../../src/simulation.js';
import {
  deploymentEvents,
  deploymentScenarioText,
  loadText,
  runText,
} from './deployment-scenario.js';

const ROLLOUT_AT_60S =
  "{at: 60s, action: rollout, target: {deployment: default/web}, image: 'web:v2'}";

function deployment(r: ReturnType<typeof runText>): DeploymentObject {
  return r.store.getObject<DeploymentObject>('Deployment', 'default/web')!;
}

function progressing(r: ReturnType<typeof runText>) {
  return deployment(r).status.conditions.find((c) => c.type === 'Progressing');
}

describe('RollingUpdate', () => {
  /*
   * replicas 10, maxSurge 25 % → ceil(2.5) = 3, maxUnavailable 25 % → floor(2.5) = 2, so at
   * most 13 pods and at least 8 available. A pod is available once its Ready condition's
   * lastTransitionTime (whole seconds, as the API stores it) + minReadySeconds <= now
   * (IsPodAvailable, v1.34+), and the ReplicaSet controller syncs again exactly then
   * (FindMinNextPodAvailabilityCheck). minReadySeconds 10. Rollout at 60 s, startup 5 s:
   *   60 s  new RS 0→3 (13 pods); old 10→8 (13 − 8 − 3 unavailable new = 2); new 3→5 (13 pods)
   *   65 s  the 5 new pods Ready: lastTransitionTime 65 s → available at 65 + 10 = 75 s
   *   75 s  5 new available: old 8→3 (13 available − 8 = 5); new 5→10 (13 pods)
   *   80 s  5 more Ready → available at 80 + 10 = 90 s
   *   90 s  10 new available: old 3→0 — complete at 90 s.
   * With a 5.5 s startup the pods are Ready at 65.5 s and 80.5 s, but the API stamps the
   * transitions 65 s and 80 s, so every event happens at the same instants, not 0.5 s later.
   */
  it.each([
    ['5s', 65_000, 65_000, 80_000, 80_000],
    ['5500ms', 65_500, 65_000, 80_500, 80_000],
  ])(
    'a 10-replica rollout with 25 %% surge and unavailability and startup %s completes at 90 s',
    (startup, ready1, transition1, ready2, transition2) => {
      const r = runText(
        deploymentScenarioText({
          minReadySeconds: 10,
          startup,
          strategy: '{type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}}',
          timeline: [ROLLOUT_AT_60S],
        }),
      );
      expect(deploymentEvents(r)).toEqual([
        't=0 Scaled up replica set rs1 from 0 to 10',
        't=60 Scaled up replica set rs2 from 0 to 3',
        't=60 Scaled down replica set rs1 from 10 to 8',
        't=60 Scaled up replica set rs2 from 3 to 5',
        't=75 Scaled down replica set rs1 from 8 to 3',
        't=75 Scaled up replica set rs2 from 5 to 10',
        't=90 Scaled down replica set rs1 from 3 to 0',
      ]);
      expect(progressing(r)).toMatchObject({
        status: 'True',
        reason: 'NewReplicaSetAvailable',
        lastUpdateTime: 90_000,
      });
      expect(deployment(r).status).toMatchObject({
        replicas: 10,
        updatedReplicas: 10,
        availableReplicas: 10,
      });
      const newPods = r.metrics.pods.filter((p) => p.spec.containers[0]!.image === 'web:v2');
      expect(
        newPods.map((p) => [p.times.created, p.times.ready, p.status.readyTransitionTime]),
      ).toEqual([
        ...Array(5).fill([60_000, ready1, transition1]),
        ...Array(5).fill([75_000, ready2, transition2]),
      ]);
    },
  );

  it('maxSurge 0 and maxUnavailable 10% of 3 (rounds down to 0) resolve to one unavailable pod', () => {
    // Fenceposts: surge 0, floor(0.3) = 0 → unavailable 1. Each step: delete 1 old, create 1 new, wait 5 s.
    const r = runText(
      deploymentScenarioText({
        replicas: 3,
        strategy: '{type: RollingUpdate, rollingUpdate: {maxSurge: 0, maxUnavailable: 10%}}',
        timeline: [ROLLOUT_AT_60S],
      }),
    );
    expect(deploymentEvents(r)).toEqual([
      't=0 Scaled up replica set rs1 from 0 to 3',
      't=60 Scaled down replica set rs1 from 3 to 2',
      't=60 Scaled up replica set rs2 from 0 to 1',
      't=65 Scaled down replica set rs1 from 2 to 1',
      't=65 Scaled up replica set rs2 from 1 to 2',
      't=70 Scaled down replica set rs1 from 1 to 0',
      't=70 Scaled up replica set rs2 from 2 to 3',
    ]);
  });
});

describe('Recreate', () => {
  it('scales the old ReplicaSet to 0 before creating the new one', () => {
    // Old pods go at 60 s (no grace period); the new RS is created at 60 s with 10, ready at 65 s.
    const r = runText(
      deploymentScenarioText({ strategy: '{type: Recreate}', timeline: [ROLLOUT_AT_60S] }),
    );
    expect(deploymentEvents(r)).toEqual([
      't=0 Scaled up replica set rs1 from 0 to 10',
      't=60 Scaled down replica set rs1 from 10 to 0',
      't=60 Scaled up replica set rs2 from 0 to 10',
    ]);
    const v2 = r.metrics.pods.filter((p) => p.spec.containers[0]!.image === 'web:v2');
    const v1 = r.metrics.pods.filter((p) => p.spec.containers[0]!.image === 'web:v1');
    expect(Math.max(...v1.map((p) => p.times.finished!))).toBe(60_000);
    expect(Math.min(...v2.map((p) => p.times.created))).toBe(60_000);
    expect(progressing(r)).toMatchObject({
      reason: 'NewReplicaSetAvailable',
      lastUpdateTime: 65_000,
    });
  });

  it('waits for terminating old pods before creating the new ReplicaSet', () => {
    // ksim.dev/shutdown 20s: old pods take 20 s to exit, so the new ReplicaSet starts at 80 s.
    const r = runText(
      deploymentScenarioText({
        strategy: '{type: Recreate}',
        annotations: { 'ksim.dev/shutdown': '20s' },
        timeline: [ROLLOUT_AT_60S],
      }).replace('terminationGracePeriodSeconds: 0', 'terminationGracePeriodSeconds: 30'),
    );
    expect(deploymentEvents(r)).toEqual([
      't=0 Scaled up replica set rs1 from 0 to 10',
      't=60 Scaled down replica set rs1 from 10 to 0',
      't=80 Scaled up replica set rs2 from 0 to 10',
    ]);
  });
});

describe('pause, resume, rollback, scale', () => {
  it('a paused Deployment ignores a template change until it is resumed', () => {
    const r = runText(
      deploymentScenarioText({
        replicas: 4,
        strategy: '{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}',
        timeline: [
          '{at: 30s, action: pause, target: {deployment: default/web}}',
          ROLLOUT_AT_60S,
          '{at: 90s, action: scale, target: {deployment: default/web}, replicas: 5}',
          '{at: 120s, action: resume, target: {deployment: default/web}}',
        ],
      }),
    );
    // Paused: the scale applies to the current ReplicaSet, no new revision until 120 s; then one
    // surge pod at a time, each available after 5 s.
    expect(deploymentEvents(r)).toEqual([
      't=0 Scaled up replica set rs1 from 0 to 4',
      't=90 Scaled up replica set rs1 from 4 to 5',
      't=120 Scaled up replica set rs2 from 0 to 1',
      't=125 Scaled down replica set rs1 from 5 to 4',
      't=125 Scaled up replica set rs2 from 1 to 2',
      't=130 Scaled down replica set rs1 from 4 to 3',
      't=130 Scaled up replica set rs2 from 2 to 3',
      't=135 Scaled down replica set rs1 from 3 to 2',
      't=135 Scaled up replica set rs2 from 3 to 4',
      't=140 Scaled down replica set rs1 from 2 to 1',
      't=140 Scaled up replica set rs2 from 4 to 5',
      't=145 Scaled down replica set rs1 from 1 to 0',
    ]);
  });

  it('rollback reuses the old ReplicaSet, which becomes revision 3', () => {
    const r = runText(
      deploymentScenarioText({
        replicas: 2,
        strategy: '{type: RollingUpdate, rollingUpdate: {maxSurge: 2, maxUnavailable: 0}}',
        timeline: [
          ROLLOUT_AT_60S,
          '{at: 120s, action: rollback, target: {deployment: default/web}}',
        ],
      }),
    );
    const rss = r.store.listObjects<ReplicaSetObject>('ReplicaSet');
    expect(
      rss.map((rs) => [
        rs.spec.template.spec &&
          (rs.spec.template.spec as { containers: Array<{ image: string }> }).containers[0]!.image,
        rs.metadata.annotations['deployment.kubernetes.io/revision'],
        rs.spec.replicas,
      ]),
    ).toEqual([
      ['web:v1', '3', 2],
      ['web:v2', '2', 0],
    ]);
    expect(deployment(r).metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
    expect(deploymentEvents(r, ['DeploymentRollback'])).toEqual([
      't=120 Rolled back deployment "web" to revision 1',
    ]);
  });
});

describe('minReadySeconds after a restart', () => {
  it('is waited again from the last Ready transition, not from the first Ready', () => {
    // One pod, minReadySeconds 30, Ready 5 s after each start, exits 0 after running 60 s and
    // is restarted in place (restartPolicy Always; the first restart is immediate):
    //   5 s Ready → available at 5 + 30 = 35 s; 65 s exits, not Ready → unavailable;
    //   70 s Ready again → available at 70 + 30 = 100 s (counting from the first Ready, 5 s,
    //   it would have been available again at once, at 70 s).
    const text = deploymentScenarioText({
      replicas: 1,
      minReadySeconds: 30,
      annotations: { 'ksim.dev/duration': '60s' },
    }).replace(
      'terminationGracePeriodSeconds: 0',
      'terminationGracePeriodSeconds: 0\n      restartPolicy: Always',
    );
    const changes: Array<[number, number]> = [];
    runSimulation(loadText(text), {
      onStart: (ctx) =>
        ctx.store.onObject('ReplicaSet', (e) => {
          const n = (e.obj as ReplicaSetObject).status.availableReplicas;
          if (changes.length === 0 || changes[changes.length - 1]![1] !== n)
            changes.push([ctx.engine.now, n]);
        }),
    });
    expect(changes.filter(([t]) => t <= 120_000)).toEqual([
      [0, 0],
      [35_000, 1],
      [65_000, 0],
      [100_000, 1],
    ]);
  });
});

describe('revisionHistoryLimit', () => {
  it('keeps one old ReplicaSet through four rollouts and two rollbacks', () => {
    // Each rollout (maxSurge 2, maxUnavailable 0) completes 5 s after it starts. The sync that
    // follows the status write completing it finds the Deployment complete and deletes the
    // oldest scaled-down revisions beyond the limit of 1:
    //   65 s  v2 done, old [rs1]             → keep
    //   95 s  v3 done, old [rs1, rs2]        → delete rs1
    //   125 s v4 done, old [rs2, rs3]        → delete rs2
    //   155 s v5 done, old [rs3, rs4]        → delete rs3
    //   180 s rollback (previous revision): rs4 (v4) becomes revision 6; done 185 s, old [rs5]
    //   210 s rollback: rs5 (v5) becomes revision 7; done 215 s, old [rs6]
    const rollout = (at: number, image: string): string =>
      `{at: ${at}s, action: rollout, target: {deployment: default/web}, image: '${image}'}`;
    const r = runText(
      deploymentScenarioText({
        replicas: 2,
        revisionHistoryLimit: 1,
        strategy: '{type: RollingUpdate, rollingUpdate: {maxSurge: 2, maxUnavailable: 0}}',
        timeline: [
          rollout(60, 'web:v2'),
          rollout(90, 'web:v3'),
          rollout(120, 'web:v4'),
          rollout(150, 'web:v5'),
          '{at: 180s, action: rollback, target: {deployment: default/web}}',
          '{at: 210s, action: rollback, target: {deployment: default/web}}',
        ],
      }),
    );
    const rss = r.store.listObjects<ReplicaSetObject>('ReplicaSet');
    expect(
      rss.map((rs) => [
        (rs.spec.template.spec as { containers: Array<{ image: string }> }).containers[0]!.image,
        rs.metadata.annotations['deployment.kubernetes.io/revision'],
        rs.spec.replicas,
      ]),
    ).toEqual([
      ['web:v4', '6', 0],
      ['web:v5', '7', 2],
    ]);
    expect(deploymentEvents(r, ['DeploymentRollback'])).toEqual([
      't=180 Rolled back deployment "web" to revision 4',
      't=210 Rolled back deployment "web" to revision 5',
    ]);
  });
});

describe('progressDeadlineSeconds', () => {
  it('a template whose pods never become ready times out 1 s after the deadline', () => {
    // The new ReplicaSet makes its last progress at 60 s (pods created); deadline 30 s; the
    // controller checks again at lastUpdateTime + 30 s + 1 s = 91 s and finds it timed out.
    const r = runText(
      deploymentScenarioText({
        replicas: 4,
        progressDeadlineSeconds: 30,
        timeline: [
          "{at: 60s, action: rollout, target: {deployment: default/web}, template: {metadata: {annotations: {ksim.dev/crash: '1'}}}}",
        ],
      }),
    );
    expect(progressing(r)).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      lastUpdateTime: 91_000,
    });
    expect(deploymentEvents(r, ['ProgressDeadlineExceeded'])).toEqual([
      't=91 ReplicaSet "rs2" has timed out progressing.',
    ]);
    // Not rolled back: the old pods that availability protects keep running.
    expect(deployment(r).status.availableReplicas).toBe(3);
  });
});
