/**
 * Rolling-update invariants over random Deployments (fast-check): at every store change
 * during the rollout, active pods (not terminal, not terminating — what the controllers
 * count) ≤ replicas + maxSurge and available pods ≥ replicas − maxUnavailable; at the end
 * exactly `replicas` pods of the new template run, and no new-revision pod was ever deleted.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { resolveFenceposts } from '../../src/controllers/deployment-util.js';
import type { DeploymentObject, IntOrPercent } from '../../src/controllers/apps-objects.js';
import { podIsActive, type SimPod } from '../../src/model/objects.js';
import { runSimulation } from '../../src/simulation.js';
import { deploymentScenarioText, loadText } from './deployment-scenario.js';

const ROLLOUT_AT_MS = 60_000;

const intOrPercent = fc.oneof(
  fc.integer({ min: 0, max: 5 }).map((value): IntOrPercent => ({ kind: 'int', value })),
  fc.integer({ min: 0, max: 100 }).map((value): IntOrPercent => ({ kind: 'percent', value })),
);
const show = (v: IntOrPercent): string => (v.kind === 'int' ? String(v.value) : `${v.value}%`);

const caseArb = fc
  .record({
    replicas: fc.integer({ min: 1, max: 20 }),
    maxSurge: intOrPercent,
    maxUnavailable: intOrPercent,
    startupMinS: fc.integer({ min: 1, max: 5 }),
    startupSpreadS: fc.integer({ min: 0, max: 10 }),
    minReadySeconds: fc.integer({ min: 0, max: 20 }),
  })
  // Validation refuses maxSurge and maxUnavailable both 0.
  .filter((c) => c.maxSurge.value !== 0 || c.maxUnavailable.value !== 0);

describe('rolling update invariants', () => {
  it('never exceeds replicas + surge, never drops below replicas − unavailable, ends with the new revision', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const text = deploymentScenarioText({
          replicas: c.replicas,
          minReadySeconds: c.minReadySeconds,
          duration: '30m',
          startup: `{uniform: {min: ${c.startupMinS}s, max: ${c.startupMinS + c.startupSpreadS}s}}`,
          strategy: `{type: RollingUpdate, rollingUpdate: {maxSurge: '${show(c.maxSurge)}', maxUnavailable: '${show(c.maxUnavailable)}'}}`,
          timeline: [
            "{at: 60s, action: rollout, target: {deployment: default/web}, image: 'web:v2'}",
          ],
        });
        const { surge, unavailable } = resolveFenceposts(c.maxSurge, c.maxUnavailable, c.replicas);
        const maxUnavailable = Math.min(unavailable, c.replicas);
        const pods = new Set<SimPod>();
        const violations: string[] = [];
        let rolloutDoneAt: number | undefined;
        const result = runSimulation(loadText(text), {
          onStart: (ctx) => {
            const check = (): void => {
              const now = ctx.engine.now;
              if (now < ROLLOUT_AT_MS || rolloutDoneAt !== undefined) return;
              let active = 0;
              let available = 0;
              for (const p of pods) {
                if (!podIsActive(p)) continue;
                active++;
                // IsPodAvailable: Ready condition lastTransitionTime (whole seconds) +
                // minReadySeconds <= now.
                const avail =
                  p.status.ready && p.status.readyTransitionTime! + c.minReadySeconds * 1000 <= now;
                if (avail) available++;
              }
              if (active > c.replicas + surge) violations.push(`${now}: ${active} active pods`);
              if (available < c.replicas - maxUnavailable)
                violations.push(`${now}: ${available} available pods`);
            };
            // The rollout is done when the Deployment reports the new revision complete.
            ctx.store.onObject('Deployment', (e) => {
              const d = e.obj as DeploymentObject;
              const s = d.status;
              if (
                ctx.engine.now >= ROLLOUT_AT_MS &&
                s.observedGeneration === 2 &&
                s.updatedReplicas === c.replicas &&
                s.replicas === c.replicas &&
                s.availableReplicas === c.replicas
              )
                rolloutDoneAt ??= ctx.engine.now;
            });
            ctx.store.onPod((e) => {
              if (e.type === 'add') pods.add(e.pod);
              if (e.type === 'delete') pods.delete(e.pod);
              check();
            });
          },
        });
        expect(violations).toEqual([]);
        expect(rolloutDoneAt).toBeDefined();
        const all = result.metrics.pods;
        const v1 = all.filter((p) => p.spec.containers[0]!.image === 'web:v1');
        const v2 = all.filter((p) => p.spec.containers[0]!.image === 'web:v2');
        // Nothing lost: every old pod was deleted by the rollout, every new pod still runs.
        expect(v1.length).toBe(c.replicas);
        expect(v1.every((p) => p.outcome === 'Deleted')).toBe(true);
        expect(v2.length).toBe(c.replicas);
        expect(v2.every((p) => p.outcome === 'Running' && p.status.ready)).toBe(true);
      }),
      { numRuns: 30, seed: 20240501 },
    );
  });
});
