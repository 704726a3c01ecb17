/**
 * Plugin results as upstream's framework.Status. `null` means Success everywhere (like Go's
 * nil *Status), so the hot path allocates nothing for a node that passes.
 */
export enum Code {
  Success = 0,
  Error = 1,
  /** Rejected; preemption may help. */
  Unschedulable = 2,
  /** Rejected; preemption cannot help. */
  UnschedulableAndUnresolvable = 3,
  Wait = 4,
  Skip = 5,
  Pending = 6,
}

export class Status {
  /** Name of the plugin that produced the status (set by the framework). */
  plugin = '';
  constructor(
    readonly code: Code,
    readonly reasons: readonly string[] = [],
  ) {}

  static unschedulable(...reasons: string[]): Status {
    return new Status(Code.Unschedulable, reasons);
  }
  static unresolvable(...reasons: string[]): Status {
    return new Status(Code.UnschedulableAndUnresolvable, reasons);
  }
  static error(reason: string): Status {
    return new Status(Code.Error, [reason]);
  }
  static skip(): Status {
    return SKIP;
  }
  static wait(): Status {
    return new Status(Code.Wait);
  }

  isSuccess(): boolean {
    return this.code === Code.Success;
  }
  isSkip(): boolean {
    return this.code === Code.Skip;
  }
  /** Unschedulable, UnschedulableAndUnresolvable or Pending (upstream Status.IsRejected). */
  isRejected(): boolean {
    return (
      this.code === Code.Unschedulable ||
      this.code === Code.UnschedulableAndUnresolvable ||
      this.code === Code.Pending
    );
  }
  message(): string {
    return this.reasons.join(', ');
  }
  withPlugin(name: string): Status {
    if (this === SKIP) return this;
    this.plugin = name;
    return this;
  }
}

const SKIP = new Status(Code.Skip);

export function isSuccess(s: Status | null | undefined): boolean {
  return !s || s.code === Code.Success;
}

/**
 * Reason → number of statuses listing it (FitError's histogram). Counts per Status object
 * first: plugins hand out shared statuses, so a rejection of thousands of nodes has a few.
 */
export function reasonHistogram(statuses: Iterable<Status>): Map<string, number> {
  // Parallel arrays with a linear search: the distinct statuses are few, and objects as Map
  // keys cost an identity hash each.
  const distinct: Status[] = [];
  const counts: number[] = [];
  for (const s of statuses) {
    const i = distinct.indexOf(s);
    if (i >= 0) counts[i]!++;
    else {
      distinct.push(s);
      counts.push(1);
    }
  }
  const histogram = new Map<string, number>();
  for (let i = 0; i < distinct.length; i++) {
    for (const r of distinct[i]!.reasons) histogram.set(r, (histogram.get(r) ?? 0) + counts[i]!);
  }
  return histogram;
}
