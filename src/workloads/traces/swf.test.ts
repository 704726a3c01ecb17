import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { readTraceFile } from './read-file.js';
import { readSwf } from './swf.js';

const GiB = 1024 * 1024 * 1024;
const MiB = 1024 * 1024;
const sample = (name: string) =>
  fileURLToPath(new URL(`../../../scenarios/traces/${name}`, import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));

describe('readSwf on the first 500 jobs of the NASA iPSC/860 log (gzipped)', () => {
  const file = 'NASA-iPSC-1993-3.1-cln-first500.swf.gz';
  const result = readSwf(readTraceFile(sample(file)), file);

  it('keeps 491 jobs and counts the 9 with a run time of 0 as skipped, not as errors', () => {
    expect(result.errors).toEqual([]);
    expect(result.records).toHaveLength(491);
    expect(result.skipped).toBe(9);
    expect(result.skippedByReason).toEqual({ 'run time <= 0': 9 });
  });

  it('reads the header comments', () => {
    expect(result.header).toMatchObject({
      Version: '2.2',
      MaxProcs: '128',
      UnixStartTime: '749458803',
    });
  });

  it('turns the first job into 128 cores for 1451 s with the default 1 GiB per processor', () => {
    // "    1        0     -1   1451  128     -1    -1   -1     -1    -1 -1   1   1  -1 -1 -1 -1 -1" on line 33
    expect(result.records[0]).toEqual({
      id: '1',
      submitMs: 0,
      cpuMilli: 128000,
      memoryBytes: 128 * GiB,
      gpu: 0,
      gpuMilli: 0,
      durationMs: 1451000,
      count: 1,
      line: 33,
    });
  });

  it('turns the last job into 32 cores submitted at 380564 s', () => {
    // " 1699   380564     -1   2008   32     -1 ..." on line 532
    expect(result.records[490]).toMatchObject({
      id: '1699',
      submitMs: 380564000,
      cpuMilli: 32000,
      durationMs: 2008000,
      line: 532,
    });
  });

  it('has the processor and run time totals computed from the file with awk', () => {
    expect(result.records.reduce((s, r) => s + r.cpuMilli, 0)).toBe(9726 * 1000);
    expect(result.records.reduce((s, r) => s + (r.durationMs ?? 0), 0)).toBe(298788 * 1000);
    // Job 658 on line 248 is the first with run time 0.
    expect(result.records.some((r) => r.id === '658')).toBe(false);
  });
});

describe('readSwf on malformed rows', () => {
  const file = 'malformed.swf';
  const text = readTraceFile(fixture(file));
  const result = readSwf(text, file);

  it('reports bad rows with their lines, in file order', () => {
    expect(result.errors.map(String)).toEqual([
      `${file}:8: field 4 (run time): expected a number of seconds, found "3O"`,
      `${file}:9: expected 18 whitespace-separated fields, found 17`,
      `${file}:12: field 1 (job number): 1 already appears on line 5`,
    ]);
    expect(result.errors.map((e) => e.column)).toEqual([27, undefined, 5]);
  });

  it('counts unreplayable jobs by reason', () => {
    expect(result.skipped).toBe(3);
    expect(result.skippedByReason).toEqual({
      'run time <= 0': 1,
      'processors <= 0': 1,
      'submit time unknown': 1,
    });
  });

  it('keeps only the first occurrence of a header key', () => {
    expect(result.header).toEqual({
      Version: '2.2',
      MaxProcs: '16',
      Note: 'a hand-made file for reader tests',
    });
  });

  it.each([
    [
      'processors and the default memory per processor',
      '1',
      { cpuMilli: 4000, memoryBytes: 4 * GiB, durationMs: 60000, line: 5 },
    ],
    [
      'requested processors and requested memory when allocated and used are -1',
      '3',
      { cpuMilli: 2000, memoryBytes: 2 * MiB, submitMs: 20000 },
    ],
    [
      'used memory per processor and a fractional run time',
      '7',
      { cpuMilli: 2000, memoryBytes: 1 * MiB, durationMs: 10500 },
    ],
    ['a fractional submit time in ms', '9', { submitMs: 80250, line: 15 }],
  ])('reads %s', (_name, id, expected) => {
    expect(result.records.find((r) => r.id === id)).toMatchObject(expected);
  });

  it('keeps exactly the good jobs', () => {
    expect(result.records.map((r) => r.id)).toEqual(['1', '3', '7', '9']);
  });

  it('scales processors and the default memory by the options', () => {
    const scaled = readSwf(text, file, {
      cpuPerProcessor: 500,
      defaultMemoryPerProcessorBytes: 256 * MiB,
    });
    expect(scaled.records[0]).toMatchObject({ cpuMilli: 2000, memoryBytes: 1 * GiB });
  });

  it.each([
    [{ cpuPerProcessor: 0 }, 'cpuPerProcessor must be a positive integer of millicores, got 0'],
    [
      { defaultMemoryPerProcessorBytes: 1.5 },
      'defaultMemoryPerProcessorBytes must be a positive integer, got 1.5',
    ],
  ])('rejects the options %j', (opts, message) => {
    expect(() => readSwf(text, file, opts)).toThrow(message);
  });
});
