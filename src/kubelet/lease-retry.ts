/**
 * How a kubelet's node-lease controller retries while the apiserver does not accept its
 * renewals — replayed after the fact against the history of the apiserver's write mode, so
 * that an outage costs no event per kubelet per retry (component-helpers
 * apimachinery/lease/controller.go, as of Kubernetes v1.35):
 *
 * - `sync` first calls `retryUpdateLease`: up to maxUpdateRetries (5) Update requests back to
 *   back;
 * - then `backoffEnsureLease`: a Get, and after each failure a sleep that starts at
 *   2 × 100 ms and doubles up to maxBackoff (7 s);
 * - the first request that goes through renews the lease (after a successful Get the
 *   Update follows at once); renewals then recur every renew interval from it.
 *
 * Each request fails at once while the apiserver refuses, or hangs until etcd's request
 * timeout when etcd loses it, or — held — commits as soon as writes are accepted again
 * (WriteMode). The kubelet's heartbeat client timeout (min(nodeStatusUpdateFrequency,
 * nodeLeaseDuration) = 10 s) is longer than etcd's 7 s, so etcd's timeout is what fails it.
 * The Get is treated like a write (a linearizable read also waits for a leader).
 */
import type { WriteMode } from '../model/api.js';

/** The apiserver's write mode from `from` on (until the next span). */
export interface ModeSpan {
  from: number;
  mode: WriteMode;
}

export interface LeaseRetryConfig {
  /** component-helpers lease controller maxUpdateRetries. */
  maxUpdateRetries: number;
  /** backoffEnsureLease's initial sleep before doubling (100 ms: the first wait is 200 ms). */
  initialBackoffMs: number;
  /** maxBackoff (7 s). */
  maxBackoffMs: number;
}

export const LEASE_RETRY: LeaseRetryConfig = {
  maxUpdateRetries: 5,
  initialBackoffMs: 100,
  maxBackoffMs: 7000,
};

/** When a request sent at `t` succeeds (ok) or fails, given the mode history. */
export function requestOutcome(
  t: number,
  spans: readonly ModeSpan[],
  requestTimeoutMs: number,
): { ok: boolean; at: number } {
  let i = spanAt(spans, t);
  const mode = spans[i]!.mode;
  if (mode === 'accepting') return { ok: true, at: t };
  if (mode === 'refusing') return { ok: false, at: t };
  const timeout = t + requestTimeoutMs;
  // Hanging: the apiserver going away fails it; a held write commits when writes return.
  for (i++; i < spans.length && spans[i]!.from < timeout; i++) {
    const next = spans[i]!;
    if (next.mode === 'refusing') return { ok: false, at: next.from };
    if (next.mode === 'accepting' && mode === 'holding') return { ok: true, at: next.from };
  }
  return { ok: false, at: timeout };
}

/**
 * The instant the lease is renewed again when the renewal due at `first` met a gate that did
 * not accept it. `spans` must cover `first` and end with an accepting span (writes are back);
 * otherwise the result is Infinity (still retrying).
 *
 * O(attempts) — except that a long stretch of one mode at the capped backoff is crossed in
 * one step, so an outage of any length costs O(spans) per kubelet.
 */
export function leaseRenewedAt(
  first: number,
  spans: readonly ModeSpan[],
  requestTimeoutMs: number,
  cfg: LeaseRetryConfig = LEASE_RETRY,
): number {
  if (spans.length === 0 || spans[spans.length - 1]!.mode !== 'accepting') return Infinity;
  let t = first;
  for (let i = 0; i < cfg.maxUpdateRetries; i++) {
    const r = requestOutcome(t, spans, requestTimeoutMs);
    if (r.ok) return r.at;
    t = r.at;
  }
  let sleep = cfg.initialBackoffMs;
  for (;;) {
    if (sleep === cfg.maxBackoffMs) t = skipSteadyRetries(t, spans, requestTimeoutMs, sleep);
    const r = requestOutcome(t, spans, requestTimeoutMs);
    if (r.ok) return r.at;
    sleep = Math.min(2 * sleep, cfg.maxBackoffMs);
    t = r.at + sleep;
  }
}

/**
 * Within one span, at the capped sleep, attempts fail alike every (hang + sleep) ms: jump to
 * the last one that still fails the same way (its outcome lands before the span ends).
 */
function skipSteadyRetries(
  t: number,
  spans: readonly ModeSpan[],
  requestTimeoutMs: number,
  sleep: number,
): number {
  const i = spanAt(spans, t);
  const mode = spans[i]!.mode;
  const end = spans[i + 1]?.from ?? Infinity;
  if (mode === 'accepting' || end === Infinity) return t;
  const hang = mode === 'refusing' ? 0 : requestTimeoutMs;
  const period = hang + sleep;
  const k = Math.floor((end - 1 - hang - t) / period);
  return k > 0 ? t + k * period : t;
}

/** Index of the span in force at t (the last one starting at or before t). */
function spanAt(spans: readonly ModeSpan[], t: number): number {
  let lo = 0;
  let hi = spans.length - 1;
  if (t < spans[0]!.from) throw new RangeError(`no write mode known at ${t}`);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (spans[mid]!.from <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
