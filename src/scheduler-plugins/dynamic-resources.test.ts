import { describe, expect, it } from '@jest/globals';
import { makePod } from '../model/testing.js';
import { CycleState } from '../scheduler/framework/cycle-state.js';
import { ActionType } from '../scheduler/framework/events.js';
import { PluginArgsError } from '../scheduler/framework/interfaces.js';
import { Code } from '../scheduler/framework/status.js';
import { DynamicResources, factory, Name } from './dynamic-resources.js';

const plain = makePod('p');
const withClaim = makePod('q', {
  spec: {
    containers: [{ name: 'c' }],
    resourceClaims: [{ name: 'gpu' }],
  },
});

describe('DynamicResources for a pod without resource claims', () => {
  const plugin = new DynamicResources();

  it('lets it into the queue and skips its Filter', () => {
    expect(plugin.preEnqueue()).toBeNull();
    const { status } = plugin.preFilter(new CycleState(), plain);
    expect(status?.code).toBe(Code.Skip);
  });

  it('PostFilter: Unschedulable without a reason, after its PreFilter or not (the fast path)', () => {
    const state = new CycleState();
    plugin.preFilter(state, plain);
    for (const st of [state, new CycleState()]) {
      const { status, result } = plugin.postFilter(st, plain);
      expect(status?.code).toBe(Code.Unschedulable);
      expect(status?.reasons).toEqual([]);
      expect(result).toBeUndefined();
    }
  });

  it('reserves and pre-binds nothing', () => {
    expect(plugin.reserve()).toBeNull();
    expect(plugin.preBind()).toBeNull();
  });
});

describe('DynamicResources for a pod with resource claims', () => {
  it('rejects it as UnschedulableAndUnresolvable: ksim has no claims to allocate', () => {
    const { status } = new DynamicResources().preFilter(new CycleState(), withClaim);
    expect(status?.code).toBe(Code.UnschedulableAndUnresolvable);
    expect(status?.reasons).toEqual([
      'resource claims (dynamic resource allocation) are not simulated by ksim',
    ]);
  });

  it('PostFilter: "no new claims to deallocate" with its state, the Error "not found" without', () => {
    const plugin = new DynamicResources();
    const state = new CycleState();
    plugin.preFilter(state, withClaim);
    expect(plugin.postFilter(state, withClaim).status?.reasons).toEqual([
      'no new claims to deallocate',
    ]);
    const { status } = plugin.postFilter(new CycleState(), withClaim);
    expect(status?.code).toBe(Code.Error);
    expect(status?.reasons).toEqual(['not found']);
  });

  it('asks for node additions and label changes', () => {
    expect(new DynamicResources().eventsToRegister()).toEqual([
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel } },
    ]);
  });
});

describe('DynamicResources args (ValidateDynamicResourcesArgs)', () => {
  const build = (args: Record<string, unknown>) => () => factory(args, undefined as never);
  it('accepts the upstream names and durations', () => {
    expect(build({ filterTimeout: '10s', bindingTimeout: '600s' })().name).toBe(Name);
  });
  it.each([
    [
      { filterTimeout: '-1s' },
      'DynamicResources args: filterTimeout: Invalid value: "-1s": must be zero or positive',
    ],
    [
      { bindingTimeout: '500ms' },
      'DynamicResources args: bindingTimeout: Invalid value: "500ms": must be at least 1 second',
    ],
  ])('rejects %j', (args, message) => {
    expect(build(args)).toThrow(PluginArgsError);
    expect(build(args)).toThrow(message);
  });
});
