/**
 * ImageLocality (imagelocality/image_locality.go): favours nodes that already hold the pod's
 * images, by size, damped by how widespread each image is (size × nodesWithImage / allNodes),
 * so a popular image does not pull every pod onto the same few nodes ("node heating").
 * Init containers count in the sum and in the threshold. No NormalizeScore.
 *
 * One deliberate difference: upstream's cache keeps, per image name, the size first seen on
 * any node; here the size comes from this node's own `status.images` entry. They differ only
 * if nodes report different sizes for the same image name.
 */
import type { Container, ContainerImage } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from '../model/node-info.js';
import type { SimPod } from '../model/objects.js';
import type { CycleState } from '../scheduler/framework/cycle-state.js';
import {
  MAX_NODE_SCORE,
  type Handle,
  type PluginFactory,
  type ScorePlugin,
} from '../scheduler/framework/interfaces.js';

export const Name = 'ImageLocality';

const MB = 1024 * 1024;
/** Below this sum the node scores 0: pulling ~23 MB is cheap. */
export const MIN_THRESHOLD = 23 * MB;
/** Per container; a sum at numContainers × this scores 100. */
export const MAX_CONTAINER_THRESHOLD = 1000 * MB;

/** Appends ":latest" when the image has neither tag nor digest (the last ':' is in the host/path). */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? name + ':latest' : name;
}

/** 100 × (sum − min) / (max − min) with sum clamped to [min, max], max = 1000 MB × containers. */
export function calculatePriority(sumScores: number, numContainers: number): number {
  const maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
  let sum = sumScores;
  if (sum < MIN_THRESHOLD) sum = MIN_THRESHOLD;
  else if (sum > maxThreshold) sum = maxThreshold;
  // With no containers maxThreshold is 0 and the quotient 0/negative; `+ 0` turns JS's -0 into 0.
  return Math.trunc((MAX_NODE_SCORE * (sum - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD)) + 0;
}

function imageSize(images: readonly ContainerImage[], name: string): number | undefined {
  for (const img of images) {
    if (img.names?.includes(name)) return img.sizeBytes ?? 0;
  }
  return undefined;
}

export class ImageLocality implements ScorePlugin {
  readonly name = Name;

  constructor(private readonly handle: Handle) {}

  score(_state: CycleState, pod: SimPod, nodeInfo: NodeInfo): number {
    const images = nodeInfo.node.status.images;
    const init = pod.spec.initContainers ?? [];
    const numContainers = init.length + pod.spec.containers.length;
    // A node reporting no images scores the minimum: nothing to look up.
    if (images.length === 0) return calculatePriority(0, numContainers);
    const sum =
      this.sumImageScores(init, images) + this.sumImageScores(pod.spec.containers, images);
    return calculatePriority(sum, numContainers);
  }

  scoreNodes(state: CycleState, pod: SimPod, nodes: readonly NodeInfo[], scores: number[]): void {
    const numContainers = (pod.spec.initContainers?.length ?? 0) + pod.spec.containers.length;
    const none = calculatePriority(0, numContainers);
    // An image on no node scales to 0 wherever it is found: no node can score above `none`.
    if (
      !this.anyImageOnSomeNode(pod.spec.initContainers) &&
      !this.anyImageOnSomeNode(pod.spec.containers)
    ) {
      for (let i = 0; i < nodes.length; i++) scores[i] = none;
      return;
    }
    for (let i = 0; i < nodes.length; i++) {
      const info = nodes[i]!;
      scores[i] = info.node.status.images.length === 0 ? none : this.score(state, pod, info);
    }
  }

  private anyImageOnSomeNode(containers: readonly Container[] | undefined): boolean {
    for (const c of containers ?? []) {
      if (c.image && this.handle.store.nodesWithImage(normalizedImageName(c.image)) > 0)
        return true;
    }
    return false;
  }

  private sumImageScores(
    containers: readonly Container[],
    images: readonly ContainerImage[],
  ): number {
    const totalNumNodes = this.handle.store.nodeCount;
    let sum = 0;
    for (const c of containers) {
      if (!c.image) continue;
      const name = normalizedImageName(c.image);
      const size = imageSize(images, name);
      if (size === undefined) continue;
      // scaledImageScore: int64(float64(size) × (float64(numNodes) / float64(totalNumNodes))).
      const spread = this.handle.store.nodesWithImage(name) / totalNumNodes;
      sum += Math.trunc(size * spread);
    }
    return sum;
  }
}

export const factory: PluginFactory = (_args, handle) => new ImageLocality(handle);
