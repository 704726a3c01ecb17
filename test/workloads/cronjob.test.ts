import { describe, expect, it } from '@jest/globals';
import { CronSchedule } from '../../src/controllers/cron-schedule.js';
import { eventsWith, runYaml, simulation } from './batch-helpers.js';

function cron(policy: string, extra = ''): string {
  return (
    simulation(
      '5m30s',
      `  nodePools:
    - name: n
      count: 1
      template: {status: {allocatable: {cpu: '8', memory: 16Gi}}}
`,
    ) +
    `---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report}
spec:
  schedule: '* * * * *'
  concurrencyPolicy: ${policy}
  successfulJobsHistoryLimit: 1
${extra}  jobTemplate:
    spec:
      template:
        metadata: {annotations: {ksim.dev/duration: 90s}}
        spec:
          restartPolicy: Never
          containers: [{name: r, image: r}]
`
  );
}

const times = (xs: Array<{ time: number; message: string }>) => xs.map((e) => [e.time, e.message]);

describe('cron schedules', () => {
  it.each([
    ['*/15 * * * *', 0, 900_000],
    ['@hourly', 60_000, 3_600_000],
    ['0 0 * * 1', 0, 4 * 86_400_000], // 1970-01-01 was a Thursday; the first Monday is the 5th
    ['30 2 1 * *', 0, 2 * 3_600_000 + 30 * 60_000],
  ])('%s: the first time after %i ms is %i ms', (expr, after, next) => {
    expect(CronSchedule.parse(expr).next(after)).toBe(next);
  });

  it('refuses schedules that are not 5 fields', () => {
    expect(() => CronSchedule.parse('0 * * * * *')).toThrow('expected exactly 5 fields, found 6');
    expect(() => CronSchedule.parse('61 * * * *')).toThrow();
  });
});

describe('CronJob controller', () => {
  it('Forbid: skips a start while the previous Job runs, and starts the missed one when it finishes', () => {
    // Upstream counts a Forbid skip as a missed start: without startingDeadlineSeconds the
    // most recent missed time is started as soon as the running Job finishes.
    const r = runYaml(cron('Forbid'));
    expect(times(eventsWith(r, 'SuccessfulCreate', 'default/report'))).toEqual([
      [60_100, 'Created job report-1'],
      [152_101, 'Created job report-2'],
      [244_102, 'Created job report-4'],
    ]);
    expect(eventsWith(r, 'JobAlreadyActive', 'default/report').map((e) => e.time)).toEqual([
      120_100, 180_100, 240_100, 300_100,
    ]);
  });

  it('Forbid with startingDeadlineSeconds: a start later than the deadline is missed', () => {
    const r = runYaml(cron('Forbid', '  startingDeadlineSeconds: 10\n'));
    expect(times(eventsWith(r, 'SuccessfulCreate', 'default/report'))).toEqual([
      [60_100, 'Created job report-1'],
      [180_100, 'Created job report-3'],
      [300_100, 'Created job report-5'],
    ]);
    expect(eventsWith(r, 'JobAlreadyActive', 'default/report').map((e) => e.time)).toEqual([
      120_100, 240_100,
    ]);
    // report-1 finished at 152 101 (1 ms to bind, 2 s start, 90 s run); with a history of
    // one successful Job it is deleted when report-3 finishes at 272 101.
    expect(times(eventsWith(r, 'SuccessfulDelete', 'default/report'))).toEqual([
      [272_101, 'Deleted job report-1'],
    ]);
  });

  it('Replace: deletes the running Job and starts the new one', () => {
    const r = runYaml(cron('Replace'));
    expect(times(eventsWith(r, 'SuccessfulCreate', 'default/report')).slice(0, 2)).toEqual([
      [60_100, 'Created job report-1'],
      [120_100, 'Created job report-2'],
    ]);
    expect(times(eventsWith(r, 'SuccessfulDelete', 'default/report'))[0]).toEqual([
      120_100,
      'Deleted job report-1',
    ]);
  });

  it('suspend: creates nothing', () => {
    const r = runYaml(cron('Allow', '  suspend: true\n'));
    expect(eventsWith(r, 'SuccessfulCreate', 'default/report')).toEqual([]);
  });
});
