/**
 * The scheduling queue against upstream (pkg/scheduler/backend/queue, v1.35): backoff
 * 1 s … 10 s in whole-second windows, SchedulerPopFromBackoffQ, the 30 s flush of pods parked
 * longer than 5 min, and QueueingHints from the rejecting plugins' eventsToRegister.
 */
import { describe, expect, it } from '@jest/globals';
import {
  ActionType,
  EventNodeAdd,
  type ClusterEvent,
} from '../../src/scheduler/framework/events.js';
import type { QueuedPodInfo } from '../../src/scheduler/framework/interfaces.js';
import {
  DEFAULT_QUEUE_CONFIG,
  SchedulingQueue,
  type QueueProfile,
} from '../../src/scheduler/queue.js';
import { makeNode, makePod } from '../../src/model/testing.js';
import { schedulerHarness } from './harness.js';

const byPriority = (a: QueuedPodInfo, b: QueuedPodInfo): boolean =>
  a.pod.priority > b.pod.priority ||
  (a.pod.priority === b.pod.priority && a.timestamp < b.timestamp);

function queue(popFromBackoffQ = true): SchedulingQueue {
  return new SchedulingQueue(byPriority, { ...DEFAULT_QUEUE_CONFIG, popFromBackoffQ });
}

describe('backoff', () => {
  it('doubles from 1 s per attempt and stops at 10 s (calculateBackoffDuration)', () => {
    const q = queue();
    expect([0, 1, 2, 3, 4, 5, 6, 20].map((a) => q.backoffDuration(a))).toEqual([
      0, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000,
    ]);
  });

  const ends: Array<[string, boolean, number, number, number]> = [
    [
      'with PopFromBackoffQ, an expiry inside a window waits for the window to end',
      true,
      400,
      1,
      2000,
    ],
    [
      'with PopFromBackoffQ, an expiry on a window boundary waits a whole window',
      true,
      1000,
      1,
      3000,
    ],
    [
      'with PopFromBackoffQ, the fourth attempt backs off 8 s from its window',
      true,
      2500,
      4,
      11_000,
    ],
    ['without it, the first 1 s flush tick at or after the expiry', false, 400, 1, 2000],
    ['without it, an expiry on a tick leaves on that tick', false, 1000, 1, 2000],
  ];
  it.each(ends)('%s', (_name, gate, timestamp, attempts, leaves) => {
    expect(queue(gate).backoffCompletes(timestamp, attempts)).toBe(leaves);
  });
});

describe('requeueing a rejected pod', () => {
  /** NodeResourcesFit registered for node additions only, without a hint (always Queue). */
  const profile: QueueProfile = {
    runPreEnqueue: () => null,
    queueingHints: new Map([['NodeResourcesFit', [{ event: EventNodeAdd }]]]),
  };
  const hinted = (popFromBackoffQ = true): SchedulingQueue =>
    new SchedulingQueue(byPriority, { ...DEFAULT_QUEUE_CONFIG, popFromBackoffQ }, () => profile, [
      profile,
    ]);
  const podAdd: ClusterEvent = { resource: 'AssignedPod', actionType: ActionType.Add };

  const rejected = (q: SchedulingQueue, now: number, events: ClusterEvent[] = []) => {
    const info = q.pop()!;
    info.unschedulablePlugins = new Set(['NodeResourcesFit']);
    for (const e of events) q.moveAllToActiveOrBackoffQueue(e, undefined, {}, now);
    return q.requeue(info, now);
  };

  it('parks it in unschedulablePods when nothing relevant happened in flight', () => {
    const q = hinted();
    q.add(makePod('a'), 0);
    expect(rejected(q, 0, [podAdd])).toBe('unschedulable');
    expect(q.sizes()).toEqual({ active: 0, backoff: 0, unschedulable: 1, inflight: 0 });
    expect(q.pop()).toBeUndefined();
  });

  it('sends it to backoffQ when an event its rejecting plugin registered arrived in flight', () => {
    const q = hinted();
    q.add(makePod('a'), 0);
    expect(rejected(q, 0, [EventNodeAdd])).toBe('backoff');
    expect(q.sizes()).toEqual({ active: 0, backoff: 1, unschedulable: 0, inflight: 0 });
  });

  it('moves it on a later event only if its rejecting plugin registered it', () => {
    const q = hinted();
    q.add(makePod('a'), 0);
    rejected(q, 0);
    expect(q.moveAllToActiveOrBackoffQueue(podAdd, undefined, {}, 500)).toBe(0);
    expect(q.moveAllToActiveOrBackoffQueue(EventNodeAdd, undefined, {}, 500)).toBe(1);
    // Still backing off at 500 ms (1 s from 0 ends at 2 s with the window): backoffQ.
    expect(q.sizes().backoff).toBe(1);
    expect(q.nextBackoffExpiry()).toBe(2000);
  });

  it('pops a backing-off pod at once when activeQ is empty (SchedulerPopFromBackoffQ)', () => {
    const q = hinted();
    q.add(makePod('a'), 0);
    rejected(q, 0, [EventNodeAdd]);
    expect(q.hasPoppable()).toBe(true);
    expect(q.pop()?.pod.metadata.name).toBe('a');
  });

  it('prefers activeQ, and without the feature waits for the backoff to end', () => {
    const q = hinted(false);
    q.add(makePod('a'), 0);
    rejected(q, 0, [EventNodeAdd]);
    expect(q.hasPoppable()).toBe(false);
    q.add(makePod('b'), 100);
    expect(q.pop()?.pod.metadata.name).toBe('b');
    q.flushBackoff(999);
    expect(q.pop()).toBeUndefined();
    q.flushBackoff(1000);
    expect(q.pop()?.pod.metadata.name).toBe('a');
  });

  it('never pops a pod early from the error backoff queue (no rejecting plugin)', () => {
    const q = hinted();
    q.add(makePod('a'), 0);
    const info = q.pop()!;
    q.done(info.pod);
    expect(q.requeue(info, 0)).toBe('backoff');
    expect(q.hasPoppable()).toBe(false);
    expect(q.pop()).toBeUndefined();
    q.flushBackoff(2000);
    expect(q.pop()?.pod.metadata.name).toBe('a');
  });

  it('flushes a pod parked strictly longer than 5 min, not one parked exactly 5 min', () => {
    const q = hinted();
    q.add(makePod('a'), 30_000);
    rejected(q, 30_000);
    expect(q.flushUnschedulableLeftover(330_000)).toBe(0);
    expect(q.flushUnschedulableLeftover(330_001)).toBe(1);
  });
});

describe('the scheduler drives the queue in virtual time', () => {
  /** A pod that fits nowhere (2 cpu on a 1-cpu node), created at `at`. */
  const setup = (at: number): ReturnType<typeof schedulerHarness> & { attempts: () => number } => {
    const h = schedulerHarness([
      makeNode('n', { allocatable: { cpu: 1000, memory: 4 * 2 ** 30 } }),
    ]);
    const pod = makePod('big', { requests: { cpu: 2000, memory: 2 ** 30 } });
    h.engine.scheduleAt(at, () => h.store.addPod(pod));
    return { ...h, attempts: () => pod.attempts };
  };

  it('retries a parked pod on the first 30 s flush tick after it has waited 5 min', () => {
    // Parked at 30 s: 330 s is exactly 5 min (not more), so the tick at 360 s moves it.
    const h = setup(30_000);
    h.engine.run({ until: 359_999 });
    expect(h.attempts()).toBe(1);
    h.engine.run({ until: 360_000 });
    expect(h.attempts()).toBe(2);
  });

  it('retries at once when a node is added, since NodeResourcesFit registered NodeAdd', () => {
    const h = setup(0);
    h.engine.run({ until: 10_000 });
    expect(h.attempts()).toBe(1);
    h.engine.scheduleAt(10_000, () =>
      h.store.addNode(makeNode('m', { allocatable: { cpu: 4000, memory: 4 * 2 ** 30 } })),
    );
    h.engine.run({ until: 11_000 });
    // Moved (its 1 s backoff ended long ago, so to activeQ) and scheduled on m; the cycle's
    // cost (250 µs + 2 µs per node) puts the binding in the next millisecond.
    expect(h.attempts()).toBe(2);
    expect(h.events.filter((e) => e.reason === 'Scheduled').map((e) => e.time)).toEqual([10_001]);
  });

  it('does not retry on an event no rejecting plugin registered (a pending pod added)', () => {
    const h = setup(0);
    h.engine.scheduleAt(5000, () => h.store.addPod(makePod('other', { requests: { cpu: 5000 } })));
    h.engine.run({ until: 20_000 });
    expect(h.attempts()).toBe(1);
  });
});
