/**
 * Writes a run's files (SCENARIO.md "Outputs"): summary.json, timeseries.csv, pods.csv,
 * events.csv, nodes.csv, and with --explain filters.csv and scores.csv. Everything but
 * `wallSeconds` is a pure function of scenario + seed.
 */
import { join } from 'node:path';
import type { MetricsCollector } from './collector.js';
import { EVENT_COLUMNS } from './collector.js';
import { FILTER_COLUMNS, SCORE_COLUMNS, type ExplainRecorder } from './explain.js';
import { round } from './format.js';
import { toCsv, writeAtomic } from './write.js';

export interface RunOutput {
  scenario: string;
  seed: number;
  profile: string;
  ksimVersion: string;
  simulatedSeconds: number;
  events: number;
  wallSeconds: number;
  metrics: Record<string, unknown>;
}

export interface OutputInput {
  scenarioName: string;
  seed: number;
  profile: string;
  events: number;
  simulatedMs: number;
  metrics: MetricsCollector;
  explain?: ExplainRecorder;
}

export function buildSummary(r: OutputInput, ksimVersion: string, wallSeconds: number): RunOutput {
  return {
    scenario: r.scenarioName,
    seed: r.seed,
    profile: r.profile,
    ksimVersion,
    simulatedSeconds: r.simulatedMs / 1000,
    events: r.events,
    wallSeconds: round(wallSeconds, 3),
    metrics: r.metrics.summaryMetrics(),
  };
}

/** Writes every output file of a run into `dir`; returns the file names written. */
export function writeRunOutputs(dir: string, r: OutputInput, summary: RunOutput): string[] {
  const m = r.metrics;
  const files: Array<[string, string]> = [
    ['timeseries.csv', toCsv(m.timeseriesHeader(), m.samples)],
    ['pods.csv', toCsv(m.podColumns(), m.podRows())],
    ['events.csv', toCsv(EVENT_COLUMNS, m.eventRows())],
    ['nodes.csv', toCsv(m.nodeColumns(), m.nodeRows())],
  ];
  if (r.explain) {
    files.push(['filters.csv', toCsv(FILTER_COLUMNS, r.explain.filters)]);
    files.push(['scores.csv', toCsv(SCORE_COLUMNS, r.explain.scores)]);
  }
  // summary.json last: its presence marks a complete run directory.
  files.push(['summary.json', JSON.stringify(summary, null, 2) + '\n']);
  for (const [name, content] of files) writeAtomic(join(dir, name), content);
  return files.map(([name]) => name);
}
