/**
 * `ksim run` through the real binary (bin/run.js over dist/, built by `npm test`): output
 * files, the summary table, and bad input → a clear message, exit code 2, no stack trace,
 * nothing written.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (!existsSync('dist/commands/run.js')) {
  throw new Error('dist/ is missing: run `npm test` (it builds first) or `npm run build`');
}

const BIN = join(process.cwd(), 'bin/run.js');

function ksim(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return ksimIn(process.cwd(), ...args);
}

/** The binary run from another working directory (default output paths are relative to it). */
function ksimIn(
  cwd: string,
  ...args: string[]
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', cwd });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A small run whose every figure is known: 4 cores, one 1-core pod a minute for 10 minutes each. */
const TINY = `apiVersion: ksim.dev/v1alpha1
kind: Simulation
spec:
  duration: 1h
  nodePools:
    - {name: p, count: 2, template: {status: {allocatable: {cpu: "2", memory: 4Gi}}}}
  workloads:
    - name: w
      arrivals: {constant: {rate: 1/m}}
      template:
        metadata: {annotations: {ksim.dev/duration: 10m, ksim.dev/startup: 5s}}
        spec: {restartPolicy: Never, containers: [{name: c, resources: {requests: {cpu: "1", memory: 1Gi}}}]}
`;

describe('ksim run', () => {
  it('runs the quickstart and writes every output file', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ksim-cli-')), 'run');
    const r = ksim('run', 'scenarios/quickstart.yaml', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      'events.csv',
      'nodes.csv',
      'pods.csv',
      'report.html',
      'summary.json',
      'timeseries.csv',
    ]);
    expect(r.stdout).toMatch(/^pods created\s+\d+$/m);
    expect(r.stdout).toContain(`output                        ${out}`);
  });

  it('--quiet prints nothing', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ksim-cli-')), 'run');
    const r = ksim('run', 'scenarios/quickstart.yaml', '--out', out, '--quiet', '--seed', '3');
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });

  it('a bad scenario is a located message with exit 2, no stack trace and no output', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ksim-cli-bad-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'apiVersion: ksim.dev/v1alpha1\nkind: Simulation\nspec:\n  duration: soon\n',
    );
    const out = join(dir, 'out');
    const r = ksim('run', file, '--out', out);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'bad.yaml:4:13: spec.duration: expected a duration with a unit (e.g. 90s, 5m, 1h30m), found "soon"',
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('a negative --seed is refused by the flag parser', () => {
    const r = ksim('run', 'scenarios/quickstart.yaml', '--seed', '-1');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/seed/);
  });

  it('the summary table: every row, its label and its value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ksim-cli-table-'));
    writeFileSync(join(dir, 'tiny.yaml'), TINY);
    const r = ksimIn(dir, 'run', 'tiny.yaml', '--no-report');
    expect(r.status).toBe(0);
    expect(r.stdout.replace(/ in \d+\.\d\d s wall$/m, ' in X s wall')).toBe(
      [
        'pods created                  60',
        'pods scheduled                24',
        'unschedulable                 36',
        'scheduling latency p50 / p99  320.005 s / 2305.006 s',
        'pending time mean / p99       1033.001 s / 2520 s',
        'cpu requested mean / max      97.2% / 100.0%',
        'memory requested mean / max   48.6% / 50.0%',
        'nodes used mean / max         1.978 / 2',
        'preemptions / evictions       0 / 0',
        'events                        707 in X s wall',
        'output                        reports/tiny/seed-1',
        '',
      ].join('\n'),
    );
  });

  it('the default output directory: reports/<metadata.name or file name>/seed-<N>', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ksim-cli-default-'));
    writeFileSync(join(dir, 'tiny.yaml'), TINY);
    writeFileSync(
      join(dir, 'named.yaml'),
      TINY.replace('kind: Simulation\n', 'kind: Simulation\nmetadata: {name: shop}\n'),
    );
    mkdirSync(join(dir, 'cluster-dir'));
    writeFileSync(join(dir, 'cluster-dir', '01.yaml'), TINY);
    expect(ksimIn(dir, 'run', 'tiny.yaml', '-q', '--no-report').status).toBe(0);
    expect(ksimIn(dir, 'run', 'named.yaml', '-q', '--no-report', '--seed', '7').status).toBe(0);
    expect(ksimIn(dir, 'run', 'cluster-dir', '-q', '--no-report').status).toBe(0);
    expect(readdirSync(join(dir, 'reports')).sort()).toEqual(['cluster-dir', 'shop', 'tiny']);
    for (const run of ['tiny/seed-1', 'shop/seed-7', 'cluster-dir/seed-1'])
      expect(existsSync(join(dir, 'reports', run, 'summary.json'))).toBe(true);
  });

  it('an --out that is a file is refused before anything runs: exit 2, one line, nothing written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ksim-cli-out-'));
    const file = join(dir, 'taken');
    writeFileSync(file, 'not a directory');
    // --profile nope would only fail inside the simulation: the --out error comes first.
    const r = ksim('run', 'scenarios/quickstart.yaml', '--out', file, '--profile', 'nope');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`error: --out ${file}: exists and is not a directory\n`);
    expect(r.stdout).toBe('');
    const under = ksim('run', 'scenarios/quickstart.yaml', '--out', join(file, 'run'));
    expect(under.status).toBe(2);
    expect(under.stderr).toBe(`error: --out ${join(file, 'run')}: ${file} is not a directory\n`);
    expect(readdirSync(dir)).toEqual(['taken']);
  });

  it('a run that fails inside the simulation leaves no output directory behind', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ksim-cli-fail-')), 'run');
    const r = ksim('run', 'scenarios/quickstart.yaml', '--out', out, '--profile', 'nope');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no scheduling profile named "nope"');
    expect(existsSync(out)).toBe(false);
  });

  it("on a terminal, the progress bar moves and ends full with the run's events/s", () => {
    const out = join(mkdtempSync(join(tmpdir(), 'ksim-cli-tty-')), 'run');
    // script(1) gives the command a pseudo-terminal, so stderr.isTTY is true.
    const command = `${process.execPath} ${BIN} run scenarios/quickstart.yaml --no-report --out ${out}`;
    const r = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const frames = r.stdout
      .split('\x1b[1G')
      .map((f) => /simulating \|[=-]+\| (\d+)% (\d+)\/14400 s virtual \| (\d+) events\/s/.exec(f))
      .filter((m) => m !== null)
      .map((m) => ({ pct: Number(m[1]), eps: Number(m[3]) }));
    expect(frames.length).toBeGreaterThanOrEqual(2);
    expect(frames[0]).toEqual({ pct: 0, eps: 0 });
    const last = frames[frames.length - 1]!;
    expect(last.pct).toBe(100);
    expect(last.eps).toBeGreaterThan(0);
  });

  it('--version prints the package version', () => {
    const r = ksim('--version');
    expect(r.stdout).toMatch(/^ksim\/0\.1\.0 /);
  });
});
