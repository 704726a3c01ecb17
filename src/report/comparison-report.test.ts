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
