/**
 * Bad scenario input gets a clear error: file:line:column, field path, expected vs found,
 * every mistake at once. Each case writes a small file and checks the exact message.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/loader.js';
import { HEAD, scratch } from './helpers.js';

const { dir, write, errorsOf } = scratch('ksim-errors-');

const pool = (fields: string) => `${HEAD}  nodePools:
    - name: p
${fields}`;
const TEMPLATE = `      template:
        status: {allocatable: {cpu: "4", memory: 8Gi}}
`;

const cases: Array<[string, string, string[]]> = [
  [
    'malformed YAML (bad indentation) is reported with its position',
    `${HEAD}  seed: [1, 2\n`,
    [
      'bad.yaml:7:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
  ],
  [
    'an empty file says it is empty',
    '',
    ['bad.yaml:0:0: file is empty: expected YAML documents (a Simulation and Kubernetes objects)'],
  ],
  [
    'a file without a Simulation says so',
    'apiVersion: v1\nkind: Node\nmetadata: {name: a}\nstatus: {allocatable: {cpu: "1"}}\n',
    [
      'bad.yaml:0:0: no Simulation document: expected one with apiVersion: ksim.dev/v1alpha1, kind: Simulation',
    ],
  ],
  [
    'a seed of the wrong type',
    `${HEAD}  seed: forty-two\n`,
    ['bad.yaml:6:9: spec.seed: expected an integer from 0 to 9007199254740991, found "forty-two"'],
  ],
  [
    'a negative node count',
    pool(`      count: -3\n${TEMPLATE}`),
    ['bad.yaml:8:14: spec.nodePools[0].count: expected an integer from 0 to 100000, found -3'],
  ],
  [
    'an unknown field in spec',
    `${HEAD}  sede: 42\n`,
    [
      'bad.yaml:6:9: spec.sede: unknown field; expected one of seed, duration, metrics, controlPlane, kubelet, nodePools, workloads, timeline, faults, schedulerPlugins',
    ],
  ],
  [
    'a bad quantity in a node template',
    pool(
      `      count: 2\n      template:\n        status: {allocatable: {cpu: "4 cores", memory: 8Gi}}\n`,
    ),
    [
      'bad.yaml:10:37: spec.nodePools[0].template.status.allocatable.cpu: expected a Kubernetes quantity (e.g. 500m, 2, 1Gi), found "4 cores"',
    ],
  ],
  [
    'a duration without a unit',
    `apiVersion: ksim.dev/v1alpha1\nkind: Simulation\nspec:\n  duration: 3600\n`,
    [
      'bad.yaml:4:13: spec.duration: expected a duration with a unit (e.g. 90s, 5m, 1h30m), found 3600',
    ],
  ],
  [
    'a misspelt duration',
    `apiVersion: ksim.dev/v1alpha1\nkind: Simulation\nspec:\n  duration: 1hour\n`,
    [
      'bad.yaml:4:13: spec.duration: expected a duration with a unit (e.g. 90s, 5m, 1h30m), found "1hour"',
    ],
  ],
  [
    'a missing duration',
    `apiVersion: ksim.dev/v1alpha1\nkind: Simulation\nspec:\n  seed: 1\n`,
    [
      'bad.yaml:4:3: spec.duration: expected a duration (how long to simulate, e.g. 6h), found nothing',
    ],
  ],
  [
    'a pool that would not fit in memory',
    pool(`      count: 1000000000000\n${TEMPLATE}`),
    [
      'bad.yaml:8:14: spec.nodePools[0].count: expected an integer from 0 to 100000, found 1000000000000',
    ],
  ],
  [
    'an arrival rate that would create billions of pods',
    `${HEAD}  workloads:\n    - name: w\n      arrivals: {poisson: {rate: 1000000/s}}\n      template:\n        spec: {containers: [{name: c}]}\n`,
    [
      'bad.yaml:8:17: spec.workloads[0].arrivals: the scenario would create about 3.60e9 pods over the run (spec.workloads[0] "w": 3.60e9); ksim handles at most 2000000 pods per run',
    ],
  ],
  [
    'a bad rate',
    `${HEAD}  workloads:\n    - name: w\n      arrivals: {poisson: {rate: fast}}\n      template:\n        spec: {containers: [{name: c}]}\n`,
    [
      'bad.yaml:8:34: spec.workloads[0].arrivals.poisson.rate: expected a rate like 2/s, 30/m or 100/h, found "fast"',
    ],
  ],
  [
    'a bad distribution in an annotation',
    `${HEAD}  workloads:\n    - name: w\n      arrivals: {poisson: {rate: 1/m}}\n      template:\n        metadata: {annotations: {ksim.dev/duration: "{gaussian: {mean: 5m}}"}}\n        spec: {containers: [{name: c}]}\n`,
    [
      'bad.yaml:10:53: spec.workloads[0].template.metadata.annotations["ksim.dev/duration"].gaussian: expected one of constant, uniform, exponential, normal, lognormal, weibull, empirical, found gaussian',
    ],
  ],
  [
    'a pod on a node that does not exist',
    `${HEAD}---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  nodeName: ghost\n  containers: [{name: c}]\n`,
    ['bad.yaml:11:13: spec.nodeName: no node named "ghost" in the scenario'],
  ],
  [
    'a container request that is not a quantity',
    `${HEAD}---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      resources: {requests: {memory: lots}}\n`,
    [
      'bad.yaml:13:38: spec.containers[0].resources.requests.memory: expected a Kubernetes quantity (e.g. 500m, 2, 1Gi), found "lots"',
    ],
  ],
  [
    'a pod-level resource other than cpu, memory or hugepages, and a bad pod-level quantity',
    `${HEAD}---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  resources: {requests: {ephemeral-storage: 1Gi, cpu: lots}}\n  containers: [{name: c}]\n`,
    [
      'bad.yaml:11:45: spec.resources.requests.ephemeral-storage: unsupported pod-level resource; expected cpu, memory or hugepages-<size>',
      'bad.yaml:11:55: spec.resources.requests.cpu: expected a Kubernetes quantity (e.g. 500m, 2, 1Gi), found "lots"',
    ],
  ],
  [
    'a pod with resource claims (DRA is not simulated)',
    `${HEAD}---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  resourceClaims: [{name: gpu}]\n  containers: [{name: c}]\n`,
    [
      'bad.yaml:11:19: spec.resourceClaims: resource claims (dynamic resource allocation) are not simulated; DynamicResources only serves pods without them',
    ],
  ],
  [
    'a node without a size',
    `${HEAD}---\napiVersion: v1\nkind: Node\nmetadata: {name: n1}\n`,
    [
      'bad.yaml:7:1: status: expected status.allocatable or status.capacity (the node size), found nothing',
    ],
  ],
  [
    'two Simulation documents',
    `${HEAD}---\n${HEAD}`,
    ['bad.yaml:8:7: kind: a second Simulation document; a scenario has exactly one'],
  ],
  [
    'a document that is not a map',
    `${HEAD}---\n- just\n- a list\n`,
    ['bad.yaml:7:1: expected a Kubernetes object or a Simulation (a map with kind), found a list'],
  ],
  [
    'a wrong apiVersion',
    `apiVersion: ksim.dev/v1\nkind: Simulation\nspec: {duration: 1h}\n`,
    ['bad.yaml:1:13: apiVersion: expected ksim.dev/v1alpha1, found "ksim.dev/v1"'],
  ],
];

describe('scenario errors name file:line:column, field, expected and found', () => {
  it.each(cases)('%s', (_name, text, expected) => {
    const file = write('bad.yaml', text);
    expect(errorsOf(file)).toEqual(expected);
  });

  it('reports every mistake at once, in file order', () => {
    const file = write(
      'many.yaml',
      `${HEAD}  seed: -1\n  metrics: {sampleInterval: soon}\n  nodePools:\n    - name: Bad_Name\n      count: 1.5\n${TEMPLATE}`,
    );
    expect(errorsOf(file)).toEqual([
      'many.yaml:6:9: spec.seed: expected an integer from 0 to 9007199254740991, found -1',
      'many.yaml:7:29: spec.metrics.sampleInterval: expected a duration with a unit (e.g. 90s, 5m, 1h30m), found "soon"',
      'many.yaml:9:13: spec.nodePools[0].name: expected a name (lower-case letters, digits, - and .), found "Bad_Name"',
      'many.yaml:10:14: spec.nodePools[0].count: expected an integer from 0 to 100000, found 1.5',
    ]);
  });

  it('a missing file is an error, not a crash', () => {
    expect(() => loadScenario(join(dir, 'nope.yaml'))).toThrow(
      /nope\.yaml: no such file or directory/,
    );
  });

  it('a directory is read in name order and errors name the right file', () => {
    const d = join(dir, 'scenario-dir');
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, '01-sim.yaml'), HEAD);
    writeFileSync(
      join(d, '02-pods.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: []\n',
    );
    expect(errorsOf(d)).toEqual([
      'scenario-dir/02-pods.yaml:5:15: spec.containers: expected at least one container, found an empty list',
    ]);
  });
});
