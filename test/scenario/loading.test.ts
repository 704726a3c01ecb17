/**
 * What the loader makes of real inputs: a `kubectl get -o yaml` List exactly as printed
 * (managedFields, resourceVersion, uid, status and all), typed lists (NodeList, PodList from
 * the raw API, JobList, PriorityClassList, any `…List`), the notes for kinds with no effect, and
 * the scenario name when metadata.name is missing.
 */
import { describe, expect, it } from '@jest/globals';
import { loadScenario } from '../../src/scenario/loader.js';
import { runSimulation } from '../../src/simulation.js';
import { HEAD, scratch } from './helpers.js';

const { dir, write } = scratch('ksim-loading-');
const FIXTURE = 'test/fixtures/kubectl';

describe('a kubectl get -o yaml List, as printed', () => {
  const s = loadScenario(FIXTURE);

  it('reads the nodes: size from status (allocatable over capacity), labels, taints, images', () => {
    expect(s.name).toBe('from-kubectl');
    expect(
      s.nodes.map((n) => [
        n.metadata.name,
        n.status.allocatable.milliCPU,
        n.status.allocatable.memory,
        n.status.allocatable.allowedPodNumber,
        n.status.capacity.milliCPU,
        n.metadata.labels['topology.kubernetes.io/zone'],
        n.spec.taints.map((t) => `${t.key}=${t.value}:${t.effect}`).join(','),
        n.status.images.length,
      ]),
    ).toEqual([
      ['worker-a', 3920, 15147376 * 1024, 58, 4000, 'eu-west-1a', '', 2],
      ['worker-b', 3920, 15147376 * 1024, 58, 4000, 'eu-west-1b', 'dedicated=batch:NoSchedule', 0],
    ]);
  });

  it('reads the pods: node, namespace, priority, owner; what only a live cluster has is ignored', () => {
    expect(
      s.pods.map((p) => [
        `${p.namespace}/${p.name}`,
        p.nodeName,
        p.template.priority,
        p.template.requests.milliCPU,
        p.ownerReferences?.map((o) => `${o.kind}/${o.name}`).join(','),
      ]),
    ).toEqual([
      ['kube-system/kube-proxy-x7k2p', 'worker-a', 2000001000, 100, 'DaemonSet/kube-proxy'],
      ['shop/web-5d4f8c6b7-9qz4m', 'worker-a', 0, 500, 'ReplicaSet/web-5d4f8c6b7'],
      ['shop/report-28971240-abcde', undefined, 0, 3500, undefined],
    ]);
  });

  it('notes the ConfigMap as skipped, with its file and line', () => {
    expect(s.notices).toEqual([
      {
        file: 'test/fixtures/kubectl/cluster.yaml',
        line: 305,
        message: 'ConfigMap kube-system/kube-proxy: no effect on scheduling or failures (skipped)',
      },
    ]);
  });

  it('runs: the listed pods run where they are, the pending one finds no room', () => {
    const r = runSimulation(s);
    const outcome = Object.fromEntries(r.metrics.pods.map((p) => [p.key, p.outcome]));
    expect(outcome).toEqual({
      'kube-system/kube-proxy-x7k2p': 'Running',
      'shop/web-5d4f8c6b7-9qz4m': 'Running',
      'shop/report-28971240-abcde': 'Pending',
    });
    expect(r.metrics.eventCounts.get('FailedScheduling')).toBeGreaterThan(0);
  });
});

describe('lists', () => {
  const node = (name: string) =>
    `{kind: Node, metadata: {name: ${name}}, status: {allocatable: {cpu: "4", memory: 8Gi}}}`;

  it('List, NodeList and PodList are flattened, lists inside lists too', () => {
    const file = write(
      'lists.yaml',
      `${HEAD}---\nkind: List\nitems:\n  - ${node('n1')}\n  - {kind: NodeList, items: [${node('n2')}]}\n---\n` +
        `apiVersion: v1\nkind: PodList\nitems:\n  - {kind: Pod, metadata: {name: a}, spec: {containers: [{name: c}]}}\n`,
    );
    const s = loadScenario(file);
    expect(s.nodes.map((n) => n.metadata.name)).toEqual(['n1', 'n2']);
    expect(s.pods.map((p) => p.name)).toEqual(['a']);
  });

  it('items of a typed list from the raw API (no kind on the items) take the list kind', () => {
    const file = write(
      'raw-list.yaml',
      `${HEAD}---\napiVersion: v1\nkind: PodList\nmetadata: {resourceVersion: "77"}\nitems:\n` +
        `  - {metadata: {name: a, uid: 1f2e}, spec: {containers: [{name: c}]}, status: {phase: Pending}}\n` +
        `  - {metadata: {name: b}, spec: {containers: [{name: c}]}}\n`,
    );
    expect(loadScenario(file).pods.map((p) => p.name)).toEqual(['a', 'b']);
  });

  it('any kind ending in List is flattened: JobList and PriorityClassList keep their items', () => {
    const file = write(
      'typed-lists.yaml',
      `${HEAD}---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClassList\nitems:\n` +
        `  - {apiVersion: scheduling.k8s.io/v1, kind: PriorityClass, metadata: {name: high}, value: 1000}\n---\n` +
        `apiVersion: batch/v1\nkind: JobList\nitems:\n` +
        `  - apiVersion: batch/v1\n    kind: Job\n    metadata: {name: j}\n` +
        `    spec: {template: {spec: {restartPolicy: Never, priorityClassName: high, containers: [{name: c}]}}}\n---\n` +
        `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {priorityClassName: high, containers: [{name: c}]}\n`,
    );
    const s = loadScenario(file);
    expect(s.priorityClasses.get('high')).toBe(1000);
    expect(s.pods[0]!.template.priority).toBe(1000);
    expect(s.objects.map((o) => `${o.kind} ${o.podTemplate?.priority}`)).toEqual(['Job 1000']);
    expect(s.notices).toEqual([]);
  });
});

describe('notes for kinds with no effect', () => {
  it('ConfigMap, Secret and Ingress are noted and skipped; a list of unknown kind too', () => {
    const file = write(
      'skipped.yaml',
      `${HEAD}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: shop}\ndata: {a: b}\n---\n` +
        `apiVersion: v1\nkind: Secret\nmetadata: {name: token}\ntype: Opaque\n---\n` +
        `apiVersion: networking.k8s.io/v1\nkind: IngressList\nitems:\n  - {kind: Ingress, metadata: {name: web}}\n`,
    );
    const s = loadScenario(file);
    expect(s.notices.map((n) => `${n.line}: ${n.message}`)).toEqual([
      '7: ConfigMap shop/settings: no effect on scheduling or failures (skipped)',
      '12: Secret token: no effect on scheduling or failures (skipped)',
      '20: Ingress web: no effect on scheduling or failures (skipped)',
    ]);
  });
});

describe('the scenario name', () => {
  const NAMELESS = 'apiVersion: ksim.dev/v1alpha1\nkind: Simulation\nspec: {duration: 1h}\n';

  it('is metadata.name when given', () => {
    expect(loadScenario(write('named.yaml', HEAD)).name).toBe('t');
  });

  it("without metadata.name, is the file's name without its extension", () => {
    expect(loadScenario(write('night-shift.yml', NAMELESS)).name).toBe('night-shift');
  });

  it("for a directory, is the directory's name (also when written with a trailing slash)", () => {
    write('staging-cluster/01-sim.yaml', NAMELESS);
    expect(loadScenario(`${dir}/staging-cluster`).name).toBe('staging-cluster');
    expect(loadScenario(`${dir}/staging-cluster/`).name).toBe('staging-cluster');
  });
});
