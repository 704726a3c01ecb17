/**
 * `ksim run` through the real binary (bin/run.js over dist/, built by `npm test`): output
 * files, the summary table, and bad input → a clear message, exit code 2, no stack trace,
 * nothing written.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (!existsSync('dist/commands/run.js')) {
  throw new Error('dist/ is missing: run `npm test` (it builds first) or `npm run build`');
}

function ksim(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/run.js', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

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

  it('--version prints the package version', () => {
    const r = ksim('--version');
    expect(r.stdout).toMatch(/^ksim\/0\.1\.0 /);
  });
});
