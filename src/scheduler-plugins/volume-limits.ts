/**
 * Volume plugins whose concern ksim does not model: attach limits per node (CSI
 * NodeVolumeLimits) and volume access conflicts (VolumeRestrictions). They are registered under
 * their upstream names so real KubeSchedulerConfigurations that mention them load unchanged;
 * their Filter always passes because the simulator has no volume attachments to count, so
 * their PreFilter returns Skip (as upstream's does for a pod without volumes) and the per-node
 * loop never calls them. The in-tree EBSLimits, GCEPDLimits, AzureDiskLimits and CinderLimits
 * left the defaults in v1.31 (PR #124500) and kube-scheduler in v1.32 (PR #124003); v1
 * validation rejects them (config.ts INVALID_PLUGINS_V1).
 */
import type {
  FilterPlugin,
  PluginFactory,
  PreFilterPlugin,
  PreFilterResult,
} from '../scheduler/framework/interfaces.js';
import { Status } from '../scheduler/framework/status.js';

class PassingFilter implements PreFilterPlugin, FilterPlugin {
  constructor(readonly name: string) {}
  preFilter(): { result?: PreFilterResult; status: Status | null } {
    return { status: Status.skip() };
  }
  filter(): null {
    return null;
  }
  fastPassConditions(): number {
    return 0;
  }
}

export const VOLUME_RESTRICTIONS = 'VolumeRestrictions';
export const NODE_VOLUME_LIMITS = 'NodeVolumeLimits';

export const volumeLimitFactories: ReadonlyArray<[string, PluginFactory]> = [
  VOLUME_RESTRICTIONS,
  NODE_VOLUME_LIMITS,
].map((name) => [name, () => new PassingFilter(name)] as [string, PluginFactory]);
