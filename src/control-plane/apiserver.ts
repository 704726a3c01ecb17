/**
 * kube-apiserver replicas in front of etcd: a write (binding, pod creation, status, eviction,
 * lease renewal) succeeds iff at least one apiserver is up and etcd commits it (a leader with
 * a quorum). Reads are served from watch caches and keep working, so nothing models them.
 *
 * The gate answers synchronously. A write that upstream would hang — sent while etcd has no
 * leader, it waits up to etcd's request timeout (5 s + 2·ET) and then fails — is refused at
 * once here; every caller already retries refused writes with its own backoff (the scheduler
 * requeues the pod, controllers requeue, clients retry), so the first write after an outage
 * lands at the first retry after writes resume, as it does upstream.
 */
import type { WriteGate, WriteKind } from '../model/api.js';
import type { EtcdCluster } from './etcd.js';

export class ApiServers implements WriteGate {
  private readonly up: boolean[];
  private readonly listeners: Array<() => void> = [];
  private lastWritable: boolean;

  constructor(
    readonly replicas: number,
    private readonly etcd: EtcdCluster,
  ) {
    if (!(Number.isInteger(replicas) && replicas >= 1))
      throw new RangeError(`at least one apiserver is needed, got ${replicas}`);
    this.up = new Array<boolean>(replicas).fill(true);
    this.lastWritable = this.writable;
    etcd.onChange(() => this.changed());
  }

  get available(): boolean {
    return this.up.some(Boolean);
  }

  get writable(): boolean {
    return this.available && this.etcd.writable;
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
    this.listeners.push(() => listener(this.lastWritable));
  }

  private changed(): void {
    const now = this.writable;
    if (now === this.lastWritable) return;
    this.lastWritable = now;
    for (const l of this.listeners) l();
  }

  private checkIndex(replica: number): void {
    if (!(Number.isInteger(replica) && replica >= 0 && replica < this.replicas))
      throw new RangeError(`no apiserver ${replica} (replicas 0..${this.replicas - 1})`);
  }
}
