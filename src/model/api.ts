/**
 * The apiserver as components see it: every write (binding, pod creation, status, eviction,
 * lease renewal) asks the gate first. The control-plane layer provides the real gate
 * (apiserver replicas + etcd quorum); without one, every write succeeds.
 */
export type WriteKind =
  | 'binding'
  | 'pod-create'
  | 'pod-delete'
  | 'pod-status'
  | 'node-status'
  | 'lease'
  | 'eviction'
  | 'object';

export interface WriteGate {
  /** Whether a write of this kind by `actor` succeeds now. A refused write is counted. */
  tryWrite(kind: WriteKind, actor: string): boolean;
}

export const ALWAYS_WRITABLE: WriteGate = { tryWrite: () => true };
