/**
 * PersistentVolumes, PersistentVolumeClaims and StorageClasses as the cluster store keeps them.
 * They are the genuine Kubernetes shapes (kubernetes-types), stored with
 * store.putObject/getObject/listObjects under the kinds below:
 *
 *   kind                    key                  notes
 *   PersistentVolume        `name`               cluster-scoped: metadata.namespace absent or ''
 *   PersistentVolumeClaim   `namespace/name`     bound when spec.volumeName is set
 *   StorageClass            `name`               volumeBindingMode absent = Immediate (API default)
 *
 * Fields the scheduler plugins read:
 * - PV: metadata.labels (topology.kubernetes.io/zone|region and the failure-domain.beta.*
 *   labels, values may be "a__b" zone sets), spec.nodeAffinity.required, spec.capacity.storage,
 *   spec.accessModes, spec.storageClassName, spec.claimRef, status.phase.
 * - PVC: spec.volumeName, spec.storageClassName (or the legacy
 *   volume.beta.kubernetes.io/storage-class annotation), spec.resources.requests.storage,
 *   spec.accessModes, spec.selector, metadata.deletionTimestamp, status.phase.
 * - StorageClass: provisioner, volumeBindingMode, allowedTopologies.
 *
 * ksim has no PV controller: a claim is bound exactly when spec.volumeName is set (upstream
 * also wants the pv.kubernetes.io/bind-completed annotation, which only the controller writes).
 */
import type { PersistentVolume, PersistentVolumeClaim, Volume } from 'kubernetes-types/core/v1.js';
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { SimPod } from './objects.js';
import type { ClusterStore } from './store.js';

export const KIND_PV = 'PersistentVolume';
export const KIND_PVC = 'PersistentVolumeClaim';
export const KIND_STORAGE_CLASS = 'StorageClass';

/** Legacy claim annotation that still wins over spec.storageClassName (GetPersistentVolumeClaimClass). */
export const ANN_BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';
/** StorageClass provisioner meaning "no dynamic provisioning" (local volumes). */
export const NOT_SUPPORTED_PROVISIONER = 'kubernetes.io/no-provisioner';
export const VOLUME_BINDING_IMMEDIATE = 'Immediate';
export const VOLUME_BINDING_WAIT_FOR_FIRST_CONSUMER = 'WaitForFirstConsumer';

type Named = ObjectMeta & { name: string };

export type SimPersistentVolume = PersistentVolume & { kind: typeof KIND_PV; metadata: Named };
export type SimPersistentVolumeClaim = PersistentVolumeClaim & {
  kind: typeof KIND_PVC;
  metadata: Named & { namespace: string };
};
export type SimStorageClass = StorageClass & { kind: typeof KIND_STORAGE_CLASS; metadata: Named };

export function getPVC(
  store: ClusterStore,
  namespace: string,
  name: string,
): SimPersistentVolumeClaim | undefined {
  return store.getObject<SimPersistentVolumeClaim>(KIND_PVC, `${namespace}/${name}`);
}

export function getPV(store: ClusterStore, name: string): SimPersistentVolume | undefined {
  return store.getObject<SimPersistentVolume>(KIND_PV, name);
}

export function getStorageClass(store: ClusterStore, name: string): SimStorageClass | undefined {
  return store.getObject<SimStorageClass>(KIND_STORAGE_CLASS, name);
}

/** The claim's class as upstream storagehelpers.GetPersistentVolumeClaimClass: annotation first. */
export function claimClass(pvc: PersistentVolumeClaim): string {
  const ann = pvc.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS];
  if (ann !== undefined) return ann;
  return pvc.spec?.storageClassName ?? '';
}

/** The PV's class as upstream GetPersistentVolumeClass (beta annotation first). */
export function volumeClass(pv: PersistentVolume): string {
  const ann = pv.metadata?.annotations?.[ANN_BETA_STORAGE_CLASS];
  if (ann !== undefined) return ann;
  return pv.spec?.storageClassName ?? '';
}

/** Claim names of the pod's persistentVolumeClaim volumes, in spec order ('' kept: upstream rejects it). */
export function podClaimNames(pod: SimPod): string[] {
  const names: string[] = [];
  for (const v of pod.spec.volumes ?? ([] as Volume[])) {
    if (v.persistentVolumeClaim) names.push(v.persistentVolumeClaim.claimName ?? '');
  }
  return names;
}

/** apimachinery's NotFound message, which upstream plugins surface verbatim as the reason. */
export function notFoundMessage(resource: string, name: string): string {
  return `${resource} "${name}" not found`;
}
