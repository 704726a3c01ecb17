/**
 * How controllers create and delete pods (upstream controller.PodControl): through the
 * apiserver gate, with the owner reference set, a `SuccessfulCreate`/`SuccessfulDelete`
 * event on the owner, and a `FailedCreate` when the write is refused (the caller requeues).
 */
import type { SimContext } from '../components/context.js';
import type { OwnerRef, SimPod } from '../model/objects.js';
import { instantiatePod, type CompiledPodTemplate } from '../model/pod-template.js';
import type { PodSpec } from 'kubernetes-types/core/v1.js';

export interface OwnerInfo {
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  apiVersion: string;
  /** Top-level workload for pods.csv (`Deployment/ns/web` for a ReplicaSet's pods). */
  topOwner: string;
}

export interface CreateOptions {
  name: string;
  labels?: Record<string, string>;
  specPatch?: Partial<PodSpec>;
  /** Stream the pod's behaviour (startup, duration) is sampled from; default `pods/<topOwner>`. */
  rngStream?: string;
}

/** Creates a pod from `template` owned by `owner`; returns undefined if the apiserver refused. */
export function createPod(
  ctx: SimContext,
  owner: OwnerInfo,
  template: CompiledPodTemplate,
  opts: CreateOptions,
): SimPod | undefined {
  const ownerLabel = `${owner.kind}/${owner.namespace}/${owner.name}`;
  if (!ctx.api.tryWrite('pod-create', `controller/${owner.kind}`)) {
    ctx.events.record(
      owner.kind,
      `${owner.namespace}/${owner.name}`,
      'FailedCreate',
      `Error creating: pods "${opts.name}" is forbidden: the server is currently unable to handle the request`,
    );
    return undefined;
  }
  const ref: OwnerRef = {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.name,
    uid: owner.uid,
    controller: true,
  };
  const pod = instantiatePod(template, {
    name: opts.name,
    namespace: owner.namespace,
    uid: ctx.store.nextUid('pod'),
    now: ctx.engine.now,
    ownerReferences: [ref],
    topOwner: owner.topOwner || ownerLabel,
    labels: opts.labels,
    specPatch: opts.specPatch,
    rng: ctx.rng.stream(opts.rngStream ?? `pods/${owner.topOwner || ownerLabel}`),
  });
  ctx.store.addPod(pod);
  ctx.events.record(
    owner.kind,
    `${owner.namespace}/${owner.name}`,
    'SuccessfulCreate',
    `Created pod: ${pod.metadata.name}`,
  );
  return pod;
}

/**
 * Requests graceful deletion of a pod (sets deletionTimestamp; the kubelet stops it and
 * removes the object). Returns false if the apiserver refused.
 */
export function deletePod(
  ctx: SimContext,
  pod: SimPod,
  by: { kind: string; key: string },
  outcome: SimPod['outcome'] = 'Deleted',
): boolean {
  if (pod.metadata.deletionTimestamp !== undefined) return true;
  if (!ctx.api.tryWrite('pod-delete', `controller/${by.kind}`)) return false;
  if (pod.outcome === 'Pending' || pod.outcome === 'Running') pod.outcome = outcome;
  pod.metadata.deletionTimestamp = ctx.engine.now;
  ctx.store.updatePod(pod, 'deleting');
  ctx.events.record(by.kind, by.key, 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
  return true;
}

/** The controller owner reference of a pod, if any. */
export function controllerOf(pod: SimPod): OwnerRef | undefined {
  return pod.metadata.ownerReferences?.find((r) => r.controller);
}
