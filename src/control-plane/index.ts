/** Control-plane components: etcd, apiservers, leader election. */
import type { ComponentFactory } from '../components/context.js';
import { startControlPlane } from './control-plane.js';

export const controlPlaneComponents: ReadonlyArray<[string, ComponentFactory]> = [
  ['control-plane', startControlPlane],
];
