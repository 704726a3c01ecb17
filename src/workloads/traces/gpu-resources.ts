// How trace GPUs become Kubernetes resources. Whole GPUs are the NVIDIA device plugin's
// `nvidia.com/gpu`. A fractional share has no upstream resource, so we use an extended resource
// counted in 1/1000 GPU, `alibaba.com/gpu-milli`, and every node advertises N×1000 of it beside
// its N GPUs. A whole-GPU pod takes its GPUs' worth of milli-GPU too, so fractions and whole GPUs
// cannot both claim the same device. This is an approximation (docs/traces.md): a real
// GPU-sharing scheduler packs fractions per device, we count aggregate milli-GPU per node, so
// three 600-milli pods fit on a 2-GPU node here although no device could hold two of them.
import type { TraceJob, TraceNode } from './record.js';

export const RESOURCE_GPU = 'nvidia.com/gpu';
export const RESOURCE_GPU_MILLI = 'alibaba.com/gpu-milli';
/** Node label carrying a trace node's GPU model; a job's `gpu_spec` becomes a requirement on it. */
export const LABEL_GPU_MODEL = 'ksim.dev/gpu-model';

const MILLI_PER_GPU = 1000;

/** Extended resources a job's pod requests (absent names mean 0). */
export function jobExtendedResources(
  job: Pick<TraceJob, 'gpu' | 'gpuMilli'>,
): Record<string, number> {
  if (job.gpu > 0) {
    return {
      [RESOURCE_GPU]: job.gpu,
      [RESOURCE_GPU_MILLI]: job.gpu * MILLI_PER_GPU + job.gpuMilli,
    };
  }
  if (job.gpuMilli > 0) return { [RESOURCE_GPU_MILLI]: job.gpuMilli };
  return {};
}

/** Extended resources a node advertises in capacity and allocatable. */
export function nodeExtendedResources(node: Pick<TraceNode, 'gpu'>): Record<string, number> {
  if (node.gpu === 0) return {};
  return { [RESOURCE_GPU]: node.gpu, [RESOURCE_GPU_MILLI]: node.gpu * MILLI_PER_GPU };
}

export function nodeLabels(node: Pick<TraceNode, 'gpuModel'>): Record<string, string> {
  return node.gpuModel === undefined ? {} : { [LABEL_GPU_MODEL]: node.gpuModel };
}

/**
 * The GPU models a job accepts, from its `ksim.dev/gpu-model` hint: `V100M16|V100M32` means
 * either (a node-affinity `In` requirement); empty when the job has no constraint. The hint keeps
 * the trace's spelling because `|` is not allowed in a Kubernetes label value.
 */
export function gpuModelChoices(job: Pick<TraceJob, 'labels'>): string[] {
  const spec = job.labels?.[LABEL_GPU_MODEL];
  if (spec === undefined || spec === '') return [];
  return spec.split('|').filter((m) => m !== '');
}
