/**
 * How a run's files reach the disk: every file under a temporary name, renamed into place once
 * complete; CSVs streamed a chunk of rows at a time (never one string for the whole file), with
 * exactly the bytes one csv-stringify call would give; summary.json last, after report.html,
 * and an older summary.json removed before anything new is written.
 */
import { describe, expect, it } from '@jest/globals';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CSV_CHUNK_ROWS,
  temporaryName,
  toCsv,
  writeAtomic,
  writeCsvAtomic,
  type CsvRow,
} from '../../src/metrics/write.js';
import { buildSummary, outputInputOf, writeRunOutputs } from '../../src/metrics/output.js';
import { loadScenario } from '../../src/scenario/loader.js';
import { runSimulation } from '../../src/simulation.js';

const fresh = (): string => mkdtempSync(join(tmpdir(), 'ksim-out-'));
const HEADER = ['i', 'name', 'note'];
const row = (i: number): CsvRow => [i, `pod-${i}`, i % 7 === 0 ? 'a "quoted", note' : ''];

describe('writeCsvAtomic', () => {
  it('streams rows into the temporary file before the last row exists, then renames', () => {
    const file = join(fresh(), 'pods.csv');
    const tmp = temporaryName(file);
    const seen: Array<{ row: number; tmpBytes: number; final: boolean }> = [];
    function* rows(): Generator<CsvRow> {
      for (let i = 0; i < 3 * CSV_CHUNK_ROWS; i++) {
        if (i === 2 * CSV_CHUNK_ROWS)
          seen.push({ row: i, tmpBytes: statSync(tmp).size, final: existsSync(file) });
        yield row(i);
      }
    }
    writeCsvAtomic(file, HEADER, rows());
    // Two chunks were on disk while the third was still being produced; the file was not.
    expect(seen).toHaveLength(1);
    expect(seen[0]!.tmpBytes).toBeGreaterThan(0);
    expect(seen[0]!.final).toBe(false);
    expect(existsSync(tmp)).toBe(false);
  });

  it('writes exactly the bytes of one csv-stringify call, across chunk boundaries', () => {
    const file = join(fresh(), 'x.csv');
    const all = Array.from({ length: 2 * CSV_CHUNK_ROWS + 5 }, (_, i) => row(i));
    writeCsvAtomic(file, HEADER, all);
    expect(readFileSync(file, 'utf8')).toBe(toCsv(HEADER, all));
  });

  it('a header and no rows is a header row', () => {
    const file = join(fresh(), 'empty.csv');
    writeCsvAtomic(file, HEADER, []);
    expect(readFileSync(file, 'utf8')).toBe('i,name,note\n');
  });

  it('a failure while writing leaves the older file as it was and no temporary file', () => {
    const dir = fresh();
    const file = join(dir, 'pods.csv');
    writeAtomic(file, 'the previous run\n');
    function* failing(): Generator<CsvRow> {
      for (let i = 0; i < CSV_CHUNK_ROWS + 1; i++) yield row(i);
      throw new Error('disk gone');
    }
    expect(() => writeCsvAtomic(file, HEADER, failing())).toThrow('disk gone');
    expect(readFileSync(file, 'utf8')).toBe('the previous run\n');
    expect(readdirSync(dir)).toEqual(['pods.csv']);
  });
});

describe('writeRunOutputs', () => {
  const scenario = loadScenario('scenarios/quickstart.yaml');
  const r = runSimulation(scenario);
  const input = outputInputOf(scenario.name, r);
  const summary = buildSummary(input, 'test', 1);

  it('writes summary.json last: after every CSV and after beforeSummary (report.html)', () => {
    const dir = fresh();
    let atHook: string[] = [];
    const written = writeRunOutputs(dir, input, summary, {
      beforeSummary: (s) => {
        atHook = readdirSync(dir).sort();
        expect(s).toBe(summary);
        writeFileSync(join(dir, 'report.html'), '<html></html>');
      },
    });
    expect(atHook).toEqual(['events.csv', 'nodes.csv', 'pods.csv', 'timeseries.csv']);
    expect(written).toEqual([
      'timeseries.csv',
      'pods.csv',
      'events.csv',
      'nodes.csv',
      'summary.json',
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))).toEqual(summary);
  });

  it('removes an older summary.json before writing anything, so a half-written rerun is not marked complete', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'summary.json'), '{"from": "an earlier run"}');
    let summaryAtHook = true;
    writeRunOutputs(dir, input, summary, {
      beforeSummary: () => (summaryAtHook = existsSync(join(dir, 'summary.json'))),
    });
    expect(summaryAtHook).toBe(false);
    expect(readFileSync(join(dir, 'summary.json'), 'utf8')).not.toContain('an earlier run');
  });

  it('pods.csv has one row per pod in creation order; events.csv every event, stably by time', () => {
    const dir = fresh();
    writeRunOutputs(dir, input, summary);
    const lines = (f: string) => readFileSync(join(dir, f), 'utf8').trimEnd().split('\n').slice(1);
    const m = r.metrics;
    expect(lines('pods.csv').map((l) => l.split(',')[0])).toEqual(m.pods.map((p) => p.key));
    const byTime = m.events
      .map((e, i) => ({ e, i }))
      .sort((a, b) => a.e.time - b.e.time || a.i - b.i)
      .map(({ e }) => `${(e.time / 1000).toFixed(3)},${e.kind},${e.object},${e.reason}`);
    expect(lines('events.csv').map((l) => l.split(',').slice(0, 4).join(','))).toEqual(byTime);
  });
});
