/**
 * The in-tree plugin registry: upstream plugin name → factory (plugins/registry.go).
 * Registering a name twice is an error, as upstream's Registry.Register.
 */
import type { PluginFactory } from '../scheduler/framework/interfaces.js';
import * as DefaultBinder from './default-binder.js';
import * as DefaultPreemption from './default-preemption.js';
import * as DynamicResources from './dynamic-resources.js';
import * as ImageLocality from './image-locality.js';
import * as InterPodAffinity from './inter-pod-affinity.js';
import * as NodeAffinity from './node-affinity.js';
import * as NodeName from './node-name.js';
import * as NodePorts from './node-ports.js';
import * as NodeResourcesBalancedAllocation from './node-resources-balanced-allocation.js';
import * as NodeResourcesFit from './node-resources-fit.js';
import * as NodeUnschedulable from './node-unschedulable.js';
import * as PodTopologySpread from './pod-topology-spread.js';
import * as PrioritySort from './priority-sort.js';
import * as SchedulingGates from './scheduling-gates.js';
import * as TaintToleration from './taint-toleration.js';
import * as VolumeBinding from './volume-binding.js';
import { volumeLimitFactories } from './volume-limits.js';
import * as VolumeZone from './volume-zone.js';

export type Registry = Map<string, PluginFactory>;

const IN_TREE: ReadonlyArray<{ Name: string; factory: PluginFactory }> = [
  SchedulingGates,
  PrioritySort,
  NodeUnschedulable,
  NodeName,
  TaintToleration,
  NodeAffinity,
  NodePorts,
  NodeResourcesFit,
  VolumeBinding,
  VolumeZone,
  PodTopologySpread,
  InterPodAffinity,
  DynamicResources,
  DefaultPreemption,
  NodeResourcesBalancedAllocation,
  ImageLocality,
  DefaultBinder,
];

export function register(registry: Registry, name: string, factory: PluginFactory): void {
  if (registry.has(name)) throw new Error(`a plugin named ${name} already exists`);
  registry.set(name, factory);
}

/** A fresh registry holding every in-tree plugin. */
export function inTreeRegistry(): Registry {
  const registry: Registry = new Map();
  for (const p of IN_TREE) register(registry, p.Name, p.factory);
  for (const [name, factory] of volumeLimitFactories) register(registry, name, factory);
  return registry;
}
