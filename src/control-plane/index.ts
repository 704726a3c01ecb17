/** Control-plane components: etcd, apiservers, leader election. */
import type { ComponentFactory } from '../components/context.js';

export const controlPlaneComponents: ReadonlyArray<[string, ComponentFactory]> = [];
