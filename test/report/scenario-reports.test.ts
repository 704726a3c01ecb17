/**
 * Reports of real runs of the shipped failure scenarios: every failure and recovery the run
 * recorded gets a timeline marker, and thinning a long timeseries keeps every short outage.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenarioInto } from '../fixtures/report/run-scenario.js';
import { readCsv } from '../../src/report/csv.js';
import { loadRunData, MAX_SERIES_POINTS, type RunData } from '../../src/report/run-data.js';
import { NODE_COLUMNS, POD_COLUMNS } from '../../src/metrics/collector.js';

const scratch = mkdtempSync(join(tmpdir(), 'ksim-report-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs a scenario with seed 1 into scratch/<name> as `ksim run` writes it. */
function run(name: string, scenarioPath: string): string {
  const runDir = join(scratch, name);
  runScenarioInto(scenarioPath, runDir);
  return runDir;
}

/** Downward steps from the series' maximum: each is the start of an outage. */
function dips(values: (number | null)[]): number {
  const full = Math.max(...(values as number[]));
  let n = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! < full && values[i - 1] === full) n++;
  return n;
}

describe('scenarios/zone-outage.yaml', () => {
  let data: RunData;
  beforeAll(() => {
    data = loadRunData(run('zone-outage', 'scenarios/zone-outage.yaml'));
  });

  it('marks the zone failure at 30 min and the nodes coming back at 50 min', () => {
    expect(data.markers.map((m) => [m.timeS, m.kind, m.reason])).toEqual([
      [1800, 'failure', 'fail-zone'],
      [3000, 'recovery', 'NodeReady'],
    ]);
    expect(data.markers[1]!.message).toMatch(/^20 nodes Ready again: general-1, /);
  });

  it('writes pods.csv and nodes.csv with exactly the fixed columns when no node has extended resources', () => {
    const header = (f: string) => readCsv(join(scratch, 'zone-outage', f))!.columns;
    expect(header('pods.csv')).toEqual([...POD_COLUMNS]);
    expect(header('nodes.csv')).toEqual([...NODE_COLUMNS]);
  });
});

describe('scenarios/batch-trace.yaml: the heat map of 1,523 trace machines', () => {
  let dir = '';
  let data: RunData;
  beforeAll(() => {
    dir = run('batch-trace', 'scenarios/batch-trace.yaml');
    data = loadRunData(dir);
  });

  it('records GPUs in pods.csv and nodes.csv as extended-resource columns', () => {
    expect(readCsv(join(dir, 'nodes.csv'))!.columns.slice(NODE_COLUMNS.length)).toEqual([
      'allocatable:alibaba.com/gpu-milli',
      'allocatable:nvidia.com/gpu',
    ]);
    expect(readCsv(join(dir, 'pods.csv'))!.columns.slice(POD_COLUMNS.length)).toEqual([
      'request:alibaba.com/gpu-milli',
      'request:nvidia.com/gpu',
    ]);
  });

  it('gives every node that held a pod its own row and bands the never-used ones', () => {
    const h = data.heatmap!;
    const used = new Set(
      readCsv(join(dir, 'pods.csv'))!
        .rows.map((r) => r.node)
        .filter((n) => n),
    );
    expect(used.size).toBeGreaterThan(50);
    const nodeRows = h.rows.filter((r) => r.nodes === 1).map((r) => r.label);
    expect(new Set(nodeRows)).toEqual(used);
    expect(h.rows.slice(nodeRows.length).map((r) => r.label)).toEqual([
      `openb: ${(1523 - used.size).toLocaleString('en-US')} nodes never used`,
    ]);
    expect(h.rows.reduce((n, r) => n + r.nodes, 0)).toBe(1523);
  });

  it('offers CPU, memory and the GPU resources, with GPUs requested on some rows and n/a on CPU-only nodes', () => {
    const h = data.heatmap!;
    expect(h.resources.map((r) => r.name)).toEqual([
      'cpu',
      'memory',
      'alibaba.com/gpu-milli',
      'nvidia.com/gpu',
    ]);
    const gpu = h.resources.find((r) => r.name === 'nvidia.com/gpu')!;
    const flat = gpu.mean.flat();
    expect(flat.some((v) => v !== null && v > 0)).toBe(true);
    expect(flat).toContain(-1);
    // Low utilisation is kept, not rounded away: some CPU cells are between 0 and 10 %.
    const cpu = h.resources[0]!.mean.flat();
    expect(cpu.some((v) => v !== null && v > 0 && v < 100)).toBe(true);
  });
});

// Sampled every 30 s, the week has 20 161 rows: tenfold thinning, where every tenth sample
// would show 78 of the 86 outages.
describe('scenarios/chaos.yaml sampled every 30 s', () => {
  let dir = '';
  let data: RunData;
  beforeAll(() => {
    const scenario = join(scratch, 'chaos-10s.yaml');
    writeFileSync(
      scenario,
      readFileSync('scenarios/chaos.yaml', 'utf8').replace(
        'sampleInterval: 5m',
        'sampleInterval: 30s',
      ),
    );
    dir = run('chaos', scenario);
    data = loadRunData(dir);
  });

  it('marks every stochastic node and control-plane failure and every node coming back', () => {
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    const failures = summary.metrics.recovery as Array<{ failure: string; at_s: number }>;
    const controlPlane = summary.metrics.controlPlaneFailures as Array<{
      action: string;
      target: string;
      atSeconds: number;
    }>;
    expect(failures.length).toBeGreaterThan(50);
    expect(controlPlane.length).toBeGreaterThan(0);
    const failureMarkers = data.markers.filter((m) => m.kind === 'failure');
    const isControlPlane = (reason: string): boolean => reason.endsWith('-down');
    expect(
      failureMarkers.filter((m) => !isControlPlane(m.reason)).map((m) => [m.timeS, m.message]),
    ).toEqual(failures.map((f) => [f.at_s, f.failure]));
    expect(
      failureMarkers.filter((m) => isControlPlane(m.reason)).map((m) => [m.timeS, m.reason]),
    ).toEqual(controlPlane.map((f) => [f.atSeconds, f.action]));
    const ready = readCsv(join(dir, 'events.csv'))!.rows.filter((r) => r.reason === 'NodeReady');
    const recoveryTimes = new Set(
      data.markers.filter((m) => m.kind === 'recovery').map((m) => m.timeS),
    );
    for (const r of ready) expect(recoveryTimes.has(Number(r.time_s))).toBe(true);
    // A partition and a crash of different nodes both come back: both kinds are marked.
    expect(new Set(failureMarkers.map((m) => m.reason))).toEqual(
      new Set(['node-crash', 'partition', 'etcd-member-down', 'scheduler-down']),
    );
  });

  it('keeps every nodes-ready dip of the 20 161-row timeseries in the thinned chart data', () => {
    // Plain numeric CSV: split it directly rather than parse 20 000 rows a second time.
    const [header, ...lines] = readFileSync(join(dir, 'timeseries.csv'), 'utf8').trim().split('\n');
    const col = header!.split(',').indexOf('nodes_ready');
    const raw = lines.map((l) => Number(l.split(',')[col]));
    expect(raw.length).toBeGreaterThan(MAX_SERIES_POINTS * 10);
    expect(data.times.length).toBeLessThanOrEqual(MAX_SERIES_POINTS);
    expect(dips(data.nodes.ready)).toBe(dips(raw));
    expect(dips(raw)).toBe(86);
  });
});
