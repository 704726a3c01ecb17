import { describe, expect, it } from '@jest/globals';
import type { SimContext } from '../../src/components/context.js';
import { DAEMONSET_KIND, type DaemonSet } from '../../src/controllers/daemonset.js';
import { eventsWith, podsOf, runYaml, simulation } from './batch-helpers.js';

const yaml = simulation(
  '10m',
  `  nodePools:
    - name: plain
      count: 3
      template: {status: {allocatable: {cpu: '4', memory: 8Gi}}}
    - name: gpu
      count: 2
      template:
        spec: {taints: [{key: dedicated, value: gpu, effect: NoSchedule}]}
        status: {allocatable: {cpu: '4', memory: 8Gi}}
    - name: down
      count: 1
      template:
        spec: {taints: [{key: node.kubernetes.io/unreachable, effect: NoExecute}, {key: node.kubernetes.io/memory-pressure, effect: NoSchedule}]}
        status: {allocatable: {cpu: '4', memory: 8Gi}}
  timeline:
    - {at: 2m, action: add-nodes, pool: plain, count: 1}
    - {at: 5m, action: remove-nodes, target: {node: plain-0}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: kube-system}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: a, image: agent, resources: {requests: {cpu: 100m}}}]
`,
);

describe('DaemonSet controller', () => {
  const r = runYaml(yaml);
  const pods = podsOf(r, 'agent-');

  it('creates one pod per eligible node at time 0, skipping nodes with untolerated NoSchedule taints', () => {
    const initial = pods.filter((p) => p.times.created === 0);
    expect(initial.map((p) => p.spec.nodeName).sort()).toEqual([
      'down-0',
      'plain-0',
      'plain-1',
      'plain-2',
    ]);
  });

  it('tolerates unreachable NoExecute and memory-pressure automatically, without tolerationSeconds', () => {
    const p = pods.find((x) => x.spec.nodeName === 'down-0')!;
    expect(p.spec.tolerations).toEqual(
      expect.arrayContaining([
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
        { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
      ]),
    );
    expect(p.spec.tolerations!.some((t) => t.tolerationSeconds !== undefined)).toBe(false);
  });

  it('pins each pod to its node with required node affinity on metadata.name', () => {
    for (const p of pods) {
      expect(p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual(
        {
          nodeSelectorTerms: [
            { matchFields: [{ key: 'metadata.name', operator: 'In', values: [p.spec.nodeName] }] },
          ],
        },
      );
    }
  });

  it('covers a node added at 2m with a pod created at that instant', () => {
    const added = pods.filter((p) => p.spec.nodeName === 'plain-3');
    expect(added.map((p) => p.times.created)).toEqual([120_000]);
    expect(eventsWith(r, 'RegisteredNode', 'plain-3')).toHaveLength(1);
  });

  it('leaves the pod of a removed node to PodGC, which deletes it after the quarantine', () => {
    const gone = pods.find((p) => p.spec.nodeName === 'plain-0')!;
    // Quarantine 40 s after the node is gone, on PodGC's 20 s loop: 340–360 s.
    expect(gone.times.finished).toBeGreaterThanOrEqual(340_000);
    expect(gone.times.finished).toBeLessThanOrEqual(360_000);
    expect(r.store.getPod(gone.key)).toBeUndefined();
    expect(pods).toHaveLength(5);
  });
});

describe('DaemonSet eligibility', () => {
  const daemonSet = (name: string, podSpec: string): string => `---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ${name}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
${podSpec}
      containers: [{name: a, image: agent, resources: {requests: {cpu: 100m}}}]
`;
  // ssd-0, ssd-1: disk=ssd; hdd-0: disk=hdd; arm-0: disk=ssd, kubernetes.io/arch=arm64.
  const r = runYaml(
    simulation(
      '1m',
      `  nodePools:
    - name: ssd
      count: 2
      template: {metadata: {labels: {disk: ssd}}, status: {allocatable: {cpu: '4', memory: 8Gi}}}
    - name: hdd
      count: 1
      template: {metadata: {labels: {disk: hdd}}, status: {allocatable: {cpu: '4', memory: 8Gi}}}
    - name: arm
      count: 1
      template:
        metadata: {labels: {disk: ssd, kubernetes.io/arch: arm64}}
        status: {allocatable: {cpu: '4', memory: 8Gi}}
`,
    ) +
      daemonSet('selector', '      nodeSelector: {disk: ssd}') +
      daemonSet(
        'affinity',
        `      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
              - matchExpressions:
                  - {key: disk, operator: In, values: [ssd, hdd]}
                  - {key: kubernetes.io/arch, operator: NotIn, values: [arm64]}`,
      ) +
      daemonSet(
        'preferred',
        `      affinity:
        nodeAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 10
              preference: {matchExpressions: [{key: disk, operator: In, values: [hdd]}]}`,
      ),
  );
  const nodesOf = (name: string): string[] =>
    podsOf(r, `${name}-`)
      .map((p) => p.spec.nodeName!)
      .sort();

  it('runs only on nodes matching the template nodeSelector', () => {
    expect(nodesOf('selector')).toEqual(['arm-0', 'ssd-0', 'ssd-1']);
  });

  it('runs only on nodes matching the required node affinity (In and NotIn ANDed in a term)', () => {
    expect(nodesOf('affinity')).toEqual(['hdd-0', 'ssd-0', 'ssd-1']);
  });

  it('ignores preferred node affinity for eligibility: one pod on every node', () => {
    expect(nodesOf('preferred')).toEqual(['arm-0', 'hdd-0', 'ssd-0', 'ssd-1']);
  });

  it('keeps the template affinity next to the metadata.name pin it adds', () => {
    const p = podsOf(r, 'preferred-')[0]!;
    expect(p.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
      {
        weight: 10,
        preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['hdd'] }] },
      },
    ]);
    expect(
      podsOf(r, 'affinity-')
        .map((pod) => [
          pod.spec.nodeName,
          pod.spec.affinity!.nodeAffinity!.requiredDuringSchedulingIgnoredDuringExecution!
            .nodeSelectorTerms[0]!.matchFields![0]!.values![0],
        ])
        .every(([node, pinned]) => node === pinned),
    ).toBe(true);
  });
});

describe('DaemonSet rolling update', () => {
  function rollAt(atMs: number) {
    return (ctx: SimContext): void => {
      ctx.engine.scheduleAt(atMs, () => {
        const ds = ctx.store.getObject<DaemonSet>(DAEMONSET_KIND, 'default/agent')!;
        ds.podTemplate = {
          ...ds.podTemplate!,
          annotations: { ...ds.podTemplate!.annotations, version: 'v2' },
        };
        ctx.store.putObject(ds, 'spec');
      });
    };
  }
  const rolling = (strategy: string) =>
    simulation(
      '5m',
      `  nodePools:
    - name: n
      count: 3
      template: {status: {allocatable: {cpu: '4', memory: 8Gi}}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  updateStrategy: ${strategy}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: a, image: agent}]
`,
    );

  it('maxUnavailable 1: replaces one node at a time, each after the previous new pod is Ready', () => {
    const r = runYaml(rolling('{type: RollingUpdate}'), { onStart: rollAt(60_000) });
    const v2 = podsOf(r, 'agent-').filter((p) => p.metadata.annotations.version === 'v2');
    // Old pod deleted and gone at once (no shutdown time); the new one is created in the same
    // instant, bound 1 ms later and Ready 2 s after that, which frees the next node.
    expect(v2.map((p) => [p.spec.nodeName, p.times.created, p.times.ready])).toEqual([
      ['n-0', 60_000, 62_001],
      ['n-1', 62_001, 64_002],
      ['n-2', 64_002, 66_003],
    ]);
  });

  it('maxSurge 1: starts the new pod beside the old one and deletes the old once it is available', () => {
    const r = runYaml(
      rolling('{type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}'),
      {
        onStart: rollAt(60_000),
      },
    );
    const pods = podsOf(r, 'agent-');
    const v2 = pods.filter((p) => p.metadata.annotations.version === 'v2');
    expect(v2.map((p) => [p.spec.nodeName, p.times.created])).toEqual([
      ['n-0', 60_000],
      ['n-1', 62_001],
      ['n-2', 64_002],
    ]);
    const v1 = pods.filter((p) => p.metadata.annotations.version === undefined);
    expect(v1.map((p) => p.times.finished)).toEqual([62_001, 64_002, 66_003]);
  });
});
