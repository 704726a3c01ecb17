/**
 * Timeline actions: their names and validators. A validator turns the raw entry into the
 * typed fields its executor needs (stored back on the entry as `parsed`), recording issues
 * with file:line:column. Executors live with the components that perform them.
 */
import type { Path } from '../errors.js';
import type { Obj, Reader } from '../fields.js';
import { faultActionParsers, faultSpecParsers } from './fault-actions.js';
import { workloadActionParsers } from './workload-actions.js';

/** Returns the parsed action, or undefined after recording issues. */
export type ActionParser = (r: Reader, raw: Obj, path: Path) => Record<string, unknown> | undefined;

export const ACTION_PARSERS: ReadonlyMap<string, ActionParser> = new Map([
  ...workloadActionParsers,
  ...faultActionParsers,
]);

export const FAULT_PARSERS: ReadonlyMap<string, ActionParser> = new Map(faultSpecParsers);
