/**
 * What a simulation component (kubelets, controllers, control plane, fault injectors) is
 * given: the engine, named random streams, the store and event log, the apiserver gate,
 * leader-election gates, the loaded scenario and the metrics collector. Components talk to
 * each other only through the store and these gates — never by calling each other.
 */
import type { Issues } from '../scenario/source.js';
import type { Engine, Timer } from '../engine/engine.js';
import type { RngStreams } from '../engine/rng.js';
import type { PendingWrite, WriteBackend, WriteGate, WriteKind, WriteMode } from '../model/api.js';
import type { EventLog } from '../model/events.js';
import type { ClusterStore } from '../model/store.js';
import type { MetricsCollector } from '../metrics/collector.js';
import type { Scenario, TimelineEntry } from '../scenario/types.js';
import type { Kubelets } from '../kubelet/kubelet.js';

/** etcd's request timeout at the default election timeout (5 s + 2 × 1 s). */
const DEFAULT_REQUEST_TIMEOUT_MS = 7000;

/** A write that hangs in the apiserver/etcd until it commits or times out. */
class Hang implements PendingWrite {
  private readonly waiting: Array<(ok: boolean) => void> = [];
  private outcome: boolean | undefined;
  timer: Timer | undefined;

  constructor(
    /** Lost writes (sent towards a dead leader) never commit, held ones may. */
    readonly lost: boolean,
    /** The kinds of the writes waiting on it, counted as refused if it fails. */
    readonly kinds: WriteKind[],
  ) {}

  get resolved(): boolean {
    return this.outcome !== undefined;
  }

  then(done: (ok: boolean) => void): void {
    if (this.outcome === undefined) this.waiting.push(done);
    else done(this.outcome);
  }

  resolve(ok: boolean): void {
    if (this.outcome !== undefined) return;
    this.outcome = ok;
    for (const done of this.waiting.splice(0)) done(ok);
  }
}

/**
 * The apiserver gate everybody writes through; the control plane installs the real backend.
 * It owns what happens to a write that hangs (WriteMode): a timer at etcd's request timeout,
 * commit when writes are accepted again (held writes only), failure when the apiserver goes
 * away. Outcomes are delivered in their own event, after whatever caused them, in the order
 * the writes were sent.
 */
export class ApiGate implements WriteGate {
  private backend: WriteBackend = { tryWrite: () => true };
  /** Refused writes by kind (summary: apiserver writes refused), counted when the caller learns. */
  readonly refused = new Map<WriteKind, number>();
  private readonly listeners: Array<(mode: WriteMode) => void> = [];
  /** Writes hanging now, in the order sent. */
  private hanging: Hang[] = [];
  /** Inside `blocking`: the hang the sync ran into, if any. */
  private capture: { hang?: Hang } | undefined;

  constructor(private readonly engine: Engine) {}

  get inner(): WriteBackend {
    return this.backend;
  }

  /** Installs the backend (the control plane's apiservers); its mode changes are followed. */
  set inner(backend: WriteBackend) {
    this.backend = backend;
    backend.onModeChange?.((mode) => this.modeChanged(mode));
  }

  get mode(): WriteMode {
    return this.backend.mode ?? 'accepting';
  }

  get requestTimeoutMs(): number {
    return this.backend.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  onModeChange(listener: (mode: WriteMode) => void): void {
    this.listeners.push(listener);
  }

  tryWrite(kind: WriteKind, actor: string): boolean {
    if (this.backend.tryWrite(kind, actor)) return true;
    const mode = this.failureMode();
    if (mode === 'refusing' || !this.capture) {
      this.count(kind);
      return false;
    }
    if (this.capture.hang && !this.capture.hang.resolved) this.capture.hang.kinds.push(kind);
    else this.capture.hang = this.hang(mode, kind);
    return false;
  }

  write(kind: WriteKind, actor: string, done: (ok: boolean) => void): void {
    if (this.backend.tryWrite(kind, actor)) return done(true);
    const mode = this.failureMode();
    if (mode === 'refusing') {
      this.count(kind);
      return done(false);
    }
    this.hang(mode, kind).then(done);
  }

  blocking<T>(fn: () => T): { result: T; hang?: PendingWrite } {
    const outer = this.capture;
    const capture: { hang?: Hang } = {};
    this.capture = capture;
    try {
      const result = fn();
      return capture.hang ? { result, hang: capture.hang } : { result };
    } finally {
      this.capture = outer;
    }
  }

  /** How a write the backend refused fails: at once unless etcd hangs it. */
  private failureMode(): 'refusing' | 'losing' | 'holding' {
    const mode = this.backend.mode;
    return mode === 'losing' || mode === 'holding' ? mode : 'refusing';
  }

  private hang(mode: 'losing' | 'holding', kind: WriteKind): Hang {
    const h = new Hang(mode === 'losing', [kind]);
    h.timer = this.engine.schedule(this.requestTimeoutMs, () => this.settle(h, false));
    this.hanging.push(h);
    return h;
  }

  private settle(h: Hang, ok: boolean): void {
    if (h.resolved) return;
    if (h.timer) this.engine.cancel(h.timer);
    this.hanging = this.hanging.filter((x) => x !== h);
    if (!ok) for (const k of h.kinds) this.count(k);
    h.resolve(ok);
  }

  private modeChanged(mode: WriteMode): void {
    for (const l of this.listeners) l(mode);
    if (mode !== 'accepting' && mode !== 'refusing') return;
    if (!this.hanging.some((h) => mode === 'refusing' || !h.lost)) return;
    // Held writes commit (or, the apiserver gone, every hanging request fails) — in an event
    // of their own, after the change that caused it.
    this.engine.schedule(0, () => {
      if (this.mode !== mode) return;
      for (const h of [...this.hanging]) {
        if (mode === 'refusing') this.settle(h, false);
        else if (!h.lost) this.settle(h, true);
      }
    });
  }

  private count(kind: WriteKind): void {
    this.refused.set(kind, (this.refused.get(kind) ?? 0) + 1);
  }
}

/** Whether a leader-elected component (scheduler, controller-manager) may work now. */
export class LeaderGate {
  private activeNow = true;
  private readonly listeners: Array<(active: boolean) => void> = [];

  get active(): boolean {
    return this.activeNow;
  }

  set(active: boolean): void {
    if (active === this.activeNow) return;
    this.activeNow = active;
    for (const l of this.listeners) l(active);
  }

  onChange(listener: (active: boolean) => void): void {
    this.listeners.push(listener);
  }
}

/** Executes a timeline action at its time (validated earlier by the scenario layer). */
export type ActionExecutor = (entry: TimelineEntry, ctx: SimContext) => void;

export interface SimContext {
  engine: Engine;
  rng: RngStreams;
  store: ClusterStore;
  events: EventLog;
  api: ApiGate;
  leaders: { scheduler: LeaderGate; controllerManager: LeaderGate };
  scenario: Scenario;
  metrics: MetricsCollector;
  seed: number;
  /** The kubelets of all nodes (node failures stop and restart them). */
  kubelets: Kubelets;
  /** Timeline action executors by action name; components register theirs at start. */
  actions: Map<string, ActionExecutor>;
  /**
   * Mistakes the components find in the scenario as they start (a Deployment's strategy, an
   * HPA's metrics, an action's target, …), reported here rather than thrown one component at a
   * time: the run reports them all at once before time starts (and `ksim validate` too).
   */
  startupIssues: Issues;
}

/** A component is started once, before virtual time begins. */
export type ComponentFactory = (ctx: SimContext) => void;
