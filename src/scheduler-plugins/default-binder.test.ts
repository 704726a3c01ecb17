import { describe, expect, it } from '@jest/globals';
import { makePod } from '../model/testing.js';
import { CycleState } from '../scheduler/framework/cycle-state.js';
import { DefaultBinder, factory, Name } from './default-binder.js';

describe('DefaultBinder', () => {
  it('claims the binding with success (the binding cycle performs the API write)', () => {
    expect(new DefaultBinder().bind(new CycleState(), makePod('p'), 'node-1')).toBeNull();
  });
  it('is built by its factory under the upstream name', () => {
    expect(factory(undefined, undefined as never).name).toBe(Name);
    expect(Name).toBe('DefaultBinder');
  });
});
