/** The controller-manager's controllers, started by the simulation in this order. */
import type { ComponentFactory } from '../components/context.js';
import { startNodeLifecycle } from './node-lifecycle.js';
import { startTaintEviction } from './taint-eviction.js';
import { startPodGC } from './pod-gc.js';
import { startReplicaSetController } from './replicaset.js';
import { startDeploymentController } from './deployment.js';
import { startHorizontalPodAutoscalers } from './hpa.js';
import { startWorkloadSeries } from './workload-series.js';

import { startDaemonSetController } from './daemonset.js';
import { startStatefulSetController } from './statefulset.js';
import { startJobController } from './job.js';
import { startCronJobController } from './cronjob.js';
import { startDisruptionController } from './disruption.js';
import { startTerminatedPodGC } from './terminated-pod-gc.js';
import { startNodeMaintenance } from './node-maintenance.js';

export const controllerComponents: ReadonlyArray<[string, ComponentFactory]> = [
  ['node-lifecycle', startNodeLifecycle],
  ['taint-eviction', startTaintEviction],
  ['pod-gc', startPodGC],
  ['replicaset', startReplicaSetController],
  ['deployment', startDeploymentController],
  ['horizontal-pod-autoscaler', startHorizontalPodAutoscalers],
  ['daemonset', startDaemonSetController],
  ['statefulset', startStatefulSetController],
  ['job', (ctx) => startJobController(ctx)],
  ['cronjob', startCronJobController],
  ['disruption', startDisruptionController],
  ['terminated-pod-gc', (ctx) => startTerminatedPodGC(ctx)],
  ['node-maintenance', startNodeMaintenance],
  // Last: it tracks the workload objects the controllers above put in the store.
  ['workload-series', startWorkloadSeries],
];
