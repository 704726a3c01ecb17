/**
 * CronJob schedules: the standard 5-field cron syntax and the `@hourly`-style macros that
 * robfig/cron's ParseStandard (used by the CronJob controller) accepts, evaluated by
 * cron-parser in the CronJob's `timeZone` (default UTC: kube-controller-manager's local zone
 * is taken to be UTC). Simulation time 0 is 1970-01-01T00:00:00Z.
 */
import { CronExpressionParser } from 'cron-parser';

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export class CronSchedule {
  private constructor(
    private readonly expr: string,
    private readonly tz: string,
  ) {}

  /** Parses a schedule; throws an Error with a message for users when it is not valid. */
  static parse(schedule: string, timeZone = 'UTC'): CronSchedule {
    const s = schedule.trim();
    const expr = MACROS[s] ?? s;
    if (expr.startsWith('@')) throw new Error(`unrecognized descriptor: ${s}`);
    const fields = expr.split(/\s+/);
    if (fields.length !== 5) {
      throw new Error(`expected exactly 5 fields, found ${fields.length}: ${s}`);
    }
    const sched = new CronSchedule(`0 ${expr}`, timeZone);
    sched.next(0); // validates fields and zone
    return sched;
  }

  /** The first schedule time strictly after `afterMs` (robfig/cron Schedule.Next). */
  next(afterMs: number): number {
    const it = CronExpressionParser.parse(this.expr, {
      currentDate: new Date(afterMs),
      tz: this.tz,
      strict: false,
    });
    return it.next().getTime();
  }

  /**
   * The latest schedule time in (afterMs, nowMs], if any, and how many there were (capped:
   * upstream warns about too many missed start times and starts only the latest).
   */
  mostRecent(afterMs: number, nowMs: number, cap = 1000): { time?: number; missed: number } {
    let t = this.next(afterMs);
    if (t > nowMs) return { missed: 0 };
    let missed = 1;
    for (;;) {
      const n = this.next(t);
      if (n > nowMs || missed >= cap) break;
      t = n;
      missed++;
    }
    return { time: t, missed };
  }
}
