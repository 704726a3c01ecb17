/**
 * The Deployment and ReplicaSet controllers stop without a controller-manager leader and
 * resync when it returns; a write the apiserver refuses is retried 1 s, 2 s, 4 s, … later.
 */
import { describe, expect, it } from '@jest/globals';
import { runSimulation } from '../../src/simulation.js';
import { deploymentEvents, deploymentScenarioText, loadText } from './deployment-scenario.js';

const SCALE_AT_40S = '{at: 40s, action: scale, target: {deployment: default/web}, replicas: 12}';

describe('controller outages', () => {
  it('without a leader nothing is scaled; the backlog is handled when leadership returns', () => {
    const r = runSimulation(loadText(deploymentScenarioText({ timeline: [SCALE_AT_40S] })), {
      onStart: (ctx) => {
        ctx.engine.scheduleAt(30_000, () => ctx.leaders.controllerManager.set(false));
        ctx.engine.scheduleAt(90_000, () => ctx.leaders.controllerManager.set(true));
      },
    });
    expect(deploymentEvents(r)).toEqual([
      't=0 Scaled up replica set rs1 from 0 to 10',
      't=90 Scaled up replica set rs1 from 10 to 12',
    ]);
  });

  it('refused controller writes are retried with a doubling backoff from 1 s', () => {
    // Refused from 40 s to 70 s: attempts at 40, 41, 43, 47, 55 fail; 71 succeeds.
    const r = runSimulation(loadText(deploymentScenarioText({ timeline: [SCALE_AT_40S] })), {
      onStart: (ctx) => {
        const inner = ctx.api.inner;
        ctx.api.inner = {
          tryWrite: (kind, actor) => {
            const now = ctx.engine.now;
            if (actor.startsWith('controller/Deployment') && now >= 40_000 && now <= 70_000)
              return false;
            return inner.tryWrite(kind, actor);
          },
        };
      },
    });
    expect(deploymentEvents(r)).toEqual([
      't=0 Scaled up replica set rs1 from 0 to 10',
      't=71 Scaled up replica set rs1 from 10 to 12',
    ]);
  });
});
