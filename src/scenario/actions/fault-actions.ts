/** Validators of failure timeline actions (fail-node, fail-zone, etcd-member-down, …). */
import type { ActionParser } from './index.js';
import {
  controlPlaneActionParsers,
  controlPlaneFaultSpecParsers,
} from './control-plane-actions.js';
import { nodeFaultActionParsers, nodeFaultSpecParsers } from './node-fault-actions.js';

export const faultActionParsers: ReadonlyArray<[string, ActionParser]> = [
  ...controlPlaneActionParsers,
  ...nodeFaultActionParsers,
];

/** Validators of stochastic fault specs (`spec.faults[]`) by `kind`. */
export const faultSpecParsers: ReadonlyArray<[string, ActionParser]> = [
  ...nodeFaultSpecParsers,
  ...controlPlaneFaultSpecParsers,
];
