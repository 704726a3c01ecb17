/**
 * The kubelet's resource admission (pkg/kubelet/lifecycle/predicate.go): a pod bound to a node
 * without the scheduler — `spec.nodeName` written in the manifest — is checked against the
 * pods the node already admitted. One that does not fit is rejected: phase Failed, reason
 * `OutOf<resource>` (OutOfcpu, OutOfmemory, OutOfpods, …), and a Warning event with upstream's
 * InsufficientResourceError text. Only the first shortfall is reported, as upstream.
 */
import type { NodeInfo } from '../model/node-info.js';
import type { SimPod } from '../model/objects.js';
import { fitsRequest } from '../scheduler-plugins/node-resources-fit.js';

export interface AdmissionRejection {
  /** `OutOfcpu`, `OutOfmemory`, `OutOfephemeral-storage`, `OutOfpods`, `OutOf<extended>`. */
  reason: string;
  /** `Node didn't have enough resource: cpu, requested: 3000, used: 2000, capacity: 3920`. */
  message: string;
}

/**
 * Why `pod` cannot run on the node of `info`, or undefined if it fits. `info` may already count
 * the pod (the store accounts a bound pod on arrival): it is left out of "used".
 */
export function admissionRejection(pod: SimPod, info: NodeInfo): AdmissionRejection | undefined {
  let others = info;
  if (info.pods.includes(pod)) {
    others = info.snapshot();
    others.removePod(pod);
  }
  const [first] = fitsRequest(pod.requests, others);
  if (!first) return undefined;
  return {
    reason: `OutOf${first.resourceName}`,
    message: `Node didn't have enough resource: ${first.resourceName}, requested: ${first.requested}, used: ${first.used}, capacity: ${first.capacity}`,
  };
}
