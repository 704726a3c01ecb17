/**
 * What every command shares: the package version, turning library errors into user
 * messages (no stack traces), and the wall clock (allowed here, in the CLI layer only).
 */
import { createRequire } from 'node:module';
import type { Command } from '@oclif/core';
import { ScenarioError } from '../scenario/errors.js';

const require = createRequire(import.meta.url);

export function ksimVersion(): string {
  return (require('../../package.json') as { version: string }).version;
}

/**
 * Runs `fn`; expected failures (bad scenario, missing file) are printed plainly to stderr —
 * one issue per line, so file:line:col stays clickable — and the command exits with 2.
 */
export async function userErrors<T>(cmd: Command, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ScenarioError) {
      cmd.logToStderr(e.message);
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
