/**
 * `--jobs` changes nothing but speed: the same comparison run in this thread (jobs 1) and on four
 * worker threads (the compiled dist/compare/worker.js) writes byte-identical files, except the
 * wall-clock `wallSeconds` of each run's summary.json.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { runComparison } from '../../src/compare/compare.js';

// A fresh directory per test run: concurrent runs never share outputs.
const scratch = mkdtempSync(join(tmpdir(), 'ksim-compare-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const out = join(scratch, 'jobs');
const WORKER = resolve('dist', 'compare', 'worker.js');

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

function newestSource(dir: string): number {
  return Math.max(
    ...files(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => statSync(join(dir, f)).mtimeMs),
  );
}

/** The workers run dist/: rebuild it when a source is newer (npm test builds first anyway). */
function ensureFreshDist(): void {
  if (existsSync(WORKER) && statSync(WORKER).mtimeMs >= newestSource('src')) return;
  try {
    execFileSync(
      process.execPath,
      ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'],
      {
        stdio: 'pipe',
      },
    );
  } catch {
    // Type errors elsewhere in the tree still emit JavaScript; the check below is what matters.
  }
  if (!existsSync(WORKER))
    throw new Error(`${WORKER} is missing after building: run npm run build`);
}

const withoutWallSeconds = (text: string) =>
  text.replace(/"wallSeconds": [\d.e-]+/, '"wallSeconds": 0');

describe('--jobs 1 and --jobs 4', () => {
  const progress: number[] = [];

  beforeAll(async () => {
    ensureFreshDist();
    rmSync(out, { recursive: true, force: true });
    const common = {
      scenarioPath: 'scenarios/binpacking.yaml',
      profiles: ['least-allocated', 'most-allocated'],
      seeds: 3,
    };
    await runComparison({ ...common, jobs: 1, outDir: join(out, 'jobs-1') });
    await runComparison({
      ...common,
      jobs: 4,
      outDir: join(out, 'jobs-4'),
      onProgress: (done, total) => progress.push(done * 100 + total),
    });
  });

  it('write the same files', () => {
    expect(files(join(out, 'jobs-4'))).toEqual(files(join(out, 'jobs-1')));
    expect(files(join(out, 'jobs-1'))).toHaveLength(3 + 2 * 3 * 6);
  });

  it('write byte-identical contents, wallSeconds aside', () => {
    const differing: string[] = [];
    for (const f of files(join(out, 'jobs-1'))) {
      let a = readFileSync(join(out, 'jobs-1', f), 'utf8');
      let b = readFileSync(join(out, 'jobs-4', f), 'utf8');
      if (f.endsWith('summary.json')) {
        a = withoutWallSeconds(a);
        b = withoutWallSeconds(b);
      }
      if (a !== b) differing.push(f);
    }
    expect(differing).toEqual([]);
  });

  it('the workers measured their own wall time', () => {
    const s = JSON.parse(
      readFileSync(join(out, 'jobs-4', 'runs', 'most-allocated', 'seed-2', 'summary.json'), 'utf8'),
    );
    expect(s.wallSeconds).toBeGreaterThan(0);
  });

  it('report every finished run to onProgress', () => {
    expect(progress).toEqual([6, 106, 206, 306, 406, 506, 606]);
  });
});
