import { availableParallelism } from 'node:os';
import { Args, Command, Flags } from '@oclif/core';
import { SingleBar } from 'cli-progress';
import { COMPARISON_KEY_METRICS, type ComparisonTableRow } from '../compare/comparison.js';
import { runComparison } from '../compare/compare.js';
import type { PolicySource } from '../compare/policies.js';
import { formatDifference, formatMetric } from '../report/metric-catalogue.js';
import { userErrors, wallClockMs } from '../cli/support.js';

export default class Compare extends Command {
  static override description =
    'Run every policy on seeds 1..N (the same arrivals and failures per seed) and write comparison.csv, comparison.json and comparison.html with 95% confidence intervals and paired differences to the first policy';

  static override examples = [
    '<%= config.bin %> compare scenarios/binpacking.yaml --profile least-allocated --profile most-allocated',
    '<%= config.bin %> compare scenarios/binpacking.yaml --profile least-allocated --scheduler-config tuned.yaml --seeds 20 --jobs 4',
  ];

  static override args = {
    scenario: Args.string({
      description: 'scenario file or directory of YAML files',
      required: true,
    }),
  };

  static override flags = {
    profile: Flags.string({
      description:
        "a profile of the scenario's KubeSchedulerConfiguration (repeatable; the first policy given is the baseline; none: every profile)",
      multiple: true,
      multipleNonGreedy: true,
    }),
    'scheduler-config': Flags.string({
      description:
        'a KubeSchedulerConfiguration file; each of its profiles is a policy named after the file (repeatable)',
      multiple: true,
      multipleNonGreedy: true,
    }),
    seeds: Flags.integer({ description: 'run seeds 1..N', default: 10, min: 1, max: 100_000 }),
    jobs: Flags.integer({
      description: 'worker threads (default: the number of cores)',
      min: 1,
      max: 1024,
    }),
    out: Flags.string({ description: 'output directory (default reports/<scenario>/compare)' }),
    quiet: Flags.boolean({ char: 'q', description: 'print nothing but errors', default: false }),
  };

  async run(): Promise<void> {
    const { args, flags, raw } = await this.parse(Compare);
    // Command-line order across both flags: the first policy given is the baseline.
    const policies: PolicySource[] = raw.flatMap((t): PolicySource[] => {
      if (t.type !== 'flag') return [];
      if (t.flag === 'profile') return [{ profile: t.input }];
      if (t.flag === 'scheduler-config') return [{ schedulerConfig: t.input }];
      return [];
    });
    await userErrors(this, async () => {
      const bar =
        !flags.quiet && process.stderr.isTTY
          ? new SingleBar({
              format: 'runs |{bar}| {value}/{total} | ETA {eta_formatted} | {last}',
              stream: process.stderr,
              hideCursor: true,
              etaBuffer: 20,
            })
          : undefined;
      const started = wallClockMs();
      const result = await runComparison({
        scenarioPath: args.scenario,
        policies,
        seeds: flags.seeds,
        jobs: flags.jobs ?? availableParallelism(),
        outDir: flags.out,
        clock: wallClockMs,
        onProgress: bar
          ? (done, total, run) => {
              if (done === 0) bar.start(total, 0, { last: '' });
              else bar.update(done, { last: run ? `${run.policy} seed ${run.seed}` : '' });
            }
          : undefined,
      });
      bar?.stop();
      if (flags.quiet) return;
      const wall = (wallClockMs() - started) / 1000;
      const c = result.comparison;
      this.log(keyMetricTable(c.rows, c.baseline));
      this.log('');
      this.log(
        `${c.policies.length} policies × ${c.seeds.length} seeds in ${wall.toFixed(1)} s wall; Δ = policy − ${c.baseline} paired by seed, * = its 95% CI excludes 0`,
      );
      this.log(`output ${result.outDir}/comparison.html`);
    });
  }
}

/** metric | policy | mean [95% CI] | Δ [95% CI], for the key metrics present. */
export function keyMetricTable(rows: readonly ComparisonTableRow[], baseline: string): string {
  const table: string[][] = [['metric', 'policy', 'mean [95% CI]', `Δ vs ${baseline} [95% CI]`]];
  for (const metric of COMPARISON_KEY_METRICS) {
    const group = rows.filter((r) => r.metric === metric);
    if (group.every((r) => r.mean === null)) continue;
    group.forEach((r, i) => {
      const f = (v: number | null | undefined) => formatMetric(v, r.unit);
      const d = (v: number | null | undefined) => formatDifference(v, r.unit);
      const ci = r.ciLow === null || r.ciHigh === null ? '' : ` [${f(r.ciLow)}, ${f(r.ciHigh)}]`;
      let diff = '';
      if (r.policy !== baseline && r.diffMean != null) {
        diff = d(r.diffMean);
        if (r.diffCiLow != null && r.diffCiHigh != null)
          diff += ` [${d(r.diffCiLow)}, ${d(r.diffCiHigh)}]`;
        if (r.excludesZero) diff += ' *';
      }
      table.push([i === 0 ? r.label : '', r.policy, f(r.mean) + ci, diff]);
    });
  }
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  return table
    .map((row) =>
      row
        .map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
