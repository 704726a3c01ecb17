/**
 * The HorizontalPodAutoscaler controller (autoscaling/v2, Resource metrics on cpu/memory).
 * Each HPA is synced every 15 s (--horizontal-pod-autoscaler-sync-period; upstream's queue
 * re-adds every HPA after that interval, the first sync one interval after creation). A
 * pod's metric is its request × `ksim.dev/usage` × the template's `ksim.dev/load` profile
 * at that instant, where demand is shared: `ksim.dev/usage` is the per-pod use at the
 * replica count the target had when the HPA started (its manifest's), so the workload's total
 * demand, usage × request × that count × load(t), is spread evenly over its Running pods —
 * scaling out lowers each pod's utilisation, as it does for a load-balanced service.
 * The recommendation is computed and normalised as upstream
 * (hpa-calculator.ts) and written to the target's spec.replicas (its scale subresource).
 *
 * Without `spec.behavior` the legacy path applies (300 s downscale stabilisation, scale-up
 * limited to max(2 × current, 4)); with `behavior`, unset fields take the autoscaling/v2
 * defaults (scaleUp: 0 s window, max of 4 pods or 100 % per 15 s; scaleDown: 300 s window,
 * 100 % per 15 s).
 */
import type { ComponentFactory, SimContext } from '../components/context.js';
import { apiTime } from '../model/objects.js';
import type { StoredObject } from '../model/store.js';
import type { Path } from '../scenario/errors.js';
import { Reader, type Obj } from '../scenario/fields.js';
import { Issues } from '../scenario/source.js';
import { POD_TEMPLATE_PATHS } from '../scenario/loader.js';
import { readMeta } from './apps-objects.js';
import {
  DEFAULT_TOLERANCE,
  HpaHistory,
  defaultScaleDownRules,
  defaultScaleUpRules,
  normalizeDesired,
  resourceReplicas,
  type Behavior,
  type PodSample,
  type ScalingRules,
  type Target,
} from './hpa-calculator.js';
import { ANNOTATION_LOAD, LoadProfiles, checkLoadAnnotation } from './load-annotation.js';

export const HPA_SYNC_PERIOD_MS = 15_000;

export interface ResourceMetricSpec {
  resource: 'cpu' | 'memory';
  target: Target;
}

export interface HpaObject extends StoredObject {
  kind: 'HorizontalPodAutoscaler';
  metadata: { name: string; namespace: string; uid: string };
  spec: {
    scaleTargetRef: { kind: string; name: string };
    minReplicas: number;
    maxReplicas: number;
    metrics: ResourceMetricSpec[];
    behavior?: Behavior;
  };
  status: {
    currentReplicas: number;
    desiredReplicas: number;
    lastScaleTime?: number;
    /** Current value per metric (utilisation % or average value), in spec order. */
    currentMetrics: Array<number | null>;
  };
}

/** What the HPA scales: any stored object with spec.replicas (Deployment, ReplicaSet, …). */
interface Scalable extends StoredObject {
  metadata: { name: string; namespace?: string; generation?: number };
  spec: { replicas: number };
}

// ---- manifest reader ----------------------------------------------------------------------

function readRules(
  r: Reader,
  v: unknown,
  path: Path,
  dflt: ScalingRules,
): ScalingRules | undefined {
  if (v === undefined || v === null) return dflt;
  const o = r.obj(v, path, ['stabilizationWindowSeconds', 'selectPolicy', 'policies', 'tolerance']);
  if (!o) return undefined;
  const out: ScalingRules = { ...dflt };
  if (o.stabilizationWindowSeconds !== undefined) {
    const w = r.int(o.stabilizationWindowSeconds, [...path, 'stabilizationWindowSeconds'], 0, 3600);
    if (w !== undefined) out.stabilizationWindowSeconds = w;
  }
  if (o.selectPolicy !== undefined) {
    const s = r.oneOf(o.selectPolicy, [...path, 'selectPolicy'], [
      'Max',
      'Min',
      'Disabled',
    ] as const);
    if (s) out.selectPolicy = s;
  }
  if (o.policies !== undefined) {
    const list = r.list(o.policies, [...path, 'policies']) ?? [];
    out.policies = [];
    list.forEach((p, i) => {
      const pp = [...path, 'policies', i];
      const po = r.obj(p, pp, ['type', 'value', 'periodSeconds']);
      if (!po) return;
      const type = r.oneOf(po.type, [...pp, 'type'], ['Pods', 'Percent'] as const);
      const value = r.int(po.value, [...pp, 'value'], 1);
      const periodSeconds = r.int(po.periodSeconds, [...pp, 'periodSeconds'], 1, 1800);
      if (type && value !== undefined && periodSeconds !== undefined)
        out.policies.push({ type, value, periodSeconds });
    });
  }
  if (o.tolerance !== undefined) {
    const t = r.quantity(o.tolerance, [...path, 'tolerance'], 'tolerance');
    if (t !== undefined) out.tolerance = t;
  }
  return out;
}

function readMetrics(
  r: Reader,
  spec: Obj,
  path: Path,
  v1: boolean,
): ResourceMetricSpec[] | undefined {
  if (v1) {
    const pct =
      spec.targetCPUUtilizationPercentage === undefined
        ? 80
        : r.int(
            spec.targetCPUUtilizationPercentage,
            [...path, 'targetCPUUtilizationPercentage'],
            1,
          );
    return pct === undefined
      ? undefined
      : [{ resource: 'cpu', target: { type: 'Utilization', averageUtilization: pct } }];
  }
  if (spec.metrics === undefined)
    return [{ resource: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } }];
  const list = r.list(spec.metrics, [...path, 'metrics']);
  if (!list) return undefined;
  const out: ResourceMetricSpec[] = [];
  list.forEach((m, i) => {
    const mp = [...path, 'metrics', i];
    const mo = r.obj(m, mp);
    if (!mo) return;
    if (mo.type !== 'Resource') {
      r.issues.at(
        r.src,
        [...mp, 'type'],
        `metric type ${JSON.stringify(mo.type)} is not simulated; ksim simulates Resource metrics (cpu, memory)`,
      );
      return;
    }
    const res = r.obj(mo.resource, [...mp, 'resource'], ['name', 'target']);
    if (!res) return;
    const name = r.oneOf(res.name, [...mp, 'resource', 'name'], ['cpu', 'memory'] as const);
    const tp = [...mp, 'resource', 'target'];
    const t = r.obj(res.target, tp, ['type', 'averageUtilization', 'averageValue', 'value']);
    if (!t || !name) return;
    const type = r.oneOf(t.type, [...tp, 'type'], ['Utilization', 'AverageValue'] as const);
    if (type === 'Utilization') {
      const u = r.int(t.averageUtilization, [...tp, 'averageUtilization'], 1);
      if (u !== undefined) out.push({ resource: name, target: { type, averageUtilization: u } });
    } else if (type === 'AverageValue') {
      const q = r.quantity(t.averageValue, [...tp, 'averageValue'], name);
      if (q !== undefined) out.push({ resource: name, target: { type, averageValue: q } });
    }
  });
  return out;
}

export function readHpa(
  r: Reader,
  manifest: Obj,
  path: Path,
): Omit<HpaObject, 'status'> | undefined {
  const before = r.issues.count;
  const meta = readMeta(r, manifest, path);
  const sp = [...path, 'spec'];
  const spec = r.obj(manifest.spec, sp);
  if (!spec || !meta) return undefined;
  const ref = r.obj(spec.scaleTargetRef, [...sp, 'scaleTargetRef'], ['apiVersion', 'kind', 'name']);
  const kind =
    ref && r.string(ref.kind, [...sp, 'scaleTargetRef', 'kind'], 'a kind (e.g. Deployment)');
  const name = ref && r.name(ref.name, [...sp, 'scaleTargetRef', 'name']);
  const minReplicas =
    spec.minReplicas === undefined ? 1 : r.int(spec.minReplicas, [...sp, 'minReplicas'], 0);
  const maxReplicas = r.int(spec.maxReplicas, [...sp, 'maxReplicas'], 1);
  if (minReplicas !== undefined && maxReplicas !== undefined && minReplicas > maxReplicas)
    r.issues.at(
      r.src,
      [...sp, 'minReplicas'],
      `must be less than or equal to maxReplicas (${maxReplicas})`,
    );
  const v1 = String(manifest.apiVersion ?? '') === 'autoscaling/v1';
  const metrics = readMetrics(r, spec, sp, v1);
  let behavior: Behavior | undefined;
  if (!v1 && spec.behavior !== undefined && spec.behavior !== null) {
    const bp = [...sp, 'behavior'];
    const b = r.obj(spec.behavior, bp, ['scaleUp', 'scaleDown']);
    const scaleUp = b && readRules(r, b.scaleUp, [...bp, 'scaleUp'], defaultScaleUpRules());
    const scaleDown = b && readRules(r, b.scaleDown, [...bp, 'scaleDown'], defaultScaleDownRules());
    if (scaleUp && scaleDown) behavior = { scaleUp, scaleDown };
  }
  if (r.issues.count !== before || !kind || !name || !metrics) return undefined;
  return {
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: meta.name, namespace: meta.namespace, uid: '' },
    spec: {
      scaleTargetRef: { kind, name },
      minReplicas: minReplicas!,
      maxReplicas: maxReplicas!,
      metrics,
      behavior,
    },
  };
}

// ---- the controller ------------------------------------------------------------------------

export class HorizontalController {
  private readonly history = new Map<HpaObject, HpaHistory>();
  private readonly load = new LoadProfiles();
  /** Replica count whose pods each use `ksim.dev/usage` (the target's at HPA start). */
  private readonly baseline = new Map<HpaObject, number>();

  constructor(private readonly ctx: SimContext) {}

  /** Starts the periodic sync of one HPA (created at `createdAt`). */
  start(hpa: HpaObject, createdAt: number): void {
    this.history.set(hpa, new HpaHistory());
    const target = this.targetOf(hpa);
    if (target) this.baseline.set(hpa, target.spec.replicas);
    const tick = (): void => {
      if (
        this.ctx.store.getObject(
          'HorizontalPodAutoscaler',
          `${hpa.metadata.namespace}/${hpa.metadata.name}`,
        ) !== hpa
      )
        return;
      if (this.ctx.leaders.controllerManager.active) this.reconcile(hpa);
      const next = this.ctx.engine.now + HPA_SYNC_PERIOD_MS;
      if (next <= this.ctx.scenario.durationMs) this.ctx.engine.scheduleAt(next, tick);
    };
    const first = createdAt + HPA_SYNC_PERIOD_MS;
    if (first <= this.ctx.scenario.durationMs) this.ctx.engine.scheduleAt(first, tick);
  }

  private event(hpa: HpaObject, reason: string, message: string): void {
    this.ctx.events.record(
      'HorizontalPodAutoscaler',
      `${hpa.metadata.namespace}/${hpa.metadata.name}`,
      reason,
      message,
    );
  }

  private targetOf(hpa: HpaObject): Scalable | undefined {
    const ref = hpa.spec.scaleTargetRef;
    const t = this.ctx.store.getObject<Scalable>(ref.kind, `${hpa.metadata.namespace}/${ref.name}`);
    return t && typeof t.spec?.replicas === 'number' ? t : undefined;
  }

  /** Pod samples of the target's pods for one resource at `now` (demand shared, see above). */
  samples(hpa: HpaObject, target: Scalable, resource: 'cpu' | 'memory', now: number): PodSample[] {
    const owner = `${target.kind}/${target.metadata.namespace ?? 'default'}/${target.metadata.name}`;
    const pods = [...this.ctx.store.podsOfOwner(owner)].filter(
      (p) => p.status.phase !== 'Succeeded',
    );
    const serving = pods.filter(
      (p) => p.status.phase === 'Running' && p.metadata.deletionTimestamp === undefined,
    ).length;
    const share = serving > 0 ? (this.baseline.get(hpa) ?? serving) / serving : 0;
    return pods.map((p) => {
      const request = resource === 'cpu' ? p.requests.milliCPU : p.requests.memory;
      const use =
        request * p.behaviour.usage * this.load.factor(p.metadata.annotations, now) * share;
      return {
        phase: p.status.phase,
        ready: p.status.ready,
        deleting: p.metadata.deletionTimestamp !== undefined,
        startTime: p.times.started === undefined ? undefined : apiTime(p.times.started),
        readyTransitionTime: p.status.readyTransitionTime,
        request,
        usage: p.status.phase === 'Running' ? Math.round(use) : undefined,
      };
    });
  }

  reconcile(hpa: HpaObject): void {
    const now = this.ctx.engine.now;
    const ref = hpa.spec.scaleTargetRef;
    const target = this.targetOf(hpa);
    if (!target) {
      this.event(hpa, 'FailedGetScale', `${ref.kind.toLowerCase()}s "${ref.name}" not found`);
      return;
    }
    if (!this.baseline.has(hpa)) this.baseline.set(hpa, target.spec.replicas);
    const h = this.history.get(hpa)!;
    const current = target.spec.replicas;
    h.recordInitial(current, now);
    const { minReplicas, maxReplicas } = hpa.spec;
    let desired = 0;
    let reason = '';
    let rescale = true;
    const currentMetrics: Array<number | null> = hpa.spec.metrics.map(() => null);
    if (current === 0 && minReplicas !== 0) {
      rescale = false; // scaling is disabled since the replica count of the target is zero
    } else if (current > maxReplicas) {
      desired = maxReplicas;
      reason = 'Current number of replicas above Spec.MaxReplicas';
    } else if (current < minReplicas) {
      desired = minReplicas;
      reason = 'Current number of replicas below Spec.MinReplicas';
    } else {
      let best: { replicas: number; name: string } | undefined;
      const errors: string[] = [];
      hpa.spec.metrics.forEach((m, i) => {
        const tol = hpa.spec.behavior;
        const p = resourceReplicas(
          current,
          m.target,
          this.samples(hpa, target, m.resource, now),
          m.resource === 'cpu',
          now,
          {
            scaleUp: tol?.scaleUp.tolerance ?? DEFAULT_TOLERANCE,
            scaleDown: tol?.scaleDown.tolerance ?? DEFAULT_TOLERANCE,
          },
        );
        if ('error' in p) {
          errors.push(`unable to get metrics for resource ${m.resource}: ${p.error}`);
          return;
        }
        currentMetrics[i] = p.current;
        const name =
          m.target.type === 'Utilization'
            ? `${m.resource} resource utilization (percentage of request)`
            : `${m.resource} resource`;
        if (!best || p.replicas > best.replicas) best = { replicas: p.replicas, name };
      });
      // No valid metric, or an invalid one while the valid ones say scale down: do nothing.
      if (!best || (errors.length > 0 && best.replicas < current)) {
        this.event(
          hpa,
          'FailedComputeMetricsReplicas',
          `invalid metrics (${errors.length} invalid out of ${hpa.spec.metrics.length}), first error is: ${errors[0]}`,
        );
        this.setStatus(hpa, current, current, currentMetrics, false);
        return;
      }
      desired = best.replicas;
      if (desired > current) reason = `${best.name} above target`;
      if (desired < current) reason = 'All metrics below target';
      desired = normalizeDesired(
        h,
        hpa.spec.behavior,
        current,
        desired,
        minReplicas,
        maxReplicas,
        now,
      );
      rescale = desired !== current;
    }
    if (rescale) {
      if (!this.ctx.api.tryWrite('object', 'controller/HorizontalPodAutoscaler')) {
        this.event(
          hpa,
          'FailedRescale',
          `New size: ${desired}; reason: ${reason}; error: the server is currently unable to handle the request`,
        );
        this.setStatus(hpa, current, current, currentMetrics, false);
        return;
      }
      target.spec.replicas = desired;
      if (typeof target.metadata.generation === 'number') target.metadata.generation++;
      this.ctx.store.putObject(target, 'spec');
      this.event(hpa, 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`);
      if (hpa.spec.behavior) h.storeScaleEvent(hpa.spec.behavior, current, desired, now);
    } else {
      desired = current;
    }
    this.setStatus(hpa, current, desired, currentMetrics, rescale);
  }

  private setStatus(
    hpa: HpaObject,
    current: number,
    desired: number,
    metrics: Array<number | null>,
    rescaled: boolean,
  ): void {
    if (!this.ctx.api.tryWrite('object', 'controller/HorizontalPodAutoscaler')) return;
    hpa.status = {
      currentReplicas: current,
      desiredReplicas: desired,
      lastScaleTime: rescaled ? this.ctx.engine.now : hpa.status.lastScaleTime,
      currentMetrics: metrics,
    };
    this.ctx.store.putObject(hpa, 'status');
  }
}

/** Checks every `ksim.dev/load` annotation on workload templates (file:line:column). */
function checkLoadAnnotations(ctx: SimContext, issues: Issues): void {
  for (const obj of ctx.scenario.objects) {
    const tp = POD_TEMPLATE_PATHS[obj.kind];
    const v = obj.podTemplate?.annotations[ANNOTATION_LOAD];
    if (!tp || v === undefined) continue;
    checkLoadAnnotation(new Reader(issues, obj.origin.src), v, [
      ...obj.origin.path,
      ...tp,
      'metadata',
      'annotations',
      ANNOTATION_LOAD,
    ]);
  }
}

export const startHorizontalPodAutoscalers: ComponentFactory = (ctx) => {
  const issues = ctx.startupIssues;
  checkLoadAnnotations(ctx, issues);
  const hpas: HpaObject[] = [];
  for (const obj of ctx.scenario.objects) {
    if (obj.kind !== 'HorizontalPodAutoscaler') continue;
    const f = readHpa(new Reader(issues, obj.origin.src), obj.manifest, obj.origin.path);
    if (!f) continue;
    hpas.push({
      ...f,
      metadata: { ...f.metadata, uid: ctx.store.nextUid('hpa') },
      status: { currentReplicas: 0, desiredReplicas: 0, currentMetrics: [] },
    });
  }

  if (hpas.length === 0) return;
  const controller = new HorizontalController(ctx);
  for (const hpa of hpas) {
    ctx.store.putObject(hpa);
    controller.start(hpa, 0);
  }
};
