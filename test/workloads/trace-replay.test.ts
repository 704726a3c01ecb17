import { describe, expect, it } from '@jest/globals';
import { resolve } from 'node:path';
import { ScenarioError } from '../../src/scenario/errors.js';
import { podsOf, runYaml, simulation } from './batch-helpers.js';

const traces = resolve('scenarios/traces');

describe('trace replay: ksim CSV', () => {
  const r = runYaml(
    simulation(
      '10m',
      `  nodePools:
    - name: n
      count: 2
      template: {status: {allocatable: {cpu: '16', memory: 64Gi}}}
  workloads:
    - name: csv
      trace: {format: csv, path: ${traces}/example-jobs.csv, timeScale: 2}
      template:
        metadata: {labels: {team: batch}}
        spec:
          restartPolicy: Never
          containers: [{name: main, image: batch}]
`,
    ),
  );
  const pods = podsOf(r, 'csv-');

  it('creates count pods per row at twice the submit offsets (timeScale 2)', () => {
    expect(pods.map((p) => [p.metadata.name, p.times.created])).toEqual([
      ['csv-job-1', 0],
      ['csv-job-2-1', 3_000],
      ['csv-job-2-2', 3_000],
      ['csv-job-2-3', 3_000],
      ['csv-job-3', 240_000],
      ['csv-job-4-1', 240_000],
      ['csv-job-4-2', 240_000],
    ]);
  });

  it('gives each pod the row’s requests, the template’s labels, and the scaled run time', () => {
    const p = pods[1]!;
    expect([p.requests.milliCPU, p.requests.memory]).toEqual([2000, 512 * 2 ** 20]);
    expect(p.metadata.labels.team).toBe('batch');
    // job-1 runs 2 × 90 s from its start (bound at 1 ms, started 2 s later).
    expect(pods[0]!.times.finished).toBe(1 + 2_000 + 180_000);
    // job-3 has no duration: still running at the end.
    expect(pods[4]!.outcome).toBe('Running');
  });
});

describe('trace replay: Alibaba openb on openb nodes', () => {
  const r = runYaml(
    simulation(
      '1h',
      `  nodePools:
    - name: openb
      fromTrace: {format: alibaba-gpu-v2023, path: ${traces}/openb_node_list_all_node.csv, limit: 200}
  workloads:
    - name: openb
      trace:
        format: alibaba-gpu-v2023
        path: ${traces}/openb_pod_list_default-first500.csv
        window: {from: 10000000s, until: 10036000s}
        timeScale: 0.1
`,
    ),
  );
  const pods = podsOf(r, 'openb-');

  it('creates the 72 pods submitted in the 10 h window, a tenth as far apart', () => {
    expect(pods).toHaveLength(72);
    expect(pods.slice(0, 3).map((p) => [p.metadata.name, p.times.created])).toEqual([
      ['openb-openb-pod-0058', 48_300],
      ['openb-openb-pod-0059', 83_600],
      ['openb-openb-pod-0060', 88_400],
    ]);
  });

  it('requests whole and fractional GPUs as extended resources', () => {
    const [whole, fraction, none] = pods;
    expect(Object.fromEntries(whole!.requests.scalar)).toEqual({
      'nvidia.com/gpu': 1,
      'alibaba.com/gpu-milli': 1000,
    });
    expect(Object.fromEntries(fraction!.requests.scalar)).toEqual({ 'alibaba.com/gpu-milli': 470 });
    expect(none!.requests.scalar.size).toBe(0);
    expect([whole!.requests.milliCPU, whole!.requests.memory]).toEqual([8000, 16384 * 2 ** 20]);
  });

  it('runs each pod for its traced run time, scaled', () => {
    // pod-0058: deletion − scheduled = 1 852 s → 185.2 s; bound 1 ms after creation, 2 s start.
    const p = pods[0]!;
    expect(p.times.finished! - p.times.scheduled!).toBe(2_000 + 185_200);
    expect(
      r.store.getNode(p.spec.nodeName!)!.status.allocatable.scalar.get('nvidia.com/gpu'),
    ).toBeGreaterThan(0);
  });
});

describe('trace replay errors', () => {
  it('reports malformed rows with the trace file and line', () => {
    let err: unknown;
    try {
      runYaml(
        simulation(
          '1h',
          `  workloads:
    - name: bad
      trace: {format: csv, path: ${resolve('src/workloads/traces/__fixtures__/jobs-malformed.csv')}}
`,
        ),
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    const text = (err as Error).message;
    expect(text.split('\n')[0]).toBe('7 errors in scenario:');
    expect(text).toContain(
      'jobs-malformed.csv:3:1: submit: expected a duration (e.g. 90s, 1h30m) or a number of seconds, found "ten"',
    );
    expect(text).toContain('jobs-malformed.csv:8:0: expected 5 fields as in the header, found 3');
  });
});
