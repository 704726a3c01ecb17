/** The node failure sources and their measures, started together. */
import type { ComponentFactory } from '../components/context.js';
import { startNodeFaults } from './node-faults.js';
import { startRecoveryMeasures } from './recovery-measures.js';
import { startServiceAvailability } from './service-availability.js';
import { startStochasticNodeFaults } from './stochastic-node-faults.js';

export const startNodeFailures: ComponentFactory = (ctx) => {
  startRecoveryMeasures(ctx);
  startServiceAvailability(ctx);
  startNodeFaults(ctx);
  startStochasticNodeFaults(ctx);
};
