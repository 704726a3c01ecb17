/**
 * report.html for one run directory: a single self-contained page (chart.js and the data inlined)
 * that opens offline. Tables are rendered here with every scenario-supplied string escaped; the
 * charts are drawn in the browser from the embedded JSON.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_PAGE_SCRIPT } from './client-scripts.js';
import { MAX_BUCKETS } from './heatmap.js';
import { escapeHtml, renderPage } from './html.js';
import { compareMetricNames, formatMetric, formatNumber, metricInfo } from './metric-catalogue.js';
import { loadRunData, MAX_SERIES_POINTS, type RunData, type RunSummary } from './run-data.js';

export interface TimeUnit {
  label: 's' | 'min' | 'h';
  divisor: number;
}

/** Seconds for runs up to 15 min, minutes up to 10 h, hours beyond. */
export function chooseTimeUnit(endS: number): TimeUnit {
  if (endS <= 900) return { label: 's', divisor: 1 };
  if (endS <= 36_000) return { label: 'min', divisor: 60 };
  return { label: 'h', divisor: 3600 };
}

export function buildRunReport(runDir: string, summary?: RunSummary): string {
  const run = loadRunData(runDir, summary);
  const s = run.summary;
  const data = {
    timeUnit: chooseTimeUnit(run.endS),
    endS: run.endS,
    times: run.times,
    resourceViews: run.resourceViews,
    pods: run.pods,
    nodes: run.nodes,
    workloads: run.workloads,
    markers: run.markers,
    latency: run.latency,
    heatmap: run.heatmap,
  };
  const body = `
<h1>ksim run: ${escapeHtml(s.scenario)}</h1>
<p class="meta">
  <span>seed <b>${escapeHtml(String(s.seed))}</b></span>
  <span>profile <b>${escapeHtml(s.profile)}</b></span>
  <span>simulated <b>${escapeHtml(formatNumber(s.simulatedSeconds))} s</b></span>
  <span>events <b>${escapeHtml(String(s.events))}</b></span>
  <span>ksim <b>${escapeHtml(s.ksimVersion)}</b></span>
</p>
<div class="grid">
  ${card('Summary', summaryTable(s.metrics))}
  ${card('Timeline', timelineSection(run))}
</div>
<div class="grid">
  ${card(
    'CPU requested vs allocatable',
    `<div class="controls"><label>View <select id="resource-view"></select></label></div>${canvas('cpu-chart', run.times.length > 0)}`,
  )}
  ${card('Memory requested vs allocatable', canvas('memory-chart', run.times.length > 0))}
  ${card('Pods', canvas('pods-chart', run.times.length > 0))}
  ${card('Nodes', canvas('nodes-chart', run.times.length > 0))}
  ${card('Scheduling latency histogram', latencySection(run, 'latency-histogram'))}
  ${card('Scheduling latency CDF', latencySection(run, 'latency-cdf'))}
  ${card(
    'Workloads: ready vs desired replicas',
    run.workloads.length > 0 && run.times.length > 0
      ? `<div class="controls"><label>Workload <select id="workload"></select></label></div>${canvas('workload-chart', true)}`
      : '<p class="note">No workload columns in timeseries.csv.</p>',
  )}
  ${objectMetricCards(s.metrics)}
</div>
<div class="grid">
  ${card('CPU requested per node over time', heatmapSection(run), 'wide')}
</div>
${thinningNote(run)}`;
  return renderPage({
    title: `ksim run: ${s.scenario} (seed ${s.seed})`,
    body,
    data,
    script: RUN_PAGE_SCRIPT,
  });
}

/**
 * Writes to a temporary name and renames, so a crash never leaves a half-written report.
 * `summary` stands in for summary.json while a run is still writing its files.
 */
export function writeRunReport(
  runDir: string,
  outFile = join(runDir, 'report.html'),
  summary?: RunSummary,
): void {
  const html = buildRunReport(runDir, summary);
  const tmp = `${outFile}.tmp`;
  writeFileSync(tmp, html);
  renameSync(tmp, outFile);
}

function card(title: string, content: string, extraClass = ''): string {
  return `<section class="card ${extraClass}"><h2>${escapeHtml(title)}</h2>${content}</section>`;
}

function canvas(id: string, hasData: boolean): string {
  return hasData
    ? `<div class="chart"><canvas id="${id}"></canvas></div>`
    : '<p class="note">No timeseries.csv in this run.</p>';
}

function summaryTable(metrics: Record<string, unknown>): string {
  const scalars = Object.keys(metrics)
    .filter((name) => metrics[name] === null || typeof metrics[name] === 'number')
    .sort(compareMetricNames);
  if (scalars.length === 0) return '<p class="note">No metrics in summary.json.</p>';
  const rows = scalars.map((name) => {
    const info = metricInfo(name);
    return `<tr><th title="${escapeHtml(name)}">${escapeHtml(info.label)}</th><td class="num">${escapeHtml(
      formatMetric(metrics[name] as number | null, info.unit),
    )}</td></tr>`;
  });
  return `<table>${rows.join('')}</table>`;
}

function timelineSection(run: RunData): string {
  const markers = run.markers.length
    ? `<div class="scroll"><table><tr><th class="num">time (s)</th><th>action</th><th>details</th></tr>${run.markers
        .map(
          (m) =>
            `<tr><td class="num">${escapeHtml(formatNumber(m.timeS))}</td><td>${escapeHtml(m.reason)}</td><td>${escapeHtml(
              m.message,
            )}</td></tr>`,
        )
        .join('')}</table></div>`
    : '<p class="note">No scripted actions or failures (no Simulation events).</p>';
  const reasons = run.eventReasons.length
    ? `<h2 style="margin-top:14px">Events by reason</h2><div class="scroll"><table><tr><th>kind</th><th>reason</th><th class="num">count</th></tr>${run.eventReasons
        .map(
          (r) =>
            `<tr><td>${escapeHtml(r.kind)}</td><td>${escapeHtml(r.reason)}</td><td class="num">${r.count}</td></tr>`,
        )
        .join('')}</table></div>`
    : '';
  return markers + reasons;
}

function latencySection(run: RunData, id: string): string {
  if (!run.latency) return '<p class="note">No pod was scheduled.</p>';
  const note =
    id === 'latency-cdf'
      ? ''
      : `<p class="note">scheduled − created for ${run.latency.n} scheduled pods.</p>`;
  return `<div class="chart"><canvas id="${id}"></canvas></div>${note}`;
}

/** Object-valued metrics (availability per workload, recovery per failure, …) as generic tables. */
function objectMetricCards(metrics: Record<string, unknown>): string {
  const names = Object.keys(metrics)
    .filter((name) => metrics[name] !== null && typeof metrics[name] === 'object')
    .sort(compareMetricNames);
  return names
    .map((name) => card(objectMetricTitle(name), objectTable(name, metrics[name] as object)))
    .join('\n');
}

function objectMetricTitle(name: string): string {
  if (name === 'availability') return 'Availability per workload';
  if (name === 'recovery') return 'Recovery per failure';
  return metricInfo(name).label;
}

function cell(value: unknown, ratio: boolean): string {
  if (typeof value === 'number') {
    const text = ratio ? formatMetric(value, 'ratio') : formatNumber(value);
    return `<td class="num">${escapeHtml(text)}</td>`;
  }
  if (value === null || value === undefined) return '<td class="num">—</td>';
  return `<td>${escapeHtml(typeof value === 'string' ? value : JSON.stringify(value))}</td>`;
}

function objectTable(name: string, value: object): string {
  const ratio = name === 'availability';
  if (Array.isArray(value)) {
    if (value.length === 0) return '<p class="note">None.</p>';
    const columns: string[] = [];
    for (const row of value) {
      for (const key of Object.keys(row ?? {})) if (!columns.includes(key)) columns.push(key);
    }
    const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
    const body = value
      .map((row) => `<tr>${columns.map((c) => cell((row ?? {})[c], ratio)).join('')}</tr>`)
      .join('');
    return `<div class="scroll"><table><tr>${head}</tr>${body}</table></div>`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '<p class="note">None.</p>';
  return `<div class="scroll"><table>${entries
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th>${cell(v, ratio)}</tr>`)
    .join('')}</table></div>`;
}

function heatmapSection(run: RunData): string {
  const h = run.heatmap;
  if (!h) return '<p class="note">No nodes.csv, or the run has no duration.</p>';
  const buckets = h.values[0]?.length ?? 0;
  const sampled =
    h.nodes.length < h.totalNodes
      ? ` Showing ${h.nodes.length} of ${h.totalNodes} nodes, evenly sampled in nodes.csv order.`
      : ` All ${h.totalNodes} nodes, in nodes.csv order.`;
  return `<canvas id="heatmap"></canvas>
<p id="heatmap-readout" class="note"></p>
<p class="note">CPU requested by the pods bound to each node (from scheduling to finish) ÷ its allocatable CPU,
averaged over ${buckets} time buckets of ${escapeHtml(formatNumber(h.bucketSeconds))} s (at most ${MAX_BUCKETS}).${escapeHtml(sampled)}
</p>
<p class="note">0 %<span class="legend-bar"></span>100 % of allocatable CPU requested; red = over 100 %, hatched = node absent.</p>`;
}

function thinningNote(run: RunData): string {
  if (run.timeseriesRows <= MAX_SERIES_POINTS) return '';
  return `<p class="note">timeseries.csv has ${run.timeseriesRows} rows; the charts show ${run.times.length} evenly spaced samples.</p>`;
}
