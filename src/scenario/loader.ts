/**
 * Loads a scenario (a multi-document YAML file or a directory of them) into a validated
 * Scenario. Every problem is collected with file:line:column and field path; if there is
 * any, a ScenarioError carrying all of them is thrown and nothing runs.
 */
import { statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { constant } from '../engine/distributions.js';
import type { SimNode } from '../model/objects.js';
import {
  LIMITS,
  defaultSimulationDoc,
  expectedArrivals,
  readArrivals,
  readSimulationDoc,
  SIMULATION_KIND,
  withinRun,
  type SimulationDoc,
} from './simulation-doc.js';
import type { Path } from './errors.js';
import { Reader, type Obj } from './fields.js';
import { expandPool, buildNode, readNodeShape } from './nodes.js';
import { compileTemplate, DEFAULT_STARTUP_MS, type PodCompileContext } from './pod-spec.js';
import type { CompiledPodTemplate } from '../model/pod-template.js';
import { Issues, locate, readScenarioSourcesInto, type SourceDoc } from './source.js';
import type {
  FaultSpec,
  InitialPod,
  KubeObject,
  Notice,
  Scenario,
  TimelineEntry,
  WorkloadSpec,
} from './types.js';
import { ACTION_PARSERS, FAULT_PARSERS } from './actions/index.js';
import { readTracePool, readTraceReplay } from './trace-spec.js';
import { loadScenarioPlugins } from './plugin-modules.js';
import {
  formatCount,
  hpaTarget,
  objectKeyOf,
  objectPods,
  PodPlan,
  podsPerJob,
  timeseriesValues,
  workloadLabel,
} from './plan.js';
import { formatDuration } from '../model/duration.js';
import { LABEL_ZONE } from '../model/objects.js';
import type { NodePool } from './types.js';
import { TIMESERIES_BASE_COLUMN_COUNT } from './limits.js';

/** Kinds the simulator acts on (others are reported and skipped). */
export const SIMULATED_KINDS = new Set(['Node', 'Pod', 'PriorityClass', 'Namespace']);

/** Kinds kept for components that act on them (controllers, scheduler configuration). */
export const OBJECT_KINDS = new Set([
  'Deployment',
  'ReplicaSet',
  'DaemonSet',
  'StatefulSet',
  'Job',
  'CronJob',
  'PodDisruptionBudget',
  'HorizontalPodAutoscaler',
  'Service',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'StorageClass',
]);

/** `List`, and every typed list as kubectl prints it (NodeList, JobList, PriorityClassList, …). */
export function isListKind(kind: string): boolean {
  return kind.endsWith('List');
}
export const SCHEDULER_CONFIG_KIND = 'KubeSchedulerConfiguration';

/** Kinds that components in this build handle; objects of other known kinds get a notice. */
export const handledObjectKinds = new Set<string>([
  'Service',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'StorageClass',
  'DaemonSet',
  'StatefulSet',
  'Job',
  'CronJob',
  'PodDisruptionBudget',
  'Deployment',
  'ReplicaSet',
  'HorizontalPodAutoscaler',
]);

/** Where a workload kind keeps its pod template. */
export const POD_TEMPLATE_PATHS: Record<string, readonly string[]> = {
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** Validates and compiles the pod template of a workload object (undefined for other kinds). */
export function compileObjectPodTemplate(
  r: Reader,
  manifest: Obj,
  path: Path,
  ctx: PodCompileContext,
): CompiledPodTemplate | undefined {
  const tp = POD_TEMPLATE_PATHS[manifest.kind as string];
  if (!tp) return undefined;
  let v: unknown = manifest;
  for (const seg of tp) v = r.isObj(v) ? v[seg] : undefined;
  const template = r.obj(v, [...path, ...tp]);
  if (!template) return undefined;
  return compileTemplate(r, template, [...path, ...tp], ctx);
}

interface Located {
  src: SourceDoc;
  path: Path;
  value: Obj;
}

export interface LoadOptions {
  /** Overrides spec.seed. */
  seed?: number;
}

export function loadScenario(path: string, opts: LoadOptions = {}): Scenario {
  const issues = new Issues();
  // Unreadable files and documents are recorded, not thrown: the rest is still checked.
  const { docs, complete } = readScenarioSourcesInto(path, issues);
  const notices: Notice[] = [];
  const located: Located[] = [];
  let sim: { doc: SimulationDoc; r: Reader } | undefined;
  let simCount = 0;

  // 1. Classify documents (flattening Lists).
  const visit = (src: SourceDoc, value: unknown, p: Path): void => {
    const r = new Reader(issues, src);
    if (!r.isObj(value)) {
      issues.expected(src, p, 'a Kubernetes object or a Simulation (a map with kind)', value);
      return;
    }
    const kind = value.kind;
    if (typeof kind !== 'string' || kind === '') {
      issues.expected(src, [...p, 'kind'], 'a kind (e.g. Simulation, Node, Pod, Deployment)', kind);
      return;
    }
    if (isListKind(kind)) {
      const items = r.list(value.items ?? [], [...p, 'items']) ?? [];
      // The API's typed lists (`kubectl get --raw`) leave kind off their items.
      const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
      items.forEach((item, i) => {
        const typed =
          itemKind && r.isObj(item) && item.kind === undefined
            ? { apiVersion: value.apiVersion, kind: itemKind, ...item }
            : item;
        visit(src, typed, [...p, 'items', i]);
      });
      return;
    }
    if (kind === SIMULATION_KIND) {
      simCount++;
      if (simCount > 1) {
        issues.at(src, [...p, 'kind'], 'a second Simulation document; a scenario has exactly one');
        return;
      }
      sim = { doc: readSimulationDoc(r, value), r };
      return;
    }
    located.push({ src, path: p, value });
  };
  for (const d of docs) visit(d, d.value, []);
  // With an unreadable document the Simulation may be the one that could not be read.
  if (simCount === 0 && complete) {
    issues.file(
      docs[0]?.file ?? path,
      'no Simulation document: expected one with apiVersion: ksim.dev/v1alpha1, kind: Simulation',
    );
  }
  const first = docs[0];
  if (!first) {
    // Nothing readable (the reason is recorded): there is nothing else to check.
    issues.throwIfAny();
    throw new Error('unreachable: no readable document and no issue');
  }
  // Without a Simulation the other documents are still checked, against the defaults.
  const doc = sim?.doc ?? defaultSimulationDoc();
  if (opts.seed !== undefined) doc.seed = opts.seed;

  // 2. Priority classes (pods need them), namespaces, the scheduler configuration.
  const priorityClasses = new Map<string, number>();
  let globalDefaultPriority: number | undefined;
  const objects: KubeObject[] = [];
  let schedulerConfig: KubeObject | undefined;
  for (const l of located) {
    const r = new Reader(issues, l.src);
    const kind = l.value.kind as string;
    if (kind === 'PriorityClass') {
      const name = r.string((l.value.metadata as Obj | undefined)?.name, [
        ...l.path,
        'metadata',
        'name',
      ]);
      const value = r.int(l.value.value, [...l.path, 'value'], -2147483648, 1_000_000_000);
      if (name && value !== undefined) {
        priorityClasses.set(name, value);
        if (l.value.globalDefault === true) {
          globalDefaultPriority =
            globalDefaultPriority === undefined ? value : Math.min(globalDefaultPriority, value);
        }
      }
    } else if (kind === SCHEDULER_CONFIG_KIND) {
      if (schedulerConfig)
        issues.at(
          l.src,
          [...l.path, 'kind'],
          'a second KubeSchedulerConfiguration; a scenario has at most one',
        );
      schedulerConfig = {
        kind,
        apiVersion: String(l.value.apiVersion ?? ''),
        manifest: l.value,
        origin: { src: l.src, path: l.path },
      };
    }
  }
  const ctx: PodCompileContext = {
    priorityClasses,
    globalDefaultPriority: globalDefaultPriority ?? 0,
    defaultTolerations: {
      notReadySeconds: doc.controlPlane.defaultNotReadyTolerationSeconds,
      unreachableSeconds: doc.controlPlane.defaultUnreachableTolerationSeconds,
    },
    partial: !complete,
  };

  // 3. Nodes: pools, then Node documents.
  const nodes: SimNode[] = [];
  const nodeNames = new Map<string, Located | undefined>();
  const r0 = sim?.r ?? new Reader(issues, first);
  let plannedNodes = 0;
  const poolNames = new Set<string>();
  const pools: NodePool[] = [];
  for (const pool of doc.nodePools) {
    const pp = pool.path;
    const o = r0.obj(pool.raw, pp, ['name', 'count', 'zones', 'template', 'fromTrace']);
    if (!o) continue;
    const name = r0.name(o.name, [...pp, 'name']);
    if (name && poolNames.has(name))
      issues.at(r0.src, [...pp, 'name'], `duplicate node pool name "${name}"`);
    if (name) poolNames.add(name);
    if (o.fromTrace !== undefined) {
      const traceZones = (
        (o.zones === undefined ? [] : r0.list(o.zones, [...pp, 'zones'])) ?? []
      ).map(String);
      for (const k of ['count', 'template'])
        if (o[k] !== undefined) issues.at(r0.src, [...pp, k], 'not allowed with fromTrace');
      const traced = name
        ? readTracePool(r0, o.fromTrace, [...pp, 'fromTrace'], name, traceZones)
        : undefined;
      if (!traced || !name) continue;
      for (const n of traced) {
        if (nodeNames.has(n.metadata.name)) {
          issues.at(r0.src, [...pp, 'fromTrace'], `duplicate node name "${n.metadata.name}"`);
          continue;
        }
        nodeNames.set(n.metadata.name, undefined);
        nodes.push(n);
      }
      plannedNodes += traced.length;
      pools.push({ name, zones: traceZones, count: traced.length });
      continue;
    }
    const count = r0.int(o.count, [...pp, 'count'], 0, LIMITS.nodes);
    if (count === undefined && typeof o.count === 'number' && o.count > LIMITS.nodes) {
      // (reported by int(): the range names the limit)
    }
    const zones =
      o.zones === undefined
        ? []
        : (r0.list(o.zones, [...pp, 'zones']) ?? []).map(
            (z, i) => r0.string(z, [...pp, 'zones', i]) ?? '',
          );
    const template = o.template === undefined ? undefined : r0.obj(o.template, [...pp, 'template']);
    if (!template) {
      if (o.template === undefined)
        issues.expected(
          r0.src,
          [...pp, 'template'],
          'a Node manifest (metadata, spec, status.allocatable)',
          undefined,
        );
      continue;
    }
    const shape = readNodeShape(r0, template, [...pp, 'template'], true);
    if (!name || count === undefined || !shape) continue;
    plannedNodes += count;
    if (plannedNodes > LIMITS.nodes) {
      issues.at(
        r0.src,
        [...pp, 'count'],
        `the scenario would have ${plannedNodes} nodes; ksim handles at most ${LIMITS.nodes} nodes per run`,
      );
      continue;
    }
    for (const n of expandPool(name, count, zones, shape)) {
      nodeNames.set(n.metadata.name, undefined);
      nodes.push(n);
    }
    pools.push({ name, zones, count, shape });
  }
  for (const l of located) {
    if (l.value.kind !== 'Node') continue;
    const r = new Reader(issues, l.src);
    const metadata = r.obj(l.value.metadata, [...l.path, 'metadata']);
    const name = metadata && r.name(metadata.name, [...l.path, 'metadata', 'name']);
    const shape = readNodeShape(r, l.value, l.path, true);
    if (!name || !shape) continue;
    if (nodeNames.has(name)) {
      issues.at(l.src, [...l.path, 'metadata', 'name'], `duplicate node name "${name}"`);
      continue;
    }
    nodeNames.set(name, l);
    nodes.push(buildNode(name, shape, '', {}));
  }
  if (nodes.length > LIMITS.nodes) {
    issues.file(
      first.file,
      `the scenario has ${nodes.length} nodes; ksim handles at most ${LIMITS.nodes} nodes per run`,
    );
  }

  // 4. Pods present at time 0.
  const pods: InitialPod[] = [];
  const podKeys = new Set<string>();
  for (const l of located) {
    if (l.value.kind !== 'Pod') continue;
    const r = new Reader(issues, l.src);
    const metadata = r.obj(l.value.metadata, [...l.path, 'metadata']);
    const name = metadata && r.name(metadata.name, [...l.path, 'metadata', 'name']);
    const namespace =
      metadata?.namespace === undefined
        ? 'default'
        : r.name(metadata.namespace, [...l.path, 'metadata', 'namespace']);
    const tpl = compileTemplate(r, l.value, l.path, ctx);
    if (!name || !namespace || !tpl) continue;
    const key = `${namespace}/${name}`;
    if (podKeys.has(key)) {
      issues.at(l.src, [...l.path, 'metadata', 'name'], `duplicate pod "${key}"`);
      continue;
    }
    podKeys.add(key);
    const nodeName = tpl.spec.nodeName;
    if (nodeName && !nodeNames.has(nodeName)) {
      // (The node may be in a document that could not be read.)
      if (complete)
        issues.at(
          l.src,
          [...l.path, 'spec', 'nodeName'],
          `no node named "${nodeName}" in the scenario`,
        );
      continue;
    }
    pods.push({
      name,
      namespace,
      nodeName,
      template: tpl,
      ownerReferences: Array.isArray(metadata?.ownerReferences)
        ? (metadata!.ownerReferences as InitialPod['ownerReferences'])
        : undefined,
    });
  }

  // 5. Workloads from the Simulation document.
  const workloads: WorkloadSpec[] = [];
  const plan = new PodPlan();
  const firstPod = located.find((l) => l.value.kind === 'Pod');
  if (firstPod) plan.add('Pod documents', pods.length, firstPod.src, firstPod.path);
  const workloadNames = new Set<string>();
  for (const w of doc.workloads) {
    const wp = w.path;
    const o = r0.obj(w.raw, wp, ['name', 'namespace', 'arrivals', 'template', 'trace']);
    if (!o) continue;
    const index = wp[wp.length - 1] as number;
    const name = o.name === undefined ? `workload-${index}` : r0.name(o.name, [...wp, 'name']);
    if (name && workloadNames.has(name))
      issues.at(r0.src, [...wp, 'name'], `duplicate workload name "${name}"`);
    if (name) workloadNames.add(name);
    if (o.trace !== undefined) {
      const traced = readTraceWorkload(r0, o, wp, name, ctx);
      if (traced) {
        const traceJobs = traced.trace!.jobs.reduce((n, j) => n + j.count, 0);
        plan.add(workloadLabel(wp, name), traceJobs * traced.trace!.loadScale, r0.src, [
          ...wp,
          'trace',
        ]);
        workloads.push(traced);
      }
      continue;
    }
    if (o.arrivals === undefined) {
      issues.expected(
        r0.src,
        [...wp, 'arrivals'],
        'an arrival process (e.g. {poisson: {rate: 2/s}})',
        undefined,
      );
    }
    const arrivals =
      o.arrivals === undefined
        ? undefined
        : readArrivals(r0, o.arrivals, [...wp, 'arrivals'], doc.durationMs, doc.durationValid);
    const template = r0.obj(o.template, [...wp, 'template']);
    if (!template || !name) continue;
    const templateKind =
      template.kind === undefined
        ? 'Pod'
        : r0.oneOf(template.kind, [...wp, 'template', 'kind'], ['Pod', 'Job']);
    const tplMeta =
      template.metadata === undefined
        ? undefined
        : r0.obj(template.metadata, [...wp, 'template', 'metadata']);
    const namespace =
      o.namespace !== undefined
        ? r0.name(o.namespace, [...wp, 'namespace'])
        : tplMeta?.namespace !== undefined
          ? r0.name(tplMeta.namespace, [...wp, 'template', 'metadata', 'namespace'])
          : 'default';
    const pod =
      templateKind === 'Job'
        ? compileObjectPodTemplate(r0, template, [...wp, 'template'], ctx)
        : compileTemplate(r0, template, [...wp, 'template'], ctx);
    if (!arrivals || !templateKind || !pod || !namespace) continue;
    // A Job template creates the pods of one Job per arrival.
    const perArrival = templateKind === 'Job' ? podsPerJob(template.spec) : 1;
    plan.add(workloadLabel(wp, name), expectedArrivals(arrivals) * perArrival, r0.src, [
      ...wp,
      'arrivals',
    ]);
    workloads.push({
      name,
      namespace,
      arrivals,
      templateKind,
      template,
      pod,
      origin: { src: r0.src, path: wp },
    });
  }

  // 6. Everything else: kept for components, or reported and skipped.
  for (const l of located) {
    const kind = l.value.kind as string;
    if (SIMULATED_KINDS.has(kind) || kind === SCHEDULER_CONFIG_KIND) continue;
    const meta = (l.value.metadata ?? {}) as Obj;
    const label = `${kind} ${meta.namespace ? `${String(meta.namespace)}/` : ''}${String(meta.name ?? '(unnamed)')}`;
    const { line } = lineOf(l);
    if (OBJECT_KINDS.has(kind)) {
      const r = new Reader(issues, l.src);
      objects.push({
        kind,
        apiVersion: String(l.value.apiVersion ?? ''),
        manifest: l.value,
        origin: { src: l.src, path: l.path },
        podTemplate: compileObjectPodTemplate(r, l.value, l.path, ctx),
      });
      if (!handledObjectKinds.has(kind)) {
        notices.push({
          file: l.src.file,
          line,
          message: `${label}: not simulated in this build (skipped)`,
        });
      }
    } else {
      notices.push({
        file: l.src.file,
        line,
        message: `${label}: no effect on scheduling or failures (skipped)`,
      });
    }
  }

  const timeline: TimelineEntry[] = [];
  for (const t of doc.timeline) {
    const at = t.raw.at === undefined ? undefined : r0.duration(t.raw.at, [...t.path, 'at']);
    if (t.raw.at === undefined)
      issues.expected(r0.src, [...t.path, 'at'], 'a time offset (e.g. 1h30m)', undefined);
    const action = r0.string(
      t.raw.action,
      [...t.path, 'action'],
      'an action name (e.g. fail-node)',
    );
    if (!action) continue;
    const parser = ACTION_PARSERS.get(action);
    if (!parser) {
      issues.expected(
        r0.src,
        [...t.path, 'action'],
        knownNames('an action', ACTION_PARSERS),
        action,
      );
      continue;
    }
    if (at !== undefined && at > doc.durationMs && doc.durationValid)
      issues.expected(r0.src, [...t.path, 'at'], withinRun(doc.durationMs), t.raw.at);
    const parsed = parser(r0, t.raw, t.path);
    if (parsed && at !== undefined) {
      timeline.push({
        atMs: at,
        action,
        raw: t.raw,
        parsed,
        origin: { src: r0.src, path: t.path },
      });
    }
  }
  // Stable by time: same-instant actions keep file order.
  timeline.sort((a, b) => a.atMs - b.atMs);
  const faults: FaultSpec[] = [];
  for (const f of doc.faults) {
    const kind = r0.string(f.raw.kind, [...f.path, 'kind'], 'a fault kind (e.g. node-crash)');
    if (!kind) continue;
    const parser = FAULT_PARSERS.get(kind);
    if (!parser) {
      issues.expected(r0.src, [...f.path, 'kind'], knownNames('a fault kind', FAULT_PARSERS), kind);
      continue;
    }
    const parsed = parser(r0, f.raw, f.path);
    if (parsed) faults.push({ kind, raw: f.raw, parsed, origin: { src: r0.src, path: f.path } });
  }

  // 7. Sizes: everything the run will hold, checked before anything runs.
  planObjectPods(plan, objects, nodes.length, timeline);
  plan.check(issues);
  checkTimeseriesSize(r0, doc, nodes, objects);

  const schedulerPlugins = loadScenarioPlugins(doc.schedulerPlugins, r0.src, issues);
  issues.throwIfAny();
  return {
    name: doc.name ?? defaultScenarioName(path),
    file: first.file,
    dir: dirname(first.absFile),
    seed: doc.seed,
    durationMs: doc.durationMs,
    sampleIntervalMs: doc.sampleIntervalMs,
    throughputWindowMs: doc.throughputWindowMs,
    controlPlane: doc.controlPlane,
    kubelet: doc.kubelet,
    nodes,
    pools,
    pods,
    workloads,
    objects,
    priorityClasses,
    globalDefaultPriority: globalDefaultPriority ?? 0,
    timeline,
    faults,
    schedulerConfig,
    schedulerPlugins,
    notices,
    podCompile: ctx,
    defaults: { startup: constant(DEFAULT_STARTUP_MS) },
  };
}

/**
 * Replicas of each workload object at their largest over the run — its own, its HPA's
 * maxReplicas, a timeline `scale` — at the field that asks for them.
 */
function planObjectPods(
  plan: PodPlan,
  objects: readonly KubeObject[],
  nodeCount: number,
  timeline: readonly TimelineEntry[],
): void {
  type Peak = { pods: number; what: string; origin: { src: SourceDoc; path: Path } };
  const raised = new Map<string, Peak>();
  const raise = (key: string, peak: Peak): void => {
    const cur = raised.get(key);
    if (!cur || peak.pods > cur.pods) raised.set(key, peak);
  };
  for (const o of objects) {
    if (o.kind !== 'HorizontalPodAutoscaler') continue;
    const t = hpaTarget(o.manifest);
    if (t)
      raise(t.key, {
        pods: t.maxReplicas,
        what: `(${objectLabel(o)} maxReplicas)`,
        origin: { src: o.origin.src, path: [...o.origin.path, 'spec', 'maxReplicas'] },
      });
  }
  for (const t of timeline) {
    if (t.action !== 'scale') continue;
    const target = t.parsed.target as { kind: string; namespace: string; name: string };
    raise(`${target.kind}/${target.namespace}/${target.name}`, {
      pods: t.parsed.replicas as number,
      what: `(timeline scale at ${String(t.raw.at)})`,
      origin: { src: t.origin.src, path: [...t.origin.path, 'replicas'] },
    });
  }
  for (const o of objects) {
    const asked = objectPods(o.manifest, nodeCount);
    if (!asked) continue;
    const label = objectLabel(o);
    const peak = raised.get(objectKeyOf(o.manifest));
    if (peak && peak.pods > asked.pods)
      plan.add(`${label} ${peak.what}`, peak.pods, peak.origin.src, peak.origin.path);
    else plan.add(label, asked.pods, o.origin.src, [...o.origin.path, ...asked.field]);
  }
}

/** `Deployment shop/web`. */
function objectLabel(o: KubeObject): string {
  return `${o.kind} ${objectKeyOf(o.manifest).slice(o.kind.length + 1)}`;
}

/**
 * timeseries.csv is held in memory until the run ends: samples × columns values (each about 24
 * bytes), refused beyond LIMITS.timeseriesValues with the sampleInterval that would fit.
 */
function checkTimeseriesSize(
  r: Reader,
  doc: SimulationDoc,
  nodes: readonly SimNode[],
  objects: readonly KubeObject[],
): void {
  if (!doc.durationValid) return;
  const zones = new Set(nodes.map((n) => n.metadata.labels[LABEL_ZONE]).filter(Boolean)).size;
  const pools = new Set(nodes.map((n) => n.pool).filter(Boolean)).size;
  const workloads = objects.filter(
    (o) => o.kind === 'Deployment' || o.kind === 'StatefulSet',
  ).length;
  const size = timeseriesValues({
    durationMs: doc.durationMs,
    sampleIntervalMs: doc.sampleIntervalMs,
    baseColumns: TIMESERIES_BASE_COLUMN_COUNT,
    zones,
    pools,
    workloads,
  });
  if (size.values <= LIMITS.timeseriesValues) return;
  const parts = [`${TIMESERIES_BASE_COLUMN_COUNT}`];
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (zones) parts.push(`4 × ${plural(zones, 'zone')}`);
  if (pools) parts.push(`4 × ${plural(pools, 'pool')}`);
  if (workloads) parts.push(`2 × ${plural(workloads, 'Deployment/StatefulSet')}`);
  const fitSamples = Math.floor(LIMITS.timeseriesValues / size.columns) - 1;
  const interval = fitSamples > 0 ? Math.ceil(doc.durationMs / fitSamples) : undefined;
  const hint =
    interval === undefined
      ? 'fewer zones or pools'
      : `a sampleInterval of at least ${formatDuration(interval)}`;
  r.issues.at(
    r.src,
    doc.sampleIntervalGiven ? ['spec', 'metrics', 'sampleInterval'] : ['spec', 'duration'],
    `timeseries.csv would hold ${size.samples} samples × ${size.columns} columns (${parts.join(' + ')}) = ${formatCount(size.values)} values; at most ${formatCount(LIMITS.timeseriesValues)} fit in memory (${hint} would do)`,
  );
}

/** Without metadata.name: the file's name without extension, or the directory's name. */
export function defaultScenarioName(path: string): string {
  return statSync(path).isDirectory() ? basename(resolve(path)) : basename(path, extname(path));
}

function lineOf(l: Located): { line: number } {
  return { line: locate(l.src, l.path).line };
}

function knownNames(what: string, m: ReadonlyMap<string, unknown>): string {
  const names = [...m.keys()].sort();
  return names.length
    ? `one of ${names.join(', ')}`
    : `${what} supported by this build (none are yet)`;
}

/**
 * A trace-replay workload: the trace read now (malformed rows are errors with file:line), an
 * optional Pod template for what the trace does not say (labels, priority, tolerations,
 * startup), else a bare `restartPolicy: Never` pod.
 */
function readTraceWorkload(
  r: Reader,
  o: Obj,
  wp: Path,
  name: string | undefined,
  ctx: PodCompileContext,
): WorkloadSpec | undefined {
  if (o.arrivals !== undefined)
    r.issues.at(
      r.src,
      [...wp, 'arrivals'],
      'not allowed with trace (the trace says when pods arrive)',
    );
  const trace = readTraceReplay(r, o.trace, [...wp, 'trace']);
  const template: Obj =
    o.template === undefined
      ? {
          kind: 'Pod',
          spec: { restartPolicy: 'Never', containers: [{ name: 'job', image: 'trace' }] },
        }
      : (r.obj(o.template, [...wp, 'template']) ?? {});
  if (template.kind !== undefined) r.oneOf(template.kind, [...wp, 'template', 'kind'], ['Pod']);
  const tplMeta = r.isObj(template.metadata) ? template.metadata : undefined;
  const namespace =
    o.namespace !== undefined
      ? r.name(o.namespace, [...wp, 'namespace'])
      : tplMeta?.namespace !== undefined
        ? r.name(tplMeta.namespace, [...wp, 'template', 'metadata', 'namespace'])
        : 'default';
  const pod = compileTemplate(r, template, [...wp, 'template'], ctx);
  if (!trace || !pod || !namespace || !name) return undefined;
  return {
    name,
    namespace,
    templateKind: 'Pod',
    template,
    pod,
    trace,
    origin: { src: r.src, path: wp },
  };
}
