/**
 * Determinism is a feature: the same scenario and seed give byte-identical output files
 * (apart from wallSeconds in summary.json); another seed gives different ones.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/loader.js';
import { runSimulation } from '../../src/simulation.js';
import { buildSummary, outputInputOf, writeRunOutputs } from '../../src/metrics/output.js';
import { writeRunReport } from '../../src/report/run-report.js';

const QUICKSTART = 'scenarios/quickstart.yaml';

function runInto(seed: number): string {
  const dir = mkdtempSync(join(tmpdir(), `ksim-det-${seed}-`));
  const scenario = loadScenario(QUICKSTART, { seed });
  const r = runSimulation(scenario);
  const input = outputInputOf(scenario.name, r);
  // A different wall time each run: it must be the only difference.
  writeRunOutputs(dir, input, buildSummary(input, 'test', seed + Math.PI), {
    beforeSummary: (summary) => writeRunReport(dir, undefined, summary),
  });
  return dir;
}

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of readdirSync(dir).sort()) {
    let text = readFileSync(join(dir, f), 'utf8');
    if (f === 'summary.json') text = text.replace(/"wallSeconds": [\d.]+/, '"wallSeconds": 0');
    out.set(f, text);
  }
  return out;
}

describe('the quickstart is deterministic', () => {
  const a = files(runInto(42));
  const b = files(runInto(42));
  const c = files(runInto(43));

  it('writes the documented files', () => {
    expect([...a.keys()]).toEqual([
      'events.csv',
      'nodes.csv',
      'pods.csv',
      'report.html',
      'summary.json',
      'timeseries.csv',
    ]);
  });

  it.each(['events.csv', 'nodes.csv', 'pods.csv', 'report.html', 'summary.json', 'timeseries.csv'])(
    'the same seed gives a byte-identical %s',
    (f) => {
      expect(b.get(f)).toBe(a.get(f));
    },
  );

  it.each(['events.csv', 'pods.csv', 'timeseries.csv', 'summary.json'])(
    'another seed gives a different %s',
    (f) => {
      expect(c.get(f)).not.toBe(a.get(f));
    },
  );

  it('the run does real work: thousands of pods, all scheduled, across all nodes', () => {
    const summary = JSON.parse(a.get('summary.json')!);
    expect(summary.seed).toBe(42);
    expect(summary.simulatedSeconds).toBe(4 * 3600);
    expect(summary.metrics.podsCreated).toBeGreaterThan(4000);
    expect(summary.metrics.podsScheduled).toBe(summary.metrics.podsCreated);
    expect(summary.metrics.nodesUsedMax).toBe(48);
  });
});
