/** Failure sources: scripted timeline failures and stochastic per-pool faults. */
import type { ComponentFactory } from '../components/context.js';

export const faultComponents: ReadonlyArray<[string, ComponentFactory]> = [];
