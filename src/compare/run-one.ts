/**
 * One (policy, seed) run of a comparison, written to its own directory exactly as `ksim run`
 * writes one (summary.json, the CSVs, report.html). A task is plain data so it can cross into a
 * worker thread; the run reloads the scenario from its file, which also guarantees that no state
 * leaks from one run into the next.
 */
import { loadScenario } from '../scenario/loader.js';
import { loadSchedulerConfigFile } from '../scenario/scheduler-config.js';
import { runSimulation } from '../simulation.js';
import { buildSummary, writeRunOutputs, type RunOutput } from '../metrics/output.js';
import { writeRunReport } from '../report/run-report.js';
import type { Policy } from './policies.js';

export interface RunTask {
  scenarioPath: string;
  /** Name written to summary.json (the scenario's metadata.name or its file name). */
  scenarioName: string;
  policy: Policy;
  seed: number;
  /** Absolute or cwd-relative run directory. */
  runDir: string;
  ksimVersion: string;
}

/** Runs the task and writes its directory; `clock` (ms) only feeds summary.json wallSeconds. */
export function runOne(task: RunTask, clock: () => number): RunOutput {
  const started = clock();
  const scenario = loadScenario(task.scenarioPath, { seed: task.seed });
  const schedulerConfig = task.policy.schedulerConfigFile
    ? loadSchedulerConfigFile(task.policy.schedulerConfigFile)
    : undefined;
  const result = runSimulation(scenario, { profile: task.policy.profile, schedulerConfig });
  const input = {
    scenarioName: task.scenarioName,
    seed: result.seed,
    profile: result.profile,
    events: result.events,
    simulatedMs: result.simulatedMs,
    metrics: result.metrics,
  };
  const summary = buildSummary(input, task.ksimVersion, (clock() - started) / 1000);
  // report.html before summary.json, which marks the run directory complete.
  writeRunOutputs(task.runDir, input, summary, {
    beforeSummary: (s) => writeRunReport(task.runDir, undefined, s),
  });
  return summary;
}
