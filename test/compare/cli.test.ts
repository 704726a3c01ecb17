/**
 * `ksim compare`, `ksim report` and `ksim validate` in-process (the command classes from src/):
 * oclif prints through console.log / console.error, and a failing command sets process.exitCode,
 * which is reset after each test so jest's own exit code stays honest.
 */
import { describe, it, expect, beforeAll, afterEach, jest, afterAll } from '@jest/globals';
import { mkdirSync, readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import Compare from '../../src/commands/compare.js';
import Report from '../../src/commands/report.js';
import Validate from '../../src/commands/validate.js';

// A fresh directory per test run: concurrent runs never share outputs.
const scratch = mkdtempSync(join(tmpdir(), 'ksim-compare-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const out = join(scratch, 'cli');
// A package root with no commands of its own: oclif would otherwise import every compiled
// command in dist/ while loading its config, which jest's module sandbox refuses (noisy warnings).
const root = join(out, 'oclif-root');

interface Captured {
  stdout: string;
  stderr: string;
  error?: Error;
}

async function ksim(
  command: { run(argv: string[], opts: string): Promise<unknown> },
  ...argv: string[]
): Promise<Captured> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    stdout.push(a.join(' '));
  });
  const err = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
    stderr.push(a.join(' '));
  });
  let error: Error | undefined;
  try {
    await command.run(argv, root);
  } catch (e) {
    error = e as Error;
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
  return { stdout: stdout.join('\n'), stderr: stderr.join('\n'), error };
}

function exitCode(r: Captured): number | undefined {
  return (r.error as { oclif?: { exit?: number } } | undefined)?.oclif?.exit;
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('ksim compare', () => {
  let r: Captured;
  const dir = join(out, 'compare');

  beforeAll(async () => {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    writeFileSync(
      join(root, 'package.json'),
      JSON.stringify({ name: 'ksim', version: '0.0.0', type: 'module', oclif: { bin: 'ksim' } }),
    );
    r = await ksim(
      Compare,
      'scenarios/binpacking.yaml',
      '--profile',
      'most-allocated',
      '--profile',
      'least-allocated',
      '--seeds',
      '3',
      '--jobs',
      '1',
      '--out',
      dir,
    );
  });

  it('takes the first --profile as the baseline and prints the key metrics with intervals', () => {
    expect(r.error).toBeUndefined();
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^metric\s+policy\s+mean \[95% CI\]\s+Δ vs most-allocated \[95% CI\]$/,
    );
    const i = lines.findIndex((l) => l.startsWith('Nodes used mean'));
    expect(lines[i]).toMatch(/^Nodes used mean\s+most-allocated\s+[\d.]+ \[[\d.]+, [\d.]+\]$/);
    // least-allocated uses many more nodes, and the interval says so (*).
    expect(lines[i + 1]).toMatch(
      /^\s+least-allocated\s+[\d.]+ \[[\d.]+, [\d.]+\]\s+\+[\d.]+ \[\+[\d.]+, \+[\d.]+\] \*$/,
    );
    expect(r.stdout).toContain('2 policies × 3 seeds in ');
    expect(r.stdout).toContain(`output ${dir}/comparison.html`);
  });

  it('--quiet prints nothing', async () => {
    const q = await ksim(
      Compare,
      'scenarios/binpacking.yaml',
      '--seeds',
      '1',
      '--jobs',
      '1',
      '--out',
      join(out, 'quiet'),
      '-q',
    );
    expect(q).toEqual({ stdout: '', stderr: '', error: undefined });
  });

  it('keeps command-line order across --scheduler-config and --profile: the first is the baseline', async () => {
    const config = join(out, 'tuned.yaml');
    writeFileSync(
      config,
      'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n  - schedulerName: packer\n',
    );
    const mixed = join(out, 'mixed');
    const m = await ksim(
      Compare,
      'scenarios/binpacking.yaml',
      '--scheduler-config',
      config,
      '--profile',
      'most-allocated',
      '--seeds',
      '1',
      '--jobs',
      '1',
      '--out',
      mixed,
    );
    expect(m.error).toBeUndefined();
    const json = JSON.parse(readFileSync(join(mixed, 'comparison.json'), 'utf8'));
    expect({ policies: json.policies, baseline: json.baseline }).toEqual({
      policies: ['tuned', 'most-allocated'],
      baseline: 'tuned',
    });
  });

  it('an unknown profile is a plain message and exit 2', async () => {
    const bad = await ksim(
      Compare,
      'scenarios/binpacking.yaml',
      '--profile',
      'nope',
      '--out',
      join(out, 'bad'),
    );
    expect(exitCode(bad)).toBe(2);
    expect(bad.stderr).toContain('--profile: no scheduling profile named "nope"');
  });

  it('ksim report rebuilds comparison.html from comparison.json, byte for byte', async () => {
    const file = join(dir, 'comparison.html');
    const before = readFileSync(file, 'utf8');
    writeFileSync(file, 'stale');
    const rr = await ksim(Report, dir);
    expect(rr.error).toBeUndefined();
    expect(rr.stdout).toBe(`wrote ${file}`);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('ksim report rebuilds a run’s report.html from its CSVs, and every run’s with --runs', async () => {
    const runDir = join(dir, 'runs', 'least-allocated', 'seed-2');
    const file = join(runDir, 'report.html');
    const before = readFileSync(file, 'utf8');
    writeFileSync(file, 'stale');
    const one = await ksim(Report, runDir);
    expect(one.stdout).toBe(`wrote ${file}`);
    expect(readFileSync(file, 'utf8')).toBe(before);
    const all = await ksim(Report, dir, '--runs');
    expect(all.stdout.split('\n')).toHaveLength(2 * 3 + 1);
  });

  it('ksim report on a directory that is neither is exit 2', async () => {
    const rr = await ksim(Report, out);
    expect(exitCode(rr)).toBe(2);
    expect(rr.stderr).toBe(
      `error: ${out} is neither a run directory (summary.json) nor a compare directory (comparison.json)`,
    );
  });
});

describe('ksim validate', () => {
  const dir = join(out, 'validate');
  const bad = join(dir, 'bad.yaml');
  const config = join(dir, 'tuned.yaml');

  beforeAll(() => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      bad,
      'apiVersion: ksim.dev/v1alpha1\nkind: Simulation\nspec:\n  duration: soon\n',
    );
    writeFileSync(
      config,
      'apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n  - schedulerName: packer\n',
    );
  });

  it('describes a good scenario and its profiles without running it', async () => {
    const v = await ksim(Validate, 'scenarios/binpacking.yaml');
    expect(v.error).toBeUndefined();
    expect(v.stdout).toBe(
      'ok: scenarios/binpacking.yaml (40 nodes, 2 workloads, 0 pods, 0 objects, 0 timeline actions, 0 faults, 2 profiles: least-allocated, most-allocated, seed 1, duration 3h)',
    );
  });

  it('checks every file, prints each error with file:line:col and exits 2', async () => {
    const v = await ksim(Validate, bad, 'scenarios/binpacking.yaml', '--scheduler-config', config);
    expect(exitCode(v)).toBe(2);
    expect(v.stdout.split('\n')).toEqual([
      `ok: ${config} (KubeSchedulerConfiguration, 1 profile: packer)`,
      expect.stringMatching(/^ok: scenarios\/binpacking\.yaml \(40 nodes/),
    ]);
    expect(v.stderr).toContain(
      'bad.yaml:4:13: spec.duration: expected a duration with a unit (e.g. 90s, 5m, 1h30m), found "soon"',
    );
  });

  it('reports what the components find as they start, as a run would', async () => {
    // The Deployment actions check their target against the scenario's Deployments when the
    // run starts: validate starts them too (and runs no time).
    const file = join(dir, 'no-target.yaml');
    writeFileSync(
      file,
      'apiVersion: ksim.dev/v1alpha1\nkind: Simulation\nspec:\n  duration: 1h\n  timeline:\n' +
        '    - {at: 1m, action: scale, target: {deployment: default/api}, replicas: 3}\n',
    );
    const v = await ksim(Validate, file);
    expect(exitCode(v)).toBe(2);
    expect(v.stderr).toContain(
      'no-target.yaml:6:39: spec.timeline[0].target: no Deployment default/api in the scenario',
    );
  });

  it('a missing file is an error, not a crash', async () => {
    const v = await ksim(Validate, join(dir, 'missing.yaml'));
    expect(exitCode(v)).toBe(2);
    expect(v.stderr).toContain('missing.yaml: no such file or directory');
  });
});
