// The README promises the quickstart runs in well under 2 s: this measures it, rather than a
// timed unit test. Two figures, medians of ROUNDS: the whole CLI (`node bin/run.js run
// scenarios/quickstart.yaml`, start-up and report.html included; needs `npm run build`, which
// `npm run bench` does), and in-process load + simulate + write the CSVs (what a library user
// pays), with its events per second.
//   node dist-bench/bench/quickstart.js
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildSummary, outputInputOf, writeRunOutputs } from '../src/metrics/output.js';
import { loadScenario } from '../src/scenario/loader.js';
import { runSimulation } from '../src/simulation.js';

const SCENARIO = 'scenarios/quickstart.yaml';
const ROUNDS = 5;
const BUDGET_S = 2;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function cli(out: string): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, ['bin/run.js', 'run', SCENARIO, '--quiet', '--out', out]);
  if (r.status !== 0) throw new Error(`ksim run failed: ${r.stderr.toString()}`);
  return (performance.now() - start) / 1000;
}

function inProcess(out: string): { seconds: number; events: number } {
  const start = performance.now();
  const scenario = loadScenario(SCENARIO);
  const r = runSimulation(scenario);
  const input = outputInputOf(scenario.name, r);
  writeRunOutputs(out, input, buildSummary(input, 'bench', 0));
  return { seconds: (performance.now() - start) / 1000, events: r.events };
}

const dir = mkdtempSync(join(os.tmpdir(), 'ksim-bench-quickstart-'));
try {
  const cliS: number[] = [];
  const libS: number[] = [];
  let events = 0;
  inProcess(join(dir, 'warm-up'));
  for (let i = 0; i < ROUNDS; i++) {
    cliS.push(cli(join(dir, `cli-${i}`)));
    const lib = inProcess(join(dir, `lib-${i}`));
    libS.push(lib.seconds);
    events = lib.events;
  }
  const wall = median(cliS);
  console.log(`quickstart (${SCENARIO}), median of ${ROUNDS} on ${os.cpus().length} cores:`);
  console.log(
    `  CLI wall          ${wall.toFixed(2)} s  (${wall < BUDGET_S ? 'within' : 'OVER'} the ${BUDGET_S} s the README promises)`,
  );
  console.log(
    `  load + run + CSVs ${median(libS).toFixed(2)} s  (${events} events, ${Math.round(events / median(libS))} events/s)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
