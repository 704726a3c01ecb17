import { describe, expect, it } from '@jest/globals';
import type { Labels, SimNode, SimPod } from '../model/objects.js';
import { ClusterStore } from '../model/store.js';
import { makeNode, makePod } from '../model/testing.js';
import type {
  SimPersistentVolume,
  SimPersistentVolumeClaim,
  SimStorageClass,
} from '../model/volumes.js';
import { CycleState } from '../scheduler/framework/cycle-state.js';
import type { Handle } from '../scheduler/framework/interfaces.js';
import { Code, type Status } from '../scheduler/framework/status.js';
import {
  ERR_REASON_CONFLICT,
  LABEL_FAILURE_DOMAIN_BETA_REGION as BETA_REGION,
  LABEL_FAILURE_DOMAIN_BETA_ZONE as BETA_ZONE,
  LABEL_TOPOLOGY_REGION as GA_REGION,
  LABEL_TOPOLOGY_ZONE as GA_ZONE,
  VolumeZone,
  factory,
  labelZonesToSet,
} from './volume-zone.js';

const pv = (name: string, labels: Labels): SimPersistentVolume => ({
  kind: 'PersistentVolume',
  metadata: { name, labels },
});
const pvc = (name: string, spec: SimPersistentVolumeClaim['spec']): SimPersistentVolumeClaim => ({
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default' },
  spec,
});
const sc = (name: string, volumeBindingMode?: string): SimStorageClass => ({
  kind: 'StorageClass',
  metadata: { name },
  provisioner: 'csi.example.com',
  volumeBindingMode,
});

function cluster(): ClusterStore {
  const store = new ClusterStore();
  const nodes: SimNode[] = [
    makeNode('node-a', { labels: { [GA_ZONE]: 'zone-a', [GA_REGION]: 'r1' } }),
    makeNode('node-b', { labels: { [GA_ZONE]: 'zone-b', [GA_REGION]: 'r1' } }),
    makeNode('node-beta', { labels: { [BETA_ZONE]: 'zone-b', [BETA_REGION]: 'r1' } }),
    makeNode('node-plain'),
  ];
  for (const n of nodes) store.addNode(n);
  for (const o of [
    pv('pv-a', { [GA_ZONE]: 'zone-a' }),
    pv('pv-ab', { [GA_ZONE]: 'zone-a__zone-b' }),
    pv('pv-beta', { [BETA_ZONE]: 'zone-b', [BETA_REGION]: 'r1' }),
    pv('pv-region', { [GA_REGION]: 'r2' }),
    pv('pv-bad', { [GA_ZONE]: 'zone-a__' }),
    pvc('claim-a', { volumeName: 'pv-a' }),
    pvc('claim-ab', { volumeName: 'pv-ab' }),
    pvc('claim-beta', { volumeName: 'pv-beta' }),
    pvc('claim-region', { volumeName: 'pv-region' }),
    pvc('claim-bad', { volumeName: 'pv-bad' }),
    pvc('claim-gone-pv', { volumeName: 'gone' }),
    pvc('claim-wffc', { storageClassName: 'wffc' }),
    pvc('claim-immediate', { storageClassName: 'immediate' }),
    pvc('claim-defaulted-mode', { storageClassName: 'no-mode' }),
    pvc('claim-no-class', {}),
    pvc('claim-ghost-class', { storageClassName: 'ghost' }),
    sc('wffc', 'WaitForFirstConsumer'),
    sc('immediate', 'Immediate'),
    sc('no-mode'),
  ]) {
    store.putObject(o);
  }
  return store;
}

function podWithClaims(...claims: string[]): SimPod {
  return makePod('p', {
    spec: {
      containers: [{ name: 'c' }],
      volumes: claims.map((claimName, i) => ({
        name: `v${i}`,
        persistentVolumeClaim: { claimName },
      })),
    },
  });
}

const handle = (store: ClusterStore): Handle => ({
  store,
  now: () => 0,
  random: () => 0,
  recordEvent: () => {},
  parallelism: 1,
});
const codeName = (s: Status | null): string => (s === null ? 'Success' : Code[s.code]!);
const OK = 'Success';
const UNRES = 'UnschedulableAndUnresolvable';

function run(pod: SimPod): Record<string, string> | { preFilter: string; reason: string } {
  const store = cluster();
  const pl = factory(undefined, handle(store)) as VolumeZone;
  const state = new CycleState();
  const pre = pl.preFilter(state, pod, store.nodes());
  if (pre.status && !pre.status.isSkip())
    return { preFilter: codeName(pre.status), reason: pre.status.message() };
  const out: Record<string, string> = {};
  for (const n of store.nodes())
    out[n.name] = pre.status?.isSkip() ? 'Skip' : codeName(pl.filter(state, pod, n));
  return out;
}

describe('VolumeZone', () => {
  it.each([
    {
      name: 'a pod without volumes skips the plugin',
      pod: makePod('p'),
      want: { 'node-a': 'Skip', 'node-b': 'Skip', 'node-beta': 'Skip', 'node-plain': 'Skip' },
    },
    {
      // node-beta has only beta labels: a GA-labelled PV is not translated back to beta.
      name: 'a PV in zone-a fits nodes of zone-a and nodes without any zone label',
      pod: podWithClaims('claim-a'),
      want: { 'node-a': OK, 'node-b': UNRES, 'node-beta': UNRES, 'node-plain': OK },
    },
    {
      name: 'a PV labelled with the zone set zone-a__zone-b fits either zone',
      pod: podWithClaims('claim-ab'),
      want: { 'node-a': OK, 'node-b': OK, 'node-beta': UNRES, 'node-plain': OK },
    },
    {
      // The PV's beta labels match node-beta directly and node-b through the GA labels.
      name: 'beta zone and region labels on the PV also match the GA labels of the node',
      pod: podWithClaims('claim-beta'),
      want: { 'node-a': UNRES, 'node-b': OK, 'node-beta': OK, 'node-plain': OK },
    },
    {
      name: 'a region label alone restricts the pod to that region',
      pod: podWithClaims('claim-region'),
      want: { 'node-a': UNRES, 'node-b': UNRES, 'node-beta': UNRES, 'node-plain': OK },
    },
    {
      name: 'a zone set with an empty element is ignored',
      pod: podWithClaims('claim-bad'),
      want: { 'node-a': 'Skip', 'node-b': 'Skip', 'node-beta': 'Skip', 'node-plain': 'Skip' },
    },
    {
      name: 'an unbound WaitForFirstConsumer claim is left to VolumeBinding',
      pod: podWithClaims('claim-wffc'),
      want: { 'node-a': 'Skip', 'node-b': 'Skip', 'node-beta': 'Skip', 'node-plain': 'Skip' },
    },
    {
      name: 'every PV of the pod must fit the node',
      pod: podWithClaims('claim-a', 'claim-beta'),
      want: { 'node-a': UNRES, 'node-b': UNRES, 'node-beta': UNRES, 'node-plain': OK },
    },
    {
      name: 'a missing claim rejects the pod',
      pod: podWithClaims('nope'),
      want: { preFilter: UNRES, reason: 'persistentvolumeclaim "nope" not found' },
    },
    {
      name: 'a claim bound to a missing PV rejects the pod',
      pod: podWithClaims('claim-gone-pv'),
      want: { preFilter: UNRES, reason: 'persistentvolume "gone" not found' },
    },
    {
      name: 'an unbound claim of an Immediate class rejects the pod',
      pod: podWithClaims('claim-immediate'),
      want: { preFilter: UNRES, reason: 'PersistentVolume had no name' },
    },
    {
      name: 'a class without volumeBindingMode is Immediate',
      pod: podWithClaims('claim-defaulted-mode'),
      want: { preFilter: UNRES, reason: 'PersistentVolume had no name' },
    },
    {
      name: 'an unbound claim without a class rejects the pod',
      pod: podWithClaims('claim-no-class'),
      want: {
        preFilter: UNRES,
        reason: 'PersistentVolumeClaim had no pv name and storageClass name',
      },
    },
    {
      name: 'an unbound claim of an unknown class rejects the pod',
      pod: podWithClaims('claim-ghost-class'),
      want: { preFilter: UNRES, reason: 'storageclass.storage.k8s.io "ghost" not found' },
    },
    {
      name: 'a volume with an empty claim name rejects the pod',
      pod: podWithClaims(''),
      want: { preFilter: UNRES, reason: 'PersistentVolumeClaim had no name' },
    },
  ])('$name', ({ pod, want }) => {
    expect(run(pod)).toEqual(want);
  });

  it('rejects with the upstream reason', () => {
    const store = cluster();
    const pl = factory(undefined, handle(store)) as VolumeZone;
    const pod = podWithClaims('claim-a');
    const state = new CycleState();
    pl.preFilter(state, pod, store.nodes());
    expect(pl.filter(state, pod, store.getNodeInfo('node-b')!)!.reasons).toEqual([
      ERR_REASON_CONFLICT,
    ]);
    expect(ERR_REASON_CONFLICT).toBe('node(s) had no available volume zone');
    // Without PreFilter state the filter computes the PVs itself.
    expect(pl.filter(new CycleState(), pod, store.getNodeInfo('node-b')!)!.code).toBe(
      Code.UnschedulableAndUnresolvable,
    );
    expect(pl.filter(new CycleState(), pod, store.getNodeInfo('node-a')!)).toBeNull();
  });

  it('splits zone sets on double underscores and refuses empty elements', () => {
    expect(labelZonesToSet('a__b__c')).toEqual(new Set(['a', 'b', 'c']));
    expect(labelZonesToSet(' a ')).toEqual(new Set(['a']));
    expect(labelZonesToSet('a____b')).toBeUndefined();
    expect(labelZonesToSet('')).toBeUndefined();
  });
});
