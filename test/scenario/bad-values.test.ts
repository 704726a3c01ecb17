/**
 * Values the loader once accepted and the run then crashed on (exit 1, no location): each is now
 * refused with file:line:column, or defined — a heavy-tailed duration whose extreme draw is
 * beyond any run is taken as "runs forever".
 */
import { describe, expect, it } from '@jest/globals';
import { loadScenario } from '../../src/scenario/loader.js';
import { runSimulation } from '../../src/simulation.js';
import { HEAD, scratch } from './helpers.js';

const { write, errorsOf } = scratch('ksim-bad-values-');

const workload = (arrivals: string, annotations = '') =>
  `${HEAD}  workloads:\n    - name: w\n      arrivals: ${arrivals}\n      template:\n${
    annotations ? `        metadata: {annotations: {${annotations}}}\n` : ''
  }        spec: {restartPolicy: Never, containers: [{name: c}]}\n`;

const cases: Array<[string, string, string[]]> = [
  [
    'a zero poisson rate',
    workload('{poisson: {rate: 0/s}}'),
    [
      'bad.yaml:8:34: spec.workloads[0].arrivals.poisson.rate: expected a rate greater than 0 (e.g. 2/s, 30/m or 100/h), found "0/s"',
    ],
  ],
  [
    'a zero constant rate',
    workload('{constant: {rate: 0/m}}'),
    [
      'bad.yaml:8:35: spec.workloads[0].arrivals.constant.rate: expected a rate greater than 0 (e.g. 2/s, 30/m or 100/h), found "0/m"',
    ],
  ],
  [
    'a zero diurnal peak (a zero trough is a quiet night, and fine)',
    workload('{diurnal: {peak: 0/s, trough: 0/s}}'),
    [
      'bad.yaml:8:34: spec.workloads[0].arrivals.diurnal.peak: expected a rate greater than 0 (e.g. 2/s, 30/m or 100/h), found "0/s"',
    ],
  ],
  [
    'a rate too large to be a number',
    workload(`{poisson: {rate: ${'9'.repeat(400)}/s}}`),
    [
      `bad.yaml:8:34: spec.workloads[0].arrivals.poisson.rate: expected a rate greater than 0 (e.g. 2/s, 30/m or 100/h), found "${'9'.repeat(60)}…"`,
    ],
  ],
  [
    'bursts whose on windows are empty',
    workload('{bursts: {rate: 1/s, on: 0s, off: 1m}}'),
    [
      'bad.yaml:8:42: spec.workloads[0].arrivals.bursts.on: expected a duration greater than 0 (on average), found "0s"',
    ],
  ],
  [
    'a weibull duration whose samples overflow',
    workload(
      '{poisson: {rate: 1/m}}',
      'ksim.dev/duration: "{weibull: {shape: 1e-300, scale: 5m}}"',
    ),
    [
      'bad.yaml:10:53: spec.workloads[0].template.metadata.annotations["ksim.dev/duration"].weibull: expected parameters whose samples are finite numbers, found {shape: 1e-300, scale: 5m}, whose samples reach Infinity',
    ],
  ],
  [
    'a lognormal startup whose samples overflow',
    workload(
      '{poisson: {rate: 1/m}}',
      'ksim.dev/startup: "{lognormal: {median: 5m, sigma: 1000}}"',
    ),
    [
      'bad.yaml:10:52: spec.workloads[0].template.metadata.annotations["ksim.dev/startup"].lognormal: expected parameters whose samples are finite numbers, found {median: 5m, sigma: 1000}, whose samples reach Infinity',
    ],
  ],
  [
    'a negative ksim.dev/duration',
    workload('{poisson: {rate: 1/m}}', 'ksim.dev/duration: "-5m"'),
    [
      'bad.yaml:10:53: spec.workloads[0].template.metadata.annotations["ksim.dev/duration"]: expected a non-negative duration, found "-5m"',
    ],
  ],
  [
    'a negative constant startup',
    workload('{poisson: {rate: 1/m}}', 'ksim.dev/startup: "{constant: -5m}"'),
    [
      'bad.yaml:10:52: spec.workloads[0].template.metadata.annotations["ksim.dev/startup"].constant: expected a non-negative duration, found "-5m"',
    ],
  ],
  [
    'a negative mean inside a duration distribution',
    workload('{poisson: {rate: 1/m}}', 'ksim.dev/duration: "{normal: {mean: -1m, stddev: 1m}}"'),
    [
      'bad.yaml:10:53: spec.workloads[0].template.metadata.annotations["ksim.dev/duration"].normal.mean: expected a non-negative duration, found "-1m"',
    ],
  ],
];

describe('refused at load, with a location', () => {
  it.each(cases)('%s', (_name, text, expected) => {
    expect(errorsOf(write('bad.yaml', text))).toEqual(expected);
  });
});

describe('an extreme but finite draw runs forever', () => {
  it('pods whose duration lands beyond any run never finish, and the run completes', () => {
    // sigma 80: half the draws are beyond 366 days (capped), the other half nearly 0.
    const file = write(
      'heavy.yaml',
      `${HEAD}  nodePools: [{name: p, count: 2, template: {status: {allocatable: {cpu: "8", memory: 8Gi}}}}]\n` +
        workload(
          '{constant: {rate: 1/m}}',
          'ksim.dev/duration: "{lognormal: {median: 1s, sigma: 80}}"',
        ).slice(HEAD.length),
    );
    const result = runSimulation(loadScenario(file));
    const pods = result.metrics.pods;
    expect(pods.length).toBe(60);
    const running = pods.filter((p) => p.outcome === 'Running');
    const succeeded = pods.filter((p) => p.outcome === 'Succeeded');
    expect(running.length + succeeded.length).toBe(60);
    expect(running.length).toBeGreaterThan(10);
    expect(succeeded.length).toBeGreaterThan(10);
    const FOREVER = 366 * 86_400_000 + 1;
    const durations = pods.map((p) => p.behaviour.durationMs!);
    expect(Math.max(...durations)).toBe(FOREVER);
    expect(durations.filter((d) => d === FOREVER).length).toBeGreaterThan(10);
    for (const p of running)
      expect(p.times.ready! + p.behaviour.durationMs!).toBeGreaterThan(3_600_000);
  });
});
