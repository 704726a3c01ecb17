/**
 * One run: wires the engine, the cluster store, the control-plane gate, the scheduler,
 * the kubelets, workload arrivals and the metrics collector for a loaded scenario, runs
 * virtual time to the end, and returns what the output writers need.
 */
import seedrandom from 'seedrandom';
import { Engine } from './engine/engine.js';
import { RngStreams } from './engine/rng.js';
import { ApiGate, LeaderGate, type SimContext } from './components/context.js';
import { controllerComponents } from './controllers/index.js';
import { createJobFromWorkload, startTraceReplay } from './controllers/arrival-clients.js';
import { controlPlaneComponents } from './control-plane/index.js';
import { faultComponents } from './faults/index.js';
import { EventLog } from './model/events.js';
import type { SimPod } from './model/objects.js';
import { instantiatePod } from './model/pod-template.js';
import { ClusterStore, type StoredObject } from './model/store.js';
import { Kubelets, DEFAULT_KUBELET_CONFIG } from './kubelet/kubelet.js';
import { MetricsCollector } from './metrics/collector.js';
import { ExplainRecorder } from './metrics/explain.js';
import { Framework } from './scheduler/framework/framework.js';
import { WaitingPodsMap } from './scheduler/framework/waiting-pods.js';
import type { Handle, PluginFactory } from './scheduler/framework/interfaces.js';
import {
  DEFAULT_SCHEDULER_NAME,
  Scheduler,
  DEFAULT_SCHEDULER_CONFIG,
} from './scheduler/scheduler.js';
import { inTreeRegistry, register } from './scheduler-plugins/registry.js';
import { resolveRunSchedulerConfig } from './scenario/scheduler-config.js';
import type { KubeObject, Scenario, WorkloadSpec } from './scenario/types.js';
import { createArrivalProcess } from './workloads/arrivals.js';
import { ScenarioError } from './scenario/errors.js';
import { Issues } from './scenario/source.js';

export interface RunOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Profile that serves pods of `default-scheduler` (ksim run --profile). */
  profile?: string;
  /** A KubeSchedulerConfiguration that replaces the scenario's. */
  schedulerConfig?: KubeObject;
  /** Extra plugins (custom plugin modules) by name. */
  plugins?: ReadonlyMap<string, PluginFactory>;
  /** Record filters.csv / scores.csv. */
  explain?: boolean;
  /**
   * Wire the run and let every component check the scenario (what `ksim validate` needs), but
   * run no virtual time: the result has no events.
   */
  checkOnly?: boolean;
  /** Called once everything is wired, before virtual time starts (tests observe the store here). */
  onStart?: (ctx: SimContext) => void;
  /** Called now and then with virtual time (progress bars). */
  onProgress?: (nowMs: number, events: number) => void;
}

export interface RunResult {
  scenario: Scenario;
  seed: number;
  profile: string;
  events: number;
  simulatedMs: number;
  metrics: MetricsCollector;
  explain?: ExplainRecorder;
  scheduler: Scheduler;
  store: ClusterStore;
}

/** Resolves which profile serves default-scheduler pods, refusing unknown names. */
function profileAlias(names: string[], requested: string | undefined): string | undefined {
  if (requested === undefined) return undefined;
  if (!names.includes(requested)) {
    throw new ScenarioError([
      {
        file: '--profile',
        line: 0,
        column: 0,
        path: '',
        message: `no scheduling profile named "${requested}"; the configuration has ${names.map((n) => `"${n}"`).join(', ')}`,
      },
    ]);
  }
  return requested;
}

/** Kinds read by the scheduler and the metrics straight from the store, as the API shows them. */
const CLUSTER_OBJECT_KINDS: Record<string, { namespaced: boolean }> = {
  Service: { namespaced: true },
  PersistentVolumeClaim: { namespaced: true },
  PersistentVolume: { namespaced: false },
  StorageClass: { namespaced: false },
};

/**
 * Puts the scenario's Services (PodTopologySpread's default selector), PersistentVolumes,
 * PersistentVolumeClaims and StorageClasses (VolumeBinding, VolumeZone) into the store, each
 * under its namespace (`default` when a namespaced object names none) or cluster-scoped.
 */
function storeClusterObjects(scenario: Scenario, store: ClusterStore): void {
  for (const o of scenario.objects) {
    const scope = CLUSTER_OBJECT_KINDS[o.kind];
    if (!scope) continue;
    const m = o.manifest as { metadata?: { name?: string; namespace?: string } };
    const metadata = {
      ...m.metadata,
      name: String(m.metadata?.name ?? ''),
      namespace: scope.namespaced ? (m.metadata?.namespace ?? 'default') : '',
    };
    store.putObject({ ...o.manifest, kind: o.kind, metadata } as StoredObject);
  }
}

export function runSimulation(scenario: Scenario, opts: RunOptions = {}): RunResult {
  const seed = opts.seed ?? scenario.seed;
  const engine = new Engine();
  const rng = new RngStreams(seed);
  const store = new ClusterStore();
  const events = new EventLog(() => engine.now);
  const api = new ApiGate(engine);

  const registry = inTreeRegistry();
  // Out-of-tree plugins join the in-tree registry as upstream's Registry.Merge: a name that is
  // taken (in-tree, or by the scenario's modules for a --plugin one) is an error.
  for (const [source, plugins] of [
    ['spec.schedulerPlugins', scenario.schedulerPlugins],
    ['--plugin', opts.plugins],
  ] as const) {
    for (const [name, f] of plugins ?? []) {
      try {
        register(registry, name, f);
      } catch (e) {
        throw new ScenarioError([
          { file: source, line: 0, column: 0, path: '', message: (e as Error).message },
        ]);
      }
    }
  }
  const cfg = resolveRunSchedulerConfig(opts.schedulerConfig ?? scenario.schedulerConfig, registry);
  const alias = profileAlias(
    cfg.profiles.map((p) => p.schedulerName),
    opts.profile,
  );
  const schedulerRng = rng.stream('scheduler');
  const explain = opts.explain ? new ExplainRecorder(() => engine.now) : undefined;
  // One waiting-pods map for every profile, as upstream's scheduler.New shares it.
  const waitingPods = new WaitingPodsMap();
  const frameworks = cfg.profiles.map((profile) => {
    const handle: Handle & { framework?: Framework } = {
      store,
      now: () => engine.now,
      random: () => schedulerRng.next(),
      recordEvent: (kind, object, reason, message) => events.record(kind, object, reason, message),
      parallelism: 16,
      preemptPod: (victim, preemptor) => preempt(victim, preemptor),
    };
    const fw = new Framework(profile, registry, handle, waitingPods);
    handle.framework = fw;
    return fw;
  });

  const preempt = (victim: SimPod, preemptor: SimPod): boolean => {
    const waiting = waitingPods.get(victim.metadata.uid);
    if (waiting) {
      // Evaluator.PreemptPod: a victim waiting at Permit is rejected, not deleted.
      const node = store.nodes().find((n) => n.pods.includes(victim))?.name ?? '';
      waiting.reject('DefaultPreemption', 'preempted');
      const message = `Preempted by pod ${preemptor.metadata.uid} on node ${node}`;
      events.record('Pod', victim.key, 'Preempted', message);
      return true;
    }
    if (!api.tryWrite('pod-delete', 'scheduler')) return false;
    if (victim.metadata.deletionTimestamp !== undefined) return true;
    events.record(
      'Pod',
      victim.key,
      'Preempted',
      `Preempted by pod ${preemptor.metadata.uid} on node ${victim.spec.nodeName ?? ''}`,
    );
    victim.outcome = 'Preempted';
    victim.metadata.deletionTimestamp = engine.now;
    store.updatePod(victim, 'deleting');
    return true;
  };

  const metrics = new MetricsCollector(
    engine,
    store,
    events,
    scenario.sampleIntervalMs,
    scenario.durationMs,
    scenario.throughputWindowMs,
  );
  // Each pod object created under a name is one incarnation; the n-th one of a name draws its
  // crashes from its own stream (a StatefulSet's replacement db-0 does not replay the crashes
  // of the db-0 before it). Counted only for pods that can crash, so it costs nothing else.
  const incarnations = new Map<string, number>();
  const incarnationOf = new WeakMap<SimPod, number>();
  store.onPod((e) => {
    if (e.type !== 'add' || e.pod.behaviour.crashProbability <= 0) return;
    const n = incarnations.get(e.pod.key) ?? 0;
    incarnations.set(e.pod.key, n + 1);
    incarnationOf.set(e.pod, n);
  });
  const kubelets = new Kubelets(
    engine,
    store,
    api,
    events,
    {
      ...DEFAULT_KUBELET_CONFIG,
      nodeStatusUpdateFrequencyMs: scenario.kubelet.nodeStatusUpdateFrequencyMs,
      crashBackoffMaxMs:
        scenario.kubelet.maxContainerRestartPeriodMs ?? DEFAULT_KUBELET_CONFIG.crashBackoffMaxMs,
    },
    (pod) => crashesBeforeSuccess(seed, pod, incarnationOf.get(pod) ?? 0),
    rng,
  );
  const ctx: SimContext = {
    engine,
    rng,
    store,
    events,
    api,
    leaders: { scheduler: new LeaderGate(), controllerManager: new LeaderGate() },
    scenario,
    metrics,
    seed,
    kubelets,
    actions: new Map(),
    startupIssues: new Issues(),
  };
  const scheduler = new Scheduler(
    engine,
    store,
    api,
    events,
    frameworks,
    {
      ...DEFAULT_SCHEDULER_CONFIG,
      queue: {
        ...DEFAULT_SCHEDULER_CONFIG.queue,
        podInitialBackoffMs: cfg.podInitialBackoffMs,
        podMaxBackoffMs: cfg.podMaxBackoffMs,
      },
      cycleCost: scenario.controlPlane.scheduler.cycleCost,
      clientQPS: cfg.clientQPS,
      clientBurst: cfg.clientBurst,
      percentageOfNodesToScore: cfg.percentageOfNodesToScore,
      defaultProfileAlias: alias,
    },
    () => schedulerRng.next(),
    explain,
  );
  ctx.leaders.scheduler.onChange((active) => scheduler.setActive(active));
  // Control plane first (it installs the real apiserver gate), then controllers, then faults.
  for (const [, start] of [...controlPlaneComponents, ...controllerComponents, ...faultComponents])
    start(ctx);
  // Every component has checked what it reads: all their findings at once, nothing run.
  ctx.startupIssues.throwIfAny();

  // The cluster as it is at time 0: its Services and volumes, nodes Ready, listed pods pending
  // or running.
  storeClusterObjects(scenario, store);
  for (const node of scenario.nodes) store.addNode(node);
  const podRng = rng.stream('pods/initial');
  for (const p of scenario.pods) {
    store.addPod(
      instantiatePod(p.template, {
        name: p.name,
        namespace: p.namespace,
        uid: store.nextUid('pod'),
        now: 0,
        nodeName: p.nodeName,
        ownerReferences: p.ownerReferences,
        rng: podRng,
      }),
    );
  }
  for (const w of scenario.workloads) startArrivals(w);
  metrics.start();
  for (const entry of scenario.timeline) {
    const execute = ctx.actions.get(entry.action);
    if (!execute) throw new Error(`no component executes timeline action "${entry.action}"`);
    engine.scheduleAt(entry.atMs, () => {
      events.record('Simulation', entry.action, entry.action, describeAction(entry.raw));
      execute(entry, ctx);
    });
  }

  function startArrivals(w: WorkloadSpec): void {
    if (w.trace) return startTraceReplay(ctx, w, (pod) => create(pod, 0));
    if (!w.arrivals || !w.pod) return;
    const process = createArrivalProcess(w.arrivals);
    const arrivalRng = rng.stream(`arrivals/${w.name}`);
    const behaviourRng = rng.stream(`pods/${w.name}`);
    const template = w.pod;
    let index = 0;
    const arrive = (): void => {
      if (w.templateKind === 'Job') {
        createJobFromWorkload(ctx, w, index++);
        scheduleNext(engine.now);
        return;
      }
      const pod = instantiatePod(template, {
        name: `${w.name}-${index++}`,
        namespace: w.namespace,
        uid: store.nextUid('pod'),
        now: engine.now,
        rng: behaviourRng,
      });
      create(pod, 0);
      scheduleNext(engine.now);
    };
    const scheduleNext = (after: number): void => {
      const t = process.next(arrivalRng, after);
      if (t !== undefined && t <= scenario.durationMs)
        engine.scheduleAt(Math.max(t, engine.now), arrive);
    };
    scheduleNext(0);
  }

  /**
   * A client creating a pod retries a second after each failure — which it learns at once,
   * or after etcd's request timeout when the write hangs.
   */
  function create(pod: SimPod, attempt: number): void {
    api.write('pod-create', 'client', (ok) => {
      if (!ok) {
        if (attempt < 3600) engine.schedule(1000, () => create(pod, attempt + 1));
        return;
      }
      pod.metadata.creationTimestamp = engine.now;
      pod.times.created = engine.now;
      store.addPod(pod);
    });
  }

  opts.onStart?.(ctx);
  if (!opts.checkOnly)
    engine.run({
      until: scenario.durationMs,
      onProgress: opts.onProgress
        ? (now) => opts.onProgress!(now, engine.eventsProcessed)
        : undefined,
    });
  metrics.extra.schedulingCycles = scheduler.stats.cycles;
  metrics.extra.schedulingAttemptsFailed = scheduler.stats.failedAttempts;
  return {
    scenario,
    seed,
    profile: alias ?? cfg.profiles[0]?.schedulerName ?? DEFAULT_SCHEDULER_NAME,
    events: engine.eventsProcessed,
    simulatedMs: engine.now,
    metrics,
    explain,
    scheduler,
    store,
  };
}

/**
 * Crashing starts before a good one, drawn per pod incarnation from its own seeded generator
 * (`<seed> crash <namespace/name>`, plus ` <n>` for the n-th later pod of that name), so the same
 * pod crashes the same way under every policy (common random numbers) while each recreation of
 * a name draws afresh. Not keyed by uid: uids come from one counter shared by every object of
 * the run, so a change before a pod's creation (another policy, one more node) would shift the
 * draws of every later pod.
 */
export function crashesBeforeSuccess(seed: number, pod: SimPod, incarnation: number): number {
  const p = pod.behaviour.crashProbability;
  if (p <= 0) return 0;
  if (p >= 1) return Number.MAX_SAFE_INTEGER;
  const stream = `${seed}\u0000crash\u0000${pod.key}${incarnation > 0 ? `\u0000${incarnation}` : ''}`;
  const draw = seedrandom(stream);
  let n = 0;
  while (draw() < p && n < 1_000_000) n++;
  return n;
}

/** One-line description of a timeline action for events.csv (report markers). */
function describeAction(raw: Record<string, unknown>): string {
  const { at: _at, action: _action, ...rest } = raw;
  return Object.entries(rest)
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' ');
}
