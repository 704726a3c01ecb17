import { describe, expect, it } from '@jest/globals';
import type { ContainerPort } from 'kubernetes-types/core/v1.js';
import { makeNode, makeNodeInfo, makePod } from '../model/testing.js';
import { CycleState } from '../scheduler/framework/cycle-state.js';
import { Code } from '../scheduler/framework/status.js';
import { factory, getHostPorts, Name, NodePorts } from './node-ports.js';

let seq = 0;
function podWithPorts(...hostPorts: string[]) {
  // "PROTO/IP/PORT" like upstream's newPod(host, "UDP/127.0.0.1/8080").
  const ports: ContainerPort[] = hostPorts.map((s) => {
    const [protocol, hostIP, port] = s.split('/');
    return { containerPort: Number(port), hostPort: Number(port), protocol, hostIP };
  });
  return makePod(`p${seq++}`, { spec: { containers: [{ name: 'c', ports }] } });
}

describe('NodePorts filter', () => {
  const cases: Array<{ name: string; pod: string[]; existing: string[]; want: Code }> = [
    { name: 'nothing running', pod: ['TCP/0.0.0.0/8080'], existing: [], want: Code.Success },
    {
      name: 'other port',
      pod: ['UDP/127.0.0.1/8080'],
      existing: ['UDP/127.0.0.1/9090'],
      want: Code.Success,
    },
    {
      name: 'same udp port',
      pod: ['UDP/127.0.0.1/8080'],
      existing: ['UDP/127.0.0.1/8080'],
      want: Code.Unschedulable,
    },
    {
      name: 'same tcp port',
      pod: ['TCP/127.0.0.1/8080'],
      existing: ['TCP/127.0.0.1/8080'],
      want: Code.Unschedulable,
    },
    {
      name: 'different host ip',
      pod: ['TCP/127.0.0.1/8080'],
      existing: ['TCP/127.0.0.2/8080'],
      want: Code.Success,
    },
    {
      name: 'different protocol',
      pod: ['UDP/127.0.0.1/8080'],
      existing: ['TCP/127.0.0.1/8080'],
      want: Code.Success,
    },
    {
      name: 'second udp port conflict',
      pod: ['UDP/127.0.0.1/8000', 'UDP/127.0.0.1/8080'],
      existing: ['UDP/127.0.0.1/8080'],
      want: Code.Unschedulable,
    },
    {
      name: 'first tcp port conflict',
      pod: ['TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8080'],
      existing: ['TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8081'],
      want: Code.Unschedulable,
    },
    {
      name: 'first tcp port conflict due to 0.0.0.0 hostIP',
      pod: ['TCP/0.0.0.0/8001'],
      existing: ['TCP/127.0.0.1/8001'],
      want: Code.Unschedulable,
    },
    {
      name: 'TCP hostPort conflict due to 0.0.0.0 hostIP',
      pod: ['TCP/10.0.10.10/8001', 'TCP/0.0.0.0/8001'],
      existing: ['TCP/127.0.0.1/8001'],
      want: Code.Unschedulable,
    },
    {
      name: 'second tcp port conflict to 0.0.0.0 hostIP',
      pod: ['TCP/127.0.0.1/8001'],
      existing: ['TCP/0.0.0.0/8001'],
      want: Code.Unschedulable,
    },
    {
      name: 'second different protocol',
      pod: ['UDP/127.0.0.1/8001'],
      existing: ['TCP/0.0.0.0/8001'],
      want: Code.Success,
    },
    {
      name: 'UDP hostPort conflict due to 0.0.0.0 hostIP',
      pod: ['UDP/127.0.0.1/8001'],
      existing: ['TCP/0.0.0.0/8001', 'UDP/0.0.0.0/8001'],
      want: Code.Unschedulable,
    },
    {
      name: 'an empty hostIP means 0.0.0.0 and an empty protocol TCP',
      pod: ['//8001'],
      existing: ['TCP/127.0.0.1/8001'],
      want: Code.Unschedulable,
    },
    {
      name: '0.0.0.0 does not conflict with another port number sharing digits',
      pod: ['TCP/0.0.0.0/80'],
      existing: ['TCP/127.0.0.1/8080'],
      want: Code.Success,
    },
  ];
  it.each(cases)('$name', ({ pod, existing, want }) => {
    const plugin = new NodePorts();
    const state = new CycleState();
    const p = podWithPorts(...pod);
    const nodeInfo = makeNodeInfo(
      makeNode('n'),
      existing.length ? [podWithPorts(...existing)] : [],
    );
    expect(plugin.preFilter(state, p).status).toBeNull();
    const status = plugin.filter(state, p, nodeInfo);
    expect(status?.code ?? Code.Success).toBe(want);
    if (status)
      expect(status.reasons).toEqual([
        "node(s) didn't have free ports for the requested pod ports",
      ]);
  });

  it('skips Filter for a pod without host ports', () => {
    const pod = makePod('p', {
      spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] },
    });
    expect(new NodePorts().preFilter(new CycleState(), pod).status?.code).toBe(Code.Skip);
  });

  it('returns an error when Filter runs without PreFilter state', () => {
    const status = new NodePorts().filter(
      new CycleState(),
      podWithPorts('TCP/0.0.0.0/80'),
      makeNodeInfo(makeNode('n')),
    );
    expect(status?.code).toBe(Code.Error);
  });

  it('counts sidecar ports but not ordinary init container ports', () => {
    const pod = makePod('p', {
      spec: {
        initContainers: [
          { name: 'init', ports: [{ containerPort: 1, hostPort: 1 }] },
          { name: 'sidecar', restartPolicy: 'Always', ports: [{ containerPort: 2, hostPort: 2 }] },
        ],
        containers: [
          { name: 'c', ports: [{ containerPort: 3, hostPort: 3 }, { containerPort: 4 }] },
        ],
      },
    });
    expect(getHostPorts(pod).map((p) => p.hostPort)).toEqual([2, 3]);
  });

  it('is built by its factory under the upstream name', () => {
    expect(factory(undefined, undefined as never).name).toBe(Name);
    expect(Name).toBe('NodePorts');
  });
});
