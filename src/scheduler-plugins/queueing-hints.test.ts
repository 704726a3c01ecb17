/**
 * The QueueingHint functions of the in-tree plugins, one table per hint, against the cases of
 * upstream's isSchedulableAfter* (v1.35): `old` undefined is an add, `new` undefined a delete.
 */
import { describe, expect, it } from '@jest/globals';
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import type { SimNode, SimPod } from '../model/objects.js';
import { ClusterStore } from '../model/store.js';
import { makeNode, makePod, resource, type PodOptions } from '../model/testing.js';
import type {
  SimPersistentVolume,
  SimPersistentVolumeClaim,
  SimStorageClass,
} from '../model/volumes.js';
import { QueueingHint, type QueueingHintFn } from '../scheduler/framework/events.js';
import type { Handle } from '../scheduler/framework/interfaces.js';
import * as interPodAffinity from './inter-pod-affinity.js';
import { NodeAffinity } from './node-affinity.js';
import * as nodePorts from './node-ports.js';
import * as nodeResourcesFit from './node-resources-fit.js';
import * as nodeUnschedulable from './node-unschedulable.js';
import * as podTopologySpread from './pod-topology-spread.js';
import * as schedulingGates from './scheduling-gates.js';
import * as taintToleration from './taint-toleration.js';
import * as volumeBinding from './volume-binding.js';
import * as volumeZone from './volume-zone.js';

const { Queue, QueueSkip } = QueueingHint;

type Case = [name: string, pod: SimPod, oldObj: unknown, newObj: unknown, want: QueueingHint];

function table(title: string, fn: QueueingHintFn, cases: Case[]): void {
  describe(title, () => {
    it.each(cases)('%s', (_name, pod, oldObj, newObj, want) => {
      expect(fn(pod, oldObj, newObj)).toBe(want);
    });
  });
}

const pod = (name: string, opts: PodOptions = {}): SimPod => makePod(name, opts);
const withSpec = (name: string, spec: Partial<PodSpec>, opts: PodOptions = {}): SimPod =>
  makePod(name, { ...opts, spec: { containers: [{ name: 'c' }], ...spec } });
/** A copy of `p` whose spec and labels may be changed without touching `p`. */
const changed = (p: SimPod, change: (c: SimPod) => void): SimPod => {
  const c: SimPod = {
    ...p,
    metadata: { ...p.metadata, labels: { ...p.metadata.labels } },
    spec: { ...p.spec },
    status: { ...p.status },
  };
  change(c);
  return c;
};
const nodeWith = (change: (n: SimNode) => void, name = 'n'): SimNode => {
  const n = makeNode(name, { allocatable: { cpu: 4000, memory: 8 << 30 } });
  change(n);
  return n;
};
const plainNode = (): SimNode => nodeWith(() => undefined);
const handle = (store: ClusterStore): Handle => ({
  store,
  now: () => 0,
  random: () => 0,
  recordEvent: () => undefined,
  parallelism: 1,
});

// ---- SchedulingGates ---------------------------------------------------------------------

const gated = withSpec('gated', { schedulingGates: [{ name: 'g' }] });
table(
  'SchedulingGates isSchedulableAfterUpdatePodSchedulingGatesEliminated',
  schedulingGates.isSchedulableAfterUpdatePodSchedulingGatesEliminated,
  [
    [
      'the gated pod lost its gates',
      gated,
      gated,
      changed(gated, (p) => (p.spec.schedulingGates = [])),
      Queue,
    ],
    ['another pod lost its gates', gated, pod('other'), pod('other'), QueueSkip],
  ],
);

// ---- NodeUnschedulable -------------------------------------------------------------------

const cordoned = nodeWith((n) => (n.spec.unschedulable = true));
table(
  'NodeUnschedulable isSchedulableAfterNodeChange',
  nodeUnschedulable.isSchedulableAfterNodeChange,
  [
    ['a schedulable node was added', pod('p'), undefined, plainNode(), Queue],
    ['a cordoned node was added', pod('p'), undefined, cordoned, QueueSkip],
    ['a node was uncordoned', pod('p'), cordoned, plainNode(), Queue],
    ['a cordoned node changed but stays cordoned', pod('p'), cordoned, cordoned, QueueSkip],
    [
      'a schedulable node changed and stays schedulable',
      pod('p'),
      plainNode(),
      plainNode(),
      QueueSkip,
    ],
  ],
);

const unschedTol = {
  key: 'node.kubernetes.io/unschedulable',
  operator: 'Exists',
  effect: 'NoSchedule',
};
const bare = pod('p');
table(
  'NodeUnschedulable isSchedulableAfterPodTolerationChange',
  nodeUnschedulable.isSchedulableAfterPodTolerationChange,
  [
    [
      'the pod now tolerates the unschedulable taint',
      bare,
      bare,
      changed(bare, (p) => (p.spec.tolerations = [unschedTol])),
      Queue,
    ],
    [
      'the pod got an unrelated toleration',
      bare,
      bare,
      changed(bare, (p) => (p.spec.tolerations = [{ key: 'x', operator: 'Exists' }])),
      QueueSkip,
    ],
    [
      'another pod got the toleration',
      bare,
      pod('q'),
      withSpec('q', { tolerations: [unschedTol] }),
      QueueSkip,
    ],
  ],
);

// ---- TaintToleration ---------------------------------------------------------------------

const tainted = (effect: 'NoSchedule' | 'NoExecute' | 'PreferNoSchedule'): SimNode =>
  nodeWith((n) => (n.spec.taints = [{ key: 'k', value: 'v', effect }]));
const tolerant = withSpec('tolerant', { tolerations: [{ key: 'k', operator: 'Exists' }] });
table(
  'TaintToleration isSchedulableAfterNodeChange',
  taintToleration.isSchedulableAfterNodeChange,
  [
    ['a node without taints was added', pod('p'), undefined, plainNode(), Queue],
    [
      'a node with an untolerated NoSchedule taint was added',
      pod('p'),
      undefined,
      tainted('NoSchedule'),
      QueueSkip,
    ],
    ['a node with a tolerated taint was added', tolerant, undefined, tainted('NoSchedule'), Queue],
    [
      'an untolerated NoExecute taint was removed',
      pod('p'),
      tainted('NoExecute'),
      plainNode(),
      Queue,
    ],
    [
      'a tolerated taint was removed (it never rejected the pod)',
      tolerant,
      tainted('NoSchedule'),
      plainNode(),
      QueueSkip,
    ],
    [
      'a PreferNoSchedule taint was removed (it never rejects)',
      pod('p'),
      tainted('PreferNoSchedule'),
      plainNode(),
      QueueSkip,
    ],
    ['an untolerated taint was added', pod('p'), plainNode(), tainted('NoSchedule'), QueueSkip],
  ],
);
table(
  'TaintToleration isSchedulableAfterPodTolerationChange',
  taintToleration.isSchedulableAfterPodTolerationChange,
  [
    [
      'the pod itself got a toleration',
      bare,
      bare,
      changed(bare, (p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists' }])),
      Queue,
    ],
    ['another pod got a toleration', bare, pod('q'), tolerant, QueueSkip],
  ],
);

// ---- NodeAffinity ------------------------------------------------------------------------

const wantsSsd = withSpec('ssd', { nodeSelector: { disk: 'ssd' } });
const ssdNode = nodeWith((n) => (n.metadata.labels.disk = 'ssd'));
const hddNode = nodeWith((n) => (n.metadata.labels.disk = 'hdd'));
const affinity = new NodeAffinity({});
const enforced = new NodeAffinity({
  addedAffinity: {
    requiredDuringSchedulingIgnoredDuringExecution: {
      nodeSelectorTerms: [
        { matchExpressions: [{ key: 'pool', operator: 'In', values: ['gold'] }] },
      ],
    },
  },
});
table(
  'NodeAffinity isSchedulableAfterNodeChange',
  (p, o, n) => affinity.isSchedulableAfterNodeChange(p, o, n),
  [
    ['a matching node was added', wantsSsd, undefined, ssdNode, Queue],
    ['a node that does not match was added', wantsSsd, undefined, hddNode, QueueSkip],
    ['a node was relabelled to match', wantsSsd, hddNode, ssdNode, Queue],
    ['a matching node changed and still matches', wantsSsd, ssdNode, ssdNode, QueueSkip],
    ['a node was relabelled away from matching', wantsSsd, ssdNode, hddNode, QueueSkip],
  ],
);
table(
  'NodeAffinity isSchedulableAfterNodeChange with addedAffinity',
  (p, o, n) => enforced.isSchedulableAfterNodeChange(p, o, n),
  [
    [
      'a node matching the pod but not the profile was added',
      wantsSsd,
      undefined,
      ssdNode,
      QueueSkip,
    ],
    [
      'a node matching both was added',
      wantsSsd,
      undefined,
      nodeWith((n) => Object.assign(n.metadata.labels, { disk: 'ssd', pool: 'gold' })),
      Queue,
    ],
  ],
);

// ---- NodePorts ---------------------------------------------------------------------------

const withPort = (name: string, port: number, opts: PodOptions = {}): SimPod =>
  withSpec(
    name,
    { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: port }] }] },
    opts,
  );
const nominated = changed(withPort('nom', 8080), (p) => (p.status.nominatedNodeName = 'n'));
table(
  'NodePorts isSchedulableAfterPodDeleted',
  (p, o) => nodePorts.isSchedulableAfterPodDeleted(p, o),
  [
    [
      'an unscheduled pod with the port was deleted',
      withPort('p', 8080),
      withPort('u', 8080),
      undefined,
      QueueSkip,
    ],
    [
      'a placed pod holding the port was deleted',
      withPort('p', 8080),
      withPort('h', 8080, { nodeName: 'n' }),
      undefined,
      Queue,
    ],
    [
      'a nominated pod asking for the port was deleted',
      withPort('p', 8080),
      nominated,
      undefined,
      Queue,
    ],
    [
      'a placed pod holding another port was deleted',
      withPort('p', 8080),
      withPort('h', 9090, { nodeName: 'n' }),
      undefined,
      QueueSkip,
    ],
    [
      'a placed pod without host ports was deleted',
      withPort('p', 8080),
      pod('h', { nodeName: 'n' }),
      undefined,
      QueueSkip,
    ],
  ],
);

// ---- NodeResourcesFit --------------------------------------------------------------------

const cpuPod = pod('p', { requests: { cpu: 2000 } });
const placedBig = pod('big', { nodeName: 'n', requests: { cpu: 3000, memory: 4 << 30 } });
const scaled = (p: SimPod, r: Parameters<typeof resource>[0]): SimPod =>
  changed(p, (c) => (c.requests = resource(r)));
const nominatedPending = changed(pod('np'), (p) => (p.status.nominatedNodeName = 'n'));
table('NodeResourcesFit isSchedulableAfterPodEvent', nodeResourcesFit.isSchedulableAfterPodEvent, [
  ['an unscheduled pod was deleted', cpuPod, pod('u'), undefined, QueueSkip],
  ['a placed pod was deleted', cpuPod, placedBig, undefined, Queue],
  ['a nominated pod was deleted', cpuPod, nominatedPending, undefined, Queue],
  ['the pod itself was scaled down', cpuPod, cpuPod, scaled(cpuPod, { cpu: 1000 }), Queue],
  [
    'a placed pod gave back cpu the pod requests',
    cpuPod,
    placedBig,
    scaled(placedBig, { cpu: 1000, memory: 4 << 30 }),
    Queue,
  ],
  [
    'a placed pod gave back only memory, which the pod does not request',
    cpuPod,
    placedBig,
    scaled(placedBig, { cpu: 3000, memory: 1 << 30 }),
    QueueSkip,
  ],
  [
    'an unscheduled pod was scaled down',
    cpuPod,
    pod('u', { requests: { cpu: 3000 } }),
    pod('u', { requests: { cpu: 1000 } }),
    QueueSkip,
  ],
]);

const sized = (cpu: number, pods = 110, gpu = 0): SimNode =>
  nodeWith(
    (n) =>
      (n.status.allocatable = resource({
        cpu,
        memory: 8 << 30,
        pods,
        scalar: gpu ? { 'nvidia.com/gpu': gpu } : {},
      })),
  );
table(
  'NodeResourcesFit isSchedulableAfterNodeChange',
  nodeResourcesFit.isSchedulableAfterNodeChange,
  [
    ['a node too small even when empty was added', cpuPod, undefined, sized(1000), QueueSkip],
    ['a node big enough was added', cpuPod, undefined, sized(4000), Queue],
    ['allocatable cpu grew', cpuPod, sized(3000), sized(4000), Queue],
    [
      'only an extended resource the pod does not request grew',
      cpuPod,
      sized(4000),
      sized(4000, 110, 2),
      QueueSkip,
    ],
    ['the pod count grew', cpuPod, sized(4000, 10), sized(4000, 20), Queue],
    ['allocatable cpu shrank below the request', cpuPod, sized(4000), sized(1000), QueueSkip],
    ['nothing the pod requests changed', cpuPod, sized(4000), sized(4000), QueueSkip],
  ],
);

// ---- PodTopologySpread -------------------------------------------------------------------

const spreadStore = new ClusterStore();
const spread = podTopologySpread.factory(
  undefined,
  handle(spreadStore),
) as podTopologySpread.PodTopologySpread;
/** A pod spreading app=web over zones (DoNotSchedule), with the given nodeTaintsPolicy. */
const spreadingPod = (name: string, nodeTaintsPolicy?: string): SimPod =>
  withSpec(
    name,
    {
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'zone',
          whenUnsatisfiable: 'DoNotSchedule',
          nodeTaintsPolicy,
          labelSelector: { matchLabels: { app: 'web' } },
        },
      ],
    },
    { labels: { app: 'web' } },
  );
const spreading = spreadingPod('web-x');
const honoring = spreadingPod('web-h', 'Honor');
const web = pod('web-1', { nodeName: 'n', labels: { app: 'web' } });
const db = pod('db-1', { nodeName: 'n', labels: { app: 'db' } });
table(
  'PodTopologySpread isSchedulableAfterPodChange',
  (p, o, n) => spread.isSchedulableAfterPodChange(p, o, n),
  [
    ['a matching pod was placed', spreading, undefined, web, Queue],
    ['a pod not matching the selector was placed', spreading, undefined, db, QueueSkip],
    [
      'a matching pod was created unscheduled',
      spreading,
      undefined,
      pod('web-2', { labels: { app: 'web' } }),
      QueueSkip,
    ],
    [
      'a matching pod of another namespace was placed',
      spreading,
      undefined,
      pod('web-3', { nodeName: 'n', namespace: 'other', labels: { app: 'web' } }),
      QueueSkip,
    ],
    ['a matching placed pod was deleted', spreading, web, undefined, Queue],
    [
      'a placed pod was relabelled into the selector',
      spreading,
      db,
      changed(db, (p) => (p.metadata.labels.app = 'web')),
      Queue,
    ],
    [
      'a placed pod got an unrelated label',
      spreading,
      web,
      changed(web, (p) => (p.metadata.labels.tier = 'x')),
      QueueSkip,
    ],
    [
      'the pod got a toleration under nodeTaintsPolicy Honor',
      honoring,
      honoring,
      changed(honoring, (p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists' }])),
      Queue,
    ],
    [
      'the pod got a toleration under the default Ignore policy',
      spreading,
      spreading,
      changed(spreading, (p) => (p.spec.tolerations = [{ key: 'k', operator: 'Exists' }])),
      QueueSkip,
    ],
  ],
);
const zoned = (zone: string | undefined, taint = false): SimNode =>
  nodeWith((n) => {
    if (zone !== undefined) n.metadata.labels.zone = zone;
    if (taint) n.spec.taints = [{ key: 'k', effect: 'NoSchedule' }];
  });
table(
  'PodTopologySpread isSchedulableAfterNodeChange',
  (p, o, n) => spread.isSchedulableAfterNodeChange(p, o, n),
  [
    ['a node with the topology key was added', spreading, undefined, zoned('a'), Queue],
    [
      'a node without the topology key was added',
      spreading,
      undefined,
      zoned(undefined),
      QueueSkip,
    ],
    ['a node with the topology key was deleted', spreading, zoned('a'), undefined, Queue],
    ['a node gained the topology key', spreading, zoned(undefined), zoned('a'), Queue],
    ['a node moved to another domain', spreading, zoned('a'), zoned('b'), Queue],
    ['a node in a domain got a taint', spreading, zoned('a'), zoned('a', true), Queue],
    [
      'a node without the key got a taint',
      spreading,
      zoned(undefined),
      zoned(undefined, true),
      QueueSkip,
    ],
    ['a node in a domain changed nothing relevant', spreading, zoned('a'), zoned('a'), QueueSkip],
  ],
);

// ---- InterPodAffinity --------------------------------------------------------------------

const term = (app: string) => ({
  labelSelector: { matchLabels: { app } },
  topologyKey: 'kubernetes.io/hostname',
});
const follower = withSpec('follower', {
  affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('leader')] } },
});
const loner = withSpec('loner', {
  affinity: {
    podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('noisy')] },
  },
});
const leader = pod('leader', { nodeName: 'n', labels: { app: 'leader' } });
const noisy = pod('noisy', { nodeName: 'n', labels: { app: 'noisy' } });
table(
  'InterPodAffinity isSchedulableAfterPodChange',
  interPodAffinity.isSchedulableAfterPodChange,
  [
    ['a placed pod matching the affinity was added', follower, undefined, leader, Queue],
    [
      'the matching pod was created unscheduled',
      follower,
      undefined,
      pod('l2', { labels: { app: 'leader' } }),
      QueueSkip,
    ],
    ['a placed pod not matching the affinity was added', follower, undefined, noisy, QueueSkip],
    ['a placed pod matching the anti-affinity was deleted', loner, noisy, undefined, Queue],
    [
      'a placed pod not matching the anti-affinity was deleted',
      loner,
      leader,
      undefined,
      QueueSkip,
    ],
    ['a placed pod matching only the affinity was deleted', follower, leader, undefined, QueueSkip],
    [
      'a placed pod was relabelled to match the affinity',
      follower,
      noisy,
      changed(noisy, (p) => (p.metadata.labels.app = 'leader')),
      Queue,
    ],
    [
      'a placed pod was relabelled out of the anti-affinity',
      loner,
      noisy,
      changed(noisy, (p) => (p.metadata.labels.app = 'calm')),
      Queue,
    ],
    [
      'a placed pod was relabelled into the anti-affinity',
      loner,
      leader,
      changed(leader, (p) => (p.metadata.labels.app = 'noisy')),
      QueueSkip,
    ],
  ],
);
table(
  'InterPodAffinity isSchedulableAfterNodeChange',
  interPodAffinity.isSchedulableAfterNodeChange,
  [
    ['a node with the affinity topology key was added', follower, undefined, plainNode(), Queue],
    ['a node with the anti-affinity topology key was added', loner, undefined, plainNode(), Queue],
    [
      'a node without the key was added',
      follower,
      undefined,
      nodeWith((n) => delete n.metadata.labels['kubernetes.io/hostname']),
      QueueSkip,
    ],
    [
      'a node was added for a pod without pod (anti-)affinity',
      pod('p'),
      undefined,
      plainNode(),
      QueueSkip,
    ],
  ],
);

// ---- VolumeBinding and VolumeZone --------------------------------------------------------

const claimant = withSpec('db', {
  volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
});
const pvc = (name: string, namespace = 'default'): SimPersistentVolumeClaim => ({
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace },
  spec: {},
});
const sc = (mode?: string, zones?: string[]): SimStorageClass => ({
  kind: 'StorageClass',
  metadata: { name: 'sc' },
  provisioner: 'ebs.csi.aws.com',
  volumeBindingMode: mode,
  allowedTopologies: zones && [{ matchLabelExpressions: [{ key: 'zone', values: zones }] }],
});
const pv = (zone?: string): SimPersistentVolume => ({
  kind: 'PersistentVolume',
  metadata: { name: 'pv', labels: zone ? { 'topology.kubernetes.io/zone': zone } : {} },
  spec: {},
});
const claimCases = (): Case[] => [
  ['a claim of the pod was added', claimant, undefined, pvc('data'), Queue],
  [
    'a claim of the pod was bound',
    claimant,
    pvc('data'),
    { ...pvc('data'), spec: { volumeName: 'pv' } },
    Queue,
  ],
  ['another claim was added', claimant, undefined, pvc('logs'), QueueSkip],
  [
    'a claim of that name in another namespace was added',
    claimant,
    undefined,
    pvc('data', 'other'),
    QueueSkip,
  ],
];
table(
  'VolumeBinding isSchedulableAfterPersistentVolumeClaimChange',
  volumeBinding.isSchedulableAfterPersistentVolumeClaimChange,
  claimCases(),
);
table(
  'VolumeBinding isSchedulableAfterStorageClassChange',
  volumeBinding.isSchedulableAfterStorageClassChange,
  [
    ['a class was added', claimant, undefined, sc('Immediate'), Queue],
    [
      'a class changed its allowedTopologies',
      claimant,
      sc('WaitForFirstConsumer', ['a']),
      sc('WaitForFirstConsumer', ['a', 'b']),
      Queue,
    ],
    [
      'a class changed something else',
      claimant,
      sc('WaitForFirstConsumer', ['a']),
      { ...sc('WaitForFirstConsumer', ['a']), parameters: { x: 'y' } },
      QueueSkip,
    ],
  ],
);
table(
  'VolumeZone isSchedulableAfterPersistentVolumeClaimChange',
  volumeZone.isSchedulableAfterPersistentVolumeClaimChange,
  claimCases(),
);
table(
  'VolumeZone isSchedulableAfterStorageClassAdded',
  volumeZone.isSchedulableAfterStorageClassAdded,
  [
    [
      'a WaitForFirstConsumer class was added',
      claimant,
      undefined,
      sc('WaitForFirstConsumer'),
      Queue,
    ],
    ['an Immediate class was added', claimant, undefined, sc('Immediate'), QueueSkip],
    ['a class without a binding mode was added', claimant, undefined, sc(), QueueSkip],
  ],
);
table(
  'VolumeZone isSchedulableAfterPersistentVolumeChange',
  volumeZone.isSchedulableAfterPersistentVolumeChange,
  [
    ['a PV was added', claimant, undefined, pv('a'), Queue],
    ['a PV moved to another zone', claimant, pv('a'), pv('b'), Queue],
    ['a PV got its first zone label', claimant, pv(), pv('a'), Queue],
    ['a PV changed but its zone did not', claimant, pv('a'), pv('a'), QueueSkip],
  ],
);
