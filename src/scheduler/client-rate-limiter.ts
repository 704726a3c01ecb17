/**
 * The scheduler's client-side rate limit: client-go gives a clientset built with QPS > 0 one
 * flowcontrol.NewTokenBucketRateLimiter(qps, burst) — golang.org/x/time/rate — and every request
 * waits for a token. kube-scheduler's clientConnection defaults are qps 50, burst 100
 * (SetDefaults_KubeSchedulerConfiguration), so a default scheduler binds at most 100 pods at
 * once and 50 a second after that, however fast its cycles are. A qps ≤ 0 means no limiter.
 *
 * As rate.Limiter, kept as its equivalent virtual-scheduling form (GCRA): the bucket starts
 * full; a request takes a token at once while one is left, otherwise it waits until the refill
 * covers its debt, so waiters are served in request order exactly 1/qps apart. `tat` is when
 * the bucket would be full again if nothing more were taken. Time in µs; with a qps dividing
 * 10^6 (50, 100, 5000…) every step is an integer.
 */
export class TokenBucket {
  private tatUs = 0;
  private readonly intervalUs: number;

  constructor(
    readonly qps: number,
    readonly burst: number,
  ) {
    this.intervalUs = 1e6 / qps;
  }

  /** Takes one token at `nowUs` (non-decreasing); returns when it may be used (≥ nowUs). */
  reserve(nowUs: number): number {
    const at = Math.max(nowUs, this.tatUs - (this.burst - 1) * this.intervalUs);
    this.tatUs = Math.max(this.tatUs, nowUs) + this.intervalUs;
    return at;
  }
}
