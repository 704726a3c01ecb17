/**
 * `ksim help`, `ksim help COMMAND` and `--help` through the real binary (bin/run.js over dist/):
 * the README tells newcomers to run `node bin/run.js help run`.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('dist/commands/help.js')) {
  throw new Error('dist/ is missing: run `npm test` (it builds first) or `npm run build`');
}

function ksim(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/run.js', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('ksim help', () => {
  it('lists every command with its description', () => {
    const r = ksim('help');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^USAGE\n {2}\$ ksim \[COMMAND\]$/m);
    for (const command of ['compare', 'help', 'report', 'run', 'validate'])
      expect(r.stdout).toMatch(new RegExp(`^ {2}${command} +\\S`, 'm'));
    expect(r.stdout).toContain('help      Show help for ksim or for one of its commands');
  });

  it('--help prints the same page as help', () => {
    const r = ksim('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(ksim('help').stdout);
  });

  it('help run shows the run command: description, usage, arguments and flags', () => {
    const r = ksim('help', 'run');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(
      'Run a scenario in virtual time and write summary.json, timeseries.csv, pods.csv, events.csv and report.html',
    );
    expect(r.stdout).toContain('  $ ksim run SCENARIO [--seed <value>] [--out <value>] [-q]');
    expect(r.stdout).toContain('  SCENARIO  scenario file or directory of YAML files');
    expect(r.stdout).toMatch(/^ {6}--seed=<value> +random seed \(overrides spec\.seed\)$/m);
    expect(r.stdout).toBe(ksim('run', '--help').stdout);
  });

  it('help for a command that does not exist fails with exit 2', () => {
    const r = ksim('help', 'nope');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Error: Command nope not found.');
  });
});
