/**
 * The apiserver as components see it: every write (binding, pod creation, status, eviction,
 * lease renewal) goes through the gate. The control-plane layer provides the real backend
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

/**
 * What a write sent now meets: `accepting` — it commits; `refusing` — it fails at once (no
 * apiserver, no etcd member to talk to); `losing` — it is forwarded towards an etcd leader
 * that is dead and fails after etcd's request timeout; `holding` — it waits for a leader with
 * a quorum: it commits when writes are accepted again, or fails after the request timeout
 * (or at once if the apiserver goes away meanwhile).
 */
export type WriteMode = 'accepting' | 'refusing' | 'losing' | 'holding';

/** A write that hangs: its caller learns the outcome later. */
export interface PendingWrite {
  /** Called once, when the write commits (true) or fails (false). */
  then(done: (ok: boolean) => void): void;
}

export interface WriteGate {
  /**
   * Whether a write of this kind by `actor` is accepted now. Immediate semantics: a write
   * that would hang counts as refused — unless the call runs inside `blocking`, which hands
   * the hang to the caller. A refused write is counted when its caller learns of it.
   */
  tryWrite(kind: WriteKind, actor: string): boolean;
  /**
   * A write sent now: `done(true)` runs at once if it is accepted, `done(false)` at once if
   * it is refused outright, and either of them later if the write hangs (see WriteMode).
   */
  write(kind: WriteKind, actor: string, done: (ok: boolean) => void): void;
  /**
   * Runs `fn` (a controller's sync); if a write it tried hung, returns that write: the sync
   * is blocked until it resolves, as a controller worker waits on its request.
   */
  blocking<T>(fn: () => T): { result: T; hang?: PendingWrite };
  readonly mode: WriteMode;
  /** How long a hanging write waits before it fails (etcd's request timeout). */
  readonly requestTimeoutMs: number;
  /** Called whenever `mode` changes, with the new mode. */
  onModeChange(listener: (mode: WriteMode) => void): void;
}

/**
 * What stands behind the gate. Only `tryWrite` is required (a test may refuse chosen
 * writes); without `mode` a refused write is refused at once.
 */
export interface WriteBackend {
  tryWrite(kind: WriteKind, actor: string): boolean;
  readonly mode?: WriteMode;
  readonly requestTimeoutMs?: number;
  onModeChange?(listener: (mode: WriteMode) => void): void;
}

export const ALWAYS_WRITABLE: WriteGate = {
  tryWrite: () => true,
  write: (_kind, _actor, done) => done(true),
  blocking: (fn) => ({ result: fn() }),
  mode: 'accepting',
  requestTimeoutMs: 7000,
  onModeChange: () => {},
};
