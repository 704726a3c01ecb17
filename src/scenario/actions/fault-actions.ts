/** Validators of failure timeline actions (fail-node, fail-zone, etcd-member-down, …). */
import type { ActionParser } from './index.js';

export const faultActionParsers: ReadonlyArray<[string, ActionParser]> = [];

/** Validators of stochastic fault specs (`spec.faults[]`) by `kind`. */
export const faultSpecParsers: ReadonlyArray<[string, ActionParser]> = [];
