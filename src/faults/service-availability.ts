/**
 * Availability per Service, as a user of the service feels it (summary.json
 * `serviceAvailability`). A Service's endpoints are the pods in its namespace matching its
 * spec.selector (a plain label map, as the EndpointSlice controller reads it); an endpoint
 * is ready when its pod serves (Ready, not terminating, its node reachable — a pod on a
 * crashed node stays Ready in the API until node lifecycle notices, but answers nobody).
 *
 * - available: fraction of time with at least one ready endpoint;
 * - meanReadyFraction: time-average of ready endpoints / endpoints (0 while there are none);
 * both from the moment the Service first had a ready endpoint (its roll-out at the start of
 * a run is not an outage), to the end of the run.
 * Counts are recomputed per Service when one of its pods changes (O(its pods)), and for all
 * Services when a node fails or recovers. timeseries.csv gets `service:<ns>/<name>:ready`
 * (ready endpoints) and `service:<ns>/<name>:endpoints` (all endpoints) per Service.
 */
import type { SimContext } from '../components/context.js';
import { nodeHealth } from '../controllers/node-lifecycle.js';
import type { NodeHealth } from '../kubelet/node-health.js';
import { podIsTerminal, type SimPod } from '../model/objects.js';
import { round } from '../metrics/format.js';
import { servesTraffic } from './serving-pods.js';

interface ServiceTrack {
  key: string;
  namespace: string;
  selector: Record<string, string>;
  pods: Set<SimPod>;
  ready: number;
  total: number;
  since: number;
  /** When the Service first had a ready endpoint; undefined until then. */
  liveSince?: number;
  availableMs: number;
  fractionMs: number;
}

export interface ServiceAvailabilityRow {
  service: string;
  available: number | null;
  meanReadyFraction: number | null;
  unavailable_s: number;
}

export function selectorMatches(selector: Record<string, string>, labels: Record<string, string>) {
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  return true;
}

export class ServiceAvailability {
  private readonly services: ServiceTrack[] = [];
  private readonly byPod = new Map<SimPod, ServiceTrack[]>();
  private readonly health: NodeHealth;

  constructor(private readonly ctx: SimContext) {
    this.health = nodeHealth(ctx);
    for (const o of ctx.scenario.objects) {
      if (o.kind !== 'Service') continue;
      const meta = (o.manifest.metadata ?? {}) as Record<string, unknown>;
      const spec = (o.manifest.spec ?? {}) as Record<string, unknown>;
      const selector = spec.selector as Record<string, unknown> | undefined;
      if (!selector || typeof selector !== 'object' || Object.keys(selector).length === 0) continue;
      const namespace = typeof meta.namespace === 'string' ? meta.namespace : 'default';
      this.services.push({
        key: `${namespace}/${String(meta.name ?? '')}`,
        namespace,
        selector: Object.fromEntries(Object.entries(selector).map(([k, v]) => [k, String(v)])),
        pods: new Set(),
        ready: 0,
        total: 0,
        since: 0,
        availableMs: 0,
        fractionMs: 0,
      });
    }
    if (this.services.length === 0) return;
    ctx.store.onPod((e) => {
      const pod = e.pod;
      if (e.type === 'add') {
        const tracks = this.services.filter(
          (s) =>
            s.namespace === pod.metadata.namespace &&
            selectorMatches(s.selector, pod.metadata.labels),
        );
        if (tracks.length === 0) return;
        this.byPod.set(pod, tracks);
        for (const s of tracks) s.pods.add(pod);
        for (const s of tracks) this.recount(s);
        return;
      }
      const tracks = this.byPod.get(pod);
      if (!tracks) return;
      if (e.type === 'delete') {
        this.byPod.delete(pod);
        for (const s of tracks) s.pods.delete(pod);
      }
      for (const s of tracks) this.recount(s);
    });
    this.health.onChange(() => {
      for (const s of this.services) this.recount(s);
    });
  }

  private advance(s: ServiceTrack, now: number): void {
    if (s.liveSince === undefined) return;
    const dt = now - s.since;
    if (s.ready > 0) s.availableMs += dt;
    if (s.total > 0) s.fractionMs += (dt * s.ready) / s.total;
    s.since = now;
  }

  private recount(s: ServiceTrack): void {
    this.advance(s, this.ctx.engine.now);
    let ready = 0;
    let total = 0;
    for (const pod of s.pods) {
      if (podIsTerminal(pod) || pod.metadata.deletionTimestamp !== undefined) continue;
      total++;
      if (servesTraffic(pod, this.health)) ready++;
    }
    s.ready = ready;
    s.total = total;
    if (ready > 0 && s.liveSince === undefined) s.liveSince = s.since = this.ctx.engine.now;
  }

  /** Whether the scenario has Services to measure. */
  get any(): boolean {
    return this.services.length > 0;
  }

  columns(): string[] {
    return this.services.flatMap((s) => [`service:${s.key}:ready`, `service:${s.key}:endpoints`]);
  }

  values(): number[] {
    return this.services.flatMap((s) => [s.ready, s.total]);
  }

  rows(): ServiceAvailabilityRow[] {
    const now = this.ctx.engine.now;
    return this.services.map((s) => {
      this.advance(s, now);
      const span = s.liveSince === undefined ? 0 : now - s.liveSince;
      return {
        service: s.key,
        available: span > 0 ? round(s.availableMs / span, 6) : null,
        meanReadyFraction: span > 0 ? round(s.fractionMs / span, 6) : null,
        unavailable_s: round((span - s.availableMs) / 1000, 3),
      };
    });
  }
}

export function startServiceAvailability(ctx: SimContext): void {
  const sa = new ServiceAvailability(ctx);
  if (sa.any) ctx.metrics.addSeries(sa);
  Object.defineProperty(ctx.metrics.extra, 'serviceAvailability', {
    enumerable: true,
    get: () => sa.rows(),
  });
}
