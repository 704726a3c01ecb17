/**
 * Timeline actions on workloads, done as a client (kubectl) does them: `rollout` edits the pod
 * template of a Deployment, StatefulSet or DaemonSet (`kubectl set image` / `kubectl patch`),
 * `rollback` copies an old ReplicaSet's template back (`kubectl rollout undo
 * [--to-revision]`), `pause` / `resume` edit a Deployment's spec, and `scale` the replicas of a
 * Deployment, ReplicaSet or StatefulSet. The controllers do the rest. A write the apiserver
 * refuses is retried every second, as the workload clients in simulation.ts do.
 */
import type { ActionExecutor, SimContext } from '../components/context.js';
import { Issues } from '../scenario/source.js';
import { Reader, type Obj } from '../scenario/fields.js';
import { compileTemplate } from '../scenario/pod-spec.js';
import type { TimelineEntry } from '../scenario/types.js';
import type { WorkloadTarget } from '../scenario/actions/deployment-actions.js';
import {
  LABEL_POD_TEMPLATE_HASH,
  cloneData,
  deploymentOwnerKey,
  type DeploymentObject,
  type ReplicaSetObject,
} from './apps-objects.js';
import { revisionOf, templateIgnoringHash } from './deployment-util.js';
import type { StoredWorkload } from './stored-workload.js';
import type { CompiledPodTemplate } from '../model/pod-template.js';
import type { StoredObject } from '../model/store.js';

const CLIENT_RETRY_MS = 1000;
const CLIENT_MAX_ATTEMPTS = 3600;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A strategic-merge-like patch of a pod template: maps merge recursively, `containers` and
 * `initContainers` merge by name (unknown names are appended), other lists are replaced.
 */
export function mergeTemplate(base: Obj, patch: Obj): Obj {
  const out = cloneData(base);
  mergeInto(out, patch);
  return out;
}

function mergeInto(target: Obj, patch: Obj): void {
  for (const [k, v] of Object.entries(patch)) {
    const cur = target[k];
    if ((k === 'containers' || k === 'initContainers') && Array.isArray(v) && Array.isArray(cur)) {
      const list = cur as Obj[];
      for (const c of v as Obj[]) {
        const same = list.find((x) => x.name === c.name);
        if (same) mergeInto(same, c);
        else list.push(cloneData(c));
      }
    } else if (isObj(v) && isObj(cur)) {
      mergeInto(cur, v);
    } else {
      target[k] = cloneData(v);
    }
  }
}

function targetKey(t: WorkloadTarget): string {
  return `${t.namespace}/${t.name}`;
}

/** Runs `apply` once the apiserver accepts the client's write. */
function asClient(ctx: SimContext, apply: () => void, attempt = 0): void {
  if (ctx.api.tryWrite('object', 'client')) {
    apply();
    return;
  }
  if (attempt < CLIENT_MAX_ATTEMPTS)
    ctx.engine.schedule(CLIENT_RETRY_MS, () => asClient(ctx, apply, attempt + 1));
}

function getDeployment(ctx: SimContext, entry: TimelineEntry): DeploymentObject | undefined {
  const t = entry.parsed.target as WorkloadTarget;
  return ctx.store.getObject<DeploymentObject>('Deployment', targetKey(t));
}

/** A spec written back: its generation counts the change (workloads that keep one). */
function specChanged(
  ctx: SimContext,
  obj: StoredObject & { metadata: { generation?: number } },
): void {
  if (typeof obj.metadata.generation === 'number') obj.metadata.generation++;
  ctx.store.putObject(obj, 'spec');
}

/**
 * The pod template after the action's `template` patch and `image` (the first container's, or
 * `container`'s), compiled as the scenario loader compiles templates.
 */
function patchedTemplate(
  entry: TimelineEntry,
  ctx: SimContext,
  base: Obj,
): { template: Obj; compiled: CompiledPodTemplate } {
  const p = entry.parsed as { image?: string; container?: string; template?: Obj };
  const t = entry.parsed.target as WorkloadTarget;
  const template = p.template ? mergeTemplate(base, p.template) : cloneData(base);
  if (p.image !== undefined) {
    const containers = ((template.spec as Obj | undefined)?.containers ?? []) as Obj[];
    const c =
      p.container === undefined ? containers[0] : containers.find((x) => x.name === p.container);
    if (!c) {
      const issues = new Issues();
      issues.at(
        entry.origin.src,
        [...entry.origin.path, 'container'],
        `no container named "${p.container}" in ${t.kind} ${targetKey(t)}`,
      );
      issues.throwIfAny();
    }
    c!.image = p.image;
  }
  const issues = new Issues();
  const compiled = compileTemplate(
    new Reader(issues, entry.origin.src),
    template,
    [...entry.origin.path, 'template'],
    ctx.scenario.podCompile,
  );
  issues.throwIfAny();
  return { template, compiled: compiled! };
}

const rollout: ActionExecutor = (entry, ctx) => {
  const t = entry.parsed.target as WorkloadTarget;
  if (t.kind === 'Deployment') {
    const d = getDeployment(ctx, entry);
    if (!d) return;
    const { template, compiled } = patchedTemplate(entry, ctx, d.spec.template);
    asClient(ctx, () => {
      d.spec.template = template;
      d.compiled = compiled;
      specChanged(ctx, d);
    });
    return;
  }
  // StatefulSet, DaemonSet: the stored manifest spec and its compiled template.
  const w = ctx.store.getObject<StoredWorkload<{ template?: Obj }>>(t.kind, targetKey(t));
  if (!w) return;
  const { template, compiled } = patchedTemplate(entry, ctx, w.spec.template ?? {});
  asClient(ctx, () => {
    w.spec.template = template;
    w.podTemplate = compiled;
    ctx.store.putObject(w, 'spec');
  });
};

const rollback: ActionExecutor = (entry, ctx) => {
  const d = getDeployment(ctx, entry);
  if (!d) return;
  const key = targetKey(entry.parsed.target as WorkloadTarget);
  const record = (reason: string, message: string): void =>
    ctx.events.record('Deployment', key, reason, message);
  if (d.spec.paused) {
    record('DeploymentRollbackPaused', 'Cannot roll back a paused deployment; resume it first');
    return;
  }
  const history = ctx.store
    .listObjects<ReplicaSetObject>('ReplicaSet')
    .filter((rs) => deploymentOwnerKey(rs) === key && revisionOf(rs) > 0)
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  const toRevision = entry.parsed.toRevision as number | undefined;
  // kubectl rollout undo: without --to-revision, the revision before the latest.
  const rs =
    toRevision === undefined
      ? history[history.length - 2]
      : history.find((x) => revisionOf(x) === toRevision);
  if (!rs) {
    record('DeploymentRollbackRevisionNotFound', 'Unable to find the revision to rollback to.');
    return;
  }
  if (templateIgnoringHash(rs.spec.template) === templateIgnoringHash(d.spec.template)) {
    record(
      'DeploymentRollbackTemplateUnchanged',
      'The rollback revision contains the same template as current deployment',
    );
    return;
  }
  const template = cloneData(rs.spec.template);
  const labels = {
    ...(((template.metadata as Obj | undefined)?.labels ?? {}) as Record<string, string>),
  };
  delete labels[LABEL_POD_TEMPLATE_HASH];
  (template.metadata as Obj).labels = labels;
  const compiledLabels = { ...rs.compiled.labels };
  delete compiledLabels[LABEL_POD_TEMPLATE_HASH];
  asClient(ctx, () => {
    d.spec.template = template;
    d.compiled = { ...rs.compiled, labels: compiledLabels };
    specChanged(ctx, d);
    record(
      'DeploymentRollback',
      `Rolled back deployment "${d.metadata.name}" to revision ${revisionOf(rs)}`,
    );
  });
};

const setPaused =
  (paused: boolean): ActionExecutor =>
  (entry, ctx) => {
    const d = getDeployment(ctx, entry);
    if (!d || d.spec.paused === paused) return;
    asClient(ctx, () => {
      d.spec.paused = paused;
      specChanged(ctx, d);
    });
  };

const scale: ActionExecutor = (entry, ctx) => {
  const t = entry.parsed.target as WorkloadTarget;
  const obj = ctx.store.getObject<{
    kind: string;
    metadata: { name: string; namespace?: string; generation?: number };
    spec: { replicas?: number };
  }>(t.kind, targetKey(t));
  if (!obj) {
    ctx.events.record(t.kind, targetKey(t), 'FailedScale', `${t.kind} ${targetKey(t)} not found`);
    return;
  }
  const replicas = entry.parsed.replicas as number;
  asClient(ctx, () => {
    if (obj.spec.replicas === replicas) return;
    obj.spec.replicas = replicas;
    specChanged(ctx, obj);
  });
};

export const DEPLOYMENT_ACTIONS: ReadonlyArray<[string, ActionExecutor]> = [
  ['rollout', rollout],
  ['rollback', rollback],
  ['pause', setPaused(true)],
  ['resume', setPaused(false)],
  ['scale', scale],
];

/**
 * Registers the executors and checks, before time starts, that every action names a
 * Deployment, StatefulSet or DaemonSet of the scenario (ReplicaSets made by Deployments have
 * generated names, so a `replicaset` target is checked when the action runs).
 */
export function registerDeploymentActions(ctx: SimContext, deployments: ReadonlySet<string>): void {
  for (const [name, exec] of DEPLOYMENT_ACTIONS) ctx.actions.set(name, exec);
  const declared = new Set<string>();
  for (const o of ctx.scenario.objects) {
    if (o.kind !== 'StatefulSet' && o.kind !== 'DaemonSet') continue;
    const m = (o.manifest.metadata ?? {}) as { name?: string; namespace?: string };
    declared.add(`${o.kind}/${m.namespace ?? 'default'}/${m.name ?? ''}`);
  }
  const issues = ctx.startupIssues;
  const names = new Set(DEPLOYMENT_ACTIONS.map(([n]) => n));
  for (const entry of ctx.scenario.timeline) {
    if (!names.has(entry.action)) continue;
    const t = entry.parsed.target as WorkloadTarget | undefined;
    if (!t || t.kind === 'ReplicaSet') continue;
    const known =
      t.kind === 'Deployment'
        ? deployments.has(targetKey(t))
        : declared.has(`${t.kind}/${targetKey(t)}`);
    if (!known)
      issues.at(
        entry.origin.src,
        [...entry.origin.path, 'target'],
        `no ${t.kind} ${targetKey(t)} in the scenario`,
      );
  }
}
