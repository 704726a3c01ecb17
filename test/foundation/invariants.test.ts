/**
 * Property tests over random clusters and workloads: no node is ever over-committed, and
 * no pod is lost (every pod created ends in exactly one documented state, with consistent
 * times).
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/loader.js';
import { runSimulation } from '../../src/simulation.js';

const dir = mkdtempSync(join(tmpdir(), 'ksim-prop-'));

interface Shape {
  nodes: Array<{ count: number; cpu: number; memGi: number }>;
  workloads: Array<{
    perMin: number;
    cpuM: number;
    memMi: number;
    minutes: number;
    priority: number;
  }>;
}

const shape: fc.Arbitrary<Shape> = fc.record({
  nodes: fc.array(
    fc.record({
      count: fc.integer({ min: 1, max: 6 }),
      cpu: fc.integer({ min: 2, max: 16 }),
      memGi: fc.integer({ min: 4, max: 64 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  workloads: fc.array(
    fc.record({
      perMin: fc.integer({ min: 1, max: 10 }),
      cpuM: fc.integer({ min: 0, max: 2500 }),
      memMi: fc.integer({ min: 0, max: 6000 }),
      minutes: fc.integer({ min: 1, max: 30 }),
      priority: fc.integer({ min: 0, max: 3 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

function scenarioYaml(s: Shape, seed: number): string {
  const pools = s.nodes
    .map(
      (n, i) => `    - name: pool${i}
      count: ${n.count}
      zones: [a, b]
      template:
        status: {allocatable: {cpu: "${n.cpu}", memory: ${n.memGi}Gi, pods: "20"}}`,
    )
    .join('\n');
  const workloads = s.workloads
    .map(
      (w, i) => `    - name: w${i}
      arrivals: {poisson: {rate: ${w.perMin}/m}}
      template:
        metadata: {annotations: {ksim.dev/duration: "{exponential: {mean: ${w.minutes}m}}"}}
        spec:
          priority: ${w.priority * 100}
          restartPolicy: Never
          containers: [{name: c, resources: {requests: {cpu: ${w.cpuM}m, memory: ${w.memMi}Mi}}}]`,
    )
    .join('\n');
  return `apiVersion: ksim.dev/v1alpha1
kind: Simulation
metadata: {name: prop}
spec:
  seed: ${seed}
  duration: 30m
  nodePools:
${pools}
  workloads:
${workloads}
`;
}

describe('invariants over random clusters', () => {
  it('no node is over-committed and no pod is lost', () => {
    let n = 0;
    fc.assert(
      fc.property(shape, fc.integer({ min: 1, max: 1000 }), (s, seed) => {
        const file = join(dir, `s${n++}.yaml`);
        writeFileSync(file, scenarioYaml(s, seed));
        const scenario = loadScenario(file);
        // Check every node's aggregate after every change the store announces.
        let violations = 0;
        let binds = 0;
        const result = runSimulation(scenario, {
          onStart: (ctx) =>
            ctx.store.onPod((e) => {
              if (e.type !== 'update' || e.change !== 'bound') return;
              binds++;
              const info = ctx.store.getNodeInfo(e.pod.spec.nodeName!)!;
              const alloc = info.allocatable;
              if (
                info.requested.milliCPU > alloc.milliCPU ||
                info.requested.memory > alloc.memory ||
                info.pods.length > alloc.allowedPodNumber
              ) {
                violations++;
              }
            }),
        });
        for (const p of result.metrics.pods) {
          // Exactly one outcome, and times ordered as the lifecycle goes.
          expect([
            'Pending',
            'Running',
            'Succeeded',
            'Failed',
            'Evicted',
            'Preempted',
            'Deleted',
          ]).toContain(p.outcome);
          const t = p.times;
          if (t.scheduled !== undefined) expect(t.scheduled).toBeGreaterThanOrEqual(t.created);
          if (t.ready !== undefined) expect(t.ready).toBeGreaterThanOrEqual(t.scheduled!);
          if (t.finished !== undefined) expect(t.finished).toBeGreaterThanOrEqual(t.created);
          // Pending: never scheduled, or bound and still starting when the run ended.
          if (p.outcome === 'Pending') expect(t.ready).toBeUndefined();
          if (p.outcome === 'Succeeded') expect(t.ready).toBeDefined();
        }
        // Every created pod is accounted for in the outcomes summary.
        const summary = result.metrics.summaryMetrics() as {
          podsCreated: number;
          outcomes: Record<string, number>;
        };
        const total = Object.values(summary.outcomes).reduce((a, b) => a + b, 0);
        expect(total).toBe(summary.podsCreated);
        expect(violations).toBe(0);
        expect(binds).toBeGreaterThan(0);
      }),
      { numRuns: 15, seed: 20261123 },
    );
  });
});
