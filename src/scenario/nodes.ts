/**
 * Nodes from Node manifests (as kubectl prints them) and from node pools (a Node template
 * stamped `count` times, spread over zones round-robin).
 */
import type { ContainerImage, Taint } from 'kubernetes-types/core/v1.js';
import { LABEL_HOSTNAME, LABEL_ZONE, type SimNode } from '../model/objects.js';
import { emptyResource, setResource, type Resource } from '../model/resources.js';
import type { Path } from './errors.js';
import type { Obj, Reader } from './fields.js';

export const LABEL_POOL = 'ksim.dev/node-pool';
export const DEFAULT_MAX_PODS = 110;
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;

export interface NodeShape {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  taints: Taint[];
  unschedulable: boolean;
  capacity: Resource;
  allocatable: Resource;
  images: ContainerImage[];
}

function resourceList(r: Reader, v: unknown, path: Path): Resource | undefined {
  const m = r.obj(v, path);
  if (!m) return undefined;
  const res = emptyResource();
  let ok = true;
  for (const [name, q] of Object.entries(m)) {
    const n = r.quantity(q, [...path, name], name);
    if (n === undefined) ok = false;
    else setResource(res, name, n);
  }
  return ok ? res : undefined;
}

/** Reads the scheduling-relevant shape of a Node manifest (or a pool template). */
export function readNodeShape(
  r: Reader,
  manifest: Obj,
  path: Path,
  requireSize: boolean,
): NodeShape | undefined {
  const before = r.issues.count;
  const metadata =
    manifest.metadata === undefined ? {} : (r.obj(manifest.metadata, [...path, 'metadata']) ?? {});
  const labels =
    metadata.labels === undefined
      ? {}
      : (r.obj(metadata.labels, [...path, 'metadata', 'labels']) ?? {});
  const annotations =
    metadata.annotations === undefined
      ? {}
      : (r.obj(metadata.annotations, [...path, 'metadata', 'annotations']) ?? {});
  const spec =
    manifest.spec === undefined || manifest.spec === null
      ? {}
      : (r.obj(manifest.spec, [...path, 'spec']) ?? {});
  const status =
    manifest.status === undefined || manifest.status === null
      ? {}
      : (r.obj(manifest.status, [...path, 'status']) ?? {});

  const taints: Taint[] = [];
  if (spec.taints !== undefined && spec.taints !== null) {
    (r.list(spec.taints, [...path, 'spec', 'taints']) ?? []).forEach((t, i) => {
      const tp = [...path, 'spec', 'taints', i];
      const taint = r.obj(t, tp);
      if (!taint) return;
      const key = r.string(taint.key, [...tp, 'key']);
      const effect = r.oneOf(taint.effect, [...tp, 'effect'], TAINT_EFFECTS);
      if (key && effect) {
        taints.push({
          key,
          effect,
          ...(taint.value !== undefined ? { value: String(taint.value) } : {}),
        });
      }
    });
  }
  const unschedulable =
    spec.unschedulable === undefined
      ? false
      : (r.bool(spec.unschedulable, [...path, 'spec', 'unschedulable']) ?? false);

  let capacity =
    status.capacity === undefined
      ? undefined
      : resourceList(r, status.capacity, [...path, 'status', 'capacity']);
  let allocatable =
    status.allocatable === undefined
      ? undefined
      : resourceList(r, status.allocatable, [...path, 'status', 'allocatable']);
  if (
    !capacity &&
    !allocatable &&
    status.capacity === undefined &&
    status.allocatable === undefined
  ) {
    if (requireSize) {
      r.issues.expected(
        r.src,
        [...path, 'status'],
        'status.allocatable or status.capacity (the node size)',
        status.allocatable,
      );
    }
  }
  allocatable ??= capacity;
  capacity ??= allocatable;
  for (const res of [capacity, allocatable]) {
    if (res && res.allowedPodNumber === 0) res.allowedPodNumber = DEFAULT_MAX_PODS;
  }

  const images: ContainerImage[] = [];
  if (status.images !== undefined && status.images !== null) {
    (r.list(status.images, [...path, 'status', 'images']) ?? []).forEach((img, i) => {
      const ip = [...path, 'status', 'images', i];
      const o = r.obj(img, ip);
      if (!o) return;
      const names = r.list(o.names, [...ip, 'names']);
      const size = o.sizeBytes === undefined ? 0 : r.int(o.sizeBytes, [...ip, 'sizeBytes'], 0);
      if (names) images.push({ names: names.map(String), sizeBytes: size ?? 0 });
    });
  }
  if (r.issues.count !== before) return undefined;
  return {
    labels: toStrings(labels),
    annotations: toStrings(annotations),
    taints,
    unschedulable,
    capacity: capacity ?? emptyResource(),
    allocatable: allocatable ?? emptyResource(),
    images,
  };
}

export function buildNode(
  name: string,
  shape: NodeShape,
  pool: string,
  extraLabels: Record<string, string>,
): SimNode {
  return {
    kind: 'Node',
    metadata: {
      name,
      namespace: '',
      uid: `node-${name}`,
      labels: { ...shape.labels, [LABEL_HOSTNAME]: name, ...extraLabels },
      annotations: { ...shape.annotations },
      creationTimestamp: 0,
    },
    spec: { unschedulable: shape.unschedulable, taints: shape.taints.map((t) => ({ ...t })) },
    status: {
      capacity: cloneRes(shape.capacity),
      allocatable: cloneRes(shape.allocatable),
      images: shape.images,
      ready: 'True',
    },
    pool,
  };
}

/** Nodes of a pool: `<pool>-<index>`, zones round-robin, the pool label set. */
export function expandPool(
  name: string,
  count: number,
  zones: string[],
  shape: NodeShape,
): SimNode[] {
  const nodes: SimNode[] = [];
  for (let i = 0; i < count; i++) {
    const extra: Record<string, string> = { [LABEL_POOL]: name };
    if (zones.length) extra[LABEL_ZONE] = zones[i % zones.length]!;
    nodes.push(buildNode(`${name}-${i}`, shape, name, extra));
  }
  return nodes;
}

function cloneRes(r: Resource): Resource {
  return { ...r, scalar: new Map(r.scalar) };
}

function toStrings(m: Obj): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) out[k] = String(v);
  return out;
}
