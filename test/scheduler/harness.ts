/**
 * Small builders for scheduler scenario tests: a scenario written to a temporary file and
 * loaded as a user would, and a bare Scheduler on an Engine for queue timing tests.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine.js';
import { ALWAYS_WRITABLE } from '../../src/model/api.js';
import { EventLog, type ClusterEvent } from '../../src/model/events.js';
import type { SimNode } from '../../src/model/objects.js';
import { ClusterStore } from '../../src/model/store.js';
import { loadScenario } from '../../src/scenario/loader.js';
import type { Scenario } from '../../src/scenario/types.js';
import { resolveSchedulerConfiguration, type ConfigIssue } from '../../src/scheduler/config.js';
import { Framework } from '../../src/scheduler/framework/framework.js';
import type { Handle } from '../../src/scheduler/framework/interfaces.js';
import { DEFAULT_SCHEDULER_CONFIG, Scheduler } from '../../src/scheduler/scheduler.js';
import { inTreeRegistry } from '../../src/scheduler-plugins/registry.js';

const dir = mkdtempSync(join(tmpdir(), 'ksim-scheduler-'));
let n = 0;

/** Writes `text` to a fresh file and returns its path. */
export function writeScenario(text: string, name = `s${n++}.yaml`): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

export function scenarioFrom(text: string): Scenario {
  return loadScenario(writeScenario(text));
}

export const SIM_HEAD = (name: string, duration = '1h'): string => `apiVersion: ksim.dev/v1alpha1
kind: Simulation
metadata: {name: ${name}}
spec:
  seed: 1
  duration: ${duration}
`;

export interface Harness {
  engine: Engine;
  store: ClusterStore;
  scheduler: Scheduler;
  events: ClusterEvent[];
}

/** The default profile on a bare Engine and store (no kubelets, no control plane). */
export function schedulerHarness(nodes: SimNode[]): Harness {
  const engine = new Engine();
  const store = new ClusterStore();
  const log = new EventLog(() => engine.now);
  const events: ClusterEvent[] = [];
  log.onEvent((e) => events.push(e));
  for (const node of nodes) store.addNode(node);
  const registry = inTreeRegistry();
  const handle: Handle & { framework?: Framework } = {
    store,
    now: () => engine.now,
    random: () => 0.5,
    recordEvent: () => undefined,
    parallelism: 16,
  };
  const issues: ConfigIssue[] = [];
  const cfg = resolveSchedulerConfiguration(
    undefined,
    registry,
    (name) => registry.get(name)?.(undefined, handle),
    issues,
  );
  if (issues.length) throw new Error(JSON.stringify(issues));
  const fw = new Framework(cfg.profiles[0]!, registry, handle);
  handle.framework = fw;
  const scheduler = new Scheduler(
    engine,
    store,
    ALWAYS_WRITABLE,
    log,
    [fw],
    DEFAULT_SCHEDULER_CONFIG,
    () => 0.5,
  );
  return { engine, store, scheduler, events };
}
