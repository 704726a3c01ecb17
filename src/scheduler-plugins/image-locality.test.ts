import { describe, expect, it } from '@jest/globals';
import type { Container, ContainerImage } from 'kubernetes-types/core/v1.js';
import { ClusterStore } from '../model/store.js';
import { makeNode, makePod } from '../model/testing.js';
import { CycleState } from '../scheduler/framework/cycle-state.js';
import type { Handle } from '../scheduler/framework/interfaces.js';
import {
  calculatePriority,
  factory,
  ImageLocality,
  Name,
  normalizedImageName,
} from './image-locality.js';

const MB = 1024 * 1024;

function handleWith(store: ClusterStore): Handle {
  return { store, now: () => 0, random: () => 0, recordEvent: () => {}, parallelism: 16 };
}

function cluster(nodeImages: ContainerImage[][]) {
  const store = new ClusterStore();
  const infos = nodeImages.map((images, i) => store.addNode(makeNode(`node${i}`, { images })));
  return { plugin: new ImageLocality(handleWith(store)), infos };
}

const containers = (...images: string[]): Container[] =>
  images.map((image, i) => ({ name: `c${i}`, image }));

describe('ImageLocality score', () => {
  const img = (name: string, mb: number): ContainerImage => ({ names: [name], sizeBytes: mb * MB });
  const cases: Array<{
    name: string;
    nodes: ContainerImage[][];
    init?: string[];
    images: string[];
    want: number[];
  }> = [
    {
      // 2 nodes, each image on one. node0: 250MB·1/2 = 125MB; max = 2·1000MB →
      // 100·(125−23)/(2000−23) = 5.16 → 5. node1: 10MB·1/2 = 5MB < 23MB → 0.
      name: 'two images spread on two nodes, prefer the larger image one',
      nodes: [[img('gcr.io/250:latest', 250)], [img('gcr.io/10:latest', 10)]],
      images: ['gcr.io/250', 'gcr.io/10'],
      want: [5, 0],
    },
    {
      // On both of 2 nodes: 300MB·2/2 = 300MB; max 1000MB → 100·277/977 = 28.35 → 28 each.
      name: 'an image present on every node scores its full size everywhere',
      nodes: [[img('gcr.io/300:latest', 300)], [img('gcr.io/300:latest', 300)]],
      images: ['gcr.io/300'],
      want: [28, 28],
    },
    {
      // 2000MB·1/1 clamped to 1000MB → 100; the only node.
      name: 'a sum above the threshold is clamped to 100',
      nodes: [[img('gcr.io/2000:latest', 2000)]],
      images: ['gcr.io/2000:latest'],
      want: [100],
    },
    {
      // 2 containers (init + regular) → max 2000MB; 300MB·2/2 = 300MB → 100·277/1977 = 14.01 → 14.
      name: 'init containers count in the sum and in the threshold',
      nodes: [[img('gcr.io/300:latest', 300)], [img('gcr.io/300:latest', 300)]],
      init: ['gcr.io/300'],
      images: ['gcr.io/other'],
      want: [14, 14],
    },
    {
      // 900MB on 1 of 3 nodes → int64(943718400·(1/3)) = 314572800 (300MB) → 100·277/977 = 28; others 0.
      name: 'the spread factor counts all nodes, including ones without the image',
      nodes: [[img('gcr.io/900:v1', 900)], [], []],
      images: ['gcr.io/900:v1'],
      want: [28, 0, 0],
    },
    {
      // Tag v2 is not on the node: nothing matches → 0.
      name: 'a different tag does not match',
      nodes: [[img('gcr.io/900:v1', 900)]],
      images: ['gcr.io/900:v2'],
      want: [0],
    },
    {
      // An image listed under several names matches by any of them: 500MB → 100·477/977 = 48.82 → 48.
      name: 'any of the image names matches',
      nodes: [[{ names: ['gcr.io/app@sha256:abc', 'gcr.io/app:v3'], sizeBytes: 500 * MB }]],
      images: ['gcr.io/app:v3'],
      want: [48],
    },
    {
      name: 'a node without images scores 0',
      nodes: [[]],
      images: ['gcr.io/app:v3'],
      want: [0],
    },
  ];
  it.each(cases)('$name', ({ nodes, init, images, want }) => {
    const { plugin, infos } = cluster(nodes);
    const pod = makePod('p', {
      spec: {
        containers: containers(...images),
        ...(init ? { initContainers: containers(...init) } : {}),
      },
    });
    expect(infos.map((ni) => plugin.score(new CycleState(), pod, ni))).toEqual(want);
    const batch = infos.map(() => -1);
    plugin.scoreNodes(new CycleState(), pod, infos, batch);
    expect(batch).toEqual(want);
  });
});

describe('normalizedImageName', () => {
  it.each([
    ['nginx', 'nginx:latest'],
    ['nginx:1.25', 'nginx:1.25'],
    ['gcr.io/proj/app', 'gcr.io/proj/app:latest'],
    ['localhost:5000/app', 'localhost:5000/app:latest'],
    ['localhost:5000/app:v1', 'localhost:5000/app:v1'],
    ['gcr.io/app@sha256:0123', 'gcr.io/app@sha256:0123'],
  ])('normalizes %p to %p', (name, want) => {
    expect(normalizedImageName(name)).toBe(want);
  });
});

describe('calculatePriority', () => {
  it.each([
    // Below the minimum → 0.
    { sum: 10 * MB, n: 1, want: 0 },
    // Exactly the minimum → 0.
    { sum: 23 * MB, n: 1, want: 0 },
    // 100·(523−23)/(1000−23) = 51.18 → 51.
    { sum: 523 * MB, n: 1, want: 51 },
    // Above 1000MB·1 → clamped → 100.
    { sum: 5000 * MB, n: 1, want: 100 },
    // No containers: max threshold 0 → 0.
    { sum: 0, n: 0, want: 0 },
  ])('scores a sum of $sum bytes over $n containers as $want', ({ sum, n, want }) => {
    expect(calculatePriority(sum, n)).toBe(want);
  });
});

describe('ImageLocality factory', () => {
  it('is built by its factory under the upstream name', () => {
    expect(factory(undefined, handleWith(new ClusterStore())).name).toBe(Name);
    expect(Name).toBe('ImageLocality');
  });
});
