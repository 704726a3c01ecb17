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

  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }

  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  /** Clone for preemption dry runs, where plugins' AddPod/RemovePod mutate the copy. */
  clone(cloneValue: (key: string, v: unknown) => unknown = (_k, v) => v): CycleState {
    const c = new CycleState();
    for (const [k, v] of this.data) c.data.set(k, cloneValue(k, v));
    for (const p of this.skipFilterPlugins) c.skipFilterPlugins.add(p);
    for (const p of this.skipScorePlugins) c.skipScorePlugins.add(p);
    return c;
  }
}
