/**
 * kube-apiserver replicas in front of etcd: a write (binding, pod creation, status, eviction,
 * lease renewal) commits iff at least one apiserver is up and etcd commits it (a leader with
 * a quorum). Reads are served from watch caches and keep working, so nothing models them.
 *
 * What a write sent now meets (`mode`, the backend of the ApiGate): accepted; refused at once
 * with no apiserver up (connection refused) or no etcd member to talk to; otherwise what etcd
 * does with the proposal (EtcdCluster.writeMode): lost towards a dead leader, failing after
 * etcd's request timeout (5 s + 2·ET, `etcdserver: request timed out`), or held until a
 * leader commits it. The apiserver passes etcd's error on (storage/etcd3 does not retry a
 * timed-out write), and each caller then applies its own backoff.
 */
import type { WriteBackend, WriteKind, WriteMode } from '../model/api.js';
import type { EtcdCluster } from './etcd.js';

export class ApiServers implements WriteBackend {
  private readonly up: boolean[];
  private readonly writableListeners: Array<(writable: boolean) => void> = [];
  private readonly modeListeners: Array<(mode: WriteMode) => void> = [];
  private lastWritable: boolean;
  private lastMode: WriteMode;

  constructor(
    readonly replicas: number,
    private readonly etcd: EtcdCluster,
  ) {
    if (!(Number.isInteger(replicas) && replicas >= 1))
      throw new RangeError(`at least one apiserver is needed, got ${replicas}`);
    this.up = new Array<boolean>(replicas).fill(true);
    this.lastWritable = this.writable;
    this.lastMode = this.mode;
    etcd.onChange(() => this.changed());
  }

  get available(): boolean {
    return this.up.some(Boolean);
  }

  get writable(): boolean {
    return this.available && this.etcd.writable;
  }

  get mode(): WriteMode {
    return this.available ? this.etcd.writeMode : 'refusing';
  }

  get requestTimeoutMs(): number {
    return this.etcd.requestTimeoutMs;
  }

  tryWrite(_kind: WriteKind, _actor: string): boolean {
    return this.writable;
  }

  isUp(replica: number): boolean {
    return this.up[replica] === true;
  }

  replicaName(replica: number): string {
    return `kube-apiserver-${replica}`;
  }

  down(replica: number): void {
    this.checkIndex(replica);
    if (!this.up[replica]) return;
    this.up[replica] = false;
    this.changed();
  }

  restore(replica: number): void {
    this.checkIndex(replica);
    if (this.up[replica]) return;
    this.up[replica] = true;
    this.changed();
  }

  /** Called whenever writability flips (true → false or false → true), never otherwise. */
  onWritableChange(listener: (writable: boolean) => void): void {
    this.writableListeners.push(listener);
  }

  /** Called whenever `mode` changes (a subset of these flip writability). */
  onModeChange(listener: (mode: WriteMode) => void): void {
    this.modeListeners.push(listener);
  }

  private changed(): void {
    const mode = this.mode;
    if (mode === this.lastMode) return;
    this.lastMode = mode;
    for (const l of this.modeListeners) l(mode);
    const writable = this.writable;
    if (writable === this.lastWritable) return;
    this.lastWritable = writable;
    for (const l of this.writableListeners) l(writable);
  }

  private checkIndex(replica: number): void {
    if (!(Number.isInteger(replica) && replica >= 0 && replica < this.replicas))
      throw new RangeError(`no apiserver ${replica} (replicas 0..${this.replicas - 1})`);
  }
}
