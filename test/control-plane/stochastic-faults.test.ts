/**
 * Stochastic control-plane faults (spec.faults etcd-member-down, apiserver-down,
 * scheduler-down, controller-manager-down): exact timelines with constant up/down times, the
 * named streams with random ones, and the scenario errors.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RngStreams } from '../../src/engine/rng.js';
import { loadScenario } from '../../src/scenario/loader.js';
import { ScenarioError } from '../../src/scenario/errors.js';
import type { StochasticControlPlaneFaultParsed } from '../../src/scenario/actions/control-plane-actions.js';
import { runSimulation, type RunResult } from '../../src/simulation.js';

const dir = mkdtempSync(join(tmpdir(), 'ksim-cp-faults-'));
let n = 0;

function scenario(o: { duration: string; controlPlane: string; faults: string[]; seed?: number }) {
  const file = join(dir, `s${n++}.yaml`);
  writeFileSync(
    file,
    `apiVersion: ksim.dev/v1alpha1
kind: Simulation
metadata: {name: cp-faults}
spec:
  seed: ${o.seed ?? 1}
  duration: ${o.duration}
  metrics: {sampleInterval: 1m}
  controlPlane: ${o.controlPlane}
  nodePools:
    - name: general
      count: 2
      template:
        status: {allocatable: {cpu: "8", memory: 32Gi, pods: "110"}}
  faults:
${o.faults.map((f) => `    - ${f}`).join('\n')}
`,
  );
  return file;
}

const markers = (r: RunResult) =>
  r.metrics.events
    .filter((e) => e.kind === 'Simulation')
    .map((e) => `${e.time / 1000} ${e.reason} ${e.message}`);
const rows = (r: RunResult) =>
  (r.metrics.extra.controlPlaneFailures as Array<Record<string, unknown>>).map(
    (x) => `${x.action} ${x.target} ${x.atSeconds}–${x.recoveredAtSeconds}`,
  );

describe('stochastic control-plane faults, constant up and down times', () => {
  it('scheduler-down {leader: true} fails whoever leads: kube-scheduler-0 at 4 m, kube-scheduler-1 at 8 m 30 s', () => {
    const r = runSimulation(
      loadScenario(
        scenario({
          duration: '10m',
          controlPlane: '{scheduler: {replicas: 2}}',
          faults: ['{kind: scheduler-down, leader: true, mtbf: 4m, mttr: 30s}'],
        }),
      ),
    );
    // Up 240 s, down 30 s, up 240 s (to 510 s), down 30 s; the next failure (780 s) is after
    // the end. The standby leads by the second failure, so that one takes it down.
    expect(markers(r)).toEqual([
      '240 scheduler-down kube-scheduler-0 (faults[0])',
      '270 scheduler-up kube-scheduler-0',
      '510 scheduler-down kube-scheduler-1 (faults[0])',
      '540 scheduler-up kube-scheduler-1',
    ]);
    const took = r.metrics.events
      .filter((e) => e.reason === 'LeaderElection')
      .map((e) => e.message);
    expect(took).toEqual(['kube-scheduler-1 became leader', 'kube-scheduler-0 became leader']);
    expect(rows(r)).toEqual([
      'scheduler-down kube-scheduler-0 240–270',
      'scheduler-down kube-scheduler-1 510–540',
    ]);
  });

  it('apiserver-down per replica: both replicas down 5–6 m and 11–12 m, 120 s without writes', () => {
    const r = runSimulation(
      loadScenario(
        scenario({
          duration: '13m',
          controlPlane: '{apiServers: 2}',
          faults: ['{kind: apiserver-down, mtbf: 5m, mttr: 1m}'],
        }),
      ),
    );
    expect(rows(r)).toEqual([
      'apiserver-down kube-apiserver-0 300–360',
      'apiserver-down kube-apiserver-1 300–360',
      'apiserver-down kube-apiserver-0 660–720',
      'apiserver-down kube-apiserver-1 660–720',
    ]);
    const cp = r.metrics.extra.controlPlane as Record<string, number>;
    expect(cp.writesUnavailableSeconds).toBe(120);
    expect(cp.failures).toBe(4);
  });

  it('a replica already down skips the failure: the timeline holds etcd-2, the fault only fails 0 and 1', () => {
    const file = scenario({
      duration: '10m',
      controlPlane: '{etcd: {members: 3}}',
      faults: ['{kind: etcd-member-down, mtbf: 2m, mttr: 1m}'],
    });
    writeFileSync(
      file,
      `${readFileSync(file, 'utf8')}  timeline:\n    - {at: 1m, action: etcd-member-down, target: {member: 2}}\n`,
    );
    const r = runSimulation(loadScenario(file));
    expect(rows(r)).toEqual([
      'etcd-member-down etcd-2 60–null',
      'etcd-member-down etcd-0 120–180',
      'etcd-member-down etcd-1 120–180',
      'etcd-member-down etcd-0 300–360',
      'etcd-member-down etcd-1 300–360',
      'etcd-member-down etcd-0 480–540',
      'etcd-member-down etcd-1 480–540',
    ]);
  });
});

describe('stochastic control-plane faults, random up and down times', () => {
  const faults = [
    '{kind: etcd-member-down, mtbf: {exponential: {mean: 2h}}, mttr: {lognormal: {median: 5m, sigma: 0.5}}}',
  ];

  /** Failure instants of etcd member i (s) as its stream faults/<index>/etcd-member/<i> says. */
  function expected(file: string, index: number, member: number, seed: number, end: number) {
    const p = loadScenario(file).faults[index]!
      .parsed as unknown as StochasticControlPlaneFaultParsed;
    const rng = new RngStreams(seed).stream(`faults/${index}/etcd-member/${member}`);
    const ms = (v: number) => Math.max(1, Math.round(v));
    const out: string[] = [];
    for (let t = ms(p.mtbf.sample(rng)); t <= end;) {
      const down = ms(p.mttr.sample(rng));
      out.push(`etcd-${member} ${t / 1000}–${(t + down) / 1000}`);
      t += down + ms(p.mtbf.sample(rng));
    }
    return out;
  }

  it('each member draws mtbf, mttr, mtbf, … from faults/0/etcd-member/<i>', () => {
    const file = scenario({
      duration: '12h',
      controlPlane: '{etcd: {members: 3}}',
      faults,
      seed: 7,
    });
    const r = runSimulation(loadScenario(file));
    const end = 12 * 3600_000;
    const want = [0, 1, 2].flatMap((m) => expected(file, 0, m, 7, end));
    const got = rows(r).map((x) => x.replace('etcd-member-down ', ''));
    expect(got.length).toBeGreaterThan(5);
    // Two members down at once lose the quorum for a while; the rows are the failures.
    expect([...got].sort()).toEqual([...want].sort());
  });

  it('another fault entry never moves these failures; a second entry of the same kind draws its own', () => {
    const one = scenario({
      duration: '12h',
      controlPlane: '{etcd: {members: 3}}',
      faults,
      seed: 7,
    });
    const two = scenario({
      duration: '12h',
      controlPlane: '{etcd: {members: 3}}',
      faults: [...faults, faults[0]!],
      seed: 7,
    });
    const end = 12 * 3600_000;
    const first = [0, 1, 2].flatMap((m) => expected(one, 0, m, 7, end));
    const again = [0, 1, 2].flatMap((m) => expected(two, 1, m, 7, end));
    expect(again).not.toEqual(first);
    const got = rows(runSimulation(loadScenario(two))).map((x) =>
      x.replace('etcd-member-down ', ''),
    );
    // Each of entry 0's failures is there at its own instant — unless entry 1 held that
    // member down then, which skips it (and the same the other way round).
    const parse = (x: string) => {
      const [member, span] = x.split(' ');
      const [from, to] = span!.split('–').map(Number);
      return { member: member!, from: from!, to: to! };
    };
    const held = (f: string) =>
      got.some((g) => {
        const a = parse(f);
        const b = parse(g);
        return a.member === b.member && b.from <= a.from && a.from <= b.to;
      });
    for (const f of first) expect(got.includes(f) || held(f)).toBe(true);
    for (const f of again) expect(got.includes(f) || held(f)).toBe(true);
    expect(got.length).toBeGreaterThan(first.length);
  });
});

describe('stochastic control-plane fault errors', () => {
  it.each([
    [
      '{kind: apiserver-down, leader: true, mtbf: 1h, mttr: 1m}',
      'spec.faults[0].leader: unknown field',
    ],
    ['{kind: scheduler-down, mttr: 1m}', 'spec.faults[0].mtbf: expected a duration distribution'],
    ['{kind: controller-manager-down, leader: yes, mtbf: 1h, mttr: 1m}', 'spec.faults[0].leader'],
  ])('%s', (fault, message) => {
    const file = scenario({ duration: '1h', controlPlane: '{}', faults: [fault] });
    let err: unknown;
    try {
      loadScenario(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    const text = (err as ScenarioError).issues.map((i) => `${i.path}: ${i.message}`).join('\n');
    expect(text).toContain(message);
  });
});
