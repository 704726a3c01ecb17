/**
 * What every command shares: the package version, turning library errors into user
 * messages (no stack traces), and the wall clock (allowed here, in the CLI layer only).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import type { Command } from '@oclif/core';
import { ScenarioError } from '../scenario/errors.js';

const require = createRequire(import.meta.url);

export function ksimVersion(): string {
  return (require('../../package.json') as { version: string }).version;
}

/**
 * report.html is built by reading the run's CSVs back whole (src/report): measured at about
 * 2.2 KB of memory per pod row, on top of the finished run's own. Beyond this many pods
 * `ksim run` writes the CSVs and summary.json but not the report, and says so.
 */
export const REPORT_MAX_PODS = 500_000;

/** Why report.html is not written for a run of `pods` pods, or undefined if it is. */
export function reportSkipReason(pods: number, max = REPORT_MAX_PODS): string | undefined {
  if (pods <= max) return undefined;
  return `report.html not written: the run created ${pods} pods, more than the report can read back (at most ${max}); the CSVs and summary.json are complete`;
}

/** A mistake in how a command was called (a flag's value), printed as `error: …`, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Checks, before anything runs, that `dir` can be the output directory: an existing directory
 * that is writable, or a path whose nearest existing ancestor is one (the directory is made
 * when the files are written, so a run that fails leaves nothing behind).
 */
export function checkOutputDirectory(dir: string, flag = '--out'): void {
  let path = resolve(dir);
  for (;;) {
    let st;
    try {
      st = statSync(path);
    } catch {
      const parent = dirname(path);
      if (parent === path) break;
      path = parent;
      continue;
    }
    const itself = path === resolve(dir);
    if (!st.isDirectory())
      throw new UsageError(
        itself
          ? `${flag} ${dir}: exists and is not a directory`
          : `${flag} ${dir}: ${path} is not a directory`,
      );
    try {
      accessSync(path, constants.W_OK);
    } catch {
      throw new UsageError(`${flag} ${dir}: ${itself ? 'the directory' : path} is not writable`);
    }
    return;
  }
}

/**
 * Runs `fn`; expected failures (bad scenario, missing file, a bad flag value) are printed
 * plainly to stderr — one issue per line, so file:line:col stays clickable — and the command
 * exits with 2.
 */
export async function userErrors<T>(cmd: Command, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ScenarioError) {
      cmd.logToStderr(e.message);
      return cmd.exit(2);
    }
    if (e instanceof UsageError) {
      cmd.logToStderr(`error: ${e.message}`);
      return cmd.exit(2);
    }
    const err = e as NodeJS.ErrnoException;
    if (err?.code === 'ENOENT' || err?.code === 'EACCES' || err?.code === 'EISDIR') {
      cmd.logToStderr(`error: ${err.message}`);
      return cmd.exit(2);
    }
    throw e;
  }
}

export function wallClockMs(): number {
  return performance.now();
}
