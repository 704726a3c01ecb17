/** Validators of workload timeline actions (rollout, scale, cordon, drain, …). */
import type { ActionParser } from './index.js';
import { deploymentActionParsers } from './deployment-actions.js';
import { nodeActionParsers } from './node-actions.js';

export const workloadActionParsers: ReadonlyArray<[string, ActionParser]> = [
  ...nodeActionParsers,
  // Deployment / ReplicaSet: rollout, rollback, pause, resume, scale.
  ...deploymentActionParsers,
];
