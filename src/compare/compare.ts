/**
 * `ksim compare` as a library function: every policy × seed (seeds 1..N; the first policy is the
 * baseline), each run in `<out>/runs/<policy>/seed-<n>/` exactly as `ksim run` writes it, then
 * comparison.csv, comparison.json and comparison.html in `<out>`.
 *
 * Common random numbers come from the engine: every consumer of randomness draws from a stream
 * named after what it is (arrivals/web, pods/web, faults/…), so runs with the same seed see the
 * same arrivals and failures under every policy, and the paired differences measure the policy.
 *
 * Runs go to worker threads when jobs > 1 (dist/compare/worker.js), in this thread when jobs = 1.
 * Either way the outputs are byte-identical: each run depends on its task alone, and the merged
 * files are written after all runs, in policy × seed order. Only wallSeconds in each run's
 * summary.json differs between two invocations.
 */
import { existsSync, readdirSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../scenario/loader.js';
import type { RunOutput } from '../metrics/output.js';
import { writeAtomic } from '../metrics/write.js';
import { buildComparisonReport } from '../report/comparison-report.js';
import { buildComparison, comparisonCsv, type ComparisonResult } from './comparison.js';
import { resolvePolicies, type Policy, type PolicySource } from './policies.js';
import { runOnWorkers } from './pool.js';
import { runOne, type RunTask } from './run-one.js';

export interface CompareOptions {
  scenarioPath: string;
  /** Profiles of the scenario's KubeSchedulerConfiguration, each a policy named after it. */
  profiles?: readonly string[];
  /** KubeSchedulerConfiguration files; each of their profiles is a policy (see policies.ts). */
  schedulerConfigs?: readonly string[];
  /**
   * Policies in an explicit order (the CLI passes the command-line order). When given, it is
   * used instead of profiles + schedulerConfigs; when nothing is given, every profile of the
   * scenario's configuration is a policy.
   */
  policies?: readonly PolicySource[];
  /** Runs seeds 1..seeds. */
  seeds: number;
  /** Worker threads; 1 runs everything in this thread. */
  jobs: number;
  /** Default `reports/<scenario>/compare`. */
  outDir?: string;
  /** Called once with done = 0 before the first run, then after each run in completion order. */
  onProgress?: (done: number, total: number, run?: { policy: string; seed: number }) => void;
  /** Wall clock in ms for in-thread runs' wallSeconds (workers read their own); default 0. */
  clock?: () => number;
  /** Worker script; default the compiled dist/compare/worker.js. */
  workerUrl?: URL;
}

export interface CompareResult {
  outDir: string;
  policies: Policy[];
  comparison: ComparisonResult;
  /** summaries[p][s]: policy p with seed s + 1. */
  summaries: RunOutput[][];
}

const require = createRequire(import.meta.url);

function ksimVersion(): string {
  return (require('../../package.json') as { version: string }).version;
}

/**
 * The compiled worker beside this module (dist/compare/), or — when this module runs from the
 * TypeScript sources, as under jest — the one in dist/, which `npm run build` produces.
 */
export function defaultWorkerUrl(): URL {
  const here = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  return new URL('../../dist/compare/worker.js', import.meta.url);
}

export function runDirName(policy: Policy, seed: number): string {
  return `runs/${policy.dir}/seed-${seed}`;
}

export async function runComparison(opts: CompareOptions): Promise<CompareResult> {
  if (!Number.isInteger(opts.seeds) || opts.seeds < 1) {
    throw new RangeError(`seeds must be a positive integer, got ${opts.seeds}`);
  }
  if (!Number.isInteger(opts.jobs) || opts.jobs < 1) {
    throw new RangeError(`jobs must be a positive integer, got ${opts.jobs}`);
  }
  const scenario = loadScenario(opts.scenarioPath);
  const name = scenario.name || basename(opts.scenarioPath, extname(opts.scenarioPath));
  const sources: PolicySource[] = opts.policies
    ? [...opts.policies]
    : [
        ...(opts.profiles ?? []).map((profile) => ({ profile })),
        ...(opts.schedulerConfigs ?? []).map((schedulerConfig) => ({ schedulerConfig })),
      ];
  const policies = resolvePolicies(scenario, sources);
  const outDir = opts.outDir ?? join('reports', name, 'compare');
  const seeds = Array.from({ length: opts.seeds }, (_, i) => i + 1);
  const version = ksimVersion();

  // Only now, with the policies valid: a typo must not cost the previous results.
  clearPreviousComparison(outDir);

  const tasks: RunTask[] = policies.flatMap((policy) =>
    seeds.map((seed) => ({
      scenarioPath: opts.scenarioPath,
      scenarioName: name,
      policy,
      seed,
      runDir: join(outDir, runDirName(policy, seed)),
      ksimVersion: version,
    })),
  );
  let done = 0;
  const report = (task: RunTask): void =>
    opts.onProgress?.(++done, tasks.length, { policy: task.policy.name, seed: task.seed });

  opts.onProgress?.(0, tasks.length);
  let flat: RunOutput[];
  if (opts.jobs === 1) {
    const clock = opts.clock ?? (() => 0);
    flat = tasks.map((task) => {
      const summary = runOne(task, clock);
      report(task);
      return summary;
    });
  } else {
    flat = await runOnWorkers(tasks, opts.jobs, opts.workerUrl ?? defaultWorkerUrl(), (i) =>
      report(tasks[i]!),
    );
  }
  const summaries = policies.map((_, p) => flat.slice(p * seeds.length, (p + 1) * seeds.length));

  const comparison = buildComparison({
    scenario: name,
    seeds,
    policies: policies.map((p) => p.name),
    metrics: summaries.map((runs) => runs.map((s) => s.metrics)),
    dirs: policies.map((p) => seeds.map((seed) => runDirName(p, seed))),
    endSeconds: summaries.map((runs) => runs.map((s) => s.simulatedSeconds)),
  });
  writeComparisonOutputs(outDir, comparison);
  return { outDir, policies, comparison, summaries };
}

/** The files ksim writes into a run directory (`ksim run`, with --explain, and report.html). */
const RUN_FILES = new Set([
  'summary.json',
  'timeseries.csv',
  'pods.csv',
  'events.csv',
  'nodes.csv',
  'filters.csv',
  'scores.csv',
  'report.html',
]);
/** Temporary names of writeAtomic (`.name.tmp-PID`) and writeRunReport (`report.html.tmp`). */
const TEMP_FILE = /^\..+\.tmp-\d+$|^report\.html\.tmp$/;

const isDir = (path: string): boolean => existsSync(path) && statSync(path).isDirectory();

/**
 * Removes what an earlier comparison wrote into `outDir`, so that re-running with fewer seeds or
 * other policies leaves no stale runs/<policy>/seed-N behind, and an interrupted run leaves no
 * comparison.html that looks whole. Only ksim's own files go: in runs/<policy>/seed-<N>/ the
 * run files above, then directories left empty; anything else (a user's notes) stays.
 */
export function clearPreviousComparison(outDir: string): void {
  for (const f of ['comparison.html', 'comparison.json', 'comparison.csv'])
    rmSync(join(outDir, f), { force: true });
  const runs = join(outDir, 'runs');
  if (!isDir(runs)) return;
  for (const policy of readdirSync(runs)) {
    const policyDir = join(runs, policy);
    if (!isDir(policyDir)) continue;
    for (const seed of readdirSync(policyDir)) {
      const runDir = join(policyDir, seed);
      if (!/^seed-\d+$/.test(seed) || !isDir(runDir)) continue;
      for (const f of readdirSync(runDir))
        if (RUN_FILES.has(f) || TEMP_FILE.test(f)) rmSync(join(runDir, f), { force: true });
      removeIfEmpty(runDir);
    }
    removeIfEmpty(policyDir);
  }
  removeIfEmpty(runs);
}

function removeIfEmpty(dir: string): void {
  if (readdirSync(dir).length === 0) rmdirSync(dir);
}

/** comparison.csv, comparison.json, then comparison.html (the page last: it marks completion). */
export function writeComparisonOutputs(outDir: string, comparison: ComparisonResult): void {
  writeAtomic(join(outDir, 'comparison.csv'), comparisonCsv(comparison.rows));
  writeAtomic(join(outDir, 'comparison.json'), JSON.stringify(comparison, null, 2) + '\n');
  writeAtomic(join(outDir, 'comparison.html'), buildComparisonReport(comparison));
}
