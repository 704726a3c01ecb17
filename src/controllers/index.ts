/** The controller-manager's controllers, started by the simulation in this order. */
import type { ComponentFactory } from '../components/context.js';

export const controllerComponents: ReadonlyArray<[string, ComponentFactory]> = [];
