/**
 * Pods written with spec.nodeName skip the scheduler, so the kubelet's admission decides: the
 * later of two pods that over-commit a node fails (phase Failed, reason OutOfcpu / OutOfmemory
 * / OutOfpods) with a Warning event in upstream's words, and never holds the node's resources.
 */
import { describe, expect, it } from '@jest/globals';
import { loadScenario } from '../../src/scenario/loader.js';
import { runSimulation } from '../../src/simulation.js';
import { HEAD, scratch } from '../scenario/helpers.js';

const { write } = scratch('ksim-admission-');

const node = (alloc: string) =>
  `---\napiVersion: v1\nkind: Node\nmetadata: {name: n1}\nstatus: {allocatable: {${alloc}}}\n`;
const pod = (name: string, requests: string, nodeName = 'n1') =>
  `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n` +
  (nodeName ? `  nodeName: ${nodeName}\n` : '') +
  `  containers: [{name: c, resources: {requests: {${requests}}}}]\n`;

function run(text: string) {
  const r = runSimulation(loadScenario(write('s.yaml', text)));
  const pods = Object.fromEntries(
    r.metrics.pods.map((p) => [p.metadata.name, `${p.outcome} ${p.status.reason ?? ''}`.trim()]),
  );
  const events = r.metrics.events
    .filter((e) => e.reason.startsWith('OutOf'))
    .map((e) => `${e.object} ${e.reason}: ${e.message}`);
  return { r, pods, events };
}

describe('kubelet admission of pods bound in the manifest', () => {
  it('the second pod over-committing the cpu fails with OutOfcpu', () => {
    const { pods, events } = run(
      HEAD + node('cpu: "4", memory: 8Gi') + pod('a', 'cpu: "3"') + pod('b', 'cpu: "3"'),
    );
    expect(pods).toEqual({ a: 'Running', b: 'Failed OutOfcpu' });
    expect(events).toEqual([
      "default/b OutOfcpu: Node didn't have enough resource: cpu, requested: 3000, used: 3000, capacity: 4000",
    ]);
  });

  it('memory: OutOfmemory, in bytes', () => {
    const { pods, events } = run(
      HEAD + node('cpu: "4", memory: 1Gi') + pod('a', 'memory: 768Mi') + pod('b', 'memory: 512Mi'),
    );
    expect(pods).toEqual({ a: 'Running', b: 'Failed OutOfmemory' });
    expect(events).toEqual([
      "default/b OutOfmemory: Node didn't have enough resource: memory, requested: 536870912, used: 805306368, capacity: 1073741824",
    ]);
  });

  it('the pod count: OutOfpods, reported first as upstream checks it first', () => {
    const { pods, events } = run(
      HEAD +
        node('cpu: "1", memory: 1Gi, pods: "1"') +
        pod('a', 'cpu: 100m') +
        pod('b', 'cpu: "2"'),
    );
    expect(pods).toEqual({ a: 'Running', b: 'Failed OutOfpods' });
    expect(events).toEqual([
      "default/b OutOfpods: Node didn't have enough resource: pods, requested: 1, used: 1, capacity: 1",
    ]);
  });

  it('a rejected pod holds nothing: a pending pod that fits beside the first is scheduled there', () => {
    const { r, pods } = run(
      HEAD +
        node('cpu: "4", memory: 8Gi') +
        pod('a', 'cpu: "3"') +
        pod('b', 'cpu: "3"') +
        pod('c', 'cpu: 500m', ''),
    );
    expect(pods).toEqual({ a: 'Running', b: 'Failed OutOfcpu', c: 'Running' });
    expect(r.store.getNodeInfo('n1')!.requested.milliCPU).toBe(3500);
  });

  it('pods that fit together both run', () => {
    const { pods, events } = run(
      HEAD + node('cpu: "4", memory: 8Gi') + pod('a', 'cpu: "2"') + pod('b', 'cpu: "2"'),
    );
    expect(pods).toEqual({ a: 'Running', b: 'Running' });
    expect(events).toEqual([]);
  });
});
