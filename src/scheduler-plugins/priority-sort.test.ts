import { describe, expect, it } from '@jest/globals';
import { makePod } from '../model/testing.js';
import type { QueuedPodInfo } from '../scheduler/framework/interfaces.js';
import { factory, Name, PrioritySort } from './priority-sort.js';

function queued(priority: number, timestamp: number): QueuedPodInfo {
  return {
    pod: makePod(`p-${priority}-${timestamp}`, { priority }),
    timestamp,
    attempts: 0,
    initialAttemptTimestamp: timestamp,
    unschedulablePlugins: new Set(),
    pendingPlugins: new Set(),
    gatingPlugin: '',
    gatingPluginEvents: [],
  };
}

describe('PrioritySort.less', () => {
  const plugin = new PrioritySort();
  const cases = [
    {
      name: 'a higher priority pod sorts first although queued later',
      a: queued(10, 5),
      b: queued(1, 1),
      want: true,
    },
    {
      name: 'a lower priority pod sorts after although queued earlier',
      a: queued(1, 1),
      b: queued(10, 5),
      want: false,
    },
    {
      name: 'with equal priority the earlier queued pod sorts first',
      a: queued(5, 1),
      b: queued(5, 2),
      want: true,
    },
    {
      name: 'with equal priority the later queued pod sorts after',
      a: queued(5, 2),
      b: queued(5, 1),
      want: false,
    },
    {
      name: 'equal priority and timestamp is not less (strict order)',
      a: queued(5, 1),
      b: queued(5, 1),
      want: false,
    },
    { name: 'negative priorities order below zero', a: queued(0, 9), b: queued(-1, 0), want: true },
  ];
  it.each(cases)('$name', ({ a, b, want }) => {
    expect(plugin.less(a, b)).toBe(want);
  });

  it('is built by its factory under the upstream name', () => {
    expect(factory(undefined, undefined as never).name).toBe(Name);
    expect(Name).toBe('PrioritySort');
  });
});
