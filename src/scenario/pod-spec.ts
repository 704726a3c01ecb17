/**
 * Validation of the parts of Pod specs and templates the simulator acts on (resources,
 * priority, ksim.dev/* annotations), and compilation into pod templates. Fields the
 * simulator does not use are accepted as kubectl prints them, unchecked.
 */
import { parse as parseYaml } from 'yaml';
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import { constant, type Distribution } from '../engine/distributions.js';
import {
  compilePodTemplate,
  isSupportedPodLevelResource,
  SYSTEM_PRIORITY_CLASSES,
  type BehaviourSpec,
  type CompiledPodTemplate,
  type DefaultTolerations,
} from '../model/pod-template.js';
import { checkRequestsWithinLimits, checkTolerations } from './api-validation.js';
import type { Path } from './errors.js';
import type { Obj, Reader } from './fields.js';

export const ANNOTATION_DURATION = 'ksim.dev/duration';
export const ANNOTATION_STARTUP = 'ksim.dev/startup';
export const ANNOTATION_USAGE = 'ksim.dev/usage';
export const ANNOTATION_CRASH = 'ksim.dev/crash';
export const DEFAULT_STARTUP_MS = 2000;

export interface PodCompileContext {
  priorityClasses: ReadonlyMap<string, number>;
  globalDefaultPriority: number;
  defaultTolerations: DefaultTolerations;
  /**
   * Some scenario document could not be read: a priorityClassName not found may name a class in
   * it, so it is not an error (the load fails anyway).
   */
  partial?: boolean;
}

/** Checks every container's resources parse; records issues at their paths. */
export function checkPodSpec(r: Reader, spec: Obj, path: Path): boolean {
  const before = r.issues.count;
  const lists: Array<['containers' | 'initContainers', boolean]> = [
    ['containers', true],
    ['initContainers', false],
  ];
  for (const [field, required] of lists) {
    const v = spec[field];
    if (v === undefined && !required) continue;
    const containers = r.list(v, [...path, field]);
    if (!containers) continue;
    if (required && containers.length === 0) {
      r.issues.at(r.src, [...path, field], 'expected at least one container, found an empty list');
    }
    containers.forEach((c, i) => {
      const cp = [...path, field, i];
      const container = r.obj(c, cp);
      if (!container) return;
      const res = container.resources;
      if (res === undefined || res === null) return;
      const resources = r.obj(res, [...cp, 'resources']);
      if (!resources) return;
      for (const kind of ['requests', 'limits']) {
        const list = resources[kind];
        if (list === undefined || list === null) continue;
        const m = r.obj(list, [...cp, 'resources', kind]);
        if (!m) continue;
        for (const [name, q] of Object.entries(m))
          r.quantity(q, [...cp, 'resources', kind, name], name);
      }
      checkRequestsWithinLimits(r, resources, [...cp, 'resources']);
    });
  }
  // Pod-level resources (PodLevelResources, beta and on by default since v1.34).
  if (spec.resources !== undefined && spec.resources !== null) {
    const resources = r.obj(spec.resources, [...path, 'resources']);
    for (const kind of ['requests', 'limits']) {
      const list = resources?.[kind];
      if (list === undefined || list === null) continue;
      const m = r.obj(list, [...path, 'resources', kind]);
      for (const [name, q] of Object.entries(m ?? {})) {
        const at = [...path, 'resources', kind, name];
        if (!isSupportedPodLevelResource(name)) {
          r.issues.at(
            r.src,
            at,
            `unsupported pod-level resource; expected cpu, memory or hugepages-<size>`,
          );
        } else r.quantity(q, at, name);
      }
    }
  }
  if (spec.overhead !== undefined) {
    const m = r.obj(spec.overhead, [...path, 'overhead']);
    if (m)
      for (const [name, q] of Object.entries(m)) r.quantity(q, [...path, 'overhead', name], name);
  }
  if (Array.isArray(spec.resourceClaims) && spec.resourceClaims.length > 0) {
    r.issues.at(
      r.src,
      [...path, 'resourceClaims'],
      'resource claims (dynamic resource allocation) are not simulated; DynamicResources only serves pods without them',
    );
  }
  if (spec.priority !== undefined)
    r.int(spec.priority, [...path, 'priority'], -2147483648, 2147483647);
  if (spec.nodeSelector !== undefined) r.obj(spec.nodeSelector, [...path, 'nodeSelector']);
  if (spec.tolerations !== undefined)
    checkTolerations(r, spec.tolerations, [...path, 'tolerations']);
  return r.issues.count === before;
}

/** Reads the ksim.dev/* annotations into the behaviour the kubelet model plays out. */
export function readBehaviour(r: Reader, annotations: Obj | undefined, path: Path): BehaviourSpec {
  const a = annotations ?? {};
  const ap = (k: string): Path => [...path, k];
  const startup =
    a[ANNOTATION_STARTUP] !== undefined
      ? annotationDistribution(r, a[ANNOTATION_STARTUP], ap(ANNOTATION_STARTUP))
      : constant(DEFAULT_STARTUP_MS);
  const duration =
    a[ANNOTATION_DURATION] !== undefined
      ? annotationDistribution(r, a[ANNOTATION_DURATION], ap(ANNOTATION_DURATION))
      : undefined;
  const usage =
    a[ANNOTATION_USAGE] !== undefined
      ? annotationNumber(
          r,
          a[ANNOTATION_USAGE],
          ap(ANNOTATION_USAGE),
          0,
          1000,
          'a non-negative number (fraction of requests, e.g. 0.6)',
        )
      : 1;
  const crash =
    a[ANNOTATION_CRASH] !== undefined
      ? annotationNumber(
          r,
          a[ANNOTATION_CRASH],
          ap(ANNOTATION_CRASH),
          0,
          1,
          'a probability from 0 to 1',
        )
      : 0;
  return {
    startup: startup ?? constant(DEFAULT_STARTUP_MS),
    duration,
    usage: usage ?? 1,
    crash: crash ?? 0,
  };
}

/** Annotation values are strings: a duration (`30s`) or a distribution in flow YAML. */
function annotationDistribution(r: Reader, v: unknown, path: Path): Distribution | undefined {
  let spec: unknown = v;
  if (typeof v === 'string' && v.trim().startsWith('{')) {
    try {
      spec = parseYaml(v);
    } catch {
      r.issues.expected(
        r.src,
        path,
        'a duration or a distribution in flow YAML (e.g. {exponential: {mean: 5m}})',
        v,
      );
      return undefined;
    }
  }
  return r.durationDistribution(spec, path);
}

function annotationNumber(
  r: Reader,
  v: unknown,
  path: Path,
  min: number,
  max: number,
  expected: string,
): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : typeof v === 'number' ? v : NaN;
  if (!Number.isFinite(n) || n < min || n > max) {
    r.issues.expected(r.src, path, expected, v);
    return undefined;
  }
  return n;
}

/**
 * Validates a pod template ({metadata, spec}) and compiles it. Returns undefined if any
 * issue was recorded.
 */
export function compileTemplate(
  r: Reader,
  template: Obj,
  path: Path,
  ctx: PodCompileContext,
): CompiledPodTemplate | undefined {
  const before = r.issues.count;
  const metadata =
    template.metadata === undefined ? {} : r.obj(template.metadata, [...path, 'metadata']);
  const labels =
    metadata?.labels === undefined
      ? undefined
      : r.obj(metadata.labels, [...path, 'metadata', 'labels']);
  const annotations =
    metadata?.annotations === undefined
      ? undefined
      : r.obj(metadata.annotations, [...path, 'metadata', 'annotations']);
  const spec = r.obj(template.spec, [...path, 'spec']);
  if (spec) {
    checkPodSpec(r, spec, [...path, 'spec']);
    checkPriorityClassName(r, spec, [...path, 'spec'], ctx);
  }
  const behaviour = readBehaviour(r, annotations, [...path, 'metadata', 'annotations']);
  if (r.issues.count !== before || !spec) return undefined;
  return compilePodTemplate(
    { labels: stringMap(labels), annotations: stringMap(annotations) },
    spec as unknown as PodSpec,
    { ...ctx, behaviour },
  );
}

/**
 * The Priority admission plugin refuses a pod naming a PriorityClass that does not exist
 * (upstream: `no PriorityClass with name nope was found`), rather than giving it priority 0.
 */
function checkPriorityClassName(r: Reader, spec: Obj, path: Path, ctx: PodCompileContext): void {
  const name = spec.priorityClassName;
  if (name === undefined || name === null || name === '') return;
  const p = [...path, 'priorityClassName'];
  if (typeof name !== 'string') {
    r.issues.expected(r.src, p, 'a PriorityClass name', name);
    return;
  }
  if (ctx.partial || ctx.priorityClasses.has(name) || name in SYSTEM_PRIORITY_CLASSES) return;
  r.issues.at(r.src, p, `no PriorityClass with name ${name} was found`);
}

function stringMap(m: Obj | undefined): Record<string, string> | undefined {
  if (!m) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) out[k] = String(v);
  return out;
}
