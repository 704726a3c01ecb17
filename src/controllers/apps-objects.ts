/**
 * Deployments and ReplicaSets as the store keeps them: the apps/v1 fields the controllers act
 * on, with defaults applied (pkg/apis/apps/v1/defaults.go), the raw pod template (hashed and
 * copied between revisions) and its compiled form. Readers validate manifests with
 * file:line:column errors.
 */
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { OwnerRef } from '../model/objects.js';
import type { CompiledPodTemplate } from '../model/pod-template.js';
import type { StoredObject } from '../model/store.js';
import type { Path } from '../scenario/errors.js';
import type { Obj, Reader } from '../scenario/fields.js';

export const LABEL_POD_TEMPLATE_HASH = 'pod-template-hash';
export const ANNOTATION_REVISION = 'deployment.kubernetes.io/revision';
export const ANNOTATION_DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const ANNOTATION_MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';

/** An IntOrString of a rolling-update field: a count or a percentage of replicas. */
export type IntOrPercent = { kind: 'int'; value: number } | { kind: 'percent'; value: number };

export interface AppsMeta {
  name: string;
  namespace: string;
  uid: string;
  /** Incremented on every spec change; status.observedGeneration follows it. */
  generation: number;
  creationTimestamp: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  ownerReferences?: OwnerRef[];
}

export interface ReplicaSetObject extends StoredObject {
  kind: 'ReplicaSet';
  metadata: AppsMeta;
  spec: {
    replicas: number;
    minReadySeconds: number;
    selector: LabelSelector;
    /** Raw pod template ({metadata, spec}) as in a manifest. */
    template: Obj;
  };
  /** The template compiled once (labels include pod-template-hash when owned by a Deployment). */
  compiled: CompiledPodTemplate;
  status: {
    replicas: number;
    readyReplicas: number;
    availableReplicas: number;
    observedGeneration: number;
  };
  /** Top-level workload for pods.csv (`Deployment/ns/web` or `ReplicaSet/ns/rs`). */
  topOwner: string;
}

export interface DeploymentCondition {
  type: 'Progressing' | 'Available' | 'ReplicaFailure';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastUpdateTime: number;
  lastTransitionTime: number;
}

export interface DeploymentStatus {
  observedGeneration: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  unavailableReplicas: number;
  collisionCount: number;
  conditions: DeploymentCondition[];
}

export interface DeploymentObject extends StoredObject {
  kind: 'Deployment';
  metadata: AppsMeta;
  spec: {
    replicas: number;
    selector: LabelSelector;
    template: Obj;
    strategy:
      | { type: 'Recreate' }
      | { type: 'RollingUpdate'; maxSurge: IntOrPercent; maxUnavailable: IntOrPercent };
    minReadySeconds: number;
    revisionHistoryLimit: number;
    /** undefined: no deadline (upstream's MaxInt32 sentinel is treated the same). */
    progressDeadlineSeconds?: number;
    paused: boolean;
  };
  compiled: CompiledPodTemplate;
  status: DeploymentStatus;
}

export function deploymentKey(d: { metadata: { namespace: string; name: string } }): string {
  return `${d.metadata.namespace}/${d.metadata.name}`;
}

export function emptyDeploymentStatus(): DeploymentStatus {
  return {
    observedGeneration: 0,
    replicas: 0,
    updatedReplicas: 0,
    readyReplicas: 0,
    availableReplicas: 0,
    unavailableReplicas: 0,
    collisionCount: 0,
    conditions: [],
  };
}

/** The Deployment (`ns/name`) a ReplicaSet's controller reference names, if any. */
export function deploymentOwnerKey(rs: ReplicaSetObject): string | undefined {
  const ref = rs.metadata.ownerReferences?.find((r) => r.controller);
  return ref?.kind === 'Deployment' ? `${rs.metadata.namespace}/${ref.name}` : undefined;
}

/** A deep copy of plain manifest data (templates are copied between revisions). */
export function cloneData<T>(v: T): T {
  return structuredClone(v);
}

/** JSON with sorted keys: equal templates give equal strings whatever the key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

// ---- manifest readers -------------------------------------------------------------------

const PERCENT = /^(\d+)%$/;

export function readIntOrPercent(
  r: Reader,
  v: unknown,
  path: Path,
  dflt: IntOrPercent,
): IntOrPercent | undefined {
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return { kind: 'int', value: v };
  if (typeof v === 'string') {
    const m = PERCENT.exec(v.trim());
    if (m) return { kind: 'percent', value: Number(m[1]) };
    if (/^\d+$/.test(v.trim())) return { kind: 'int', value: Number(v) };
  }
  r.issues.expected(r.src, path, 'a non-negative integer or a percentage (e.g. 25%)', v);
  return undefined;
}

function optInt(r: Reader, v: unknown, path: Path, dflt: number, min = 0): number | undefined {
  return v === undefined || v === null ? dflt : r.int(v, path, min, 2147483647);
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object' && !Array.isArray(v))
    for (const [k, x] of Object.entries(v)) out[k] = String(x);
  return out;
}

export interface MetaFields {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  ownerReferences?: OwnerRef[];
}

export function readMeta(r: Reader, manifest: Obj, path: Path): MetaFields | undefined {
  const meta = r.obj(manifest.metadata, [...path, 'metadata']);
  if (!meta) return undefined;
  const name = r.name(meta.name, [...path, 'metadata', 'name']);
  const namespace =
    meta.namespace === undefined
      ? 'default'
      : r.name(meta.namespace, [...path, 'metadata', 'namespace']);
  if (!name || !namespace) return undefined;
  const refs = Array.isArray(meta.ownerReferences)
    ? (meta.ownerReferences as Obj[]).map((o) => ({
        apiVersion: typeof o.apiVersion === 'string' ? o.apiVersion : undefined,
        kind: String(o.kind ?? ''),
        name: String(o.name ?? ''),
        uid: typeof o.uid === 'string' ? o.uid : undefined,
        controller: o.controller === true,
      }))
    : undefined;
  return {
    name,
    namespace,
    labels: stringMap(meta.labels),
    annotations: stringMap(meta.annotations),
    ownerReferences: refs,
  };
}

/** spec.selector; a missing selector defaults to the template's labels (extensions/v1beta1). */
function readSelector(r: Reader, spec: Obj, template: Obj, path: Path): LabelSelector | undefined {
  if (spec.selector === undefined) {
    const labels = stringMap((template.metadata as Obj | undefined)?.labels);
    return { matchLabels: labels };
  }
  const sel = r.obj(spec.selector, [...path, 'selector'], ['matchLabels', 'matchExpressions']);
  return sel as LabelSelector | undefined;
}

export interface DeploymentSpecFields {
  meta: MetaFields;
  spec: DeploymentObject['spec'];
}

/** Reads and defaults an apps/v1 Deployment manifest. */
export function readDeployment(
  r: Reader,
  manifest: Obj,
  path: Path,
): DeploymentSpecFields | undefined {
  const before = r.issues.count;
  const meta = readMeta(r, manifest, path);
  const sp = [...path, 'spec'];
  const spec = r.obj(manifest.spec, sp);
  if (!spec || !meta) return undefined;
  const template = r.obj(spec.template, [...sp, 'template']) ?? {};
  const selector = readSelector(r, spec, template, sp);
  const replicas = optInt(r, spec.replicas, [...sp, 'replicas'], 1);
  const minReadySeconds = optInt(r, spec.minReadySeconds, [...sp, 'minReadySeconds'], 0);
  const revisionHistoryLimit = optInt(
    r,
    spec.revisionHistoryLimit,
    [...sp, 'revisionHistoryLimit'],
    10,
  );
  const deadline = optInt(
    r,
    spec.progressDeadlineSeconds,
    [...sp, 'progressDeadlineSeconds'],
    600,
    1,
  );
  const paused = spec.paused === undefined ? false : r.bool(spec.paused, [...sp, 'paused']);
  let strategy: DeploymentObject['spec']['strategy'] | undefined;
  const st =
    spec.strategy === undefined
      ? {}
      : r.obj(spec.strategy, [...sp, 'strategy'], ['type', 'rollingUpdate']);
  if (st) {
    const type =
      st.type === undefined
        ? 'RollingUpdate'
        : r.oneOf(st.type, [...sp, 'strategy', 'type'], ['RollingUpdate', 'Recreate'] as const);
    if (type === 'Recreate') {
      if (st.rollingUpdate !== undefined)
        r.issues.at(
          r.src,
          [...sp, 'strategy', 'rollingUpdate'],
          'may not be specified when strategy type is Recreate',
        );
      strategy = { type };
    } else if (type === 'RollingUpdate') {
      const ruPath = [...sp, 'strategy', 'rollingUpdate'];
      const ru =
        st.rollingUpdate === undefined
          ? {}
          : r.obj(st.rollingUpdate, ruPath, ['maxSurge', 'maxUnavailable']);
      const quarter: IntOrPercent = { kind: 'percent', value: 25 };
      const maxSurge = ru && readIntOrPercent(r, ru.maxSurge, [...ruPath, 'maxSurge'], quarter);
      const maxUnavailable =
        ru && readIntOrPercent(r, ru.maxUnavailable, [...ruPath, 'maxUnavailable'], quarter);
      if (maxSurge && maxUnavailable) {
        if (maxSurge.value === 0 && maxUnavailable.value === 0)
          r.issues.at(r.src, ruPath, 'maxSurge and maxUnavailable may not both be 0');
        if (maxUnavailable.kind === 'percent' && maxUnavailable.value > 100)
          r.issues.at(r.src, [...ruPath, 'maxUnavailable'], 'must not be greater than 100%');
        strategy = { type, maxSurge, maxUnavailable };
      }
    }
  }
  if (r.issues.count !== before || !selector || !strategy) return undefined;
  // Upstream's MaxInt32 means "no deadline".
  const progressDeadlineSeconds = deadline === 2147483647 ? undefined : deadline;
  return {
    meta,
    spec: {
      replicas: replicas!,
      selector,
      template: cloneData(template),
      strategy,
      minReadySeconds: minReadySeconds!,
      revisionHistoryLimit: revisionHistoryLimit!,
      progressDeadlineSeconds,
      paused: paused ?? false,
    },
  };
}

export interface ReplicaSetSpecFields {
  meta: MetaFields;
  spec: ReplicaSetObject['spec'];
}

export function readReplicaSet(
  r: Reader,
  manifest: Obj,
  path: Path,
): ReplicaSetSpecFields | undefined {
  const before = r.issues.count;
  const meta = readMeta(r, manifest, path);
  const sp = [...path, 'spec'];
  const spec = r.obj(manifest.spec, sp);
  if (!spec || !meta) return undefined;
  const template = r.obj(spec.template, [...sp, 'template']) ?? {};
  const selector = readSelector(r, spec, template, sp);
  const replicas = optInt(r, spec.replicas, [...sp, 'replicas'], 1);
  const minReadySeconds = optInt(r, spec.minReadySeconds, [...sp, 'minReadySeconds'], 0);
  if (r.issues.count !== before || !selector) return undefined;
  return {
    meta,
    spec: {
      replicas: replicas!,
      minReadySeconds: minReadySeconds!,
      selector,
      template: cloneData(template),
    },
  };
}
