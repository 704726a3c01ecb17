import type { FilterPlugin } from './interfaces.js';

/**
 * Per-scheduling-cycle scratch space shared by the plugins of one profile, as upstream's
 * CycleState. Keys are derived from plugin names ("PreFilter" + name) so plugins never collide.
 */
export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Plugins whose PreFilter returned Skip: their Filter is not run this cycle. */
  readonly skipFilterPlugins = new Set<string>();
  /** Plugins whose PreScore returned Skip: their Score is not run this cycle. */
  readonly skipScorePlugins = new Set<string>();
  /**
   * The profile's Filter plugins minus skipFilterPlugins, built by the framework on the first
   * Filter call of the cycle so the per-node loop does no set lookups.
   */
  activeFilterPlugins: readonly FilterPlugin[] | undefined;
  /** Nodes a PostFilter dry run (preemption) evaluated this cycle: the cost model charges them. */
  postFilterDryRunNodes = 0;

  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }

  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  /**
   * Clone for preemption dry runs and nominated pods, where plugins' AddPod/RemovePod mutate
   * the copy. Without `cloneValue`, each value's own clone() is used (StateData.Clone).
   */
  clone(cloneValue: (key: string, v: unknown) => unknown = cloneStateData): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.data) c.data.set(k, cloneValue(k, v));
    for (const p of this.skipFilterPlugins) c.skipFilterPlugins.add(p);
    for (const p of this.skipScorePlugins) c.skipScorePlugins.add(p);
    c.activeFilterPlugins = this.activeFilterPlugins;
    return c;
  }
}

/** CycleState.Clone() calls each StateData's Clone; plain values are shared. */
export function cloneStateData(_key: string, value: unknown): unknown {
  const v = value as { clone?: () => unknown } | null;
  return v && typeof v === 'object' && typeof v.clone === 'function' ? v.clone() : value;
}
