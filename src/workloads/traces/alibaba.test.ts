import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { readAlibabaNodes, readAlibabaPods } from './alibaba.js';
import { readTraceFile } from './read-file.js';

const MiB = 1024 * 1024;
const sample = (name: string) =>
  fileURLToPath(new URL(`../../../scenarios/traces/${name}`, import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));

describe('readAlibabaPods on the first 500 pods of openb_pod_list_default.csv', () => {
  const file = 'openb_pod_list_default-first500.csv';
  const { records, errors, skipped } = readAlibabaPods(readTraceFile(sample(file)), file);

  it('reads every row without errors or skips', () => {
    expect(errors.map(String)).toEqual([]);
    expect(skipped).toBe(0);
    expect(records).toHaveLength(500);
  });

  it('turns the first row into a one-GPU job submitted at 0 that runs until its deletion', () => {
    // openb-pod-0000,12000,16384,1,1000,,LS,Running,0,12537496,0
    expect(records[0]).toEqual({
      id: 'openb-pod-0000',
      submitMs: 0,
      cpuMilli: 12000,
      memoryBytes: 16384 * MiB,
      gpu: 1,
      gpuMilli: 0,
      durationMs: 12537496000,
      count: 1,
      line: 2,
    });
  });

  it('turns the last row into a job timed from its scheduled_time', () => {
    // openb-pod-0499,3152,5600,1,1000,,BE,Failed,10212039,10212189,10212039
    expect(records[499]).toEqual({
      id: 'openb-pod-0499',
      submitMs: 10212039000,
      cpuMilli: 3152,
      memoryBytes: 5600 * MiB,
      gpu: 1,
      gpuMilli: 0,
      durationMs: 150000,
      count: 1,
      line: 501,
    });
  });

  it.each([
    // openb-pod-0001,6000,12288,1,460,,LS,Running,427061,12902960,427061
    [
      'a GPU share of 460 milli is fractional, not a whole GPU',
      'openb-pod-0001',
      { gpu: 0, gpuMilli: 460 },
    ],
    // openb-pod-0017,88000,327680,8,1000,,Burstable,Succeeded,9437497,10769854,9437497
    [
      'eight GPUs are eight whole GPUs',
      'openb-pod-0017',
      { gpu: 8, gpuMilli: 0, durationMs: 1332357000 },
    ],
    // openb-pod-0061,11908,47104,1,1000,,BE,Pending,10001278,10001403,
    [
      'a pod never scheduled runs from creation_time to deletion_time',
      'openb-pod-0061',
      { durationMs: 125000 },
    ],
    // openb-pod-0060,8000,30517,0,0,,BE,Running,10000884,10013817,10000885
    [
      'a CPU-only pod asks for no GPU and is timed from scheduled_time',
      'openb-pod-0060',
      { gpu: 0, gpuMilli: 0, durationMs: 12932000 },
    ],
  ])('%s', (_name, id, expected) => {
    expect(records.find((r) => r.id === id)).toMatchObject(expected);
  });

  it('has the GPU mix and totals counted from the file with awk', () => {
    expect(records.filter((r) => r.gpu > 0)).toHaveLength(283);
    expect(records.filter((r) => r.gpuMilli > 0)).toHaveLength(178);
    expect(records.filter((r) => r.gpu === 0 && r.gpuMilli === 0)).toHaveLength(39);
    const sum = (f: (r: (typeof records)[number]) => number) =>
      records.reduce((s, r) => s + f(r), 0);
    expect(sum((r) => r.cpuMilli)).toBe(4264436);
    expect(sum((r) => r.memoryBytes)).toBe(13841329 * MiB);
    expect(sum((r) => r.gpu)).toBe(312);
    expect(sum((r) => r.gpuMilli)).toBe(77360);
    expect(records.filter((r) => r.labels !== undefined)).toHaveLength(0);
  });
});

describe('readAlibabaPods on malformed rows', () => {
  const file = 'openb_pod_list-malformed.csv';
  const { records, errors } = readAlibabaPods(readTraceFile(fixture(file)), file);

  it('reports every bad row with its line, in file order', () => {
    expect(errors.map(String)).toEqual([
      `${file}:3: cpu_milli: expected a non-negative integer, found "abc"`,
      `${file}:5: expected 11 fields as in the header, found 10`,
      `${file}:6: memory_mib: expected a non-negative integer, found "-5"`,
      `${file}:8: gpu_milli: expected 0 when num_gpu is 0, found 300`,
      `${file}:9: gpu_milli: expected 1 to 1000 when num_gpu is 1, found 0`,
      `${file}:10: deletion_time: expected a time at or after scheduled_time (450), found 400`,
      `${file}:11: name: "openb-pod-0002" already appears on line 4`,
      `${file}:14: cpu_milli: expected a non-negative integer, found "1.5"`,
      `${file}:14: memory_mib: expected a non-negative integer, found "x"`,
    ]);
  });

  it('points at the column where the bad cell starts', () => {
    expect(errors[0].column).toBe(16);
    expect(errors[1].column).toBeUndefined();
  });

  it('keeps the good rows', () => {
    expect(records.map((r) => [r.id, r.line])).toEqual([
      ['openb-pod-0000', 2],
      ['openb-pod-0002', 4],
      ['openb-pod-0008', 12],
      ['openb-pod-0009', 13],
      ['openb-pod-0011', 15],
    ]);
  });

  it.each([
    [
      'a gpu_spec becomes the gpu-model hint',
      'openb-pod-0002',
      { gpu: 1, durationMs: 10000, labels: { 'ksim.dev/gpu-model': 'V100M16|V100M32' } },
    ],
    ['an unscheduled pod is timed from creation_time', 'openb-pod-0008', { durationMs: 60000 }],
    [
      'an empty deletion_time leaves the duration out',
      'openb-pod-0009',
      { absent: ['durationMs', 'labels'] },
    ],
    [
      'a deletion_time of 0 leaves the duration out',
      'openb-pod-0011',
      { gpu: 4, absent: ['durationMs'] },
    ],
  ])('%s', (_name, id, expected) => {
    const { absent = [], ...present } = expected as Record<string, unknown> & { absent?: string[] };
    const record = records.find((r) => r.id === id)!;
    expect(record).toMatchObject(present);
    for (const key of absent) expect(record).not.toHaveProperty(key);
  });

  it('rejects a header without the columns it needs and reads no rows', () => {
    const result = readAlibabaPods('name,cpu_milli\nopenb-pod-0000,1000\n', 'pods.csv');
    expect(result.records).toEqual([]);
    expect(result.errors.map(String)).toEqual([
      'pods.csv:1: header: missing column(s) memory_mib, num_gpu, gpu_milli, creation_time, deletion_time, scheduled_time',
    ]);
  });

  it('reports an empty file as having no header', () => {
    expect(readAlibabaPods('', 'pods.csv').errors.map(String)).toEqual([
      'pods.csv:1: the file has no header line',
    ]);
  });
});

describe('readAlibabaNodes', () => {
  it('reads all 1523 nodes of openb_node_list_all_node.csv with the totals counted by awk', () => {
    const file = 'openb_node_list_all_node.csv';
    const { records, errors } = readAlibabaNodes(readTraceFile(sample(file)), file);
    expect(errors).toEqual([]);
    expect(records).toHaveLength(1523);
    expect(records[0]).toEqual({
      name: 'openb-node-0000',
      cpuMilli: 32000,
      memoryBytes: 262144 * MiB,
      gpu: 0,
      line: 2,
    });
    expect(records[1522]).toEqual({
      name: 'openb-node-1522',
      cpuMilli: 96000,
      memoryBytes: 393216 * MiB,
      gpu: 8,
      gpuModel: 'G2',
      line: 1524,
    });
    expect(records.reduce((s, r) => s + r.cpuMilli, 0)).toBe(125514000);
    expect(records.reduce((s, r) => s + r.memoryBytes, 0)).toBe(612028416 * MiB);
    expect(records.reduce((s, r) => s + r.gpu, 0)).toBe(6212);
    expect(records.filter((r) => r.gpuModel !== undefined)).toHaveLength(1213);
  });

  it('reports malformed node rows with their lines and keeps the rest', () => {
    const file = 'openb_node_list-malformed.csv';
    const { records, errors } = readAlibabaNodes(readTraceFile(fixture(file)), file);
    expect(errors.map(String)).toEqual([
      `${file}:4: cpu_milli: expected a non-negative integer, found "96k"`,
      `${file}:5: sn: expected a node name, found ""`,
      `${file}:6: sn: "openb-node-0001" already appears on line 3`,
      `${file}:7: gpu: expected a non-negative integer, found "two"`,
    ]);
    expect(records).toEqual([
      { name: 'openb-node-0000', cpuMilli: 32000, memoryBytes: 262144 * MiB, gpu: 0, line: 2 },
      {
        name: 'openb-node-0001',
        cpuMilli: 96000,
        memoryBytes: 786432 * MiB,
        gpu: 8,
        gpuModel: 'V100M32',
        line: 3,
      },
      {
        name: 'openb-node-0004',
        cpuMilli: 64000,
        memoryBytes: 524288 * MiB,
        gpu: 2,
        gpuModel: 'T4',
        line: 8,
      },
    ]);
  });
});
