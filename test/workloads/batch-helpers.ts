// Runs a scenario written inline (the Simulation document plus manifests) and gives the
// tests what they assert on: every pod ever created and every event, in time order.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSimulation, type RunOptions, type RunResult } from '../../src/simulation.js';
import { loadScenario } from '../../src/scenario/loader.js';
import type { SimPod } from '../../src/model/objects.js';
import type { ClusterEvent } from '../../src/model/events.js';

const dir = mkdtempSync(join(tmpdir(), 'ksim-batch-'));
let n = 0;

export function runYaml(yaml: string, opts: RunOptions = {}): RunResult {
  const file = join(dir, `s${n++}.yaml`);
  writeFileSync(file, yaml);
  return runSimulation(loadScenario(file), opts);
}

export function podsOf(r: RunResult, prefix: string): SimPod[] {
  return r.metrics.pods.filter((p) => p.metadata.name.startsWith(prefix));
}

export function eventsWith(r: RunResult, reason: string, object?: string): ClusterEvent[] {
  return r.metrics.events.filter(
    (e) => e.reason === reason && (object === undefined || e.object === object),
  );
}

/** The Simulation document header used by these tests: 1 s metrics, given duration. */
export function simulation(duration: string, spec: string): string {
  return `apiVersion: ksim.dev/v1alpha1
kind: Simulation
metadata: {name: t}
spec:
  seed: 1
  duration: ${duration}
  metrics: {sampleInterval: 1m}
${spec}`;
}

/** controlPlane.scheduler of a scheduler whose cycles cost no virtual time (every term zero). */
export const INSTANT_SCHEDULER =
  'scheduler: {cycleCost: {baseMicros: 0, perNodeMicros: 0, preemptionPerNodeMicros: 0, ' +
  'clusterScanMicros: {InterPodAffinity: 0, PodTopologySpread: 0}}}';

/**
 * A Simulation document whose scheduling costs no virtual time, so every instant is exact:
 * one pool `n` of `nodes` nodes (8 CPU, 16 Gi), the given timeline entries, then `docs`.
 */
export function instantSimulation(
  duration: string,
  o: { nodes: number; timeline?: string[] },
  docs: string,
): string {
  const timeline = o.timeline?.length
    ? `  timeline:\n${o.timeline.map((t) => `    - ${t}`).join('\n')}\n`
    : '';
  return simulation(
    duration,
    `  controlPlane:
    ${INSTANT_SCHEDULER}
  nodePools:
    - name: n
      count: ${o.nodes}
      template: {status: {allocatable: {cpu: '8', memory: 16Gi}}}
${timeline}${docs}`,
  );
}
