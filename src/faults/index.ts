/** Failure sources: scripted timeline failures and stochastic per-pool faults. */
import type { ComponentFactory } from '../components/context.js';

import { startNodeFailures } from './node-fault-components.js';

export const faultComponents: ReadonlyArray<[string, ComponentFactory]> = [
  ['node-failures', startNodeFailures],
];
