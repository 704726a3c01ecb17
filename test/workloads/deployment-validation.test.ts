/** Mistakes in Deployments, HPAs and their timeline actions are reported with file:line:column. */
import { describe, expect, it } from '@jest/globals';
import { ScenarioError } from '../../src/scenario/errors.js';
import { runSimulation } from '../../src/simulation.js';
import { deploymentScenarioText, loadText } from './deployment-scenario.js';

function messages(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScenarioError)
      return e.issues.map((i) => `${i.line}: ${i.path}: ${i.message}`);
    throw e;
  }
  return [];
}

describe('Deployment scenario validation', () => {
  it.each<[string, string, string]>([
    [
      'a rollout with neither image nor template',
      deploymentScenarioText({
        timeline: ['{at: 60s, action: rollout, target: {deployment: default/web}}'],
      }),
      '16: spec.timeline[0]: a rollout needs `image` or `template` (a partial pod template)',
    ],
    [
      'a template patch with a malformed quantity',
      deploymentScenarioText({
        timeline: [
          "{at: 60s, action: rollout, target: {deployment: web}, template: {spec: {containers: [{name: web, resources: {requests: {cpu: 'lots'}}}]}}}",
        ],
      }),
      'spec.timeline[0].template.spec.containers[0].resources.requests.cpu',
    ],
    [
      'a scale with a negative replica count',
      deploymentScenarioText({
        timeline: ['{at: 60s, action: scale, target: {deployment: web}, replicas: -1}'],
      }),
      '16: spec.timeline[0].replicas: expected an integer from 0 to 100000, found -1',
    ],
    [
      'a target that is neither deployment nor replicaset',
      deploymentScenarioText({
        timeline: ['{at: 60s, action: pause, target: {statefulset: web}}'],
      }),
      'spec.timeline[0].target.statefulset: unknown field; expected one of deployment',
    ],
  ])('%s is refused when loading', (_n, text, want) => {
    expect(messages(() => loadText(text)).join('\n')).toContain(want);
  });

  it.each<[string, string, string]>([
    [
      'a maxSurge that is neither a count nor a percentage',
      deploymentScenarioText({
        strategy: '{type: RollingUpdate, rollingUpdate: {maxSurge: lots}}',
      }),
      'spec.strategy.rollingUpdate.maxSurge: expected a non-negative integer or a percentage (e.g. 25%), found "lots"',
    ],
    [
      'a timeline action on a Deployment the scenario does not have',
      deploymentScenarioText({
        timeline: ['{at: 60s, action: pause, target: {deployment: default/api}}'],
      }),
      'spec.timeline[0].target: no Deployment default/api in the scenario',
    ],
    [
      'a load profile annotation that does not parse',
      deploymentScenarioText({
        annotations: { 'ksim.dev/load': '{sinusoid: {period: 1d, min: 2, max: 1}}' },
      }),
      'must not exceed max (1) (at sinusoid.min)',
    ],
    [
      'an HPA on a metric type ksim does not simulate',
      deploymentScenarioText({
        extraDocs: `---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 5
  metrics: [{type: External, external: {metric: {name: queue}}}]
`,
      }),
      'spec.metrics[0].type: metric type "External" is not simulated',
    ],
  ])('%s is refused when the run starts', (_n, text, want) => {
    expect(messages(() => runSimulation(loadText(text))).join('\n')).toContain(want);
  });
});

describe('mistakes found as the components start', () => {
  const text = deploymentScenarioText({
    strategy: '{type: RollingUpdate, rollingUpdate: {maxSurge: lots}}',
    timeline: ['{at: 60s, action: pause, target: {deployment: default/api}}'],
    extraDocs: `---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 5
  metrics: [{type: External, external: {metric: {name: queue}}}]
`,
  });
  // The Deployment controller, the Deployment actions and the HPA controller each find one:
  // all three at once, in file order — not the first component's and then a rerun.
  const want = [
    '16: spec.timeline[0].target: no Deployment default/api in the scenario',
    '24: spec.strategy.rollingUpdate.maxSurge: expected a non-negative integer or a percentage (e.g. 25%), found "lots"',
    '43: spec.metrics[0].type: metric type "External" is not simulated; ksim simulates Resource metrics (cpu, memory)',
  ];

  it('are reported together before time starts', () => {
    expect(messages(() => runSimulation(loadText(text)))).toEqual(want);
  });

  it('are what a check-only run reports, with nothing simulated', () => {
    expect(messages(() => runSimulation(loadText(text), { checkOnly: true }))).toEqual(want);
    const ok = runSimulation(loadText(deploymentScenarioText()), { checkOnly: true });
    expect(ok.events).toBe(0);
  });
});
