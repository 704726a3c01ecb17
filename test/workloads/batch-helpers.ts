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
