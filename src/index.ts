/**
 * ksim as a library: everything the CLI does is a function here (commands only parse
 * flags and print).
 */
export { Engine, type Timer } from './engine/engine.js';
export { RngStreams, type Rng } from './engine/rng.js';
export * from './engine/distributions.js';
export {
  parseQuantity,
  parseCpuMillis,
  parseBytes,
  formatCpuMillis,
  formatBytes,
} from './model/quantity.js';
export { parseDuration, formatDuration } from './model/duration.js';
export { parseRate, formatRate } from './model/rate.js';
export { ClusterStore } from './model/store.js';
export { NodeInfo } from './model/node-info.js';
export type { SimPod, SimNode } from './model/objects.js';
export { loadScenario, type LoadOptions } from './scenario/loader.js';
export { ScenarioError, formatIssue, type ScenarioIssue } from './scenario/errors.js';
export type { Scenario } from './scenario/types.js';
export { loadSchedulerConfigFile } from './scenario/scheduler-config.js';
export { runSimulation, type RunOptions, type RunResult } from './simulation.js';
export { buildSummary, outputInputOf, writeRunOutputs, type RunOutput } from './metrics/output.js';
export { writeRunReport, buildRunReport } from './report/run-report.js';
export { Framework, type ProfileConfig } from './scheduler/framework/framework.js';
export * from './scheduler/framework/interfaces.js';
export { Status, Code } from './scheduler/framework/status.js';
export { CycleState } from './scheduler/framework/cycle-state.js';
export { inTreeRegistry } from './scheduler-plugins/registry.js';
export {
  runComparison,
  writeComparisonOutputs,
  type CompareOptions,
  type CompareResult,
} from './compare/compare.js';
export { buildComparison, comparisonCsv, type ComparisonResult } from './compare/comparison.js';
export { pairedDifference, summarize } from './compare/stats.js';
