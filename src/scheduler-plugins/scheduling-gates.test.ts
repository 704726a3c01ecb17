import { describe, expect, it } from '@jest/globals';
import { makePod } from '../model/testing.js';
import { ActionType } from '../scheduler/framework/events.js';
import { Code } from '../scheduler/framework/status.js';
import {
  factory,
  isSchedulableAfterUpdatePodSchedulingGatesEliminated,
  Name,
  SchedulingGates,
} from './scheduling-gates.js';

describe('SchedulingGates.preEnqueue', () => {
  const plugin = new SchedulingGates();
  it('lets a pod without scheduling gates in', () => {
    expect(plugin.preEnqueue(makePod('p'))).toBeNull();
  });
  it('lets a pod with an empty gate list in', () => {
    expect(
      plugin.preEnqueue(makePod('p', { spec: { containers: [], schedulingGates: [] } })),
    ).toBeNull();
  });
  it('keeps a gated pod out and names its gates like Go prints a slice', () => {
    const pod = makePod('p', {
      spec: { containers: [], schedulingGates: [{ name: 'foo' }, { name: 'bar' }] },
    });
    const status = plugin.preEnqueue(pod);
    expect(status?.code).toBe(Code.UnschedulableAndUnresolvable);
    expect(status?.reasons).toEqual(['waiting for scheduling gates: [foo bar]']);
  });
  it('registers for the pod losing its last gate, with a hint', () => {
    const [only, ...rest] = plugin.eventsToRegister();
    expect(rest).toEqual([]);
    expect(only?.event).toEqual({
      resource: 'Pod',
      actionType: ActionType.UpdatePodSchedulingGatesEliminated,
    });
    expect(only?.queueingHintFn).toBe(isSchedulableAfterUpdatePodSchedulingGatesEliminated);
  });
  it('is built by its factory under the upstream name', () => {
    expect(factory(undefined, undefined as never).name).toBe(Name);
    expect(Name).toBe('SchedulingGates');
  });
});
