/**
 * Sizes one machine cannot hold are refused at load with ONE message that prints the total
 * checked and names the biggest contributors, at the biggest one's field: replicas,
 * parallelism/completions, an HPA's maxReplicas, a timeline scale, Job-template arrivals (times
 * the pods of one Job), and the values of timeseries.csv (samples × columns).
 */
import { describe, expect, it } from '@jest/globals';
import { TIMESERIES_BASE_COLUMNS } from '../../src/metrics/collector.js';
import { TIMESERIES_BASE_COLUMN_COUNT } from '../../src/scenario/limits.js';
import { loadScenario } from '../../src/scenario/loader.js';
import { HEAD, scratch } from './helpers.js';

const { write, errorsOf } = scratch('ksim-sizes-');

const LIMIT = 'ksim handles at most 2000000 pods per run';
const POD_SPEC = '{containers: [{name: c}]}';
const deployment = (name: string, spec: string) =>
  `---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec:\n${spec}  template: {metadata: {labels: {app: ${name}}}, spec: ${POD_SPEC}}\n`;
const workload = (name: string, rate: string, template = `{spec: ${POD_SPEC}}`) =>
  `    - {name: ${name}, arrivals: {poisson: {rate: ${rate}}}, template: ${template}}\n`;

const cases: Array<[string, string, string[]]> = [
  [
    'a Deployment of a billion replicas',
    HEAD + deployment('web', '  replicas: 1000000000\n'),
    [
      `bad.yaml:11:13: spec.replicas: the scenario would create about 1.00e9 pods over the run (Deployment default/web: 1.00e9); ${LIMIT}`,
    ],
  ],
  [
    'a StatefulSet and a ReplicaSet together over the limit: the total is checked',
    HEAD +
      `---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: data}\nspec: {replicas: 1200000, template: {spec: ${POD_SPEC}}}\n` +
      `---\napiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: rs}\nspec: {replicas: 900000, template: {spec: ${POD_SPEC}}}\n`,
    [
      `bad.yaml:10:18: spec.replicas: the scenario would create about 2.10e6 pods over the run (StatefulSet data/db: 1.20e6, ReplicaSet default/rs: 900000); ${LIMIT}`,
    ],
  ],
  [
    'a Job whose parallelism is beyond the limit',
    HEAD +
      `---\napiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec: {parallelism: 10000000, template: {spec: {restartPolicy: Never, containers: [{name: c}]}}}\n`,
    [
      `bad.yaml:10:21: spec.parallelism: the scenario would create about 1.00e7 pods over the run (Job default/j: 1.00e7); ${LIMIT}`,
    ],
  ],
  [
    'Job-template arrivals count the pods of each Job (3600 Jobs × 2000 completions)',
    `${HEAD}  workloads:\n` +
      workload(
        'batch',
        '1/s',
        `{kind: Job, spec: {completions: 2000, template: {spec: {restartPolicy: Never, containers: [{name: c}]}}}}`,
      ),
    [
      `bad.yaml:7:31: spec.workloads[0].arrivals: the scenario would create about 7.20e6 pods over the run (spec.workloads[0] "batch": 7.20e6); ${LIMIT}`,
    ],
  ],
  [
    "an HPA's maxReplicas raises its Deployment, reported at maxReplicas",
    HEAD +
      deployment('web', '  replicas: 3\n') +
      `---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 1\n  maxReplicas: 100000000\n`,
    [
      `bad.yaml:20:16: spec.maxReplicas: the scenario would create about 1.00e8 pods over the run (Deployment default/web (HorizontalPodAutoscaler default/web maxReplicas): 1.00e8); ${LIMIT}`,
    ],
  ],
  [
    'arrivals and a timeline scale together: the biggest named first, at its field',
    `${HEAD}  workloads:\n${workload('w', '530/s')}  timeline:\n    - {at: 30m, action: scale, target: {deployment: default/web}, replicas: 100000}\n` +
      deployment('web', '  replicas: 2\n'),
    [
      `bad.yaml:7:27: spec.workloads[0].arrivals: the scenario would create about 2.01e6 pods over the run (spec.workloads[0] "w": 1.91e6, Deployment default/web (timeline scale at 30m): 100000); ${LIMIT}`,
    ],
  ],
  [
    'five contributors: three named, the rest counted',
    `${HEAD}  workloads:\n` + ['a', 'b', 'c', 'd', 'e'].map((n) => workload(n, '120/s')).join(''),
    [
      `bad.yaml:7:27: spec.workloads[0].arrivals: the scenario would create about 2.16e6 pods over the run (spec.workloads[0] "a": 432000, spec.workloads[1] "b": 432000, spec.workloads[2] "c": 432000, 2 more); ${LIMIT}`,
    ],
  ],
];

describe('pods beyond what one run can hold', () => {
  it.each(cases)('%s', (_name, text, expected) => {
    expect(errorsOf(write('bad.yaml', text))).toEqual(expected);
  });

  it('just under the limit loads', () => {
    const text =
      `${HEAD}  workloads:\n${workload('w', '530/s')}` + deployment('web', '  replicas: 92000\n');
    expect(loadScenario(write('ok.yaml', text)).workloads).toHaveLength(1);
  });
});

describe('timeseries.csv values: samples × columns', () => {
  const zones = (n: number) => Array.from({ length: n }, (_, i) => `z${i}`).join(', ');
  const pools = (n: number, interval = '') =>
    `apiVersion: ksim.dev/v1alpha1\nkind: Simulation\nspec:\n  duration: 100d\n${interval}  nodePools:\n` +
    `    - {name: p, count: ${n}, zones: [${zones(n)}], template: {status: {allocatable: {cpu: "1"}}}}\n`;

  it('500 zones sampled every 10s for 100 days: refused at the duration, with the interval that fits', () => {
    expect(errorsOf(write('zones.yaml', pools(500)))).toEqual([
      'zones.yaml:4:13: spec.duration: timeseries.csv would hold 864001 samples × 2017 columns (13 + 4 × 500 zones + 4 × 1 pool) = 1.74e9 values; at most 4.00e7 fit in memory (a sampleInterval of at least 7m15.704s would do)',
    ]);
  });

  it('with a sampleInterval written, the message points at it', () => {
    expect(
      errorsOf(write('zones-interval.yaml', pools(500, '  metrics: {sampleInterval: 1m}\n'))),
    ).toEqual([
      'zones-interval.yaml:5:29: spec.metrics.sampleInterval: timeseries.csv would hold 144001 samples × 2017 columns (13 + 4 × 500 zones + 4 × 1 pool) = 2.90e8 values; at most 4.00e7 fit in memory (a sampleInterval of at least 7m15.704s would do)',
    ]);
  });

  it('at the interval the message proposes, it loads', () => {
    const s = loadScenario(
      write('zones-fit.yaml', pools(500, '  metrics: {sampleInterval: 7m15.704s}\n')),
    );
    expect(s.nodes).toHaveLength(500);
  });

  it("the loader's column count is the collector's", () => {
    expect(TIMESERIES_BASE_COLUMN_COUNT).toBe(TIMESERIES_BASE_COLUMNS.length);
  });
});
