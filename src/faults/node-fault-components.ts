/** The node failure sources and their measures, started together. */
import type { ComponentFactory } from '../components/context.js';
import { controlPlaneOf } from '../control-plane/control-plane.js';
import { workloadAvailabilityOf } from '../controllers/workload-series.js';
import { startNodeFaults } from './node-faults.js';
import { startRecoveryMeasures } from './recovery-measures.js';
import { servingPodsOf } from './serving-pods.js';
import { startServiceAvailability } from './service-availability.js';
import { startStochasticNodeFaults } from './stochastic-node-faults.js';

export const startNodeFailures: ComponentFactory = (ctx) => {
  // First: the serving counts the measures read must be up to date when they read them.
  const serving = servingPodsOf(ctx);
  startRecoveryMeasures(ctx);
  startServiceAvailability(ctx);
  startNodeFaults(ctx);
  startStochasticNodeFaults(ctx);

  // timeseries.csv `pods_unavailable`: Σ over the workloads with desired replicas (Deployments,
  // StatefulSets, standalone ReplicaSets) of their shortfall of serving pods.
  const workloads = workloadAvailabilityOf(ctx);
  if (workloads && workloads.desiredAll().size > 0) {
    ctx.metrics.addSeries({
      columns: () => ['pods_unavailable'],
      values: () => {
        let short = 0;
        for (const [key, want] of workloads.desiredAll())
          short += Math.max(0, want - serving.count(key));
        return [short];
      },
    });
  }

  // Scheduling throughput lost per control-plane failure, and in the run's total.
  const cp = controlPlaneOf(ctx);
  if (cp) {
    cp.measures.bindingsLost = (from, to) => ctx.metrics.bindingsLost(from, to);
    ctx.metrics.addThroughputLoss(() => cp.measures.throughputLoss());
  }
};
