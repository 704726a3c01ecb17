/**
 * DynamicResources (pkg/scheduler/framework/plugins/dynamicresources, v1.34+: DRA is GA and
 * the plugin sits in the default profile just before DefaultPreemption). ksim does not model
 * ResourceClaims, DeviceClasses or ResourceSlices, so the plugin is faithful for what every
 * simulated pod is — a pod without `spec.resourceClaims`:
 *
 * - PreEnqueue: nothing to wait for.
 * - PreFilter: records an empty state for the cycle, then Skip (its Filter is not run).
 * - PostFilter: Unschedulable without a reason (the fast path for pods without claims, PR
 *   #129823, v1.33), so it adds nothing to the FailedScheduling text and DefaultPreemption runs
 *   next. Clusters before v1.33 printed "no new claims to deallocate, " before "preemption: …".
 * - Reserve, Unreserve, PreBind: nothing to allocate.
 *
 * A pod with resource claims is refused when the scenario loads; one built by other means is
 * UnschedulableAndUnresolvable here, saying why.
 */
import { parseDuration } from '../model/duration.js';
import type { SimPod } from '../model/objects.js';
import type { CycleState } from '../scheduler/framework/cycle-state.js';
import type {
  EnqueueExtensions,
  FilterPlugin,
  PluginArgs,
  PluginFactory,
  PostFilterPlugin,
  PostFilterResult,
  PreBindPlugin,
  PreEnqueuePlugin,
  PreFilterPlugin,
  PreFilterResult,
  ReservePlugin,
} from '../scheduler/framework/interfaces.js';
import { ActionType, type ClusterEventWithHint } from '../scheduler/framework/events.js';
import { Status } from '../scheduler/framework/status.js';
import { invalid, throwFirst, type FieldError } from './helpers/field-error.js';

export const Name = 'DynamicResources';

/** The cycle-state key (stateKey = Name upstream). */
const STATE_KEY = Name;

export const MSG_NO_CLAIMS = 'no new claims to deallocate';
/** fwk.ErrNotFound, what CycleState.Read returns for a key never written. */
export const MSG_STATE_NOT_FOUND = 'not found';
export const MSG_CLAIMS_NOT_SIMULATED =
  'resource claims (dynamic resource allocation) are not simulated by ksim';

export function hasResourceClaims(pod: SimPod): boolean {
  return (pod.spec.resourceClaims?.length ?? 0) > 0;
}

export class DynamicResources
  implements
    PreEnqueuePlugin,
    PreFilterPlugin,
    FilterPlugin,
    PostFilterPlugin,
    ReservePlugin,
    PreBindPlugin,
    EnqueueExtensions
{
  readonly name = Name;

  preEnqueue(): Status | null {
    return null;
  }

  preFilter(state: CycleState, pod: SimPod): { result?: PreFilterResult; status: Status | null } {
    state.write(STATE_KEY, true);
    if (hasResourceClaims(pod)) return { status: Status.unresolvable(MSG_CLAIMS_NOT_SIMULATED) };
    return { status: Status.skip() };
  }

  filter(): null {
    return null;
  }

  fastPassConditions(): number {
    return 0;
  }

  postFilter(state: CycleState, pod: SimPod): { result?: PostFilterResult; status: Status | null } {
    if (!hasResourceClaims(pod)) return { status: Status.unschedulable() };
    // A pod with claims (only one built outside a scenario) goes on as upstream's does.
    if (state.read<boolean>(STATE_KEY) === undefined) {
      return { status: Status.error(MSG_STATE_NOT_FOUND) };
    }
    return { status: Status.unschedulable(MSG_NO_CLAIMS) };
  }

  reserve(): null {
    return null;
  }

  unreserve(): void {}

  preBind(): null {
    return null;
  }

  /**
   * Node additions and label changes may help a pod with claims (the node events with
   * QueueingHints on; the ResourceClaim, DeviceClass and ResourceSlice ones have no objects here).
   */
  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel } },
    ];
  }
}

/** ValidateDynamicResourcesArgs for the two fields of DynamicResourcesArgs (v1). */
export function validateDynamicResourcesArgs(raw: PluginArgs | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const args = raw ?? {};
  const durationMs = (key: string): number | undefined => {
    const v = args[key];
    if (v === undefined || v === null) return undefined;
    try {
      return typeof v === 'string' ? parseDuration(v) : Number.NaN;
    } catch {
      return Number.NaN;
    }
  };
  const filterTimeout = durationMs('filterTimeout');
  if (filterTimeout !== undefined && !(filterTimeout >= 0)) {
    errs.push(invalid('filterTimeout', args.filterTimeout, 'must be zero or positive'));
  }
  const bindingTimeout = durationMs('bindingTimeout');
  if (bindingTimeout !== undefined && !(bindingTimeout >= 1000)) {
    errs.push(invalid('bindingTimeout', args.bindingTimeout, 'must be at least 1 second'));
  }
  return errs;
}

export const factory: PluginFactory = (args: PluginArgs | undefined) => {
  throwFirst(Name, validateDynamicResourcesArgs(args));
  return new DynamicResources();
};
