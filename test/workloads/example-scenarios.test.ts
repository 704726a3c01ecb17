/** The Deployment/HPA example scenarios in scenarios/ run and show what they are for. */
import { describe, expect, it } from '@jest/globals';
import type { DeploymentObject } from '../../src/controllers/apps-objects.js';
import { loadScenario } from '../../src/scenario/loader.js';
import { runSimulation, type RunResult } from '../../src/simulation.js';

function run(name: string): RunResult {
  return runSimulation(loadScenario(`scenarios/${name}.yaml`));
}

function column(r: RunResult, name: string): number[] {
  const i = r.metrics.timeseriesHeader().indexOf(name);
  expect(i).toBeGreaterThan(-1);
  return r.metrics.samples.map((row) => Number(row[i]));
}

function activeImages(r: RunResult, owner: string): string[] {
  return r.metrics.pods
    .filter((p) => p.topOwner === owner && p.outcome === 'Running' && p.status.ready)
    .map((p) => p.spec.containers[0]!.image!);
}

describe('example scenarios', () => {
  it('rolling-update: v2 rolls out, v3 times out at 30m + 300 s + 1 s, the rollback restores v2', () => {
    const r = run('rolling-update');
    const reasons = r.metrics.events
      .filter((e) => e.kind === 'Deployment' && e.reason !== 'ScalingReplicaSet')
      .map((e) => `${e.time / 1000} ${e.reason}`);
    expect(reasons).toEqual(['2101 ProgressDeadlineExceeded', '2400 DeploymentRollback']);
    expect(activeImages(r, 'Deployment/default/web')).toEqual(Array(30).fill('web:v2'));
    const availability = (r.metrics.extra.availability as Record<string, number>)[
      'Deployment/default/web'
    ]!;
    expect(availability).toBeGreaterThan(0.9);
    expect(availability).toBeLessThan(1);
  });

  it('blue-green: green takes over and the two together never serve fewer than 20 ready pods', () => {
    const r = run('blue-green');
    const blue = column(r, 'workload:Deployment/default/web-blue:ready');
    const green = column(r, 'workload:Deployment/default/web-green:ready');
    const time = r.metrics.samples.map((row) => Number(row[0]));
    const served = blue.map((b, i) => b + green[i]!).filter((_, i) => time[i]! >= 60);
    expect(Math.min(...served)).toBe(20);
    expect([blue[blue.length - 1], green[green.length - 1]]).toEqual([0, 20]);
  });

  it('canary: 1 then 3 canary pods beside the stable ones, then everything on v2', () => {
    const r = run('canary');
    const canary = column(r, 'workload:Deployment/default/web-canary:ready');
    const time = r.metrics.samples.map((row) => Number(row[0]));
    expect(canary[time.indexOf(600)]).toBe(1);
    expect(canary[time.indexOf(1800)]).toBe(3);
    expect(canary[canary.length - 1]).toBe(0);
    expect(activeImages(r, 'Deployment/default/web')).toEqual(Array(12).fill('web:v2'));
  });

  it('hpa-diurnal: the autoscaler follows the daily load between about 3 and 15 replicas', () => {
    const r = run('hpa-diurnal');
    const desired = column(r, 'workload:Deployment/default/web:desired');
    expect(Math.min(...desired)).toBe(3);
    expect(Math.max(...desired)).toBe(15);
    const d = r.store.getObject<DeploymentObject>('Deployment', 'default/web')!;
    expect(d.spec.replicas).toBeLessThan(10);
  });
});
