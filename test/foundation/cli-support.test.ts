/**
 * CLI helpers: where a run may write (checked before it runs) and when report.html is left out
 * (a run too big for the report to read back).
 */
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkOutputDirectory,
  REPORT_MAX_PODS,
  reportSkipReason,
  UsageError,
} from '../../src/cli/support.js';

describe('checkOutputDirectory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ksim-out-check-'));
  const file = join(dir, 'file');
  writeFileSync(file, 'x');

  it('accepts an existing directory and a path still to be made under one', () => {
    expect(() => checkOutputDirectory(dir)).not.toThrow();
    expect(() => checkOutputDirectory(join(dir, 'a', 'b', 'c'))).not.toThrow();
  });

  it('refuses a file, and a path under a file, naming the flag', () => {
    expect(() => checkOutputDirectory(file)).toThrow(
      new UsageError(`--out ${file}: exists and is not a directory`),
    );
    expect(() => checkOutputDirectory(join(file, 'x', 'y'), '--dir')).toThrow(
      new UsageError(`--dir ${join(file, 'x', 'y')}: ${file} is not a directory`),
    );
  });
});

describe('reportSkipReason', () => {
  it('writes the report up to REPORT_MAX_PODS pods, and says why not beyond', () => {
    expect(REPORT_MAX_PODS).toBe(500_000);
    expect(reportSkipReason(REPORT_MAX_PODS)).toBeUndefined();
    expect(reportSkipReason(REPORT_MAX_PODS + 1)).toBe(
      'report.html not written: the run created 500001 pods, more than the report can read back (at most 500000); the CSVs and summary.json are complete',
    );
  });
});
