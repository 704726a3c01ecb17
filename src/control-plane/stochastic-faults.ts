/**
 * Stochastic control-plane faults (spec.faults kinds etcd-member-down, apiserver-down,
 * scheduler-down, controller-manager-down): each replica alternates up for a time drawn from
 * `mtbf` and down for one drawn from `mttr`, until the end of the run, drawing from its own
 * stream `faults/<index of the fault>/<group>/<replica>`; with `leader: true` a single cycle
 * (`faults/<index>/<group>/leader`) fails whoever leads when the failure strikes. The fault's
 * index is in the name, so two entries never share a stream, and adding one never moves
 * another's failures (common random numbers). A replica already down (a timeline action or
 * another fault holds it), or no leader at that instant, skips that failure; the next up time
 * is counted from the end of the skipped down time, so the draws never depend on the state.
 * Two events per failure; nothing polls.
 */
import type { SimContext } from '../components/context.js';
import type { StochasticControlPlaneFaultParsed } from '../scenario/actions/control-plane-actions.js';
import type { Group } from './control-plane.js';

/** Takes `replica` down now and back up after `downMs`; `label` names the fault for events. */
export type Strike = (
  kind: string,
  group: Group,
  replica: number,
  downMs: number,
  label: string,
) => void;

/** A positive whole number of ms from a duration sample (a draw of 0 would repeat forever). */
function positiveMs(v: number): number {
  return Math.max(1, Math.round(v));
}

export function startStochasticControlPlaneFaults(
  ctx: SimContext,
  groupOf: (kind: string) => Group | undefined,
  strike: Strike,
): void {
  const end = ctx.scenario.durationMs;
  ctx.scenario.faults.forEach((f, index) => {
    const group = groupOf(f.kind);
    if (!group) return;
    const p = f.parsed as unknown as StochasticControlPlaneFaultParsed;
    const label = `faults[${index}]`;
    const cycle = (stream: string, target: () => number | undefined): void => {
      const rng = ctx.rng.stream(stream);
      const up = (from: number): void => {
        const at = from + positiveMs(p.mtbf.sample(rng));
        if (at > end) return;
        ctx.engine.scheduleAt(at, () => {
          const down = positiveMs(p.mttr.sample(rng));
          const replica = target();
          if (replica !== undefined && group.isUp(replica))
            strike(f.kind, group, replica, down, label);
          up(at + down);
        });
      };
      up(0);
    };
    const base = `faults/${index}/${group.noun}`;
    if (p.leader) cycle(`${base}/leader`, () => group.leader());
    else for (let i = 0; i < group.size; i++) cycle(`${base}/${i}`, () => i);
  });
}
