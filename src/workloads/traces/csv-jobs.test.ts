import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { readCsvJobs } from './csv-jobs.js';
import { readTraceFile } from './read-file.js';

const GiB = 1024 * 1024 * 1024;
const MiB = 1024 * 1024;
const fixture = (name: string) => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));

describe('readCsvJobs', () => {
  it('reads Go durations, plain seconds, quantities, empty durations and counts', () => {
    const { records, errors } = readCsvJobs(readTraceFile(fixture('jobs.csv')), 'jobs.csv');
    expect(errors).toEqual([]);
    expect(records).toEqual([
      {
        id: 'job-1',
        submitMs: 0,
        cpuMilli: 500,
        memoryBytes: GiB,
        gpu: 0,
        gpuMilli: 0,
        durationMs: 90000,
        count: 1,
        line: 2,
      },
      {
        id: 'job-2',
        submitMs: 1500,
        cpuMilli: 2000,
        memoryBytes: 512 * MiB,
        gpu: 0,
        gpuMilli: 0,
        durationMs: 5400000,
        count: 3,
        line: 3,
      },
      {
        id: 'job-3',
        submitMs: 120000,
        cpuMilli: 100,
        memoryBytes: 128974848,
        gpu: 0,
        gpuMilli: 0,
        count: 1,
        line: 4,
      },
      // 0.0015 s is 1.5 ms, rounded half away from zero like a Go duration.
      {
        id: 'job-4',
        submitMs: 120000,
        cpuMilli: 250,
        memoryBytes: 256 * MiB,
        gpu: 0,
        gpuMilli: 0,
        durationMs: 2,
        count: 2,
        line: 5,
      },
    ]);
  });

  it('reports every bad cell with its line and keeps the good rows under stable names', () => {
    const file = 'jobs-malformed.csv';
    const { records, errors } = readCsvJobs(readTraceFile(fixture(file)), file);
    expect(errors.map(String)).toEqual([
      `${file}:3: submit: expected a duration (e.g. 90s, 1h30m) or a number of seconds, found "ten"`,
      `${file}:4: cpu: expected a non-negative quantity, found "-1"`,
      `${file}:5: memory: expected a Kubernetes quantity (e.g. 500m, 2, 1Gi), found "1Gb"`,
      `${file}:6: duration: expected a duration (e.g. 90s, 1h30m) or a number of seconds, found "5x"`,
      `${file}:6: count: expected a positive integer, found "0"`,
      `${file}:7: submit: expected a time at or after 0, found "-5s"`,
      `${file}:8: expected 5 fields as in the header, found 3`,
    ]);
    expect(errors.map((e) => e.column)).toEqual([1, 5, 7, 11, 14, 1, undefined]);
    expect(records.map((r) => [r.id, r.line, r.submitMs, r.count])).toEqual([
      ['job-1', 2, 10000, 1],
      ['job-8', 9, 60000, 2],
    ]);
  });

  it('rejects an unknown column instead of ignoring a typo', () => {
    const { records, errors } = readCsvJobs('submit,cpu,memory,duraton\n0,1,1Gi,1s\n', 'jobs.csv');
    expect(records).toEqual([]);
    expect(errors.map(String)).toEqual([
      'jobs.csv:1: header: unknown column "duraton" (known: submit, cpu, memory, duration, count)',
      'jobs.csv:1: header: missing column(s) duration',
    ]);
  });

  it('defaults count to 1 when the column is absent and accepts columns in any order', () => {
    const { records, errors } = readCsvJobs(
      'duration,memory,cpu,submit\r\n1m,1Gi,1,30\r\n',
      'jobs.csv',
    );
    expect(errors).toEqual([]);
    expect(records).toEqual([
      {
        id: 'job-1',
        submitMs: 30000,
        cpuMilli: 1000,
        memoryBytes: GiB,
        gpu: 0,
        gpuMilli: 0,
        durationMs: 60000,
        count: 1,
        line: 2,
      },
    ]);
  });
});
