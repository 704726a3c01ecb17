/**
 * Pure helpers of the Deployment controller, after pkg/controller/deployment/util:
 * fenceposts (ResolveFenceposts), the new ReplicaSet's size during a rolling update
 * (NewRSNewReplicas), proportional scaling shares (GetProportion), the pod-template-hash, and
 * the status/condition arithmetic.
 */
import {
  ANNOTATION_MAX_REPLICAS,
  ANNOTATION_REVISION,
  LABEL_POD_TEMPLATE_HASH,
  canonicalJson,
  type DeploymentCondition,
  type DeploymentObject,
  type DeploymentStatus,
  type IntOrPercent,
  type ReplicaSetObject,
} from './apps-objects.js';

/** intstr.GetScaledValueFromIntOrPercent: percentages of `total`, rounded up or down. */
export function scaledValue(v: IntOrPercent, total: number, roundUp: boolean): number {
  if (v.kind === 'int') return v.value;
  const x = (v.value * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/**
 * ResolveFenceposts: surge rounds up, unavailable rounds down; both 0 → unavailable 1, so a
 * rolling update can always make progress.
 */
export function resolveFenceposts(
  maxSurge: IntOrPercent,
  maxUnavailable: IntOrPercent,
  desired: number,
): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge, desired, true);
  let unavailable = scaledValue(maxUnavailable, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

/** deploymentutil.MaxUnavailable: 0 for Recreate or 0 replicas, never above replicas. */
export function maxUnavailable(d: DeploymentObject): number {
  const s = d.spec.strategy;
  if (s.type !== 'RollingUpdate' || d.spec.replicas === 0) return 0;
  const { unavailable } = resolveFenceposts(s.maxSurge, s.maxUnavailable, d.spec.replicas);
  return Math.min(unavailable, d.spec.replicas);
}

/** deploymentutil.MaxSurge: 0 for Recreate. */
export function maxSurge(d: DeploymentObject): number {
  const s = d.spec.strategy;
  if (s.type !== 'RollingUpdate') return 0;
  return resolveFenceposts(s.maxSurge, s.maxUnavailable, d.spec.replicas).surge;
}

export const sumSpecReplicas = (rss: readonly ReplicaSetObject[]): number =>
  rss.reduce((n, rs) => n + rs.spec.replicas, 0);
export const sumStatusReplicas = (rss: readonly ReplicaSetObject[]): number =>
  rss.reduce((n, rs) => n + rs.status.replicas, 0);
export const sumAvailable = (rss: readonly ReplicaSetObject[]): number =>
  rss.reduce((n, rs) => n + rs.status.availableReplicas, 0);
export const sumReady = (rss: readonly ReplicaSetObject[]): number =>
  rss.reduce((n, rs) => n + rs.status.readyReplicas, 0);

/**
 * NewRSNewReplicas: during a rolling update the new ReplicaSet grows while the total stays
 * within replicas + maxSurge (the surge from the percentage alone, rounded up); Recreate
 * scales it straight to replicas.
 */
export function newRSNewReplicas(
  d: DeploymentObject,
  allRSs: readonly ReplicaSetObject[],
  newRS: ReplicaSetObject,
): number {
  const s = d.spec.strategy;
  if (s.type === 'Recreate') return d.spec.replicas;
  const surge = scaledValue(s.maxSurge, d.spec.replicas, true);
  const current = sumSpecReplicas(allRSs);
  const maxTotal = d.spec.replicas + surge;
  if (current >= maxTotal) return newRS.spec.replicas;
  const up = Math.min(maxTotal - current, d.spec.replicas - newRS.spec.replicas);
  return newRS.spec.replicas + up;
}

export function revisionOf(rs: { metadata: { annotations: Record<string, string> } }): number {
  const v = Number(rs.metadata.annotations[ANNOTATION_REVISION]);
  return Number.isInteger(v) && v > 0 ? v : 0;
}

/** ReplicaSetsByCreationTimestamp: oldest first, names break ties. */
export function byCreation(a: ReplicaSetObject, b: ReplicaSetObject): number {
  return (
    a.metadata.creationTimestamp - b.metadata.creationTimestamp ||
    (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0)
  );
}

/** A template without the pod-template-hash label (EqualIgnoreHash compares these). */
export function templateIgnoringHash(template: Record<string, unknown>): string {
  const meta = (template.metadata ?? {}) as Record<string, unknown>;
  const labels = { ...((meta.labels ?? {}) as Record<string, unknown>) };
  delete labels[LABEL_POD_TEMPLATE_HASH];
  return canonicalJson({ ...template, metadata: { ...meta, labels } });
}

const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: each character mapped into an alphabet without vowels. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHANUMS[s.charCodeAt(i) % SAFE_ALPHANUMS.length];
  return out;
}

/** FNV-1a, 32 bits, over the UTF-8 bytes of `s`. */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * controller.ComputeHash: FNV-1a of the template (plus the collision count), safe-encoded
 * decimal. Upstream hashes Go's printed struct, so the values differ from a real cluster's,
 * but they are stable and change exactly when the template does.
 */
export function computeTemplateHash(
  template: Record<string, unknown>,
  collisionCount: number,
): string {
  const text = templateIgnoringHash(template) + (collisionCount > 0 ? `#${collisionCount}` : '');
  return safeEncodeString(String(fnv32a(text)));
}

/** GetProportion: this ReplicaSet's share of a proportional scale (capped by what is left). */
export function proportion(
  rs: ReplicaSetObject,
  d: DeploymentObject,
  toAdd: number,
  added: number,
): number {
  if (rs.spec.replicas === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(rs: ReplicaSetObject, d: DeploymentObject): number {
  if (d.spec.replicas === 0) return -rs.spec.replicas;
  const maxReplicas = d.spec.replicas + maxSurge(d);
  let before = Number(rs.metadata.annotations[ANNOTATION_MAX_REPLICAS]);
  if (!Number.isInteger(before) || before === 0) before = d.status.replicas;
  if (before === 0) return 0;
  // integer.RoundToInt32: round half away from zero.
  const size = (rs.spec.replicas * maxReplicas) / before;
  return Math.sign(size) * Math.round(Math.abs(size)) - rs.spec.replicas;
}

/** deploymentutil.DeploymentComplete. */
export function deploymentComplete(d: DeploymentObject, s: DeploymentStatus): boolean {
  return (
    s.updatedReplicas === d.spec.replicas &&
    s.replicas === d.spec.replicas &&
    s.availableReplicas === d.spec.replicas &&
    s.observedGeneration >= d.metadata.generation
  );
}

/** deploymentutil.DeploymentProgressing: any sign of progress since the last status. */
export function deploymentProgressing(d: DeploymentObject, s: DeploymentStatus): boolean {
  const old = d.status;
  return (
    s.updatedReplicas > old.updatedReplicas ||
    s.replicas - s.updatedReplicas < old.replicas - old.updatedReplicas ||
    s.readyReplicas > old.readyReplicas ||
    s.availableReplicas > old.availableReplicas
  );
}

export function getCondition(
  s: DeploymentStatus,
  type: DeploymentCondition['type'],
): DeploymentCondition | undefined {
  return s.conditions.find((c) => c.type === type);
}

/**
 * SetDeploymentCondition: same status and reason → unchanged (lastUpdateTime kept); same
 * status → lastTransitionTime kept.
 */
export function setCondition(s: DeploymentStatus, c: DeploymentCondition): void {
  const cur = getCondition(s, c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  if (cur && cur.status === c.status) c.lastTransitionTime = cur.lastTransitionTime;
  s.conditions = [...s.conditions.filter((x) => x.type !== c.type), c];
}

export function removeCondition(s: DeploymentStatus, type: DeploymentCondition['type']): void {
  s.conditions = s.conditions.filter((x) => x.type !== type);
}

export function newCondition(
  type: DeploymentCondition['type'],
  status: DeploymentCondition['status'],
  reason: string,
  message: string,
  now: number,
): DeploymentCondition {
  return { type, status, reason, message, lastUpdateTime: now, lastTransitionTime: now };
}

export function statusEqual(a: DeploymentStatus, b: DeploymentStatus): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
