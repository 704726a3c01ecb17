/**
 * DefaultBinder (defaultbinder/default_binder.go): upstream POSTs a Binding to the apiserver.
 * In the simulator the binding cycle itself performs that write (through the apiserver gate,
 * so it can fail during a control-plane outage); this plugin only claims the pod, so a
 * profile that disables it must enable another Bind plugin, as upstream.
 */
import type { SimPod } from '../model/objects.js';
import type { CycleState } from '../scheduler/framework/cycle-state.js';
import type { BindPlugin, PluginFactory } from '../scheduler/framework/interfaces.js';
import type { Status } from '../scheduler/framework/status.js';

export const Name = 'DefaultBinder';

export class DefaultBinder implements BindPlugin {
  readonly name = Name;

  bind(_state: CycleState, _pod: SimPod, _nodeName: string): Status | null {
    return null;
  }
}

export const factory: PluginFactory = () => new DefaultBinder();
