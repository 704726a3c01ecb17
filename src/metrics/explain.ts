/**
 * `ksim run --explain`: why each node was rejected (filters.csv) and how each feasible
 * node scored, per plugin, before and after NormalizeScore and weighted (scores.csv).
 */
import type { NodeInfo } from '../model/node-info.js';
import type { SimPod } from '../model/objects.js';
import type { ScoreBreakdown } from '../scheduler/framework/framework.js';
import type { ExplainSink } from '../scheduler/schedule-one.js';
import { seconds } from './format.js';

/**
 * Between the reasons of one node in filters.csv ("Insufficient cpu; Insufficient memory"): not
 * Status.Message()'s ", ", so the cell holds no CSV delimiter.
 */
export const REASON_SEPARATOR = '; ';

export const FILTER_COLUMNS = ['time_s', 'pod', 'node', 'plugin', 'reason'] as const;
export const SCORE_COLUMNS = [
  'time_s',
  'pod',
  'node',
  'plugin',
  'score',
  'normalized_score',
  'weighted_score',
] as const;

export class ExplainRecorder implements ExplainSink {
  readonly filters: Array<Array<string | number>> = [];
  readonly scores: Array<Array<string | number>> = [];
  constructor(private readonly now: () => number) {}

  /** One row per rejected node; a node's several reasons are joined with "; ". */
  filter(pod: SimPod, node: string, plugin: string, reasons: readonly string[]): void {
    this.filters.push([seconds(this.now()), pod.key, node, plugin, reasons.join(REASON_SEPARATOR)]);
  }

  score(pod: SimPod, nodes: readonly NodeInfo[], breakdown: ScoreBreakdown[]): void {
    const t = seconds(this.now());
    for (let j = 0; j < nodes.length; j++) {
      for (const b of breakdown) {
        this.scores.push([
          t,
          pod.key,
          nodes[j]!.name,
          b.plugin,
          b.raw[j]!,
          b.normalized[j]!,
          b.normalized[j]! * b.weight,
        ]);
      }
    }
  }
}
