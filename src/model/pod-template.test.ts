/**
 * computePodRequests against component-helpers resource.PodRequests and the scheduler's
 * PodInfo.CalculateResource (non-zero variant), values worked out by hand in each case.
 */
import { describe, expect, it } from '@jest/globals';
import type { Container } from 'kubernetes-types/core/v1.js';
import { computePodRequests, type PodSpecWithResources } from './pod-template.js';

const Mi = 1024 * 1024;
const Gi = 1024 * Mi;

const c = (
  name: string,
  requests?: Record<string, string>,
  extra: Partial<Container> = {},
): Container => ({ name, ...(requests ? { resources: { requests } } : {}), ...extra });
const sidecar = (name: string, requests: Record<string, string>): Container =>
  c(name, requests, { restartPolicy: 'Always' });

interface Case {
  name: string;
  spec: PodSpecWithResources;
  /** [milliCPU, memory] of the Filter requests, and of the scoring (non-zero) requests. */
  requests: [number, number];
  nonZero: [number, number];
  scalar?: Record<string, number>;
}

const cases: Case[] = [
  {
    name: 'a container without requests: nothing to filter, 100m / 200Mi to score',
    spec: { containers: [c('a')] },
    requests: [0, 0],
    nonZero: [100, 200 * Mi],
  },
  {
    name: 'two containers without requests: the defaults count per container',
    spec: { containers: [c('a'), c('b')] },
    requests: [0, 0],
    nonZero: [200, 400 * Mi],
  },
  {
    name: 'an explicit request of 0 stays 0 when scoring (only missing names are defaulted)',
    spec: { containers: [c('a', { cpu: '0', memory: '0' })] },
    requests: [0, 0],
    nonZero: [0, 0],
  },
  {
    name: 'an explicit 0 cpu and a missing memory: 0 and 200Mi',
    spec: { containers: [c('a', { cpu: '0' })] },
    requests: [0, 0],
    nonZero: [0, 200 * Mi],
  },
  {
    name: 'a limit without a request defaults the request',
    spec: { containers: [{ name: 'a', resources: { limits: { cpu: '500m' } } }] },
    requests: [500, 0],
    nonZero: [500, 200 * Mi],
  },
  {
    name: 'an init container counts by its maximum, not added to the containers',
    // containers 1 + 0.5 cpu, 1Gi + 1Gi; the init container needs 2 cpu, 512Mi.
    spec: {
      containers: [c('a', { cpu: '1', memory: '1Gi' }), c('b', { cpu: '500m', memory: '1Gi' })],
      initContainers: [c('init', { cpu: '2', memory: '512Mi' })],
    },
    requests: [2000, 2 * Gi],
    nonZero: [2000, 2 * Gi],
  },
  {
    name: "an init container's missing cpu is defaulted too when scoring",
    // scoring: max(50m, 100m default of the init container) = 100m; memory max(100Mi, 1Gi).
    spec: {
      containers: [c('a', { cpu: '50m', memory: '100Mi' })],
      initContainers: [c('init', { memory: '1Gi' })],
    },
    requests: [50, Gi],
    nonZero: [100, Gi],
  },
  {
    name: 'sidecars are added to the containers and to every later init container',
    // sum: 1 cpu/1Gi + sidecar 500m/256Mi = 1500m/1280Mi; init needs: init-1 2 cpu/512Mi,
    // init-2 1 cpu/2Gi + the sidecar started before it = 1500m/2304Mi → max 2000m/2304Mi.
    spec: {
      containers: [c('app', { cpu: '1', memory: '1Gi' })],
      initContainers: [
        c('init-1', { cpu: '2', memory: '512Mi' }),
        sidecar('proxy', { cpu: '500m', memory: '256Mi' }),
        c('init-2', { cpu: '1', memory: '2Gi' }),
      ],
    },
    requests: [2000, 2304 * Mi],
    nonZero: [2000, 2304 * Mi],
  },
  {
    name: 'a sidecar after the last init container only adds to the sum',
    spec: {
      containers: [c('app', { cpu: '1', memory: '1Gi' })],
      initContainers: [
        c('init', { cpu: '1200m', memory: '1Gi' }),
        sidecar('log', { cpu: '300m', memory: '64Mi' }),
      ],
    },
    requests: [1300, 1088 * Mi],
    nonZero: [1300, 1088 * Mi],
  },
  {
    name: 'overhead is added to the requests and to the scoring requests',
    spec: {
      containers: [c('a', { cpu: '100m', memory: '100Mi' }), c('b')],
      overhead: { cpu: '250m', memory: '120Mi' },
    },
    requests: [350, 220 * Mi],
    nonZero: [450, 420 * Mi],
  },
  {
    name: 'pod-level requests replace the containers for what they set',
    spec: {
      resources: { requests: { cpu: '2', memory: '4Gi' } },
      containers: [c('a', { cpu: '500m' }), c('b')],
    },
    requests: [2000, 4 * Gi],
    nonZero: [2000, 4 * Gi],
  },
  {
    name: 'pod-level cpu only: memory still from the containers, defaulted per container when none names it',
    spec: { resources: { requests: { cpu: '1' } }, containers: [c('a'), c('b')] },
    requests: [1000, 0],
    nonZero: [1000, 400 * Mi],
  },
  {
    name: 'pod-level requests: a memory a container names, even as 0, is not defaulted',
    spec: { resources: { requests: { cpu: '1' } }, containers: [c('a', { memory: '0' }), c('b')] },
    requests: [1000, 0],
    nonZero: [1000, 0],
  },
  {
    name: 'pod-level limits only: requests default to the containers aggregate, else the limit',
    // cpu: the containers ask 500m (defaultPodRequests takes it); memory: none asks → limit 2Gi.
    spec: {
      resources: { limits: { cpu: '2', memory: '2Gi' } },
      containers: [c('a', { cpu: '500m' })],
    },
    requests: [500, 2 * Gi],
    nonZero: [500, 2 * Gi],
  },
  {
    name: 'pod-level requests and overhead: the overhead is added after',
    spec: {
      resources: { requests: { cpu: '1', memory: '1Gi' } },
      containers: [c('a')],
      overhead: { cpu: '100m' },
    },
    requests: [1100, Gi],
    nonZero: [1100, Gi],
  },
  {
    name: 'pod-level hugepages replace the containers hugepages',
    spec: {
      resources: { requests: { 'hugepages-2Mi': '1Gi' } },
      containers: [c('a', { 'hugepages-2Mi': '512Mi', cpu: '200m' })],
    },
    requests: [200, 0],
    nonZero: [200, 200 * Mi],
    scalar: { 'hugepages-2Mi': Gi },
  },
  {
    name: 'an unsupported pod-level resource is ignored (ephemeral-storage)',
    spec: {
      resources: { requests: { 'ephemeral-storage': '1Gi' } },
      containers: [c('a', { cpu: '100m' })],
    },
    requests: [100, 0],
    nonZero: [100, 200 * Mi],
  },
  {
    name: 'a pod without containers requests nothing, not even to score',
    spec: { containers: [] },
    requests: [0, 0],
    nonZero: [0, 0],
  },
  {
    name: 'extended resources add up and take the init maximum like any other',
    spec: {
      containers: [c('a', { 'nvidia.com/gpu': '1' }), c('b', { 'nvidia.com/gpu': '2' })],
      initContainers: [c('init', { 'nvidia.com/gpu': '4' })],
    },
    requests: [0, 0],
    nonZero: [200, 400 * Mi],
    scalar: { 'nvidia.com/gpu': 4 },
  },
];

describe('computePodRequests', () => {
  it.each(cases)('$name', ({ spec, requests, nonZero, scalar }) => {
    const r = computePodRequests(spec);
    expect([r.requests.milliCPU, r.requests.memory]).toEqual(requests);
    expect([r.nonZero.milliCPU, r.nonZero.memory]).toEqual(nonZero);
    expect(Object.fromEntries(r.requests.scalar)).toEqual(scalar ?? {});
  });
});
