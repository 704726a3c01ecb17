/**
 * Eviction rate limiting by zone state (handleDisruption): NoExecute taints go through a
 * per-zone token bucket at 0.1 nodes/s; a zone with more than 2 and ≥ 55 % of its nodes not
 * Ready (PartialDisruption) slows to 0.01/s when it has more than 50 nodes and stops when it
 * is smaller; every zone fully disrupted (master disruption mode) stops tainting altogether.
 * Every pod here has tolerationSeconds 0 for `unreachable`, so its eviction marks its node's taint.
 */
import { describe, expect, it } from '@jest/globals';
import { eventsOf, nodeEventsOf, pinnedPod, run, simulation } from './helpers.js';

const ZONES = ['zone-a', 'zone-b', 'zone-c'];

/** One instantly-evicted pod per node (pool nodes are spread over zones round-robin). */
function podsOnEveryNode(count: number): string {
  let out = '';
  for (let i = 0; i < count; i++)
    out += pinnedPod(`p-${i}`, `general-${i}`, { tolerationSeconds: 0 });
  return out;
}

/** NotReady instants and eviction (= NoExecute taint) instants. */
function zoneOutage(
  nodesPerZone: number,
  failed: number,
  seed = 1,
): { notReady: number[]; taints: number[] } {
  const total = nodesPerZone * 3;
  const r = run(
    simulation({
      seed,
      duration: '1h',
      pools: [{ name: 'general', count: total, zones: ZONES }],
      timeline: [`{at: 2m, action: fail-node, target: {zone: zone-a, count: ${failed}}}`],
    }) + podsOnEveryNode(total),
  );
  return {
    notReady: nodeEventsOf(r, 'NodeNotReady').map((e) => e.time),
    taints: eventsOf(r, 'TaintManagerEviction').map((e) => e.time),
  };
}

/** The tainting loop runs every 100 ms. */
const loop = (t: number): number => Math.ceil(t / 100) * 100;
/**
 * A node marked NotReady at t joins its zone's taint queue at the next monitor pass (5 s
 * later: processTaintBaseEviction reads the condition observed at the start of a pass).
 */
const queued = (t: number): number => t + 5_000;

function every(first: number, stepMs: number, until: number): number[] {
  const out: number[] = [];
  for (let t = first; t <= until; t += stepMs) out.push(t);
  return out;
}

describe('zone disruption', () => {
  it('taints a Normal zone at 0.1 nodes/s: one node every 10 s from the first NotReady', () => {
    // 10 of 60 not Ready: Normal.
    const { notReady, taints } = zoneOutage(60, 10);
    expect(notReady).toHaveLength(10);
    const first = loop(queued(notReady[0]!));
    expect(taints).toEqual(every(first, 10_000, first + 90_000));
  });

  it('slows a large zone in PartialDisruption to 0.01 nodes/s: one node every 100 s', () => {
    // 40 of 60: PartialDisruption once 33 (≥ 55 %) are not Ready; the zone has > 50 nodes.
    const { notReady, taints } = zoneOutage(60, 40);
    expect(notReady).toHaveLength(40);
    const partialAt = notReady[32]!;
    // One taint at the normal rate first; the swap to 0.01/s found the old bucket empty
    // (10 s had not passed), so the new one starts drained: the next taint is 100 s later.
    expect(partialAt - taints[0]!).toBeLessThan(10_000);
    expect(taints).toEqual([
      loop(queued(notReady[0]!)),
      ...every(loop(partialAt + 100_000), 100_000, 3_600_000),
    ]);
  });

  it('stops tainting a small zone in PartialDisruption (rate 0 at ≤ 50 nodes)', () => {
    // 4 of 6 not Ready: PartialDisruption in a 6-node zone.
    const r = run(
      simulation({
        seed: 1,
        duration: '1h',
        pools: [{ name: 'general', count: 18, zones: ZONES }],
        timeline: ['{at: 2m, action: fail-node, target: {zone: zone-a, count: 4}}'],
      }) + podsOnEveryNode(18),
    );
    const notReady = nodeEventsOf(r, 'NodeNotReady').map((e) => e.time);
    const taints = eventsOf(r, 'TaintManagerEviction').map((e) => e.time);
    // 1 node, then 3 (50 %: still Normal), then 4 (67 %): PartialDisruption at rate 0. Only
    // the first node was tainted, when the pass after its NotReady queued it (the next token
    // was due 10 s later).
    expect(notReady).toEqual([160_287, 165_287, 165_287, 170_287]);
    expect(taints).toEqual([loop(queued(160_287))]);
  });

  it('keeps tainting a FullDisruption zone at the normal rate while another zone is healthy', () => {
    const { notReady, taints } = zoneOutage(6, 6);
    expect(notReady).toHaveLength(6);
    // The first NotReady node reached the taint queue in the very pass where 4 of 6 were not
    // Ready: PartialDisruption, rate 0, the bucket drained. At FullDisruption the normal rate
    // returns with a drained bucket: every node 10 s apart, from 10 s later.
    const fullAt = notReady[5]!;
    expect(notReady.filter((t) => t <= queued(notReady[0]!)).length).toBeGreaterThanOrEqual(4);
    expect(taints).toEqual(every(loop(fullAt + 10_000), 10_000, loop(fullAt + 10_000) + 50_000));
  });

  it('evicts nothing when every zone is down (master disruption mode), and removes the taints', () => {
    const r = run(
      simulation({
        seed: 1,
        duration: '1h',
        pools: [{ name: 'general', count: 9, zones: ZONES }],
        timeline: ZONES.map((z) => `{at: 2m, action: fail-zone, target: {zone: ${z}}}`),
      }) +
        // Default tolerations (300 s): a taint that is there briefly evicts nobody.
        Array.from({ length: 9 }, (_, i) => pinnedPod(`p-${i}`, `general-${i}`)).join(''),
    );
    expect(nodeEventsOf(r, 'NodeNotReady')).toHaveLength(9);
    expect(
      eventsOf(r, 'TaintManagerEviction').filter((e) => e.message.startsWith('Marking')),
    ).toEqual([]);
    expect(r.metrics.summaryMetrics().outcomes).toEqual({ Running: 9 });
  });
});
