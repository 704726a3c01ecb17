/**
 * Node leases cost events only when something happens: nothing polls the apiserver. An
 * outage stops every lease at its last renewal; when writes return each kubelet renews at the
 * instant its own retry loop (5 updates, then Gets with a 200 ms … 7 s backoff) gets through.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/loader.js';
import { runSimulation, type RunResult } from '../../src/simulation.js';
import type { SimContext } from '../../src/components/context.js';
import { leaseKey, leaseRenewTime, type SimLease } from '../../src/kubelet/node-health.js';

const dir = mkdtempSync(join(tmpdir(), 'ksim-node-leases-'));
let n = 0;

function scenario(duration: string, controlPlane: string, timeline: string[]): string {
  const file = join(dir, `s${n++}.yaml`);
  writeFileSync(
    file,
    `apiVersion: ksim.dev/v1alpha1
kind: Simulation
metadata: {name: leases}
spec:
  duration: ${duration}
  metrics: {sampleInterval: 1h}
  controlPlane: ${controlPlane}
  nodePools:
    - name: general
      count: 10
      template:
        status: {allocatable: {cpu: "8", memory: 32Gi, pods: "110"}}
  timeline:
${timeline.map((t) => `    - ${t}`).join('\n') || '    []'}
`.replace('  timeline:\n    []', '  timeline: []'),
  );
  return file;
}

/** Runs the scenario; `probe` reads the store at the given instants. */
function run(file: string, probes: Array<[number, (ctx: SimContext) => void]> = []): RunResult {
  return runSimulation(loadScenario(file), {
    onStart: (ctx) => {
      for (const [at, fn] of probes) ctx.engine.scheduleAt(at, () => fn(ctx));
    },
  });
}

const lease = (ctx: SimContext, node: string) =>
  ctx.store.getObject<SimLease>('Lease', leaseKey(node))!;

describe('an idle cluster costs no events for its leases', () => {
  it('24 h and 48 h differ only by the 24 extra metric samples', () => {
    const a = run(scenario('24h', '{}', []));
    const b = run(scenario('48h', '{}', []));
    // Samples at 0, 1 h, …, 24 h (25), the node lifecycle controller's first monitor pass
    // over the new nodes, its NoSchedule tainting pass for the nodes added at 0 (one for all)
    // and the workload series' end-of-run event: no lease renewal is an event (the 10 s
    // lease-write probe alone used to cost 8,640 a day).
    expect(b.events - a.events).toBe(24);
    expect(a.events).toBe(25 + 3);
  });
});

describe('a control-plane outage longer than the grace period', () => {
  // general-10 joins at 60.5 s: it renews at 60 500 + 10 000 k.
  const JOIN = '{at: 60500ms, action: add-nodes, pool: general, count: 1}';

  it('apiservers down 2 minutes: no NotReady, no eviction; general-10 renews again at 425 100 ms', () => {
    const seen: Record<string, number> = {};
    const r = run(
      scenario('15m', '{apiServers: 1, controllerManager: {replicas: 2}}', [
        JOIN,
        '{at: 5m, action: apiserver-down, target: {count: 1}, recoverAfter: 2m}',
      ]),
      [
        [299_999, (ctx) => (seen.before = leaseRenewTime(lease(ctx, 'general-10'), 299_999))],
        [420_000, (ctx) => (seen.atRecovery = leaseRenewTime(lease(ctx, 'general-10'), 420_000))],
        [425_099, (ctx) => (seen.justBefore = leaseRenewTime(lease(ctx, 'general-10'), 425_099))],
        [425_100, (ctx) => (seen.renewed = leaseRenewTime(lease(ctx, 'general-10'), 425_100))],
        [440_000, (ctx) => (seen.later = leaseRenewTime(lease(ctx, 'general-10'), 440_000))],
      ],
    );
    // Last renewal before the outage 290 500; the renewal due at 300 500 fails, so do 5
    // updates and a Get at once (refused); Gets at +200, +400, +800, +1 600, +3 200, +6 400
    // → 313 100, then every 7 s: 313 100 + 16 × 7 000 = 425 100, the first after 420 000.
    expect(seen).toEqual({
      before: 290_500,
      atRecovery: 290_500,
      justBefore: 290_500,
      renewed: 425_100,
      later: 435_100,
    });
    const reasons = new Set(r.metrics.events.map((e) => e.reason));
    expect(reasons.has('NodeNotReady')).toBe(false);
    expect(reasons.has('TaintManagerEviction')).toBe(false);
  });

  it('etcd quorum lost 2 minutes: each attempt hangs 7 s and the one in flight commits with the new leader', () => {
    let renewed: number | undefined;
    const r = run(
      scenario('15m', '{etcd: {members: 3}, controllerManager: {replicas: 2}}', [
        JOIN,
        '{at: 5m, action: etcd-member-down, target: {count: 2}, recoverAfter: 2m}',
      ]),
      [[600_000, (ctx) => (renewed = lease(ctx, 'general-10').spec.phaseMs)]],
    );
    const elected = r.metrics.events.find((e) => e.reason === 'LeaderElected')!.time;
    // Updates 300 500 → … → 335 500 (5 × 7 s), Gets failing at +7 s then sleeping
    // 200, 400, 800, 1 600, 3 200, 6 400, 7 000, 7 000 ms: the Get sent at 418 100 is held
    // and commits when the returning member's election ends (0.2–1.3 s after 420 000).
    expect(elected).toBeGreaterThanOrEqual(420_200);
    expect(elected).toBeLessThanOrEqual(421_300);
    expect(renewed).toBe(elected);
    const reasons = new Set(r.metrics.events.map((e) => e.reason));
    expect(reasons.has('NodeNotReady')).toBe(false);
    expect(reasons.has('TaintManagerEviction')).toBe(false);
  });
});
