/**
 * NodePorts (nodeports/node_ports.go): a pod asking for a host port (protocol + hostIP + port)
 * already taken on the node does not fit. `0.0.0.0` binds every address, so it conflicts with
 * the same protocol/port on any IP, and any IP conflicts with a `0.0.0.0` binding.
 *
 * The wanted ports follow upstream schedutil.GetHostPorts: regular containers plus sidecars
 * (init containers with restartPolicy Always). NodeInfo.usedPorts keys are
 * `${protocol}/${hostIP}/${port}` (model/node-info.ts hostPortKeys).
 */
import type { ContainerPort } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from '../model/node-info.js';
import type { SimPod } from '../model/objects.js';
import type { CycleState } from '../scheduler/framework/cycle-state.js';
import {
  ActionType,
  QueueingHint,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type FilterPlugin,
  type PluginFactory,
  type PreFilterPlugin,
  type PreFilterResult,
} from '../scheduler/framework/interfaces.js';
import { Status } from '../scheduler/framework/status.js';

export const Name = 'NodePorts';
export const ErrReason = "node(s) didn't have free ports for the requested pod ports";
const preFilterStateKey = 'PreFilter' + Name;
const DEFAULT_BIND_ALL_HOST_IP = '0.0.0.0';

/** schedutil.GetHostPorts: ports with a hostPort, from sidecars then regular containers. */
export function getHostPorts(pod: SimPod): ContainerPort[] {
  const ports: ContainerPort[] = [];
  for (const c of pod.spec.initContainers ?? []) {
    if (c.restartPolicy !== 'Always') continue;
    for (const p of c.ports ?? []) if ((p.hostPort ?? 0) > 0) ports.push(p);
  }
  for (const c of pod.spec.containers ?? []) {
    for (const p of c.ports ?? []) if ((p.hostPort ?? 0) > 0) ports.push(p);
  }
  return ports;
}

/** HostPortInfo.CheckConflict over NodeInfo.usedPorts. */
export function checkConflict(
  usedPorts: ReadonlyMap<string, number>,
  port: ContainerPort,
): boolean {
  const hostPort = port.hostPort ?? 0;
  if (hostPort <= 0) return false;
  const ip = port.hostIP || DEFAULT_BIND_ALL_HOST_IP;
  const protocol = port.protocol || 'TCP';
  if (ip === DEFAULT_BIND_ALL_HOST_IP) {
    // IPs contain no '/', so protocol prefix + port suffix identify the (protocol, port) pair.
    const prefix = `${protocol}/`;
    const suffix = `/${hostPort}`;
    for (const key of usedPorts.keys()) {
      if (key.startsWith(prefix) && key.endsWith(suffix)) return true;
    }
    return false;
  }
  return (
    usedPorts.has(`${protocol}/${DEFAULT_BIND_ALL_HOST_IP}/${hostPort}`) ||
    usedPorts.has(`${protocol}/${ip}/${hostPort}`)
  );
}

export function fitsPorts(wantPorts: readonly ContainerPort[], nodeInfo: NodeInfo): boolean {
  for (const p of wantPorts) if (checkConflict(nodeInfo.usedPorts, p)) return false;
  return true;
}

export class NodePorts implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = Name;

  preFilter(state: CycleState, pod: SimPod): { result?: PreFilterResult; status: Status | null } {
    const ports = getHostPorts(pod);
    if (ports.length === 0) return { status: Status.skip() };
    state.write(preFilterStateKey, ports);
    return { status: null };
  }

  filter(state: CycleState, _pod: SimPod, nodeInfo: NodeInfo): Status | null {
    const wantPorts = state.read<ContainerPort[]>(preFilterStateKey);
    if (!wantPorts)
      return Status.error(`error reading "${preFilterStateKey}" from cycleState: not found`);
    return fitsPorts(wantPorts, nodeInfo) ? null : Status.unschedulable(ErrReason);
  }

  /**
   * Ports are freed when a pod holding them goes away (ports are immutable: no update
   * event); a new node has all ports free (no hint: always Queue).
   */
  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Pod', actionType: ActionType.Delete },
        queueingHintFn: isSchedulableAfterPodDeleted,
      },
      { event: { resource: 'Node', actionType: ActionType.Add } },
    ];
  }
}

/**
 * isSchedulableAfterPodDeleted: Queue only if the deleted pod was placed (or nominated) and
 * held a host port the pod asks for.
 */
export function isSchedulableAfterPodDeleted(pod: SimPod, oldObj: unknown): QueueingHint {
  const deleted = oldObj as SimPod;
  if (!deleted.spec.nodeName && !deleted.status.nominatedNodeName) return QueueingHint.QueueSkip;
  const ports = getHostPorts(deleted);
  if (ports.length === 0) return QueueingHint.QueueSkip;
  const inUse = new Map<string, number>();
  for (const p of ports) {
    inUse.set(`${p.protocol || 'TCP'}/${p.hostIP || DEFAULT_BIND_ALL_HOST_IP}/${p.hostPort}`, 1);
  }
  for (const p of getHostPorts(pod)) if (checkConflict(inUse, p)) return QueueingHint.Queue;
  return QueueingHint.QueueSkip;
}

export const factory: PluginFactory = () => new NodePorts();
