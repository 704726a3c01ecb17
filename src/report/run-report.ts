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
    'Workloads: ready vs desired pods',
    run.workloads.length > 0 && run.times.length > 0
      ? `<div class="controls"><label>Workload <select id="workload"></select></label></div>${canvas('workload-chart', true)}
<p class="note">Deployments, StatefulSets: Ready pods vs spec.replicas. DaemonSets: numberReady vs
desiredNumberScheduled (a NotReady, tainted node leaves desired). Jobs: Ready pods vs the pods the Job wants running
now, min(parallelism, completions − succeeded), 0 once finished.</p>`
      : '<p class="note">No workload columns in timeseries.csv.</p>',
  )}
  ${objectMetricCards(s.metrics)}
</div>
<div class="grid">
  ${card('Requested per node over time', heatmapSection(run), 'wide')}
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

const MARKER_KIND_LABEL = { action: 'action', failure: 'failure', recovery: 'recovery' } as const;

function timelineSection(run: RunData): string {
  const unit = chooseTimeUnit(run.endS);
  const markers = run.markers.length
    ? `<div class="scroll"><table><tr><th class="num">time (${unit.label})</th><th>kind</th><th>what</th><th>details</th></tr>${run.markers
        .map(
          (m) =>
            `<tr class="marker-${m.kind}"><td class="num">${escapeHtml(formatNumber(m.timeS / unit.divisor, 2))}</td><td>${
              MARKER_KIND_LABEL[m.kind]
            }</td><td>${escapeHtml(m.reason)}</td><td>${escapeHtml(m.message)}</td></tr>`,
        )
        .join('')}</table></div>
<p class="note">Scripted actions and control-plane failures from events.csv (Simulation), every node failure
from summary.json recovery, nodes Ready again from NodeReady events. On the charts: failures red, recoveries green,
other actions grey.</p>`
    : '<p class="note">No scripted actions or failures.</p>';
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
  const never =
    run.neverScheduled > 0
      ? ` The ${run.neverScheduled} ${run.neverScheduled === 1 ? 'pod' : 'pods'} never scheduled ${
          run.neverScheduled === 1 ? 'is' : 'are'
        } not included: ${run.neverScheduled === 1 ? 'its' : 'their'} latency is unknown (at least until the end of the run).`
      : '';
  const note =
    id === 'latency-cdf'
      ? `<p class="note">Fraction of the ${run.latency.n} scheduled pods scheduled within x.${never}</p>`
      : `<p class="note">scheduled − created for ${run.latency.n} scheduled pods, in bins of ${escapeHtml(
          formatNumber(run.latency.binSeconds),
        )} s on a linear axis.${never}</p>`;
  return `<div class="chart"><canvas id="${id}"></canvas></div>${note}`;
}

/** Object-valued metrics (availability per workload, recovery per failure, …) as tables. */
function objectMetricCards(metrics: Record<string, unknown>): string {
  const names = Object.keys(metrics)
    .filter((name) => metrics[name] !== null && typeof metrics[name] === 'object')
    .sort(compareMetricNames);
  return names
    .map((name) => {
      const value = metrics[name] as object;
      // Tables of many columns (recovery per failure) get the full width.
      const wide = Array.isArray(value) && columnsOf(value).length > 4;
      return card(objectMetricTitle(name), objectTable(name, value), wide ? 'wide' : '');
    })
    .join('\n');
}

function objectMetricTitle(name: string): string {
  if (name === 'availability') return 'Availability per workload';
  if (name === 'recovery') return 'Recovery per node failure';
  if (name === 'controlPlaneFailures') return 'Control-plane failures';
  if (name === 'serviceAvailability') return 'Availability per Service';
  return metricInfo(name).label;
}

/**
 * Column headers for the tables summary.json writes (faults/recovery-measures.ts,
 * control-plane/measures.ts, faults/service-availability.ts); other keys show as they are.
 */
const COLUMN_HEADERS: Record<string, { label: string; title?: string }> = {
  failure: { label: 'failure' },
  at_s: { label: 'at (s)', title: 'when the failure began, seconds since the start' },
  nodes: { label: 'nodes' },
  detect_s: { label: 'NotReady after (s)', title: 'first NodeNotReady, seconds after the failure' },
  evict_s: {
    label: 'first eviction (s)',
    title: 'first TaintManagerEviction, seconds after the failure',
  },
  evict_last_s: {
    label: 'last eviction (s)',
    title: 'last TaintManagerEviction, seconds after the failure',
  },
  replace_s: {
    label: 'replaced after (s)',
    title: 'when as many replacements were scheduled as pods were evicted',
  },
  recover_s: {
    label: 'recovered after (s)',
    title: 'when every affected workload again had its Ready pods of just before the failure',
  },
  unavailable_pod_s: {
    label: 'pod-seconds short',
    title: 'Σ over affected workloads of Ready pods missing × time, until recovery',
  },
  action: { label: 'action' },
  target: { label: 'target' },
  atSeconds: { label: 'at (s)' },
  recoveredAtSeconds: { label: 'recovered at (s)' },
  restoredAfterSeconds: {
    label: 'service back after (s)',
    title: 'writes, etcd leader and both leaders back, seconds after the failure',
  },
  writesUnavailableSeconds: { label: 'no writes (s)' },
  etcdNoLeaderSeconds: { label: 'no etcd leader (s)' },
  schedulerNoLeaderSeconds: { label: 'no scheduler leader (s)' },
  controllerManagerNoLeaderSeconds: { label: 'no controller-manager leader (s)' },
  writesRefused: { label: 'writes refused' },
  bindingsRefused: { label: 'bindings refused' },
  podCreationsRefused: { label: 'pod creations refused' },
  service: { label: 'Service' },
  available: { label: 'available', title: 'fraction of the run with at least one Ready endpoint' },
  meanReadyFraction: {
    label: 'mean Ready endpoints',
    title: 'time-average of Ready ÷ all endpoints',
  },
  unavailable_s: { label: 'unavailable (s)' },
};

/** What a null cell means, where "—" would hide it. */
const NULL_TEXT: Record<string, string> = {
  recover_s: 'not by the end',
  recoveredAtSeconds: 'never',
};

const RATIO_COLUMNS = new Set(['available', 'meanReadyFraction']);

function columnsOf(rows: unknown[]): string[] {
  const columns: string[] = [];
  for (const row of rows) {
    for (const key of Object.keys(row ?? {})) if (!columns.includes(key)) columns.push(key);
  }
  return columns;
}

function cell(value: unknown, ratio: boolean, nullText = '—'): string {
  if (typeof value === 'number') {
    const text = ratio ? formatMetric(value, 'ratio') : formatNumber(value);
    return `<td class="num">${escapeHtml(text)}</td>`;
  }
  if (value === null || value === undefined) return `<td class="num">${escapeHtml(nullText)}</td>`;
  return `<td>${escapeHtml(typeof value === 'string' ? value : JSON.stringify(value))}</td>`;
}

function objectTable(name: string, value: object): string {
  const ratio = name === 'availability';
  if (Array.isArray(value)) {
    if (value.length === 0) return '<p class="note">None.</p>';
    const columns = columnsOf(value);
    const head = columns
      .map((c) => {
        const h = COLUMN_HEADERS[c];
        const title = h?.title ? ` title="${escapeHtml(h.title)}"` : ` title="${escapeHtml(c)}"`;
        const numeric = value.some((row) => typeof (row ?? {})[c] === 'number');
        return `<th${numeric ? ' class="num"' : ''}${title}>${escapeHtml(h?.label ?? c)}</th>`;
      })
      .join('');
    const body = value
      .map(
        (row) =>
          `<tr>${columns.map((c) => cell((row ?? {})[c], ratio || RATIO_COLUMNS.has(c), NULL_TEXT[c])).join('')}</tr>`,
      )
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
  const bands = h.rows.some((r) => r.nodes > 1);
  const nodeRows = h.rows.filter((r) => r.nodes === 1).length;
  const rowsNote =
    nodeRows === h.usedNodes
      ? `Each of the ${h.usedNodes} nodes that held a pod has its own row`
      : `The ${h.usedNodes} nodes that held a pod are in ${h.rows.filter((r) => !r.label.includes('never used')).length} rows (bands of consecutive nodes of a pool)`;
  const controls = `<div class="controls"><label>Resource <select id="heatmap-resource"></select></label>${
    bands
      ? ' <label>Bands show <select id="heatmap-band"><option value="mean">mean of the band</option><option value="max">busiest node</option></select></label>'
      : ''
  }</div>`;
  return `${controls}
<div class="heat-legend"><span>0 %</span><span class="heat-scale"></span><span>100 % of allocatable requested</span>
<span class="heat-key" style="background:#f4f5f7"></span>nothing
<span class="heat-key" style="background:#d7191c"></span>over 100 %
<span class="heat-key heat-absent"></span>node absent
<span class="heat-key" style="background:#d9dde3"></span>resource not offered</div>
<div class="heat-scroll"><canvas id="heatmap"></canvas></div>
<p id="heatmap-readout" class="note"></p>
<p class="note">What the pods bound to a node request (from scheduling to finish) ÷ its allocatable, averaged over
${h.buckets} time buckets of ${escapeHtml(formatNumber(h.bucketSeconds))} s (at most ${MAX_BUCKETS}).
${escapeHtml(rowsNote)}, by pool in nodes.csv order; the nodes of a pool that never held a pod share one row.
${bands ? 'A band shows its requested ÷ allocatable (capacity-weighted), or its busiest node. ' : ''}${h.totalNodes} nodes in all.</p>`;
}

function thinningNote(run: RunData): string {
  if (run.timeseriesRows <= MAX_SERIES_POINTS) return '';
  return `<p class="note">timeseries.csv has ${run.timeseriesRows} rows; the charts show ${run.times.length / 2} equal runs of consecutive samples, each as its minimum and maximum, so short dips and spikes stay visible.</p>`;
}
