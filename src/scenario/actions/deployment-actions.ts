/**
 * Validators of the workload timeline actions: rollout, rollback, pause, resume, scale.
 * Executors: src/controllers/deployment-actions.ts.
 *
 *   - {at: 1h, action: rollout, target: {deployment: default/web}, image: web:v2}
 *   - {at: 1h, action: rollout, target: {deployment: web}, template: {spec: {containers: [{name: web, resources: {requests: {cpu: 500m}}}]}}}
 *   - {at: 1h, action: rollout, target: {statefulset: default/db}, image: db:v2}
 *   - {at: 1h, action: rollout, target: {daemonset: kube-system/agent}, image: agent:v2}
 *   - {at: 2h, action: rollback, target: {deployment: default/web}, toRevision: 1}
 *   - {at: 3h, action: pause, target: {deployment: default/web}}
 *   - {at: 4h, action: scale, target: {replicaset: default/web-abc}, replicas: 5}
 *   - {at: 4h, action: scale, target: {statefulset: default/db}, replicas: 5}
 */
import type { Path } from '../errors.js';
import type { Obj, Reader } from '../fields.js';
import { checkPodSpec, readBehaviour } from '../pod-spec.js';
import type { ActionParser } from './index.js';

export type TargetKey = 'deployment' | 'replicaset' | 'statefulset' | 'daemonset';

const TARGET_KINDS = {
  deployment: 'Deployment',
  replicaset: 'ReplicaSet',
  statefulset: 'StatefulSet',
  daemonset: 'DaemonSet',
} as const;

export interface WorkloadTarget {
  kind: (typeof TARGET_KINDS)[TargetKey];
  namespace: string;
  name: string;
}

const BASE = ['at', 'action', 'target'];

/** `{deployment: ns/name}` (namespace `default` when omitted). */
export function readTarget(
  r: Reader,
  raw: Obj,
  path: Path,
  kinds: readonly TargetKey[],
): WorkloadTarget | undefined {
  const tp = [...path, 'target'];
  const t = r.obj(raw.target, tp, kinds);
  if (!t) return undefined;
  const present = kinds.filter((k) => t[k] !== undefined);
  if (present.length !== 1) {
    r.issues.at(r.src, tp, `expected exactly one of ${kinds.join(', ')}`);
    return undefined;
  }
  const key = present[0]!;
  const s = r.string(t[key], [...tp, key], 'namespace/name of the object (e.g. default/web)');
  if (!s) return undefined;
  const parts = s.split('/');
  const ok = parts.length <= 2 && parts.every((p) => /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(p));
  if (!ok) {
    r.issues.expected(r.src, [...tp, key], 'namespace/name of the object (e.g. default/web)', s);
    return undefined;
  }
  return {
    kind: TARGET_KINDS[key as TargetKey],
    namespace: parts.length === 2 ? parts[0]! : 'default',
    name: parts[parts.length - 1]!,
  };
}

/** A partial pod template: what is given must be valid (quantities, ksim.dev annotations). */
function readTemplatePatch(r: Reader, v: unknown, path: Path): Obj | undefined {
  const before = r.issues.count;
  const t = r.obj(v, path, ['metadata', 'spec']);
  if (!t) return undefined;
  if (t.metadata !== undefined) {
    const m = r.obj(t.metadata, [...path, 'metadata'], ['labels', 'annotations']);
    if (m?.labels !== undefined) r.obj(m.labels, [...path, 'metadata', 'labels']);
    if (m?.annotations !== undefined) {
      const a = r.obj(m.annotations, [...path, 'metadata', 'annotations']);
      if (a) readBehaviour(r, a, [...path, 'metadata', 'annotations']);
    }
  }
  if (t.spec !== undefined) {
    const spec = r.obj(t.spec, [...path, 'spec']);
    // Containers are merged by name; without a containers list only the other fields are checked.
    if (spec)
      checkPodSpec(
        r,
        spec.containers === undefined ? { ...spec, containers: [{ name: '_' }] } : spec,
        [...path, 'spec'],
      );
    if (Array.isArray(spec?.containers))
      spec.containers.forEach((c, i) => {
        if (r.isObj(c))
          r.string(
            c.name,
            [...path, 'spec', 'containers', i, 'name'],
            'a container name (containers are merged by name)',
          );
      });
  }
  return r.issues.count === before ? t : undefined;
}

const rollout: ActionParser = (r, raw, path) => {
  const before = r.issues.count;
  r.obj(raw, path, [...BASE, 'image', 'container', 'template']);
  const target = readTarget(r, raw, path, ['deployment', 'statefulset', 'daemonset']);
  const image =
    raw.image === undefined
      ? undefined
      : r.string(raw.image, [...path, 'image'], 'a container image (e.g. web:v2)');
  const container =
    raw.container === undefined
      ? undefined
      : r.string(raw.container, [...path, 'container'], 'a container name');
  const template =
    raw.template === undefined
      ? undefined
      : readTemplatePatch(r, raw.template, [...path, 'template']);
  if (raw.image === undefined && raw.template === undefined)
    r.issues.at(r.src, path, 'a rollout needs `image` or `template` (a partial pod template)');
  if (r.issues.count !== before || !target) return undefined;
  return { target, image, container, template };
};

const rollback: ActionParser = (r, raw, path) => {
  const before = r.issues.count;
  r.obj(raw, path, [...BASE, 'toRevision']);
  const target = readTarget(r, raw, path, ['deployment']);
  const toRevision =
    raw.toRevision === undefined ? undefined : r.int(raw.toRevision, [...path, 'toRevision'], 1);
  if (r.issues.count !== before || !target) return undefined;
  return { target, toRevision };
};

const targetOnly: ActionParser = (r, raw, path) => {
  const before = r.issues.count;
  r.obj(raw, path, BASE);
  const target = readTarget(r, raw, path, ['deployment']);
  if (r.issues.count !== before || !target) return undefined;
  return { target };
};

const scale: ActionParser = (r, raw, path) => {
  const before = r.issues.count;
  r.obj(raw, path, [...BASE, 'replicas']);
  const target = readTarget(r, raw, path, ['deployment', 'replicaset', 'statefulset']);
  const replicas = r.int(raw.replicas, [...path, 'replicas'], 0, 100_000);
  if (r.issues.count !== before || !target || replicas === undefined) return undefined;
  return { target, replicas };
};

export const deploymentActionParsers: ReadonlyArray<[string, ActionParser]> = [
  ['rollout', rollout],
  ['rollback', rollback],
  ['pause', targetOnly],
  ['resume', targetOnly],
  ['scale', scale],
];
