import { describe, it, expect } from '@jest/globals';
import {
  comparisonFixture,
  HOSTILE_POLICY,
} from '../../test/fixtures/report/comparison-fixture.js';
import { buildComparisonReport } from './comparison-report.js';
import { chartJsSource } from './html.js';

const html = buildComparisonReport(comparisonFixture());

function embeddedData(page: string): any {
  const m = /<script type="application\/json" id="ksim-data">([^<]*)<\/script>/.exec(page);
  if (!m) throw new Error('no embedded data');
  return JSON.parse(m[1]!);
}

/** The <tr> of `policy` inside the card titled `metric`. */
function row(metric: string, policy: string): string {
  const card = html.slice(html.indexOf(`<h2 title="${metric}">`));
  const start = card.indexOf(`<tr><th>${policy}</th>`);
  if (start < 0) throw new Error(`no row for ${policy} under ${metric}`);
  return card.slice(start, card.indexOf('</tr>', start));
}

describe('buildComparisonReport', () => {
  it('shows the policy means with their 95% interval', () => {
    // default-scheduler latency P99 [1.2, 1.5, 1.1]: mean 1.2667, sd 0.2082, half = 4.3027·0.2082/√3 = 0.5171
    expect(row('schedulingLatencyP99', 'default-scheduler')).toBe(
      '<tr><th>default-scheduler</th><td class="num">3</td><td class="num">1.267\u00a0s</td><td class="num">0.208\u00a0s</td>' +
        '<td class="num ci">0.75\u00a0s … 1.784\u00a0s</td><td class="baseline" colspan="3">baseline</td>',
    );
  });

  it('marks a paired difference whose interval excludes zero', () => {
    // binpack − default: −0.2, −0.2, −0.3 → mean −0.233, sd 0.0577, half 0.1434 → [−0.377, −0.090]
    expect(row('schedulingLatencyP99', 'binpack')).toContain(
      '<td class="num">-0.233\u00a0s</td><td class="num ci">-0.377\u00a0s … -0.09\u00a0s</td><td><span class="yes">yes</span></td>',
    );
  });

  it('shows ratio differences in percentage points and an all-zero difference as not significant', () => {
    // binpack − default CPU: 0.15, 0.14, 0.15 → +14.7 pp
    expect(row('cpuUtilisationMean', 'binpack')).toContain('<td class="num">+14.7\u00a0pp</td>');
    expect(row('evictions', 'binpack')).toContain(
      '<td class="num">0</td><td class="num ci">0 … 0</td><td>no</td>',
    );
  });

  it('escapes policy names in tables and keeps them as data for the charts', () => {
    expect(html).not.toContain(HOSTILE_POLICY);
    expect(html).toContain('<th>spread&lt;script&gt;alert(5)&lt;/script&gt;</th>');
    expect(embeddedData(html).charts[0].policies[2]).toBe(HOSTILE_POLICY);
  });

  it('charts the key metrics present, ratios in percent with their intervals', () => {
    const charts = embeddedData(html).charts;
    expect(charts.map((c: any) => c.label)).toEqual([
      'Scheduling latency P99',
      'CPU utilisation mean',
      'Evictions',
    ]);
    expect(charts[1].axis).toBe('%');
    expect(charts[1].means[0]).toBeCloseTo(40, 10);
    expect(charts[0].ci[0][0]).toBeCloseTo(0.7495, 3);
    expect(html.match(/<canvas id="chart-\d+">/g)).toHaveLength(3);
  });

  it('charts each key metric’s paired differences with their intervals and which exclude zero', () => {
    const charts = embeddedData(html).charts;
    expect(charts[0].diff.policies).toEqual(['binpack', HOSTILE_POLICY]);
    expect(charts[0].diff.means[0]).toBeCloseTo(-0.2333, 3);
    expect(charts[0].diff.ci[0][0]).toBeCloseTo(-0.377, 3);
    expect(charts[0].diff.ci[0][1]).toBeCloseTo(-0.09, 3);
    expect(charts[0].diff.significant).toEqual([true, false]);
    // CPU difference in percentage points, like the table.
    expect(charts[1].diffAxis).toBe('Δ pp');
    expect(charts[1].diff.means[0]).toBeCloseTo(14.67, 2);
    expect(html.match(/<canvas id="diff-\d+">/g)).toHaveLength(3);
  });

  it('summarises the significant differences at the top: policy, metric, direction, size, interval', () => {
    const top = html.slice(html.indexOf('id="significant"'), html.indexOf('</section>'));
    const items = top.match(/<li>.*?<\/li>/g)!.map((li) => li.replace(/<[^>]+>/g, ''));
    expect(items).toEqual([
      'binpack: Scheduling latency P99 lower by 0.233 s (−18.4 % of 1.267 s), 95% CI 0.09 s … 0.377 s',
      'binpack: CPU utilisation mean higher by 14.7 pp, 95% CI 13.2 pp … 16.1 pp',
    ]);
    expect(html.indexOf('id="significant"')).toBeLessThan(html.indexOf('data-metric='));
  });

  it('says so when no difference is significant', () => {
    const data = comparisonFixture();
    data.rows = data.rows.map((r) => (r.excludesZero ? { ...r, excludesZero: false } : r));
    const page = buildComparisonReport(data);
    expect(page).toContain(
      'No metric differs from default-scheduler with a 95% paired interval that excludes zero (3 seeds).',
    );
  });

  it('says there is nothing to compare with one policy', () => {
    const data = comparisonFixture();
    data.policies = ['default-scheduler'];
    data.rows = data.rows.filter((r) => r.policy === 'default-scheduler');
    expect(buildComparisonReport(data)).toContain(
      'Only one policy: there is no difference to show.',
    );
  });

  it('puts the metrics with a significant difference first, in catalogue order otherwise', () => {
    const data = comparisonFixture();
    // Latency no longer significant: CPU (significant) moves ahead of it.
    data.rows = data.rows.map((r) =>
      r.metric === 'schedulingLatencyP99' ? { ...r, excludesZero: false } : r,
    );
    const order = [...buildComparisonReport(data).matchAll(/data-metric="([^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(order).toEqual(['cpuUtilisationMean', 'schedulingLatencyP99', 'evictions']);
  });

  it('marks, without clipping, a t-interval below zero for a metric that cannot be negative', () => {
    const data = comparisonFixture();
    data.rows = data.rows.map((r) =>
      r.metric === 'evictions' && r.policy === 'binpack' ? { ...r, ciLow: -3.3, ciHigh: 5.3 } : r,
    );
    const page = buildComparisonReport(data);
    expect(page).toContain(
      '-3.3<span class="mark" title="below 0 for a metric that cannot be negative">†</span> … 5.3',
    );
    expect(page).toContain('† The t-interval reaches below 0');
    expect(html).not.toContain('† The t-interval reaches below 0');
  });

  it('shows a metric’s reading note under its title', () => {
    const data = comparisonFixture();
    data.rows = data.rows.map((r) =>
      r.metric === 'evictions'
        ? { ...r, metric: 'timeToRecoverMean', label: 'Time to recover mean', unit: 's' }
        : r,
    );
    expect(buildComparisonReport(data)).toContain(
      'counts until the end of the run, so with unrecovered failures this is a lower bound.',
    );
  });

  it('links every run to its report.html by a relative path, one row per seed', () => {
    expect(html).toContain('<a href="runs/policy-1/seed-12/report.html">runs/policy-1/seed-12</a>');
    expect(html.match(/<a href=/g)).toHaveLength(9);
  });

  it('inlines chart.js and uses no network URL of its own', () => {
    expect(html).toContain(chartJsSource());
    const own = html.replace(chartJsSource(), '');
    expect(own).not.toMatch(/https?:\/\//);
    expect(html.match(/<script/g)).toHaveLength(3);
  });

  it('charts exactly the metrics asked for when keyMetrics is given', () => {
    const page = buildComparisonReport({ ...comparisonFixture(), keyMetrics: ['evictions'] });
    expect(embeddedData(page).charts.map((c: any) => c.label)).toEqual(['Evictions']);
  });
});
