import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Args, Command, Flags } from '@oclif/core';
import type { ComparisonResult } from '../compare/comparison.js';
import { writeAtomic } from '../metrics/write.js';
import { buildComparisonReport } from '../report/comparison-report.js';
import { writeRunReport } from '../report/run-report.js';
import { userErrors } from '../cli/support.js';

export default class Report extends Command {
  static override description =
    'Rebuild report.html of a run directory from its CSVs, or comparison.html of a compare directory from comparison.json';

  static override examples = [
    '<%= config.bin %> report reports/quickstart/seed-42',
    '<%= config.bin %> report reports/binpacking/compare --runs',
  ];

  static override args = {
    dir: Args.string({ description: 'a run directory or a compare directory', required: true }),
  };

  static override flags = {
    runs: Flags.boolean({
      description: "in a compare directory, also rebuild every run's report.html",
      default: false,
    }),
    quiet: Flags.boolean({ char: 'q', description: 'print nothing but errors', default: false }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Report);
    await userErrors(this, () => {
      const dir = args.dir;
      const written: string[] = [];
      if (existsSync(join(dir, 'comparison.json'))) {
        const comparison = JSON.parse(
          readFileSync(join(dir, 'comparison.json'), 'utf8'),
        ) as ComparisonResult;
        if (flags.runs) {
          for (const run of comparison.runs) {
            writeRunReport(join(dir, run.dir));
            written.push(join(dir, run.dir, 'report.html'));
          }
        }
        const file = join(dir, 'comparison.html');
        writeAtomic(file, buildComparisonReport(comparison));
        written.push(file);
      } else if (existsSync(join(dir, 'summary.json'))) {
        writeRunReport(dir);
        written.push(join(dir, 'report.html'));
      } else {
        this.logToStderr(
          `error: ${dir} is neither a run directory (summary.json) nor a compare directory (comparison.json)`,
        );
        return this.exit(2);
      }
      if (!flags.quiet) for (const f of written) this.log(`wrote ${f}`);
    });
  }
}
