/**
 * Writes a run's files (SCENARIO.md "Outputs"): summary.json, timeseries.csv, pods.csv,
 * events.csv, nodes.csv, and with --explain filters.csv and scores.csv. Everything but
 * `wallSeconds` is a pure function of scenario + seed.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricsCollector } from './collector.js';
import { EVENT_COLUMNS } from './collector.js';
import { FILTER_COLUMNS, SCORE_COLUMNS, type ExplainRecorder } from './explain.js';
import { round } from './format.js';
import { writeAtomic, writeCsvAtomic, type CsvRow } from './write.js';

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

/** What the writers need of a finished run (a RunResult has it all). */
export function outputInputOf(
  scenarioName: string,
  r: Omit<OutputInput, 'scenarioName'>,
): OutputInput {
  return {
    scenarioName,
    seed: r.seed,
    profile: r.profile,
    events: r.events,
    simulatedMs: r.simulatedMs,
    metrics: r.metrics,
    explain: r.explain,
  };
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

export interface WriteOptions {
  /**
   * Called once every other file is written, before summary.json (e.g. to write report.html
   * from them); it gets the summary, which is not yet on disk.
   */
  beforeSummary?: (summary: RunOutput) => void;
}

/**
 * Writes every output file of a run into `dir`; returns the file names written. summary.json
 * comes last and marks a complete run directory: a summary.json from an earlier run is removed
 * first, so a run interrupted while writing never leaves new files under an old summary.
 */
export function writeRunOutputs(
  dir: string,
  r: OutputInput,
  summary: RunOutput,
  opts: WriteOptions = {},
): string[] {
  const m = r.metrics;
  const summaryFile = join(dir, 'summary.json');
  rmSync(summaryFile, { force: true });
  const csvs: Array<[string, readonly string[], Iterable<CsvRow>]> = [
    ['timeseries.csv', m.timeseriesHeader(), m.samples],
    ['pods.csv', m.podColumns(), m.podRowIterator()],
    ['events.csv', EVENT_COLUMNS, m.eventRowIterator()],
    ['nodes.csv', m.nodeColumns(), m.nodeRows()],
  ];
  if (r.explain) {
    csvs.push(['filters.csv', FILTER_COLUMNS, r.explain.filters]);
    csvs.push(['scores.csv', SCORE_COLUMNS, r.explain.scores]);
  }
  for (const [name, header, rows] of csvs) writeCsvAtomic(join(dir, name), header, rows);
  opts.beforeSummary?.(summary);
  writeAtomic(summaryFile, JSON.stringify(summary, null, 2) + '\n');
  return [...csvs.map(([name]) => name), 'summary.json'];
}
