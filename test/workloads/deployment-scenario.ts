/**
 * Builds small Deployment scenarios for tests: a Simulation document (scheduling costs no
 * virtual time, so instants are exact) plus one Deployment, written to a temporary file.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/loader.js';
import { runSimulation, type RunResult } from '../../src/simulation.js';
import type { Scenario } from '../../src/scenario/types.js';
import type { ReplicaSetObject } from '../../src/controllers/apps-objects.js';
import { INSTANT_SCHEDULER } from './batch-helpers.js';

export interface DeploymentOptions {
  replicas?: number;
  strategy?: string;
  minReadySeconds?: number;
  progressDeadlineSeconds?: number;
  revisionHistoryLimit?: number;
  startup?: string;
  annotations?: Record<string, string>;
  timeline?: string[];
  duration?: string;
  nodes?: number;
  extraDocs?: string;
}

export function deploymentScenarioText(o: DeploymentOptions = {}): string {
  const ann = { 'ksim.dev/startup': o.startup ?? '5s', ...o.annotations };
  return `apiVersion: ksim.dev/v1alpha1
kind: Simulation
metadata: {name: test}
spec:
  seed: 7
  duration: ${o.duration ?? '5m'}
  metrics: {sampleInterval: 10s}
  controlPlane:
    ${INSTANT_SCHEDULER}
  nodePools:
    - name: node
      count: ${o.nodes ?? 4}
      template:
        status: {allocatable: {cpu: '64', memory: 256Gi, pods: '110'}}
  timeline:
${(o.timeline ?? []).map((t) => `    - ${t}`).join('\n') || '    []'}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: ${o.replicas ?? 10}
  minReadySeconds: ${o.minReadySeconds ?? 0}
${o.progressDeadlineSeconds !== undefined ? `  progressDeadlineSeconds: ${o.progressDeadlineSeconds}\n` : ''}${o.revisionHistoryLimit !== undefined ? `  revisionHistoryLimit: ${o.revisionHistoryLimit}\n` : ''}  strategy: ${o.strategy ?? '{type: RollingUpdate}'}
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web}
      annotations: ${JSON.stringify(ann)}
    spec:
      terminationGracePeriodSeconds: 0
      containers:
        - name: web
          image: 'web:v1'
          resources: {requests: {cpu: 100m, memory: 64Mi}}
${o.extraDocs ?? ''}`;
}

export function writeScenario(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ksim-deploy-'));
  const file = join(dir, 'scenario.yaml');
  writeFileSync(file, text);
  return file;
}

export function loadText(text: string): Scenario {
  return loadScenario(writeScenario(text));
}

export function runText(text: string): RunResult {
  return runSimulation(loadText(text));
}

/** ReplicaSet names → `rs<revision>` (hash-named ReplicaSets read better by revision). */
export function revisionNames(r: RunResult): Map<string, string> {
  const m = new Map<string, string>();
  for (const rs of r.store.listObjects<ReplicaSetObject>('ReplicaSet'))
    m.set(rs.metadata.name, `rs${rs.metadata.annotations['deployment.kubernetes.io/revision']}`);
  return m;
}

/** Deployment events as `t=<seconds> <message>` with ReplicaSets named by revision. */
export function deploymentEvents(r: RunResult, reasons = ['ScalingReplicaSet']): string[] {
  const names = revisionNames(r);
  return r.metrics.events
    .filter((e) => e.kind === 'Deployment' && reasons.includes(e.reason))
    .map(
      (e) => `t=${e.time / 1000} ${e.message.replace(/web-[a-z0-9]+/g, (n) => names.get(n) ?? n)}`,
    );
}
