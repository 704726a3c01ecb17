/**
 * CrashLoopBackOff as the kubelet does it (kuberuntime_manager.go doBackOff with
 * client-go flowcontrol.Backoff, kubelet.go: 10 s initial, 300 s cap, reset when the
 * container ran more than 600 s since its last restart). Scheduling costs no virtual time, so
 * every bare pod is bound and started at 0.
 */
import { describe, expect, it } from '@jest/globals';
import { eventsWith, instantSimulation, podsOf, runYaml } from './batch-helpers.js';

function pods(duration: string, docs: string): string {
  return instantSimulation(duration, { nodes: 1 }, docs);
}

function pod(name: string, annotations: string, restartPolicy = 'Always'): string {
  return `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}, annotations: {${annotations}}}
spec:
  restartPolicy: ${restartPolicy}
  containers: [{name: c, image: app, resources: {requests: {cpu: 100m}}}]
`;
}

const backOffs = (r: ReturnType<typeof runYaml>, key: string): string[] =>
  eventsWith(r, 'BackOff', key).map((e) => `t=${e.time / 1000} ${e.message}`);

describe('CrashLoopBackOff', () => {
  it('restarts at once after the first crash, then waits 10, 20, 40 … s, capped at 300 s', () => {
    // Every start crashes when it would become Ready, 5 s after it began:
    //   crash 5 s: no back-off entry yet → restart at once (entry 10 s)
    //   crash 10: wait 10 → restart 20 (entry 20)   crash 25: wait 20 → restart 45 (40)
    //   crash 50: wait 40 → 90 (80)                 crash 95: wait 80 → 175 (160)
    //   crash 180: wait 160 → 340 (300, the cap)    crash 345: wait 300 → 645
    //   crash 650: wait 300 → 950                   crash 955: wait 300 → 1255 (after the end)
    const r = runYaml(pods('1000s', pod('crash', "ksim.dev/startup: 5s, ksim.dev/crash: '1'")));
    expect(backOffs(r, 'default/crash')).toEqual([
      't=10 Back-off 10s restarting failed container',
      't=25 Back-off 20s restarting failed container',
      't=50 Back-off 40s restarting failed container',
      't=95 Back-off 80s restarting failed container',
      't=180 Back-off 160s restarting failed container',
      't=345 Back-off 300s restarting failed container',
      't=650 Back-off 300s restarting failed container',
      't=955 Back-off 300s restarting failed container',
    ]);
    const [p] = podsOf(r, 'crash');
    expect(p!.status.restartCount).toBe(8);
    // A crash-looping container keeps the pod Running (not Ready): pods.csv says Running.
    expect([p!.status.phase, p!.status.ready, p!.outcome]).toEqual(['Running', false, 'Running']);
    expect(p!.times.ready).toBeUndefined();
  });

  it('starts over when the container ran more than 600 s since its last restart', () => {
    // restartPolicy Always, Ready after 5 s, exits 0 after its duration, restarted in place.
    //   long (596 s): exits 601 → at once (entry, lastUpdate 601); exits 1202: ran 601 s > 600 s
    //     → the entry has expired → at once again; exits 1803 → at once. No back-off ever.
    //   short (595 s): exits 600 → at once (lastUpdate 600); exits 1200: ran exactly 600 s, not
    //     more → wait 10 s → restart 1210 (entry 20 s); exits 1810 → wait 20 s → 1830.
    const r = runYaml(
      pods(
        '2000s',
        pod('long', 'ksim.dev/startup: 5s, ksim.dev/duration: 596s') +
          pod('short', 'ksim.dev/startup: 5s, ksim.dev/duration: 595s'),
      ),
    );
    expect(backOffs(r, 'default/long')).toEqual([]);
    expect(podsOf(r, 'long')[0]!.status.restartCount).toBe(3);
    expect(backOffs(r, 'default/short')).toEqual([
      't=1200 Back-off 10s restarting failed container',
      't=1810 Back-off 20s restarting failed container',
    ]);
    expect(podsOf(r, 'short')[0]!.status.restartCount).toBe(3);
  });

  it.each([
    // cap 30 s: crashes at 5, 10 (→20), 25 (→45), 50 (→80), 85 (→115), 120 (→150)
    ['30s', ['t=10 10s', 't=25 20s', 't=50 30s', 't=85 30s', 't=120 30s']],
    // cap 5 s is below the initial 10 s, which drops to it: a crash every 5 s wait + 5 s start,
    // at 10, 20, … 120 s
    ['5s', Array.from({ length: 12 }, (_, i) => `t=${(i + 1) * 10} 5s`)],
  ])(
    'spec.kubelet.crashLoopBackOff.maxContainerRestartPeriod %s caps the back-off',
    (cap, want) => {
      const r = runYaml(
        pods('125s', pod('crash', "ksim.dev/startup: 5s, ksim.dev/crash: '1'")).replace(
          '  controlPlane:',
          `  kubelet: {crashLoopBackOff: {maxContainerRestartPeriod: ${cap}}}\n  controlPlane:`,
        ),
      );
      expect(
        backOffs(r, 'default/crash').map((e) =>
          e.replace(/ Back-off (\d+s) restarting failed container/, ' $1'),
        ),
      ).toEqual(want);
    },
  );

  it('a maxContainerRestartPeriod above 300 s is refused with its field path', () => {
    expect(() =>
      runYaml(
        pods('1m', pod('p', 'ksim.dev/startup: 5s')).replace(
          '  controlPlane:',
          '  kubelet: {crashLoopBackOff: {maxContainerRestartPeriod: 10m}}\n  controlPlane:',
        ),
      ),
    ).toThrow(
      /spec\.kubelet\.crashLoopBackOff\.maxContainerRestartPeriod: expected a duration from 1s to 300s, found "10m"/,
    );
  });
});
