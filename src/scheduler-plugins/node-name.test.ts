import { describe, expect, it } from '@jest/globals';
import { makeNode, makeNodeInfo, makePod } from '../model/testing.js';
import { CycleState } from '../scheduler/framework/cycle-state.js';
import { Code } from '../scheduler/framework/status.js';
import { factory, Name, NodeName } from './node-name.js';

describe('NodeName.filter', () => {
  const plugin = new NodeName();
  const nodeInfo = makeNodeInfo(makeNode('foo'));
  const cases = [
    { name: 'a pod without spec.nodeName fits any node', nodeName: undefined, want: Code.Success },
    { name: 'a pod naming this node fits it', nodeName: 'foo', want: Code.Success },
    {
      name: 'a pod naming another node does not fit',
      nodeName: 'bar',
      want: Code.UnschedulableAndUnresolvable,
    },
  ];
  it.each(cases)('$name', ({ nodeName, want }) => {
    const pod = makePod('p');
    if (nodeName) pod.spec.nodeName = nodeName;
    const status = plugin.filter(new CycleState(), pod, nodeInfo);
    expect(status?.code ?? Code.Success).toBe(want);
    if (status) expect(status.reasons).toEqual(["node(s) didn't match the requested node name"]);
  });

  it('is built by its factory under the upstream name', () => {
    expect(factory(undefined, undefined as never).name).toBe(Name);
    expect(Name).toBe('NodeName');
  });
});
