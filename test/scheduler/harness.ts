/**
 * Small builders for scheduler scenario tests: a scenario written to a temporary file and
 * loaded as a user would, and a bare Scheduler on an Engine for queue timing tests.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine } from '../../src/engine/engine.js';
import { ALWAYS_WRITABLE, type WriteGate } from '../../src/model/api.js';
import { EventLog, type ClusterEvent } from '../../src/model/events.js';
import type { SimNode } from '../../src/model/objects.js';
import { ClusterStore } from '../../src/model/store.js';
import { loadScenario } from '../../src/scenario/loader.js';
import type { Scenario } from '../../src/scenario/types.js';
import { resolveSchedulerConfiguration, type ConfigIssue } from '../../src/scheduler/config.js';
import { Framework } from '../../src/scheduler/framework/framework.js';
import type { Handle, PluginFactory } from '../../src/scheduler/framework/interfaces.js';
import { WaitingPodsMap } from '../../src/scheduler/framework/waiting-pods.js';
import {
  DEFAULT_SCHEDULER_CONFIG,
  Scheduler,
  type SchedulerConfig,
} from '../../src/scheduler/scheduler.js';
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

export interface HarnessOptions {
  /** Extra plugins by name (custom plugins under test). */
  plugins?: ReadonlyArray<[string, PluginFactory]>;
  /** A KubeSchedulerConfiguration document (as parsed YAML); the default profile if absent. */
  config?: unknown;
  /** The apiserver gate bindings go through (default: always writable). */
  api?: WriteGate;
  /** Scheduler settings over the defaults (cycle cost, client rate limit). */
  scheduler?: Partial<SchedulerConfig>;
}

/** The configured profiles (default: the default one) on a bare Engine and store. */
export function schedulerHarness(nodes: SimNode[], opts: HarnessOptions = {}): Harness {
  const engine = new Engine();
  const store = new ClusterStore();
  const log = new EventLog(() => engine.now);
  const events: ClusterEvent[] = [];
  log.onEvent((e) => events.push(e));
  for (const node of nodes) store.addNode(node);
  const registry = inTreeRegistry();
  for (const [name, factory] of opts.plugins ?? []) registry.set(name, factory);
  const handle = (): Handle => ({
    store,
    now: () => engine.now,
    random: () => 0.5,
    recordEvent: () => undefined,
    parallelism: 16,
  });
  const issues: ConfigIssue[] = [];
  const probe = handle();
  const cfg = resolveSchedulerConfiguration(
    opts.config,
    registry,
    (name) => registry.get(name)?.(undefined, probe),
    issues,
  );
  if (issues.length) throw new Error(JSON.stringify(issues));
  const waitingPods = new WaitingPodsMap();
  const frameworks = cfg.profiles.map((p) => {
    // DefaultPreemption reaches its profile through handle.framework, as in simulation.ts.
    const h: Handle & { framework?: Framework } = handle();
    const fw = new Framework(p, registry, h, waitingPods);
    h.framework = fw;
    return fw;
  });
  const scheduler = new Scheduler(
    engine,
    store,
    opts.api ?? ALWAYS_WRITABLE,
    log,
    frameworks,
    { ...DEFAULT_SCHEDULER_CONFIG, ...opts.scheduler },
    () => 0.5,
  );
  return { engine, store, scheduler, events };
}
