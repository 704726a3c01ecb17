/**
 * Volume plugins whose concern ksim does not model: attach limits per node (CSI
 * NodeVolumeLimits and the in-tree EBSLimits, GCEPDLimits, AzureDiskLimits) and volume
 * access conflicts (VolumeRestrictions). They are registered under their upstream names
 * so real KubeSchedulerConfigurations that mention them load unchanged; their Filter
 * always passes because the simulator has no volume attachments to count, so their
 * PreFilter returns Skip (as upstream's does for a pod without volumes) and the per-node
 * loop never calls them.
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
export const EBS_LIMITS = 'EBSLimits';
export const GCE_PD_LIMITS = 'GCEPDLimits';
export const AZURE_DISK_LIMITS = 'AzureDiskLimits';

export const volumeLimitFactories: ReadonlyArray<[string, PluginFactory]> = [
  VOLUME_RESTRICTIONS,
  NODE_VOLUME_LIMITS,
  EBS_LIMITS,
  GCE_PD_LIMITS,
  AZURE_DISK_LIMITS,
].map((name) => [name, () => new PassingFilter(name)] as [string, PluginFactory]);
