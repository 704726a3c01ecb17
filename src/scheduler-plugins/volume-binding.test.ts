import { describe, expect, it } from '@jest/globals';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { Labels, SimPod } from '../model/objects.js';
import { ClusterStore } from '../model/store.js';
import { makeNode, makePod } from '../model/testing.js';
import {
  getPV,
  getPVC,
  type SimPersistentVolume,
  type SimPersistentVolumeClaim,
  type SimStorageClass,
} from '../model/volumes.js';
import { CycleState } from '../scheduler/framework/cycle-state.js';
import { PluginArgsError, type Handle } from '../scheduler/framework/interfaces.js';
import { Code, type Status } from '../scheduler/framework/status.js';
import {
  ANN_SELECTED_NODE,
  ERR_REASON_BIND_CONFLICT,
  ERR_REASON_NODE_CONFLICT,
  ERR_REASON_PV_NOT_EXIST,
  ERR_UNBOUND_IMMEDIATE,
  VolumeBinding,
  factory,
} from './volume-binding.js';

const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';

interface PVOptions {
  storage?: string;
  cls?: string;
  at?: [string, string];
  labels?: Labels;
  claimRef?: string;
  accessModes?: string[];
  phase?: string;
}

function pv(name: string, o: PVOptions = {}): SimPersistentVolume {
  return {
    kind: 'PersistentVolume',
    metadata: { name, labels: o.labels },
    spec: {
      capacity: { storage: o.storage ?? '10Gi' },
      storageClassName: o.cls ?? 'local',
      accessModes: o.accessModes ?? ['ReadWriteOnce'],
      claimRef: o.claimRef ? { namespace: 'default', name: o.claimRef } : undefined,
      nodeAffinity: o.at
        ? {
            required: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: o.at[0], operator: 'In', values: [o.at[1]] }] },
              ],
            },
          }
        : undefined,
    },
    status: o.phase ? { phase: o.phase } : undefined,
  };
}

interface PVCOptions {
  volumeName?: string;
  cls?: string;
  storage?: string;
  accessModes?: string[];
  annotations?: Labels;
  selector?: LabelSelector;
  phase?: string;
  deleting?: boolean;
}

function pvc(name: string, o: PVCOptions = {}): SimPersistentVolumeClaim {
  return {
    kind: 'PersistentVolumeClaim',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      annotations: o.annotations,
      deletionTimestamp: o.deleting ? '2024-01-01T00:00:00Z' : undefined,
    },
    spec: {
      volumeName: o.volumeName,
      storageClassName: o.cls,
      accessModes: o.accessModes ?? ['ReadWriteOnce'],
      resources: { requests: { storage: o.storage ?? '5Gi' } },
      selector: o.selector,
    },
    status: o.phase ? { phase: o.phase } : undefined,
  };
}

const sc = (
  name: string,
  provisioner: string,
  mode: string,
  zones?: string[],
): SimStorageClass => ({
  kind: 'StorageClass',
  metadata: { name },
  provisioner,
  volumeBindingMode: mode,
  allowedTopologies: zones
    ? [{ matchLabelExpressions: [{ key: ZONE, values: zones }] }]
    : undefined,
});

/** n-a and n-local in zone-a, n-b in zone-b; four storage classes. */
function cluster(objects: Array<SimPersistentVolume | SimPersistentVolumeClaim>): ClusterStore {
  const store = new ClusterStore();
  store.addNode(makeNode('n-a', { labels: { [ZONE]: 'zone-a' } }));
  store.addNode(makeNode('n-b', { labels: { [ZONE]: 'zone-b' } }));
  store.addNode(makeNode('n-local', { labels: { [ZONE]: 'zone-a' } }));
  store.putObject(sc('wffc', 'ebs.csi.aws.com', 'WaitForFirstConsumer'));
  store.putObject(sc('immediate', 'ebs.csi.aws.com', 'Immediate'));
  store.putObject(sc('local', 'kubernetes.io/no-provisioner', 'WaitForFirstConsumer'));
  store.putObject(sc('zonal', 'ebs.csi.aws.com', 'WaitForFirstConsumer', ['zone-b']));
  for (const o of objects) store.putObject(o);
  return store;
}

let seq = 0;
function podWithClaims(...claims: string[]): SimPod {
  return makePod(`p${++seq}`, {
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
const plugin = (store: ClusterStore) => factory(undefined, handle(store)) as VolumeBinding;
const show = (s: Status | null): string =>
  s === null ? 'Success' : `${Code[s.code]}: ${s.message()}`;
const OK = 'Success';
const nodeConflict = `UnschedulableAndUnresolvable: ${ERR_REASON_NODE_CONFLICT}`;
const bindConflict = `UnschedulableAndUnresolvable: ${ERR_REASON_BIND_CONFLICT}`;

function run(store: ClusterStore, pod: SimPod): Record<string, string> | string {
  const pl = plugin(store);
  const state = new CycleState();
  const pre = pl.preFilter(state, pod, store.nodes());
  if (pre.status?.isSkip()) return 'Skip';
  if (pre.status) return `PreFilter ${show(pre.status)}`;
  const out: Record<string, string> = {};
  for (const n of store.nodes()) out[n.name] = show(pl.filter(state, pod, n));
  return out;
}

describe('VolumeBinding Filter', () => {
  it.each([
    {
      name: 'a pod without claims skips the plugin',
      objects: [],
      pod: makePod('p', {
        spec: { containers: [{ name: 'c' }], volumes: [{ name: 'tmp', emptyDir: {} }] },
      }),
      want: 'Skip',
    },
    {
      name: "a bound claim's PV node affinity admits only the PV's zone",
      objects: [
        pv('pv-a', { at: [ZONE, 'zone-a'], claimRef: 'data' }),
        pvc('data', { volumeName: 'pv-a' }),
      ],
      pod: podWithClaims('data'),
      want: { 'n-a': OK, 'n-b': nodeConflict, 'n-local': OK },
    },
    {
      name: 'a PV node affinity by hostname pins the pod to that node',
      objects: [
        pv('pv-l', { at: [HOST, 'n-local'], claimRef: 'data' }),
        pvc('data', { volumeName: 'pv-l' }),
      ],
      pod: podWithClaims('data'),
      want: { 'n-a': nodeConflict, 'n-b': nodeConflict, 'n-local': OK },
    },
    {
      name: 'a claim bound to a missing PV rejects every node',
      objects: [pvc('data', { volumeName: 'gone' })],
      pod: podWithClaims('data'),
      want: {
        'n-a': `UnschedulableAndUnresolvable: ${ERR_REASON_PV_NOT_EXIST}`,
        'n-b': `UnschedulableAndUnresolvable: ${ERR_REASON_PV_NOT_EXIST}`,
        'n-local': `UnschedulableAndUnresolvable: ${ERR_REASON_PV_NOT_EXIST}`,
      },
    },
    {
      name: 'an unbound claim of an Immediate class waits for the PV controller',
      objects: [pvc('data', { cls: 'immediate' })],
      pod: podWithClaims('data'),
      want: `PreFilter UnschedulableAndUnresolvable: ${ERR_UNBOUND_IMMEDIATE}`,
    },
    {
      name: 'an unbound claim without a class is immediate too',
      objects: [pvc('data')],
      pod: podWithClaims('data'),
      want: 'PreFilter UnschedulableAndUnresolvable: pod has unbound immediate PersistentVolumeClaims',
    },
    {
      name: 'a missing claim rejects the pod',
      objects: [],
      pod: podWithClaims('data'),
      want: 'PreFilter UnschedulableAndUnresolvable: persistentvolumeclaim "data" not found',
    },
    {
      name: 'a claim being deleted rejects the pod',
      objects: [pvc('data', { cls: 'wffc', deleting: true })],
      pod: podWithClaims('data'),
      want: 'PreFilter UnschedulableAndUnresolvable: persistentvolumeclaim "data" is being deleted',
    },
    {
      name: 'a lost claim rejects the pod',
      objects: [pvc('data', { volumeName: 'pv-x', phase: 'Lost' })],
      pod: podWithClaims('data'),
      want: 'PreFilter UnschedulableAndUnresolvable: persistentvolumeclaim "data" bound to non-existent persistentvolume "pv-x"',
    },
    {
      name: 'a WaitForFirstConsumer claim of a dynamic provisioner fits every node',
      objects: [pvc('data', { cls: 'wffc' })],
      pod: podWithClaims('data'),
      want: { 'n-a': OK, 'n-b': OK, 'n-local': OK },
    },
    {
      name: "the class's allowedTopologies limit where a claim can be provisioned",
      objects: [pvc('data', { cls: 'zonal' })],
      pod: podWithClaims('data'),
      want: { 'n-a': bindConflict, 'n-b': OK, 'n-local': bindConflict },
    },
    {
      // 5Gi fits both local PVs; n-b has none and the class cannot provision.
      name: 'local volumes admit only the nodes holding an available PV that fits',
      objects: [
        pv('pv-local', { at: [HOST, 'n-local'] }),
        pv('pv-big', { storage: '100Gi', at: [HOST, 'n-a'] }),
        pvc('data', { cls: 'local' }),
      ],
      pod: podWithClaims('data'),
      want: { 'n-a': OK, 'n-b': bindConflict, 'n-local': OK },
    },
    {
      name: 'a PV smaller than the request does not fit',
      objects: [
        pv('pv-local', { at: [HOST, 'n-local'] }),
        pv('pv-big', { storage: '100Gi', at: [HOST, 'n-a'] }),
        pvc('data', { cls: 'local', storage: '50Gi' }),
      ],
      pod: podWithClaims('data'),
      want: { 'n-a': OK, 'n-b': bindConflict, 'n-local': bindConflict },
    },
    {
      name: 'PVs that are bound elsewhere, released, of another class or lacking the access mode are not matched',
      objects: [
        pv('pv-taken', { at: [HOST, 'n-a'], claimRef: 'other' }),
        pv('pv-released', { at: [HOST, 'n-a'], phase: 'Released' }),
        pv('pv-other-class', { at: [HOST, 'n-a'], cls: 'wffc' }),
        pv('pv-rwo', { at: [HOST, 'n-local'] }),
        pvc('data', { cls: 'local', accessModes: ['ReadWriteMany'] }),
      ],
      pod: podWithClaims('data'),
      want: { 'n-a': bindConflict, 'n-b': bindConflict, 'n-local': bindConflict },
    },
    {
      name: "a claim's selector must match the PV labels",
      objects: [
        pv('pv-ssd', { at: [HOST, 'n-a'], labels: { disk: 'ssd' } }),
        pv('pv-hdd', { at: [HOST, 'n-local'], labels: { disk: 'hdd' } }),
        pvc('data', { cls: 'local', selector: { matchLabels: { disk: 'ssd' } } }),
      ],
      pod: podWithClaims('data'),
      want: { 'n-a': OK, 'n-b': bindConflict, 'n-local': bindConflict },
    },
    {
      // pv-pre is pre-bound to the claim; a free PV on n-a is not considered once it exists.
      name: 'a PV pre-bound to the claim is the only candidate',
      objects: [
        pv('pv-free', { at: [HOST, 'n-a'] }),
        pv('pv-pre', { at: [HOST, 'n-b'], claimRef: 'data' }),
        pvc('data', { cls: 'local' }),
      ],
      pod: podWithClaims('data'),
      want: { 'n-a': bindConflict, 'n-b': OK, 'n-local': bindConflict },
    },
    {
      name: 'two claims cannot share one available PV',
      objects: [
        pv('pv-local', { at: [HOST, 'n-local'] }),
        pvc('one', { cls: 'local' }),
        pvc('two', { cls: 'local' }),
      ],
      pod: podWithClaims('one', 'two'),
      want: { 'n-a': bindConflict, 'n-b': bindConflict, 'n-local': bindConflict },
    },
    {
      name: 'a claim already being provisioned for a node fits only that node',
      objects: [pvc('data', { cls: 'wffc', annotations: { [ANN_SELECTED_NODE]: 'n-b' } })],
      pod: podWithClaims('data'),
      want: { 'n-a': bindConflict, 'n-b': OK, 'n-local': bindConflict },
    },
  ])('$name', ({ objects, pod, want }) => {
    expect(run(cluster(objects), pod)).toEqual(want);
  });
});

describe('VolumeBinding Reserve and PreBind', () => {
  function schedule(store: ClusterStore, pod: SimPod, nodeName: string): void {
    const pl = plugin(store);
    const state = new CycleState();
    expect(pl.preFilter(state, pod, store.nodes()).status).toBeNull();
    for (const n of store.nodes()) pl.filter(state, pod, n);
    expect(pl.reserve(state, pod, nodeName)).toBeNull();
    expect(pl.preBind(state, pod, nodeName)).toBeNull();
  }

  it('binds the smallest available PV that fits', () => {
    const store = cluster([
      pv('pv-100', { storage: '100Gi', at: [HOST, 'n-a'] }),
      pv('pv-20', { storage: '20Gi', at: [HOST, 'n-a'] }),
      pv('pv-8', { storage: '8Gi', at: [HOST, 'n-b'] }),
      pvc('data', { cls: 'local' }),
    ]);
    schedule(store, podWithClaims('data'), 'n-a');
    expect(getPVC(store, 'default', 'data')!.spec!.volumeName).toBe('pv-20');
    expect(getPV(store, 'pv-20')!.spec!.claimRef).toEqual({
      kind: 'PersistentVolumeClaim',
      namespace: 'default',
      name: 'data',
      uid: 'uid-data',
    });
    expect(getPV(store, 'pv-20')!.status!.phase).toBe('Bound');
    expect(getPV(store, 'pv-100')!.spec!.claimRef).toBeUndefined();
  });

  it('provisions a zonal PV so that later pods of the claim follow its data', () => {
    const store = cluster([pvc('data', { cls: 'wffc' })]);
    schedule(store, podWithClaims('data'), 'n-b');
    const claim = getPVC(store, 'default', 'data')!;
    expect(claim.spec!.volumeName).toBe('pvc-uid-data');
    const volume = getPV(store, 'pvc-uid-data')!;
    expect(volume.spec!.capacity).toEqual({ storage: '5Gi' });
    expect(volume.spec!.nodeAffinity!.required!.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: ZONE, operator: 'In', values: ['zone-b'] }] },
    ]);
    // The replacement pod may only go where the volume is.
    expect(run(store, podWithClaims('data'))).toEqual({
      'n-a': nodeConflict,
      'n-b': OK,
      'n-local': nodeConflict,
    });
  });

  it('reserve fails for a node the filter did not accept', () => {
    const store = cluster([pvc('data', { cls: 'zonal' })]);
    const pl = plugin(store);
    const pod = podWithClaims('data');
    const state = new CycleState();
    pl.preFilter(state, pod, store.nodes());
    pl.filter(state, pod, store.getNodeInfo('n-a')!);
    expect(pl.reserve(state, pod, 'n-a')!.code).toBe(Code.Error);
  });
});

describe('VolumeBinding args', () => {
  it('defaults bindTimeoutSeconds to 600 and rejects negative values', () => {
    const store = new ClusterStore();
    expect(plugin(store).args).toEqual({ bindTimeoutSeconds: 600 });
    expect(() => factory({ bindTimeoutSeconds: -1 }, handle(store))).toThrow(PluginArgsError);
    expect(() => factory({ bindTimeoutSeconds: -1 }, handle(store))).toThrow(
      'VolumeBinding args: bindTimeoutSeconds: Invalid value: -1: invalid BindTimeoutSeconds, should not be a negative value',
    );
  });
});
