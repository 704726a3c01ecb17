/**
 * What every command shares: the package version, turning library errors into user
 * messages (no stack traces), and the wall clock (allowed here, in the CLI layer only).
 */
import { createRequire } from 'node:module';
import { Errors } from '@oclif/core';
import { ScenarioError } from '../scenario/errors.js';

const require = createRequire(import.meta.url);

export function ksimVersion(): string {
  return (require('../../package.json') as { version: string }).version;
}

/** Runs `fn`, converting expected failures into an oclif error with exit code 2. */
export async function userErrors<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ScenarioError) throw new Errors.CLIError(e.message, { exit: 2 });
    if (e instanceof Errors.CLIError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (err?.code === 'ENOENT' || err?.code === 'EACCES' || err?.code === 'EISDIR') {
      throw new Errors.CLIError(err.message, { exit: 2 });
    }
    throw e;
  }
}

export function wallClockMs(): number {
  return performance.now();
}
