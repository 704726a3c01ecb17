/**
 * A KubeSchedulerConfiguration resolved against the in-tree registry: the v1.35 default profile,
 * and the validation rules of validation.go and the framework, message for message.
 */
import { describe, expect, it } from '@jest/globals';
import {
  DEFAULT_MULTIPOINT,
  resolveSchedulerConfiguration,
  type ConfigIssue,
} from '../../src/scheduler/config.js';
import { validationHandle } from '../../src/scenario/scheduler-config.js';
import { inTreeRegistry } from '../../src/scheduler-plugins/registry.js';

describe('resolveSchedulerConfiguration', () => {
  const registry = inTreeRegistry();
  const handle = validationHandle();
  const probe = (name: string) => registry.get(name)?.(undefined, handle);
  const resolve = (doc: unknown) => {
    const issues: ConfigIssue[] = [];
    const cfg = resolveSchedulerConfiguration(doc, registry, probe, issues);
    return { cfg, issues: issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  };
  const v1 = (rest: object) => ({ apiVersion: 'kubescheduler.config.k8s.io/v1', ...rest });

  it('defaults to the v1.35 multiPoint list: no in-tree volume limits, DynamicResources before DefaultPreemption', () => {
    expect(DEFAULT_MULTIPOINT.map((p) => p.name)).toEqual([
      'SchedulingGates',
      'PrioritySort',
      'NodeUnschedulable',
      'NodeName',
      'TaintToleration',
      'NodeAffinity',
      'NodePorts',
      'NodeResourcesFit',
      'VolumeRestrictions',
      'NodeVolumeLimits',
      'VolumeBinding',
      'VolumeZone',
      'PodTopologySpread',
      'InterPodAffinity',
      'DynamicResources',
      'DefaultPreemption',
      'NodeResourcesBalancedAllocation',
      'ImageLocality',
      'DefaultBinder',
    ]);
    const { cfg, issues } = resolve(undefined);
    expect(issues).toEqual([]);
    const p = cfg.profiles[0]!;
    expect(p.schedulerName).toBe('default-scheduler');
    expect(p.plugins.postFilter).toEqual(['DynamicResources', 'DefaultPreemption']);
    expect(p.plugins.filter).toEqual([
      'NodeUnschedulable',
      'NodeName',
      'TaintToleration',
      'NodeAffinity',
      'NodePorts',
      'NodeResourcesFit',
      'VolumeRestrictions',
      'NodeVolumeLimits',
      'VolumeBinding',
      'VolumeZone',
      'PodTopologySpread',
      'InterPodAffinity',
      'DynamicResources',
    ]);
    expect(p.plugins.score.map((w) => `${w.name}:${w.weight}`)).toEqual([
      'TaintToleration:3',
      'NodeAffinity:2',
      'NodeResourcesFit:1',
      'PodTopologySpread:2',
      'InterPodAffinity:2',
      'NodeResourcesBalancedAllocation:1',
      'ImageLocality:1',
    ]);
    expect(cfg.clientQPS).toBe(50);
    expect(cfg.clientBurst).toBe(100);
  });

  const INVALID =
    'was invalid in version "kubescheduler.config.k8s.io/v1" (KubeSchedulerConfiguration is version "kubescheduler.config.k8s.io/v1")';
  const cases: Array<[string, object, string[]]> = [
    [
      'a removed plugin enabled at an extension point is a validation error',
      { profiles: [{ plugins: { filter: { enabled: [{ name: 'EBSLimits' }] } } }] },
      [`profiles.0.plugins.filter.enabled.0: Invalid value: "EBSLimits": ${INVALID}`],
    ],
    [
      'a removed plugin in pluginConfig is a validation error',
      { profiles: [{ pluginConfig: [{ name: 'AzureDiskLimits', args: {} }] }] },
      [`profiles.0.pluginConfig.0: Invalid value: "AzureDiskLimits": ${INVALID}`],
    ],
    [
      'disabling a removed plugin is fine (old configs do)',
      { profiles: [{ plugins: { filter: { disabled: [{ name: 'GCEPDLimits' }] } } }] },
      [],
    ],
    [
      'a weight over 100 is accepted (validation sets no range)',
      {
        profiles: [
          { plugins: { multiPoint: { enabled: [{ name: 'ImageLocality', weight: 500 }] } } },
        ],
      },
      [],
    ],
    [
      'a weight outside int32 cannot be decoded',
      {
        profiles: [
          { plugins: { score: { enabled: [{ name: 'ImageLocality', weight: 2 ** 31 }] } } },
        ],
      },
      ['profiles.0.plugins.score.enabled.0.weight: expected an int32, found 2147483648'],
    ],
    [
      'the same plugin twice under one extension point',
      {
        profiles: [
          {
            plugins: {
              filter: { enabled: [{ name: 'NodeName' }, { name: 'NodeName' }] },
            },
          },
        ],
      },
      [
        'profiles.0.plugins.filter.enabled.1: plugin "NodeName" already registered as "FilterPlugin"',
      ],
    ],
    [
      'pluginConfig for a plugin the profile does not enable, or does not know, is kept unused',
      { profiles: [{ pluginConfig: [{ name: 'SomeOutOfTreePlugin', args: { x: 1 } }] }] },
      [],
    ],
    [
      'pluginConfig repeated for one plugin',
      {
        profiles: [{ pluginConfig: [{ name: 'NodeResourcesFit' }, { name: 'NodeResourcesFit' }] }],
      },
      ['profiles.0.pluginConfig.1: Duplicate value: "NodeResourcesFit"'],
    ],
    [
      'backoffs have no upper bound',
      { podInitialBackoffSeconds: 7200, podMaxBackoffSeconds: 86400 },
      [],
    ],
    [
      'podInitialBackoffSeconds must be positive',
      { podInitialBackoffSeconds: 0 },
      ['podInitialBackoffSeconds: Invalid value: 0: must be greater than 0'],
    ],
    [
      'podMaxBackoffSeconds below podInitialBackoffSeconds (its default 10 included)',
      { podInitialBackoffSeconds: 20 },
      [
        'podMaxBackoffSeconds: Invalid value: 10: must be greater than or equal to PodInitialBackoffSeconds',
      ],
    ],
    [
      'percentageOfNodesToScore outside [0, 100]',
      { percentageOfNodesToScore: 101 },
      ['percentageOfNodesToScore: Invalid value: 101: not in valid range [0-100]'],
    ],
    [
      'parallelism must be positive',
      { parallelism: 0 },
      ['parallelism: Invalid value: 0: should be an integer value greater than zero'],
    ],
    [
      'a negative clientConnection.burst',
      { clientConnection: { qps: 20, burst: -1 } },
      ['clientConnection.burst: Invalid value: -1: must be non-negative'],
    ],
    [
      'two profiles must both be named',
      { profiles: [{ schedulerName: 'a' }, {}] },
      ['profiles.1.schedulerName: Required value'],
    ],
    [
      'queueSort sets must be equal as written, not only as expanded',
      {
        profiles: [
          { schedulerName: 'a', plugins: { queueSort: { enabled: [{ name: 'PrioritySort' }] } } },
          { schedulerName: 'b' },
        ],
      },
      ['profiles.1.plugins.queueSort: must be the same for all profiles'],
    ],
  ];
  it.each(cases)('%s', (_name, doc, expected) => {
    expect(resolve(v1(doc)).issues).toEqual(expected);
  });

  it('reads clientConnection qps and burst (0 means the default)', () => {
    expect(resolve(v1({ clientConnection: { qps: 5000, burst: 0 } })).cfg).toMatchObject({
      clientQPS: 5000,
      clientBurst: 100,
    });
    expect(resolve(v1({ clientConnection: { qps: -1, burst: 7 } })).cfg).toMatchObject({
      clientQPS: -1,
      clientBurst: 7,
    });
  });
});
