/**
 * `runComparison` in this thread (jobs 1) on the shipped binpacking scenario: MostAllocated
 * packs the same pods onto fewer nodes with a confidence interval that says so, the two policies
 * see the same arrivals and failures on the same seed (common random numbers), and the output
 * layout.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  mkdtempSync,
} from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { runComparison, type CompareResult } from '../../src/compare/compare.js';
import { readCsv } from '../../src/report/csv.js';
import { ScenarioError } from '../../src/scenario/errors.js';

// A fresh directory per test run: concurrent runs never share outputs.
const scratch = mkdtempSync(join(tmpdir(), 'ksim-compare-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const out = join(scratch, 'binpacking');
const SCENARIO = 'scenarios/binpacking.yaml';

function column(file: string, name: string): string[] {
  return readCsv(file)!.rows.map((r) => r[name]!);
}

describe('ksim compare on scenarios/binpacking.yaml, 10 seeds', () => {
  let result: CompareResult;

  beforeAll(async () => {
    rmSync(out, { recursive: true, force: true });
    result = await runComparison({
      scenarioPath: SCENARIO,
      profiles: ['least-allocated', 'most-allocated'],
      seeds: 10,
      jobs: 1,
      outDir: out,
    });
  });

  it('MostAllocated uses fewer nodes: the paired difference CI is below zero', () => {
    const row = result.comparison.rows.find(
      (r) => r.metric === 'nodesUsedMean' && r.policy === 'most-allocated',
    )!;
    expect(row.n).toBe(10);
    expect(row.excludesZero).toBe(true);
    expect(row.diffCiHigh!).toBeLessThan(0);
    // Not just significant but large: at least ten nodes fewer on average.
    expect(row.diffMean!).toBeLessThan(-10);
  });

  it('MostAllocated fills the nodes in use more: used-node CPU utilisation rises', () => {
    const row = result.comparison.rows.find(
      (r) => r.metric === 'cpuUtilisationOfUsedNodesMean' && r.policy === 'most-allocated',
    )!;
    expect(row.excludesZero).toBe(true);
    expect(row.diffCiLow!).toBeGreaterThan(0);
  });

  it('comparison.csv has the baseline row without differences and the other with them', () => {
    const lines = readFileSync(join(out, 'comparison.csv'), 'utf8').split('\n');
    expect(lines[0]).toBe(
      'metric,label,unit,policy,n,mean,sd,ci_low,ci_high,diff_n,diff_mean,diff_sd,diff_ci_low,diff_ci_high,diff_excludes_zero',
    );
    const nodes = lines.filter((l) => l.startsWith('nodesUsedMean,'));
    expect(nodes).toHaveLength(2);
    expect(nodes[0]).toMatch(
      /^nodesUsedMean,Nodes used mean,nodes,least-allocated,10,[\d.]+,[\d.]+,[\d.]+,[\d.]+,,,,,,$/,
    );
    expect(nodes[1]).toMatch(
      /^nodesUsedMean,Nodes used mean,nodes,most-allocated,10,(,?-?[\d.]+){4},10(,?-?[\d.]+){4},true$/,
    );
    const metrics = new Set(lines.slice(1, -1).map((l) => l.split(',')[0]));
    for (const m of [
      'schedulingLatencyP50',
      'schedulingLatencyP99',
      'pendingTimeMean',
      'pendingTimeP99',
      'cpuUtilisationOfUsedNodesMean',
      'cpuUtilisationOfUsedNodesMax',
      'memoryUtilisationOfUsedNodesMean',
      'memoryUtilisationOfUsedNodesMax',
      'nodesUsedMean',
      'nodesUsedMax',
      'unschedulable',
      'preemptions',
      'evictions',
    ])
      expect({ m, present: metrics.has(m) }).toEqual({ m, present: true });
  });

  it('writes every run like ksim run, plus comparison.csv, comparison.json and comparison.html', () => {
    expect(readdirSync(out).sort()).toEqual([
      'comparison.csv',
      'comparison.html',
      'comparison.json',
      'runs',
    ]);
    expect(readdirSync(join(out, 'runs')).sort()).toEqual(['least-allocated', 'most-allocated']);
    expect(readdirSync(join(out, 'runs', 'most-allocated')).length).toBe(10);
    expect(readdirSync(join(out, 'runs', 'most-allocated', 'seed-7')).sort()).toEqual([
      'events.csv',
      'nodes.csv',
      'pods.csv',
      'report.html',
      'summary.json',
      'timeseries.csv',
    ]);
    const summary = JSON.parse(
      readFileSync(join(out, 'runs', 'most-allocated', 'seed-7', 'summary.json'), 'utf8'),
    );
    expect({ seed: summary.seed, profile: summary.profile }).toEqual({
      seed: 7,
      profile: 'most-allocated',
    });
    const html = readFileSync(join(out, 'comparison.html'), 'utf8');
    expect(html).toContain('href="runs/most-allocated/seed-7/report.html"');
    const json = JSON.parse(readFileSync(join(out, 'comparison.json'), 'utf8'));
    expect(json.values.nodesUsedMean['most-allocated']).toHaveLength(10);
    expect(json.values.nodesUsedMean['most-allocated'][6]).toBe(summary.metrics.nodesUsedMean);
  });

  it('gives both policies the same arrival instants and pod run times on the same seed', () => {
    const run = (policy: string, seed: number) => join(out, 'runs', policy, `seed-${seed}`);
    for (const seed of [1, 4, 10]) {
      const a = run('least-allocated', seed);
      const b = run('most-allocated', seed);
      expect(column(join(b, 'pods.csv'), 'created_s')).toEqual(
        column(join(a, 'pods.csv'), 'created_s'),
      );
      expect(column(join(b, 'pods.csv'), 'pod')).toEqual(column(join(a, 'pods.csv'), 'pod'));
      const ranFor = (dir: string) =>
        readCsv(join(dir, 'pods.csv'))!.rows.map((r) =>
          r.outcome === 'Succeeded' ? (Number(r.finished_s) - Number(r.started_s)).toFixed(3) : '',
        );
      expect(ranFor(b)).toEqual(ranFor(a));
      // …while the policies really placed the pods differently.
      expect(column(join(b, 'pods.csv'), 'node')).not.toEqual(column(join(a, 'pods.csv'), 'node'));
    }
    // And another seed is another draw.
    expect(column(join(run('least-allocated', 2), 'pods.csv'), 'created_s')).not.toEqual(
      column(join(run('least-allocated', 1), 'pods.csv'), 'created_s'),
    );
  });
});

describe('common random numbers with failures', () => {
  const dir = join(scratch, 'crn-failures');
  const scenario = join(dir, 'binpacking-failures.yaml');

  beforeAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    // The shipped scenario plus random node crashes (each node its own stream) and a scripted
    // fail-node that picks two nodes of the pool at random.
    const faults = `  faults:
    - { kind: node-crash, pool: general, mtbf: { exponential: { mean: 10h } }, mttr: { exponential: { mean: 10m } } }
  timeline:
    - { at: 1h, action: fail-node, target: { pool: general, count: 2 }, recoverAfter: 20m }
  workloads:`;
    writeFileSync(
      scenario,
      readFileSync(SCENARIO, 'utf8').replace(/^ {2}workloads:/m, () => faults),
    );
    await runComparison({
      scenarioPath: scenario,
      profiles: ['least-allocated', 'most-allocated'],
      seeds: 2,
      jobs: 1,
      outDir: join(dir, 'out'),
    });
  });

  /** time_s,object,reason of every node and Simulation event: when which node failed or came back. */
  const failures = (policy: string, seed: number) =>
    readCsv(join(dir, 'out', 'runs', policy, `seed-${seed}`, 'events.csv'))!
      .rows.filter((r) => r.kind === 'Node' || r.kind === 'Simulation')
      .map((r) => `${r.time_s},${r.object},${r.reason}`);

  it('gives both policies the same failure instants and nodes on the same seed', () => {
    for (const seed of [1, 2]) {
      const a = failures('least-allocated', seed);
      expect(a.filter((e) => e.endsWith(',NodeNotReady')).length).toBeGreaterThan(3);
      expect(a.some((e) => e.endsWith(',fail-node,fail-node'))).toBe(true);
      expect(failures('most-allocated', seed)).toEqual(a);
      const pods = (policy: string) =>
        column(join(dir, 'out', 'runs', policy, `seed-${seed}`, 'pods.csv'), 'created_s');
      expect(pods('most-allocated')).toEqual(pods('least-allocated'));
    }
    expect(failures('least-allocated', 2)).not.toEqual(failures('least-allocated', 1));
  });
});

describe('policies of a comparison', () => {
  const dir = join(scratch, 'policies');
  const tuned = join(dir, 'tuned.yaml');
  const two = join(dir, 'two.yaml');

  beforeAll(() => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const profile = (name: string, type: string) => `
  - schedulerName: ${name}
    pluginConfig:
      - name: NodeResourcesFit
        args: { scoringStrategy: { type: ${type} } }`;
    const config =
      'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:';
    writeFileSync(tuned, config + profile('default-scheduler', 'MostAllocated') + '\n');
    writeFileSync(
      two,
      config + profile('spread', 'LeastAllocated') + profile('pack', 'MostAllocated') + '\n',
    );
  });

  it('names policies from --scheduler-config after the file, and file:profile when it has several', async () => {
    const r = await runComparison({
      scenarioPath: SCENARIO,
      profiles: ['most-allocated'],
      schedulerConfigs: [tuned, two],
      seeds: 1,
      jobs: 1,
      outDir: join(dir, 'out'),
    });
    expect(r.policies.map((p) => [p.name, p.profile, p.dir])).toEqual([
      ['most-allocated', 'most-allocated', 'most-allocated'],
      ['tuned', 'default-scheduler', 'tuned'],
      ['two:spread', 'spread', 'two_spread'],
      ['two:pack', 'pack', 'two_pack'],
    ]);
    // The file's MostAllocated profile packs exactly like the scenario's most-allocated.
    const nodes = (policyDir: string) =>
      readFileSync(join(dir, 'out', 'runs', policyDir, 'seed-1', 'pods.csv'), 'utf8');
    expect(nodes('tuned')).toBe(nodes('most-allocated'));
    expect(nodes('two_pack')).toBe(nodes('most-allocated'));
    expect(nodes('two_spread')).not.toBe(nodes('most-allocated'));
  });

  it('with no policy given compares every profile of the scenario, in its order', async () => {
    const r = await runComparison({
      scenarioPath: SCENARIO,
      seeds: 1,
      jobs: 1,
      outDir: join(dir, 'all'),
    });
    expect(r.comparison.policies).toEqual(['least-allocated', 'most-allocated']);
  });

  it.each([
    [
      'an unknown profile',
      { profiles: ['fastest'] },
      `--profile: no scheduling profile named "fastest" in ${SCENARIO}; it has "least-allocated", "most-allocated"`,
    ],
    [
      'the same profile twice',
      { profiles: ['most-allocated', 'most-allocated'] },
      '--profile: policy "most-allocated" is given twice; each policy runs once',
    ],
  ])('refuses %s before running anything', async (_name, policy, message) => {
    const outDir = join(dir, 'refused');
    const run = runComparison({ scenarioPath: SCENARIO, seeds: 2, jobs: 1, outDir, ...policy });
    await expect(run).rejects.toThrow(ScenarioError);
    await expect(run).rejects.toThrow(message);
    expect(existsSync(outDir)).toBe(false);
  });
});

describe('ksim compare on a scenario with its own scheduler plugin (scenarios/prefer-labelled.yaml)', () => {
  const dir = join(scratch, 'prefer-labelled');
  const SCENARIO_PLUGIN = 'scenarios/prefer-labelled.yaml';
  const onReserved = (policyDir: string, seed: number) =>
    column(join(dir, 'out', 'runs', policyDir, `seed-${seed}`, 'pods.csv'), 'node').filter((n) =>
      n.startsWith('reserved-'),
    ).length;

  it('resolves the profiles with the scenario’s plugin registered and runs them', async () => {
    rmSync(dir, { recursive: true, force: true });
    const r = await runComparison({
      scenarioPath: SCENARIO_PLUGIN,
      seeds: 2,
      jobs: 1,
      outDir: join(dir, 'out'),
    });
    expect(r.comparison.policies).toEqual(['default-scheduler', 'plain']);
    for (const seed of [1, 2]) {
      // PreferLabelledNodes fills the 4 reserved nodes (32 half-CPU pods) before the others.
      expect(onReserved('default-scheduler', seed)).toBe(32);
      expect(onReserved('plain', seed)).toBeLessThan(32);
    }
  });

  it('accepts a --scheduler-config file that enables the scenario’s plugin', async () => {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'reserved-first.yaml');
    writeFileSync(
      file,
      `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
  - schedulerName: default-scheduler
    plugins: { multiPoint: { enabled: [{ name: PreferLabelledNodes, weight: 5 }] } }
    pluginConfig:
      - name: PreferLabelledNodes
        args: { label: node.example.com/reserved, value: 'true' }
`,
    );
    const r = await runComparison({
      scenarioPath: SCENARIO_PLUGIN,
      profiles: ['plain'],
      schedulerConfigs: [file],
      seeds: 1,
      jobs: 1,
      outDir: join(dir, 'file'),
    });
    expect(r.policies.map((p) => p.name)).toEqual(['plain', 'reserved-first']);
    const nodes = (policyDir: string) =>
      column(join(dir, 'file', 'runs', policyDir, 'seed-1', 'pods.csv'), 'node');
    expect(nodes('reserved-first').filter((n) => n.startsWith('reserved-')).length).toBe(32);
  });
});

describe('re-running ksim compare into the same --out', () => {
  const dir = join(scratch, 'rerun');

  it('leaves no stale run of an earlier comparison, and keeps files that are not ksim’s', async () => {
    rmSync(dir, { recursive: true, force: true });
    await runComparison({
      scenarioPath: SCENARIO,
      profiles: ['least-allocated', 'most-allocated'],
      seeds: 2,
      jobs: 1,
      outDir: dir,
    });
    writeFileSync(join(dir, 'runs', 'notes.txt'), 'mine');
    writeFileSync(join(dir, 'runs', 'least-allocated', 'seed-2', 'mine.txt'), 'mine');
    mkdirSync(join(dir, 'runs', 'least-allocated', 'keep'));
    const r = await runComparison({
      scenarioPath: SCENARIO,
      profiles: ['least-allocated'],
      seeds: 1,
      jobs: 1,
      outDir: dir,
    });
    expect(r.comparison.runs).toHaveLength(1);
    expect(readdirSync(join(dir, 'runs')).sort()).toEqual(['least-allocated', 'notes.txt']);
    expect(readdirSync(join(dir, 'runs', 'least-allocated')).sort()).toEqual([
      'keep',
      'seed-1',
      'seed-2',
    ]);
    // seed-2 is no longer a run: only the user's file is left in it.
    expect(readdirSync(join(dir, 'runs', 'least-allocated', 'seed-2'))).toEqual(['mine.txt']);
    expect(readdirSync(join(dir, 'runs', 'least-allocated', 'seed-1'))).toContain('summary.json');
  });

  it('keeps the earlier results when the new policies are invalid', async () => {
    const before = readdirSync(join(dir, 'runs', 'least-allocated')).sort();
    await expect(
      runComparison({ scenarioPath: SCENARIO, profiles: ['nope'], seeds: 1, jobs: 1, outDir: dir }),
    ).rejects.toThrow(ScenarioError);
    expect(readdirSync(join(dir, 'runs', 'least-allocated')).sort()).toEqual(before);
    expect(existsSync(join(dir, 'comparison.html'))).toBe(true);
  });
});
