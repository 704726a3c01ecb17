/**
 * The HorizontalPodAutoscaler's arithmetic, after pkg/controller/podautoscaler:
 * the replica calculator for Resource metrics (replica_calculator.go: groupPods, the
 * utilisation ratio, tolerance, unready and missing pods), and the normalisation of a
 * recommendation (horizontal.go): downscale stabilisation, scale-up limits and behavior
 * policies. Pure functions over plain values; the component is in hpa.ts.
 */

export const DEFAULT_TOLERANCE = 0.1;
/** --horizontal-pod-autoscaler-cpu-initialization-period. */
export const CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
/** --horizontal-pod-autoscaler-initial-readiness-delay. */
export const INITIAL_READINESS_DELAY_MS = 30_000;
/** --horizontal-pod-autoscaler-downscale-stabilization. */
export const DOWNSCALE_STABILIZATION_MS = 300_000;
/**
 * The window of a resource metric sample (metrics-server's --metric-resolution as usually
 * deployed, 15 s). A pod's CPU sample counts once it has been Ready for one window.
 */
export const METRIC_WINDOW_MS = 15_000;
/** Legacy scale-up limit without `behavior`: max(2 × current, 4). */
const SCALE_UP_LIMIT_FACTOR = 2;
const SCALE_UP_LIMIT_MINIMUM = 4;

export interface PodSample {
  phase: string;
  ready: boolean;
  deleting: boolean;
  /** When the kubelet started the pod (status.startTime, whole seconds as the API keeps it). */
  startTime?: number;
  /**
   * The Ready condition's lastTransitionTime (whole seconds): when it last turned True, or
   * False; undefined while the pod has no Ready condition yet.
   */
  readyTransitionTime?: number;
  /** The pod's request of the resource (millicores or bytes). */
  request: number;
  /** Measured usage in the same unit; undefined = no metric. */
  usage?: number;
}

export interface Tolerances {
  scaleUp: number;
  scaleDown: number;
}

export const DEFAULT_TOLERANCES: Tolerances = {
  scaleUp: DEFAULT_TOLERANCE,
  scaleDown: DEFAULT_TOLERANCE,
};

function within(t: Tolerances, ratio: number): boolean {
  return 1 - t.scaleDown <= ratio && ratio <= 1 + t.scaleUp;
}

type Group = 'ready' | 'unready' | 'missing' | 'ignored';

/** groupPods: which samples count, and which are held back (unready) or filled in (missing). */
export function groupPod(p: PodSample, cpu: boolean, now: number): Group {
  if (p.deleting || p.phase === 'Failed') return 'ignored';
  if (p.phase === 'Pending') return 'unready';
  if (p.usage === undefined) return 'missing';
  if (cpu) {
    const lastTransition = p.readyTransitionTime;
    if (p.startTime === undefined || lastTransition === undefined) return 'unready';
    if (p.startTime + CPU_INITIALIZATION_PERIOD_MS > now) {
      // Within the initialisation period: only a sample taken a full window after the last
      // transition of a Ready pod.
      if (!p.ready || now < lastTransition + METRIC_WINDOW_MS) return 'unready';
    } else if (!p.ready && p.startTime + INITIAL_READINESS_DELAY_MS > lastTransition) {
      // Unready and never ready since start (the condition turned False within the delay).
      return 'unready';
    }
  }
  return 'ready';
}

export type Target =
  | { type: 'Utilization'; averageUtilization: number }
  | { type: 'AverageValue'; averageValue: number };

export interface Proposal {
  replicas: number;
  /** Utilisation in percent of requests (Utilization) or the average value (AverageValue). */
  current: number;
}

/**
 * GetResourceReplicas / GetRawResourceReplicas for one metric. Returns an error message
 * where upstream returns an error (no pods, no metrics from ready pods, no requests).
 */
export function resourceReplicas(
  currentReplicas: number,
  target: Target,
  pods: readonly PodSample[],
  cpu: boolean,
  now: number,
  tol: Tolerances = DEFAULT_TOLERANCES,
): Proposal | { error: string } {
  if (pods.length === 0)
    return { error: 'no pods returned by selector while calculating replica count' };
  const metrics = new Map<number, number>();
  const unready: number[] = [];
  const missing: number[] = [];
  let readyCount = 0;
  pods.forEach((p, i) => {
    const g = groupPod(p, cpu, now);
    if (g === 'ready') {
      readyCount++;
      metrics.set(i, p.usage!);
    } else if (g === 'unready') unready.push(i);
    else if (g === 'missing') missing.push(i);
  });
  if (metrics.size === 0)
    return { error: 'did not receive metrics for targeted pods (pods might be unready)' };

  // GetResourceUtilizationRatio: integer percent; or the integer average for AverageValue.
  const ratioOf = (m: Map<number, number>): { ratio: number; current: number } | undefined => {
    let total = 0;
    let requests = 0;
    for (const [i, v] of m) {
      total += v;
      requests += pods[i]!.request;
    }
    if (target.type === 'AverageValue') {
      const avg = Math.floor(total / m.size);
      return { ratio: avg / target.averageValue, current: avg };
    }
    if (requests === 0) return undefined;
    const util = Math.floor((total * 100) / requests);
    return { ratio: util / target.averageUtilization, current: util };
  };
  const first = ratioOf(metrics);
  if (!first) return { error: 'missing request for the resource' };
  const { ratio, current } = first;
  const rebalanceUnready = unready.length > 0 && ratio > 1;
  if (!rebalanceUnready && missing.length === 0) {
    if (within(tol, ratio)) return { replicas: currentReplicas, current };
    return { replicas: Math.ceil(ratio * readyCount), current };
  }
  if (missing.length > 0) {
    // Missing pods count as 0 % on a scale-up and, on a scale-down, as using
    // max(100, target) % of their request (GetResourceReplicas: a target above 100 % would
    // otherwise read a missing pod as under-used) or exactly the target (calcPlainMetricReplicas,
    // AverageValue).
    for (const i of missing) {
      if (ratio < 1)
        metrics.set(
          i,
          target.type === 'AverageValue'
            ? target.averageValue
            : Math.floor((pods[i]!.request * Math.max(100, target.averageUtilization)) / 100),
        );
      else if (ratio > 1) metrics.set(i, 0);
    }
  }
  if (rebalanceUnready) for (const i of unready) metrics.set(i, 0);
  const second = ratioOf(metrics)!;
  const newRatio = second.ratio;
  if (within(tol, newRatio) || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1))
    return { replicas: currentReplicas, current };
  const replicas = Math.ceil(newRatio * metrics.size);
  if ((newRatio < 1 && replicas > currentReplicas) || (newRatio > 1 && replicas < currentReplicas))
    return { replicas: currentReplicas, current };
  return { replicas, current };
}

// ---- normalisation (horizontal.go) ----------------------------------------------------------

export interface ScalingPolicy {
  type: 'Pods' | 'Percent';
  value: number;
  periodSeconds: number;
}

export interface ScalingRules {
  stabilizationWindowSeconds: number;
  selectPolicy: 'Max' | 'Min' | 'Disabled';
  policies: ScalingPolicy[];
  tolerance?: number;
}

export interface Behavior {
  scaleUp: ScalingRules;
  scaleDown: ScalingRules;
}

/** autoscaling/v2 defaults for a `behavior` that is present (GenerateHPAScale{Up,Down}Rules). */
export function defaultScaleUpRules(): ScalingRules {
  return {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ],
  };
}

export function defaultScaleDownRules(): ScalingRules {
  return {
    stabilizationWindowSeconds: DOWNSCALE_STABILIZATION_MS / 1000,
    selectPolicy: 'Max',
    policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
  };
}

interface Recommendation {
  replicas: number;
  time: number;
}

export interface ScaleEvent {
  change: number;
  time: number;
  outdated: boolean;
}

/** What the controller remembers per HPA between syncs (recommendations, scale events). */
export class HpaHistory implements ScaleHistory {
  recommendations: Recommendation[] | undefined;
  readonly scaleUpEvents: ScaleEvent[] = [];
  readonly scaleDownEvents: ScaleEvent[] = [];

  /** recordInitialRecommendation: the first sync remembers the current size. */
  recordInitial(current: number, now: number): void {
    this.recommendations ??= [{ replicas: current, time: now }];
  }

  /** Replaces one sample older than the cutoff, or appends. */
  private remember(desired: number, now: number, isOld: (r: Recommendation) => boolean): void {
    const recs = (this.recommendations ??= []);
    let oldIndex = -1;
    recs.forEach((r, i) => {
      if (isOld(r)) oldIndex = i;
    });
    if (oldIndex >= 0) recs[oldIndex] = { replicas: desired, time: now };
    else recs.push({ replicas: desired, time: now });
  }

  /** stabilizeRecommendation (no behavior): the highest recommendation of the window. */
  stabilize(desired: number, now: number, windowMs = DOWNSCALE_STABILIZATION_MS): number {
    const cutoff = now - windowMs;
    let max = desired;
    for (const r of this.recommendations ?? [])
      if (r.time >= cutoff && r.replicas > max) max = r.replicas;
    this.remember(desired, now, (r) => r.time < cutoff);
    return max;
  }

  /**
   * stabilizeRecommendationWithBehaviors (horizontal.go, v1.35): the lowest recommendation of
   * the scale-up window bounds the result from below, the highest of the scale-down window from
   * above, and the current size is moved only as far as those bounds force it:
   *   up   = min(desired, recommendations after now − scaleUp.stabilizationWindowSeconds)
   *   down = max(desired, recommendations after now − scaleDown.stabilizationWindowSeconds)
   *   result = current, raised to up if up > current, lowered to down if down < current.
   * "After" is strict (time.After). The unstabilised desired count is recorded, replacing one
   * sample older than both cutoffs (the last such), else appended.
   */
  stabilizeWithBehavior(desired: number, current: number, b: Behavior, now: number): number {
    const upCutoff = now - b.scaleUp.stabilizationWindowSeconds * 1000;
    const downCutoff = now - b.scaleDown.stabilizationWindowSeconds * 1000;
    let up = desired;
    let down = desired;
    for (const r of this.recommendations ?? []) {
      if (r.time > upCutoff) up = Math.min(up, r.replicas);
      if (r.time > downCutoff) down = Math.max(down, r.replicas);
    }
    let rec = current;
    if (rec < up) rec = up;
    if (rec > down) rec = down;
    this.remember(desired, now, (r) => r.time < upCutoff && r.time < downCutoff);
    return rec;
  }

  /** storeScaleEvent (only with behavior). */
  storeScaleEvent(b: Behavior, prev: number, next: number, now: number): void {
    const up = next > prev;
    const events = up ? this.scaleUpEvents : this.scaleDownEvents;
    const longest =
      Math.max(0, ...(up ? b.scaleUp : b.scaleDown).policies.map((p) => p.periodSeconds)) * 1000;
    for (const e of events) if (e.time < now - longest) e.outdated = true;
    const ev = { change: Math.abs(next - prev), time: now, outdated: false };
    let idx = -1;
    events.forEach((e, i) => {
      if (e.outdated) idx = i;
    });
    if (idx >= 0) events[idx] = ev;
    else events.push(ev);
  }
}

/** getReplicasChangePerPeriod: replicas changed by events strictly after now − period. */
function changeInPeriod(events: readonly ScaleEvent[], periodSeconds: number, now: number): number {
  const cutoff = now - periodSeconds * 1000;
  let n = 0;
  for (const e of events) if (e.time > cutoff) n += e.change;
  return n;
}

/**
 * The size at the start of a policy's period, as calculateScaleUpLimitWithScalingRules and
 * calculateScaleDownLimitWithBehaviors compute it: current − replicas added in the period +
 * replicas deleted in the period (both event lists, whichever direction is being limited).
 */
function periodStartReplicas(
  current: number,
  h: ScaleHistory,
  periodSeconds: number,
  now: number,
): number {
  return (
    current -
    changeInPeriod(h.scaleUpEvents, periodSeconds, now) +
    changeInPeriod(h.scaleDownEvents, periodSeconds, now)
  );
}

/** The scale events a limit reads (HpaHistory holds them). */
export interface ScaleHistory {
  readonly scaleUpEvents: readonly ScaleEvent[];
  readonly scaleDownEvents: readonly ScaleEvent[];
}

/** calculateScaleUpLimitWithScalingRules: the largest size the scale-up policies allow now. */
export function scaleUpLimitWithRules(
  current: number,
  h: ScaleHistory,
  rules: ScalingRules,
  now: number,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.min : Math.max;
  let result = rules.selectPolicy === 'Min' ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
  for (const p of rules.policies) {
    const start = periodStartReplicas(current, h, p.periodSeconds, now);
    // Rounded up, so a small percentage of a small size still adds a pod.
    const proposed = p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

/** calculateScaleDownLimitWithBehaviors: the smallest size the scale-down policies allow now. */
export function scaleDownLimitWithRules(
  current: number,
  h: ScaleHistory,
  rules: ScalingRules,
  now: number,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const pick = rules.selectPolicy === 'Min' ? Math.max : Math.min;
  let result = rules.selectPolicy === 'Min' ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  for (const p of rules.policies) {
    const start = periodStartReplicas(current, h, p.periodSeconds, now);
    // int32(float64(start) * (1 − value/100)): truncated toward zero.
    const proposed = p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    result = pick(result, proposed);
  }
  return result;
}

/**
 * normalizeDesiredReplicas / normalizeDesiredReplicasWithBehaviors: stabilise, then clamp to
 * [minReplicas, maxReplicas] and the scale rate.
 */
export function normalizeDesired(
  h: HpaHistory,
  behavior: Behavior | undefined,
  current: number,
  desired: number,
  minReplicas: number,
  maxReplicas: number,
  now: number,
): number {
  if (!behavior) {
    const stabilized = h.stabilize(desired, now);
    const limit = Math.trunc(Math.max(SCALE_UP_LIMIT_FACTOR * current, SCALE_UP_LIMIT_MINIMUM));
    const maxAllowed = Math.min(maxReplicas, limit);
    if (stabilized < minReplicas) return minReplicas;
    if (stabilized > maxAllowed) return maxAllowed;
    return stabilized;
  }
  const stabilized = h.stabilizeWithBehavior(desired, current, behavior, now);
  if (stabilized > current) {
    const limit = Math.max(scaleUpLimitWithRules(current, h, behavior.scaleUp, now), current);
    const maxAllowed = Math.min(maxReplicas, limit);
    return Math.min(stabilized, maxAllowed);
  }
  if (stabilized < current) {
    const limit = Math.min(scaleDownLimitWithRules(current, h, behavior.scaleDown, now), current);
    const minAllowed = Math.max(minReplicas, limit);
    return Math.max(stabilized, minAllowed);
  }
  return stabilized;
}
