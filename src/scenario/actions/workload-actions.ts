/** Validators of workload timeline actions (rollout, scale, cordon, drain, …). */
import type { ActionParser } from './index.js';

export const workloadActionParsers: ReadonlyArray<[string, ActionParser]> = [];
