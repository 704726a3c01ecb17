/**
 * Input the API server would refuse is refused at load, with upstream's wording after ksim's
 * file:line:column and field path: tolerations (ValidateTolerations), a request above its limit
 * (validateResourceRequirements), a priorityClassName that names no PriorityClass (the Priority
 * admission plugin).
 */
import { describe, expect, it } from '@jest/globals';
import { loadScenario } from '../../src/scenario/loader.js';
import { HEAD, scratch } from './helpers.js';

const { write, errorsOf } = scratch('ksim-api-validation-');

/** A pod whose extra spec lines start at line 12 of the file (containers is line 11). */
const pod = (specLines: string) =>
  `${HEAD}---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c}]\n${specLines}`;
const tolerations = (...items: string[]) =>
  pod(`  tolerations:\n${items.map((t) => `    - ${t}\n`).join('')}`);

const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

const cases: Array<[string, string, string[]]> = [
  [
    'an operator that is neither Equal nor Exists',
    tolerations('{key: dedicated, operator: Maybe, value: batch, effect: NoSchedule}'),
    [
      'bad.yaml:13:34: spec.tolerations[0].operator: Unsupported value: "Maybe": supported values: "Equal", "Exists"',
    ],
  ],
  [
    'Exists with a value',
    tolerations('{key: dedicated, operator: Exists, value: batch}'),
    [
      `bad.yaml:13:49: spec.tolerations[0].value: Invalid value: "batch": value must be empty when \`operator\` is 'Exists'`,
    ],
  ],
  [
    'an empty key without Exists',
    tolerations('{operator: Equal, value: x}'),
    [
      'bad.yaml:13:18: spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
    ],
  ],
  [
    'an effect that does not exist',
    tolerations('{key: dedicated, operator: Exists, effect: NoScheduling}'),
    [
      'bad.yaml:13:50: spec.tolerations[0].effect: Unsupported value: "NoScheduling": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ],
  ],
  [
    'tolerationSeconds without NoExecute',
    tolerations('{key: k, operator: Exists, effect: NoSchedule, tolerationSeconds: 60}'),
    [
      'bad.yaml:13:42: spec.tolerations[0].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set',
    ],
  ],
  [
    'a value that is not a label value, and a key that is not a label name',
    tolerations('{key: "-k", value: "a b"}'),
    [
      "bad.yaml:13:13: spec.tolerations[0].key: Invalid value: \"-k\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      `bad.yaml:13:26: spec.tolerations[0].value: Invalid value: "a b": ${LABEL_VALUE_MSG}`,
    ],
  ],
  [
    'a misspelt toleration field',
    tolerations('{key: k, operater: Exists}'),
    [
      'bad.yaml:13:26: spec.tolerations[0].operater: unknown field; expected one of key, operator, value, effect, tolerationSeconds',
    ],
  ],
  [
    'a cpu request above its limit',
    pod('').replace(
      '  containers: [{name: c}]\n',
      '  containers:\n    - name: c\n      resources: {requests: {cpu: "2"}, limits: {cpu: 1500m}}\n',
    ),
    [
      'bad.yaml:13:35: spec.containers[0].resources.requests.cpu: Invalid value: "2": must be less than or equal to cpu limit of 1500m',
    ],
  ],
  [
    'a memory request above its limit, in an init container',
    pod(
      '  initContainers:\n    - name: init\n      resources: {requests: {memory: 2Gi}, limits: {memory: 1Gi}}\n',
    ),
    [
      'bad.yaml:14:38: spec.initContainers[0].resources.requests.memory: Invalid value: "2Gi": must be less than or equal to memory limit of 1Gi',
    ],
  ],
  [
    'a priorityClassName that names no PriorityClass',
    pod('  priorityClassName: nope\n'),
    ['bad.yaml:12:22: spec.priorityClassName: no PriorityClass with name nope was found'],
  ],
  [
    'a priorityClassName in a Deployment template',
    `${HEAD}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec: {priorityClassName: gold, containers: [{name: c}]}\n`,
    [
      'bad.yaml:12:31: spec.template.spec.priorityClassName: no PriorityClass with name gold was found',
    ],
  ],
];

describe('refused as the API server refuses it', () => {
  it.each(cases)('%s', (_name, text, expected) => {
    expect(errorsOf(write('bad.yaml', text))).toEqual(expected);
  });
});

describe('accepted as the API server accepts it', () => {
  it('valid tolerations, requests equal to limits, known and system priority classes', () => {
    const file = write(
      'good.yaml',
      `${HEAD}---\napiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: gold}\nvalue: 100\n---\n` +
        pod(
          '  priorityClassName: gold\n  tolerations:\n    - {operator: Exists}\n    - {key: a, value: b, effect: NoSchedule}\n' +
            '    - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 30}\n',
        )
          .slice(HEAD.length + 4)
          .replace(
            '  containers: [{name: c}]\n',
            '  containers:\n    - name: c\n      resources: {requests: {cpu: "1"}, limits: {cpu: 1000m}}\n',
          ) +
        `---\napiVersion: v1\nkind: Pod\nmetadata: {name: q, namespace: kube-system}\nspec: {priorityClassName: system-node-critical, containers: [{name: c}]}\n`,
    );
    const s = loadScenario(file);
    expect(s.pods.map((p) => [p.name, p.template.priority])).toEqual([
      ['p', 100],
      ['q', 2000001000],
    ]);
  });
});
