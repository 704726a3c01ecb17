/**
 * How mistakes are reported: every one at once (across the files of a directory, and past a
 * broken Simulation spec), sorted by file, line and column, with the found value echoed the way
 * the user wrote it — flow YAML for maps, cut when long — and the field path of the innermost
 * value. Each case checks the exact messages.
 */
import { describe, expect, it } from '@jest/globals';
import { loadScenario } from '../../src/scenario/loader.js';
import { HEAD, scratch } from './helpers.js';

const { dir, write, errorsOf } = scratch('ksim-reporting-');

const POD = (name: string, extra = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:\n  containers: [{name: c}]\n${extra}`;

describe('empty documents are skipped, as kubectl skips them', () => {
  it('a trailing --- and a document holding only comments', () => {
    const file = write('trailing.yaml', `${HEAD}---\n${POD('p')}---\n# nothing here\n---\n`);
    const s = loadScenario(file);
    expect(s.pods.map((p) => p.name)).toEqual(['p']);
  });

  it('a file of empty documents is an empty file', () => {
    const file = write('only-separators.yaml', '---\n# a comment\n---\n');
    expect(errorsOf(file)).toEqual([
      'only-separators.yaml:0:0: file is empty: expected YAML documents (a Simulation and Kubernetes objects)',
    ]);
  });

  it('an explicit null document is content, and not an object', () => {
    const file = write('null-doc.yaml', `${HEAD}--- null\n`);
    expect(errorsOf(file)).toEqual([
      'null-doc.yaml:6:5: expected a Kubernetes object or a Simulation (a map with kind), found nothing',
    ]);
  });
});

describe('every mistake at once', () => {
  it('a YAML syntax error in one file does not hide field errors in the others', () => {
    write('dir-all/01.yaml', POD('a', '  priority: high\n'));
    write('dir-all/02.yaml', `${HEAD}  seed: [1, 2\n`);
    write('dir-all/03.yml', POD('b', '  nodeName: 7\n').replace('{name: b}', '{name: B}'));
    expect(errorsOf(`${dir}/dir-all`)).toEqual([
      'dir-all/01.yaml:6:13: spec.priority: expected an integer from -2147483648 to 2147483647, found "high"',
      'dir-all/02.yaml:7:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
      'dir-all/03.yml:3:18: metadata.name: expected a name (lower-case letters, digits, - and .), found "B"',
    ]);
  });

  it('with the Simulation unreadable, no "no Simulation document" and no missing-node error', () => {
    write('dir-broken-sim/01.yaml', `${HEAD}  seed: [1, 2\n`);
    write('dir-broken-sim/02.yaml', POD('a', '  nodeName: n1\n'));
    expect(errorsOf(`${dir}/dir-broken-sim`)).toEqual([
      'dir-broken-sim/01.yaml:7:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('a Simulation spec that is not a map does not hide errors in other documents', () => {
    const file = write(
      'spec-list.yaml',
      `apiVersion: ksim.dev/v1alpha1\nkind: Simulation\nspec: [1]\n---\n${POD('p', '  priority: high\n')}`,
    );
    expect(errorsOf(file)).toEqual([
      'spec-list.yaml:3:7: spec: expected a map, found a list',
      'spec-list.yaml:10:13: spec.priority: expected an integer from -2147483648 to 2147483647, found "high"',
    ]);
  });

  it('issues are sorted by file, line and column, not by the order checks ran', () => {
    // Pods are checked after the Simulation, although this one comes first in the file.
    const file = write(
      'order.yaml',
      `${POD('p', '  priority: high\n')}---\n${HEAD}  seed: -1\n  sede: 2\n`,
    );
    expect(errorsOf(file)).toEqual([
      'order.yaml:6:13: spec.priority: expected an integer from -2147483648 to 2147483647, found "high"',
      'order.yaml:13:9: spec.seed: expected an integer from 0 to 9007199254740991, found -1',
      'order.yaml:14:9: spec.sede: unknown field; expected one of seed, duration, metrics, controlPlane, kubelet, nodePools, workloads, timeline, faults, schedulerPlugins',
    ]);
  });
});

describe('the found value, as the user wrote it', () => {
  const faults = (mtbf: string, mttr = '5m') =>
    `${HEAD}  nodePools: [{name: p, count: 1, template: {status: {allocatable: {cpu: "1"}}}}]\n  faults:\n    - {kind: node-crash, pool: p, mtbf: ${mtbf}, mttr: ${mttr}}\n`;

  it('a map where a duration belongs is shown as flow YAML, not [object Object]', () => {
    const file = write('flow.yaml', faults('{constant: {value: 5m}}'));
    expect(errorsOf(file)).toEqual([
      'flow.yaml:8:52: spec.faults[0].mtbf.constant: expected a duration with a unit (e.g. 90s, 5m, 1h30m), found {value: 5m}',
    ]);
  });

  it('a bad value inside a distribution points at that value', () => {
    const file = write('nested.yaml', faults('1h', '{exponential: {mean: 1e400s}}'));
    expect(errorsOf(file)).toEqual([
      'nested.yaml:8:72: spec.faults[0].mttr.exponential.mean: expected a duration with a unit (e.g. 90s, 5m, 1h30m), found "1e400s"',
    ]);
  });

  it('uniform max below min names min as written (10s, not 10000)', () => {
    const file = write('uniform.yaml', faults('{uniform: {min: 10s, max: 1s}}'));
    expect(errorsOf(file)).toEqual([
      'uniform.yaml:8:67: spec.faults[0].mtbf.uniform.max: expected a value of at least min (10s), found "1s"',
    ]);
  });

  it('a long value is cut at 60 characters', () => {
    const file = write('long.yaml', `${HEAD}  seed: "${'x'.repeat(500)}"\n`);
    expect(errorsOf(file)).toEqual([
      `long.yaml:6:9: spec.seed: expected an integer from 0 to 9007199254740991, found "${'x'.repeat(60)}…"`,
    ]);
  });

  it('binary content is escaped, and the escapes count towards the 60', () => {
    const file = write('binary.yaml', `${HEAD}  seed: "${'\\x00\\x01'.repeat(40)}"\n`);
    expect(errorsOf(file)).toEqual([
      `binary.yaml:6:9: spec.seed: expected an integer from 0 to 9007199254740991, found "${'\\u0000\\u0001'.repeat(5)}…"`,
    ]);
  });
});

describe('times and durations name the real bound', () => {
  it('arrivals from after the end of the run are reported at from', () => {
    const file = write(
      'from.yaml',
      `${HEAD}  workloads:\n    - name: w\n      arrivals: {poisson: {rate: 1/m}, from: 2h}\n      template: {spec: {containers: [{name: c}]}}\n`,
    );
    expect(errorsOf(file)).toEqual([
      'from.yaml:8:46: spec.workloads[0].arrivals.from: expected a time within the run (duration 1h), found "2h"',
    ]);
  });

  it('a timeline action after the end of the run', () => {
    const file = write(
      'at.yaml',
      `${HEAD}  timeline:\n    - {at: 3h, action: cordon, target: {node: n}}\n`,
    );
    expect(errorsOf(file)).toEqual([
      'at.yaml:7:12: spec.timeline[0].at: expected a time within the run (duration 1h), found "3h"',
    ]);
  });

  it('at the default sampleInterval the longest run is 1,000,000 × 10s, and the message says so', () => {
    const file = write(
      'long-run.yaml',
      'apiVersion: ksim.dev/v1alpha1\nkind: Simulation\nspec:\n  duration: 200d\n',
    );
    expect(errorsOf(file)).toEqual([
      'long-run.yaml:4:13: spec.duration: expected a duration from 1ms to 115d17h46m40s (at most 1000000 samples of the default sampleInterval 10s; a longer sampleInterval allows up to 366d), found "200d"',
    ]);
  });

  it('a sampleInterval written too short for the duration is reported at sampleInterval', () => {
    const file = write(
      'short-interval.yaml',
      'apiVersion: ksim.dev/v1alpha1\nkind: Simulation\nspec:\n  duration: 2h\n  metrics: {sampleInterval: 1ms}\n',
    );
    expect(errorsOf(file)).toEqual([
      'short-interval.yaml:5:29: spec.metrics.sampleInterval: expected a sampleInterval of at least 8ms for a duration of 2h (at most 1000000 samples per run), found "1ms"',
    ]);
  });

  it('beyond 366 days whatever the sampleInterval', () => {
    const file = write(
      'year.yaml',
      'apiVersion: ksim.dev/v1alpha1\nkind: Simulation\nspec:\n  duration: 400d\n  metrics: {sampleInterval: 1h}\n',
    );
    expect(errorsOf(file)).toEqual([
      'year.yaml:4:13: spec.duration: expected a duration from 1ms to 366d, found "400d"',
    ]);
  });
});
