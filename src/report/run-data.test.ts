import { describe, it, expect } from '@jest/globals';
import type { CsvTable } from './csv.js';
import { timelineMarkers } from './run-data.js';

function events(rows: Array<[number, string, string, string, string]>): CsvTable {
  return {
    file: 'events.csv',
    columns: ['time_s', 'kind', 'object', 'reason', 'message'],
    rows: rows.map(([time_s, kind, object, reason, message]) => ({
      time_s: time_s.toFixed(3),
      kind,
      object,
      reason,
      message,
    })),
  };
}

describe('timelineMarkers', () => {
  it('marks scripted actions, control-plane failures and their recoveries from Simulation events', () => {
    const m = timelineMarkers(
      events([
        [60, 'Simulation', 'scale', 'scale', 'default/web → 5'],
        [120, 'Simulation', 'etcd-member-down', 'etcd-member-down', 'recoverAfter=5m'],
        [420, 'Simulation', 'etcd-member-down', 'etcd-member-up', 'etcd-1 etcd-2'],
        [400, 'Pod', 'default/web-1', 'Scheduled', 'x'],
      ]),
      [],
    );
    expect(m.map((x) => [x.timeS, x.kind, x.reason])).toEqual([
      [60, 'action', 'scale'],
      [120, 'failure', 'etcd-member-down'],
      [420, 'recovery', 'etcd-member-up'],
    ]);
  });

  it('marks a stochastic node failure from summary.json recovery and its end from NodeReady', () => {
    const m = timelineMarkers(
      events([
        [
          6885.287,
          'Node',
          'general-15',
          'NodeNotReady',
          'Node general-15 status is now: NodeNotReady',
        ],
        [7135.134, 'Node', 'general-15', 'NodeReady', 'Node general-15 status is now: NodeReady'],
      ]),
      [{ failure: 'partition general-15', at_s: 6835.095, nodes: 1, detect_s: 50.192 }],
    );
    expect(m).toEqual([
      { timeS: 6835.095, kind: 'failure', reason: 'partition', message: 'partition general-15' },
      { timeS: 7135.134, kind: 'recovery', reason: 'NodeReady', message: 'general-15 Ready again' },
    ]);
  });

  it('does not repeat a scripted failure that has its Simulation event, and groups nodes Ready at one instant', () => {
    const ready = Array.from({ length: 7 }, (_, i): [number, string, string, string, string] => [
      3000,
      'Node',
      `general-${i}`,
      'NodeReady',
      '',
    ]);
    const m = timelineMarkers(
      events([
        [1800, 'Simulation', 'fail-zone', 'fail-zone', 'target={"zone":"zone-b"} recoverAfter=20m'],
        ...ready,
      ]),
      [{ failure: 'fail-zone zone-b (crash)', at_s: 1800, nodes: 7, detect_s: 45 }],
    );
    expect(m.map((x) => [x.timeS, x.kind, x.reason, x.message])).toEqual([
      [1800, 'failure', 'fail-zone', 'target={"zone":"zone-b"} recoverAfter=20m'],
      [
        3000,
        'recovery',
        'NodeReady',
        '7 nodes Ready again: general-0, general-1, general-2, general-3, general-4, …',
      ],
    ]);
  });

  it('says when a failure ended unnoticed, so that no recovery is recorded for it', () => {
    const m = timelineMarkers(null, [
      { failure: 'node-crash general-3', at_s: 100, nodes: 1, detect_s: null, recover_s: 0 },
      { failure: 'fail-node pool general ×3 (crash)', at_s: 200, nodes: 3, detect_s: 41 },
    ]);
    expect(m.map((x) => x.message)).toEqual([
      'node-crash general-3; never marked NotReady, so its recovery is not in events.csv',
      'fail-node pool general ×3 (crash) (3 nodes)',
    ]);
  });

  it('ignores recovery rows it cannot place in time', () => {
    expect(timelineMarkers(null, [{ failure: 'x' }, null, 'junk'])).toEqual([]);
    expect(timelineMarkers(null, { not: 'an array' })).toEqual([]);
  });
});
