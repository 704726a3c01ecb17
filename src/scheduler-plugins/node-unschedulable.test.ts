import { describe, expect, it } from '@jest/globals';
import type { Toleration } from 'kubernetes-types/core/v1.js';
import { makeNode, makeNodeInfo, makePod } from '../model/testing.js';
import { CycleState } from '../scheduler/framework/cycle-state.js';
import { Code } from '../scheduler/framework/status.js';
import { factory, Name, NodeUnschedulable } from './node-unschedulable.js';

describe('NodeUnschedulable.filter', () => {
  const plugin = new NodeUnschedulable();
  const cases: Array<{
    name: string;
    unschedulable: boolean;
    tolerations?: Toleration[];
    want: Code;
  }> = [
    {
      name: 'a schedulable node admits a pod without tolerations',
      unschedulable: false,
      want: Code.Success,
    },
    {
      name: 'a cordoned node rejects a pod without tolerations',
      unschedulable: true,
      want: Code.UnschedulableAndUnresolvable,
    },
    {
      name: 'a cordoned node admits a pod tolerating the unschedulable taint (Equal, empty value)',
      unschedulable: true,
      tolerations: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }],
      want: Code.Success,
    },
    {
      name: 'a cordoned node admits a pod tolerating everything (empty key, Exists)',
      unschedulable: true,
      tolerations: [{ operator: 'Exists' }],
      want: Code.Success,
    },
    {
      name: 'a toleration for NoExecute only does not cover the NoSchedule taint',
      unschedulable: true,
      tolerations: [
        { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoExecute' },
      ],
      want: Code.UnschedulableAndUnresolvable,
    },
  ];
  it.each(cases)('$name', ({ unschedulable, tolerations, want }) => {
    const pod = makePod('p', { spec: { containers: [{ name: 'c' }], tolerations } });
    const status = plugin.filter(
      new CycleState(),
      pod,
      makeNodeInfo(makeNode('n', { unschedulable })),
    );
    expect(status?.code ?? Code.Success).toBe(want);
    if (status) expect(status.reasons).toEqual(['node(s) were unschedulable']);
  });

  it('is built by its factory under the upstream name', () => {
    expect(factory(undefined, undefined as never).name).toBe(Name);
    expect(Name).toBe('NodeUnschedulable');
  });
});
