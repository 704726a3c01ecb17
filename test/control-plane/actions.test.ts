/** Control-plane timeline actions are validated with file:line:column like every field. */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/loader.js';
import { ScenarioError } from '../../src/scenario/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'ksim-cp-actions-'));
let n = 0;

function load(entry: string) {
  const file = join(dir, `a${n++}.yaml`);
  writeFileSync(
    file,
    `apiVersion: ksim.dev/v1alpha1
kind: Simulation
metadata: {name: t}
spec:
  duration: 1h
  timeline:
    - ${entry}
`,
  );
  return loadScenario(file);
}

function errorsOf(entry: string): string[] {
  try {
    load(entry);
  } catch (e) {
    if (e instanceof ScenarioError)
      return e.issues.map((i) => `${i.line}:${i.column}: ${i.path}: ${i.message}`);
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

describe('control-plane actions', () => {
  it.each([
    [
      '{at: 1m, action: etcd-member-down, target: {count: 2}, recoverAfter: 5m}',
      { target: { count: 2 }, recoverAfterMs: 300_000 },
    ],
    [
      '{at: 1m, action: etcd-member-down, target: {leader: true}}',
      { target: { leader: true }, recoverAfterMs: undefined },
    ],
    [
      '{at: 1m, action: apiserver-down, target: {member: 0}, recoverAfter: 30s}',
      { target: { member: 0 }, recoverAfterMs: 30_000 },
    ],
    [
      '{at: 1m, action: scheduler-down, target: {leader: true}, recoverAfter: 1m}',
      { target: { leader: true }, recoverAfterMs: 60_000 },
    ],
    [
      '{at: 1m, action: controller-manager-down, target: {count: 1}}',
      { target: { count: 1 }, recoverAfterMs: undefined },
    ],
    ['{at: 1m, action: control-plane-down, recoverAfter: 2m}', { recoverAfterMs: 120_000 }],
  ])('%s is parsed', (entry, parsed) => {
    expect(load(entry).timeline[0]!.parsed).toEqual(parsed);
  });

  it.each([
    [
      '{at: 1m, action: etcd-member-down}',
      [
        '7:7: spec.timeline[0].target: expected a target (one of count, member, leader), found nothing',
      ],
    ],
    [
      '{at: 1m, action: etcd-member-down, target: {count: 1, leader: true}}',
      ['7:50: spec.timeline[0].target: expected exactly one of count, member, leader, found 2'],
    ],
    [
      '{at: 1m, action: apiserver-down, target: {leader: true}}',
      ['7:57: spec.timeline[0].target.leader: unknown field; expected one of count, member'],
    ],
    [
      '{at: 1m, action: scheduler-down, target: {leader: false}}',
      ['7:57: spec.timeline[0].target.leader: expected true, found false'],
    ],
    [
      '{at: 1m, action: scheduler-down, target: {count: 0}}',
      ['7:56: spec.timeline[0].target.count: expected an integer from 1 to 99, found 0'],
    ],
    [
      '{at: 1m, action: control-plane-down, recoverAfter: soon, target: {count: 1}}',
      [
        '7:58: spec.timeline[0].recoverAfter: expected a duration with a unit (e.g. 90s, 5m, 1h30m), found "soon"',
        '7:72: spec.timeline[0].target: unknown field; expected one of at, action, recoverAfter',
      ],
    ],
  ])('%s is refused', (entry, want) => {
    expect(errorsOf(entry)).toEqual(want);
  });
});
