/**
 * comparison.html for `ksim compare`: per metric, each policy's mean with its 95% confidence
 * interval and the paired difference from the baseline policy (same seeds), a bar chart with CI
 * whiskers for the key metrics, and links to every run's own report. Self-contained like
 * report.html. The statistics are computed by the caller (src/compare); this page only shows them.
 */
import { COMPARISON_PAGE_SCRIPT } from './client-scripts.js';
import { escapeHtml, relativeHref, renderPage } from './html.js';
import {
  formatDifference,
  formatMetric,
  KEY_METRICS,
  metricInfo,
  NON_NEGATIVE_UNITS,
  type MetricUnit,
} from './metric-catalogue.js';

export interface ComparisonRow {
  metric: string;
  label: string;
  unit: MetricUnit;
  policy: string;
  n: number;
  mean: number | null;
  sd: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** Paired difference policy − baseline over the same seeds; absent on the baseline's own rows. */
  /** Seeds where both have a value: the pairs the difference is computed from. */
  diffN?: number;
  diffMean?: number | null;
  diffCiLow?: number | null;
  diffCiHigh?: number | null;
  excludesZero?: boolean;
}

export interface ComparisonRun {
  policy: string;
  seed: number;
  /** Run directory relative to comparison.html; its report.html is linked. */
  dir: string;
}

export interface ComparisonData {
  scenario: string;
  seeds: number[];
  policies: string[];
  baseline: string;
  rows: ComparisonRow[];
  runs: ComparisonRun[];
  /** Metrics that get a bar chart; default: KEY_METRICS present in rows, else the first six. */
  keyMetrics?: string[];
}

interface MetricGroup {
  metric: string;
  label: string;
  unit: MetricUnit;
  rows: ComparisonRow[];
}

export function buildComparisonReport(data: ComparisonData): string {
  const groups = orderBySignificance(groupByMetric(data), data.baseline);
  const charted = chartedMetrics(data, groups);
  const charts = charted.map((g) => chartData(g, data.policies, data.baseline));
  const chartIndex = new Map(charted.map((g, i) => [g.metric, i]));
  const belowZero = groups.some((g) => g.rows.some((r) => ciBelowZero(r)));
  const body = `
<h1>ksim compare: ${escapeHtml(data.scenario)}</h1>
<p class="meta">
  <span>policies <b>${escapeHtml(data.policies.join(', '))}</b></span>
  <span>baseline <b>${escapeHtml(data.baseline)}</b></span>
  <span>seeds <b>${escapeHtml(data.seeds.join(', '))}</b> (${data.seeds.length})</span>
</p>
<div class="grid">
  <section class="card wide" id="significant"><h2>Significant differences from ${escapeHtml(data.baseline)}</h2>${significantSummary(groups, data)}</section>
</div>
<p class="note">Mean over seeds with a 95% confidence interval (mean ± t(0.975, n−1)·sd/√n).
Δ is policy − ${escapeHtml(data.baseline)} paired by seed (every policy saw the same arrivals and failures on a seed),
with its own 95% interval; “yes” means that interval excludes zero. Charts: left the means (the baseline bar grey),
right the paired differences with a line at zero — a whisker that does not cross it is a significant difference.
Metrics with a significant difference come first.${
    belowZero
      ? ' † The t-interval reaches below 0 for a metric that cannot be negative (few seeds or skewed values): it is reported as computed; read its lower end as 0.'
      : ''
  }</p>
<div class="grid">
${groups.map((g) => metricCard(g, data.baseline, chartIndex.get(g.metric), data.policies.length > 1)).join('\n')}
</div>
<div class="grid">
  <section class="card wide"><h2>Runs</h2>${runsTable(data)}</section>
</div>`;
  return renderPage({
    title: `ksim compare: ${data.scenario}`,
    body,
    data: { baseline: data.baseline, charts },
    script: COMPARISON_PAGE_SCRIPT,
  });
}

/** A t-interval below zero for a metric that cannot be negative (marked, not clipped). */
function ciBelowZero(r: ComparisonRow): boolean {
  return NON_NEGATIVE_UNITS.has(r.unit) && r.ciLow !== null && r.ciLow < 0;
}

const significant = (g: MetricGroup, baseline: string): ComparisonRow[] =>
  g.rows.filter((r) => r.policy !== baseline && r.excludesZero === true);

/** Metrics with a significant difference first; otherwise the catalogue order is kept. */
function orderBySignificance(groups: MetricGroup[], baseline: string): MetricGroup[] {
  const yes = groups.filter((g) => significant(g, baseline).length > 0);
  return [...yes, ...groups.filter((g) => !yes.includes(g))];
}

/** One line per (metric, policy) whose paired interval excludes zero: direction, size, interval. */
function significantSummary(groups: MetricGroup[], data: ComparisonData): string {
  const items: string[] = [];
  for (const g of groups) {
    const base = g.rows.find((r) => r.policy === data.baseline);
    for (const r of significant(g, data.baseline)) {
      const d = r.diffMean ?? 0;
      const abs = (v: number | null | undefined) =>
        v == null ? '—' : formatDifference(Math.abs(v), g.unit).replace(/^\+/, '');
      const [lo, hi] =
        d < 0 ? [-(r.diffCiHigh ?? 0), -(r.diffCiLow ?? 0)] : [r.diffCiLow ?? 0, r.diffCiHigh ?? 0];
      const relative =
        base?.mean != null && base.mean !== 0 && g.unit !== 'ratio'
          ? ` (${d > 0 ? '+' : '−'}${Math.abs((d / base.mean) * 100).toFixed(1)} % of ${formatMetric(base.mean, g.unit)})`
          : '';
      items.push(
        `<li><b>${escapeHtml(r.policy)}</b>: ${escapeHtml(g.label)} <b class="${d < 0 ? 'lower' : 'higher'}">${
          d < 0 ? 'lower' : 'higher'
        } by ${escapeHtml(abs(d))}</b>${escapeHtml(relative)}, 95% CI ${escapeHtml(abs(lo))} … ${escapeHtml(abs(hi))}</li>`,
      );
    }
  }
  if (data.policies.length < 2) return '<p>Only one policy: there is no difference to show.</p>';
  if (items.length === 0) {
    return `<p>No metric differs from ${escapeHtml(data.baseline)} with a 95% paired interval that excludes zero (${data.seeds.length} seeds).</p>`;
  }
  return `<ul class="findings">${items.join('')}</ul>`;
}

function groupByMetric(data: ComparisonData): MetricGroup[] {
  const groups = new Map<string, MetricGroup>();
  for (const row of data.rows) {
    let g = groups.get(row.metric);
    if (!g) {
      g = { metric: row.metric, label: row.label, unit: row.unit, rows: [] };
      groups.set(row.metric, g);
    }
    g.rows.push(row);
  }
  // Rows in the order the policies were given.
  const order = new Map(data.policies.map((p, i) => [p, i]));
  for (const g of groups.values()) {
    g.rows.sort((a, b) => (order.get(a.policy) ?? Infinity) - (order.get(b.policy) ?? Infinity));
  }
  return [...groups.values()];
}

/** A metric that is 0 (or undefined) in every run of every policy: a chart would be empty. */
function allZero(g: MetricGroup): boolean {
  return g.rows.every((r) =>
    [r.mean, r.ciLow, r.ciHigh, r.diffMean, r.diffCiLow, r.diffCiHigh].every(
      (v) => v == null || v === 0,
    ),
  );
}

function chartedMetrics(data: ComparisonData, groups: MetricGroup[]): MetricGroup[] {
  const byName = new Map(groups.map((g) => [g.metric, g]));
  const wanted = data.keyMetrics ?? KEY_METRICS.filter((m) => byName.has(m));
  const chosen = wanted.map((m) => byName.get(m)).filter((g): g is MetricGroup => g !== undefined);
  const charted = chosen.length > 0 || data.keyMetrics ? chosen : groups.slice(0, 6);
  return charted.filter((g) => !allZero(g));
}

/** Ratios are charted in percent so the axis reads like the tables. */
function chartData(g: MetricGroup, policies: string[], baseline: string) {
  const scale = g.unit === 'ratio' ? 100 : 1;
  const times = (v: number | null | undefined) => (v == null ? null : v * scale);
  const rows = policies.map((p) => g.rows.find((r) => r.policy === p));
  const others = policies.filter((p) => p !== baseline);
  const diffRows = others.map((p) => g.rows.find((r) => r.policy === p));
  return {
    label: g.label,
    axis: g.unit === 'ratio' ? '%' : g.unit,
    diffAxis: g.unit === 'ratio' ? 'Δ pp' : `Δ ${g.unit}`.trim(),
    policies,
    means: rows.map((r) => times(r?.mean)),
    ci: rows.map((r) => [times(r?.ciLow), times(r?.ciHigh)]),
    diff: {
      policies: others,
      means: diffRows.map((r) => times(r?.diffMean)),
      ci: diffRows.map((r) => [times(r?.diffCiLow), times(r?.diffCiHigh)]),
      significant: diffRows.map((r) => r?.excludesZero === true),
    },
  };
}

function metricCard(
  g: MetricGroup,
  baseline: string,
  chart: number | undefined,
  differences: boolean,
): string {
  // Non-breaking space between number and unit: interval cells may wrap, but only at the "…".
  const keep = (text: string) => escapeHtml(text.replace(/ /g, '\u00a0'));
  const f = (v: number | null | undefined) => keep(formatMetric(v, g.unit));
  const d = (v: number | null | undefined) => keep(formatDifference(v, g.unit));
  const rows = g.rows.map((r) => {
    const isBaseline = r.policy === baseline;
    const dagger = ciBelowZero(r)
      ? '<span class="mark" title="below 0 for a metric that cannot be negative">†</span>'
      : '';
    const ci =
      r.ciLow === null || r.ciHigh === null ? '—' : `${f(r.ciLow)}${dagger} … ${f(r.ciHigh)}`;
    const diff = isBaseline
      ? '<td class="baseline" colspan="3">baseline</td>'
      : `<td class="num">${d(r.diffMean)}</td><td class="num ci">${
          r.diffCiLow == null || r.diffCiHigh == null
            ? '—'
            : `${d(r.diffCiLow)} … ${d(r.diffCiHigh)}`
        }</td><td>${r.excludesZero ? '<span class="yes">yes</span>' : 'no'}</td>`;
    return `<tr><th>${escapeHtml(r.policy)}</th><td class="num">${r.n}</td><td class="num">${f(r.mean)}</td><td class="num">${f(
      r.sd,
    )}</td><td class="num ci">${ci}</td>${diff}</tr>`;
  });
  const table = `<div class="scroll"><table>
<tr><th>policy</th><th class="num">n</th><th class="num">mean</th><th class="num">sd</th><th class="num">95% CI</th><th class="num">Δ mean</th><th class="num">Δ 95% CI</th><th title="Does the Δ 95% CI exclude zero?" style="white-space:nowrap">Δ ≠ 0</th></tr>
${rows.join('\n')}
</table></div>`;
  const charts =
    chart === undefined
      ? ''
      : `<div class="metric"><div class="chart"><canvas id="chart-${chart}"></canvas></div>${
          differences ? `<div class="chart"><canvas id="diff-${chart}"></canvas></div>` : ''
        }</div>`;
  const note = [
    metricInfo(g.metric).note,
    allZero(g) ? 'Zero in every run of every policy.' : undefined,
  ]
    .filter((n) => n)
    .join(' ');
  return `<section class="card wide" data-metric="${escapeHtml(g.metric)}"><h2 title="${escapeHtml(g.metric)}">${escapeHtml(g.label)}</h2>${
    note ? `<p class="note">${escapeHtml(note)}</p>` : ''
  }${charts}${table}</section>`;
}

function runsTable(data: ComparisonData): string {
  const head = data.policies.map((p) => `<th>${escapeHtml(p)}</th>`).join('');
  const rows = data.seeds.map((seed) => {
    const cells = data.policies.map((policy) => {
      const run = data.runs.find((r) => r.policy === policy && r.seed === seed);
      if (!run) return '<td>—</td>';
      const href = relativeHref(`${run.dir.replace(/\/+$/, '')}/report.html`);
      return `<td><a href="${escapeHtml(href)}">${escapeHtml(run.dir)}</a></td>`;
    });
    return `<tr><td class="num">${escapeHtml(String(seed))}</td>${cells.join('')}</tr>`;
  });
  return `<div class="scroll"><table><tr><th class="num">seed</th>${head}</tr>${rows.join('')}</table></div>`;
}
