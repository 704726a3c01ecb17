/**
 * Opens the generated report.html and comparison.html from disk in Debian's chromium with every
 * non-file request blocked, and checks that the pages work offline: no errors, no requests, no
 * script injected from scenario text, every canvas painted, key numbers on the page.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runComparison, type CompareResult } from '../../src/compare/compare.js';
import { buildComparisonReport } from '../../src/report/comparison-report.js';
import { jsonForScript } from '../../src/report/html.js';
import { formatMetric, formatNumber } from '../../src/report/metric-catalogue.js';
import { writeRunReport } from '../../src/report/run-report.js';
import { comparisonFixture, HOSTILE_POLICY } from '../fixtures/report/comparison-fixture.js';
import { runScenarioInto } from '../fixtures/report/run-scenario.js';
import {
  HOSTILE_MESSAGE,
  HOSTILE_WORKLOAD,
  writeRunFixture,
} from '../fixtures/report/run-fixture.js';

const out = resolve('test-output', 'browser');

function findChromium(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'];
  try {
    candidates.push(execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim());
  } catch {
    // not on PATH; the explicit candidates may still exist
  }
  const found = candidates.find((c): c is string => !!c && existsSync(c));
  if (!found) {
    throw new Error(
      "The browser report test needs Debian's chromium (apt-get install chromium) at /usr/bin/chromium, " +
        'or its path in CHROMIUM_PATH. It was not found.',
    );
  }
  return found;
}

/** Headless chromium with nothing that would reach the network on its own. */
function launch(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  failedRequests: string[];
  blockedRequests: string[];
  dialogs: string[];
}

/** Opens `file` with network blocked and collects everything that went wrong. */
async function openOffline(
  browser: Browser,
  file: string,
): Promise<{ page: Page; problems: PageProblems }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: PageProblems = {
    consoleErrors: [],
    pageErrors: [],
    failedRequests: [],
    blockedRequests: [],
    dialogs: [],
  };
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    problems.blockedRequests.push(url);
    return route.abort();
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => problems.pageErrors.push(String(e)));
  page.on('requestfailed', (r) => problems.failedRequests.push(r.url()));
  page.on('dialog', (d) => {
    problems.dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, problems };
}

/** The ids of the page's canvases, in document order. */
async function canvasIds(page: Page): Promise<string[]> {
  // The project compiles without the DOM lib, so the page's globals are reached through globalThis.
  return page.evaluate(() =>
    Array.from((globalThis as any).document.querySelectorAll('canvas') as ArrayLike<any>).map((c) =>
      String(c.id),
    ),
  );
}

interface ChartCheck {
  id: string;
  /** Pixels that change when every dataset is hidden (scales and legend held fixed): the data. */
  dataPixels: number;
  /** Per dataset: its label and how many of its points have a value. */
  datasets: { label: string; points: number }[];
}

/**
 * For every chart.js chart on the page: how many pixels its datasets paint. Axes, gridlines,
 * legend and markers paint whether or not there is data, so "non-blank" proves nothing; instead
 * the chart is drawn once as it is and once with all datasets hidden — with each scale's range
 * pinned and the legend off, so nothing but the data can differ — and the pixels compared.
 */
async function chartChecks(page: Page): Promise<ChartCheck[]> {
  return page.evaluate(() => {
    const g = globalThis as any;
    const pixels = (canvas: any): Uint8ClampedArray =>
      canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    return Array.from(g.document.querySelectorAll('canvas') as ArrayLike<any>)
      .map((canvas) => ({ canvas, chart: g.Chart.getChart(canvas) }))
      .filter(({ chart }) => chart)
      .map(({ canvas, chart }) => {
        const saved = JSON.stringify({
          scales: chart.options.scales,
          legend: chart.options.plugins.legend,
        });
        for (const id of Object.keys(chart.scales)) {
          chart.options.scales[id] ??= {};
          chart.options.scales[id].min = chart.scales[id].min;
          chart.options.scales[id].max = chart.scales[id].max;
        }
        chart.options.plugins.legend.display = false;
        chart.update('none');
        const shown = pixels(canvas);
        chart.data.datasets.forEach((_: unknown, i: number) =>
          chart.setDatasetVisibility(i, false),
        );
        chart.update('none');
        const hidden = pixels(canvas);
        let dataPixels = 0;
        for (let i = 0; i < shown.length; i += 4) {
          if (
            shown[i] !== hidden[i] ||
            shown[i + 1] !== hidden[i + 1] ||
            shown[i + 2] !== hidden[i + 2] ||
            shown[i + 3] !== hidden[i + 3]
          )
            dataPixels++;
        }
        const restore = JSON.parse(saved);
        chart.options.scales = restore.scales;
        chart.options.plugins.legend = restore.legend;
        chart.data.datasets.forEach((_: unknown, i: number) => chart.setDatasetVisibility(i, true));
        chart.update('none');
        const value = (p: any) => (p !== null && typeof p === 'object' ? p.y : p);
        return {
          id: String(canvas.id),
          dataPixels,
          datasets: chart.data.datasets.map((ds: any) => ({
            label: String(ds.label),
            points: ds.data.filter((p: any) => value(p) !== null && value(p) !== undefined).length,
          })),
        };
      });
  });
}

/** Every chart paints data, and every dataset has at least one point with a value. */
function expectChartsDrawData(checks: ChartCheck[]): void {
  for (const c of checks) {
    expect({ id: c.id, drawsData: c.dataPixels > 0 }).toEqual({ id: c.id, drawsData: true });
    expect(c.datasets.length).toBeGreaterThan(0);
    for (const d of c.datasets)
      expect({ id: c.id, dataset: d.label, empty: d.points === 0 }).toEqual({
        id: c.id,
        dataset: d.label,
        empty: false,
      });
  }
}

/** The heat map's drawing geometry, which the page puts on the canvas as data attributes. */
async function heatmapGeometry(page: Page) {
  const canvas = page.locator('#heatmap');
  const box = (await canvas.boundingBox())!;
  const n = async (name: string) => Number(await canvas.getAttribute(`data-${name}`));
  return {
    width: box.width,
    left: await n('cells-left'),
    axis: await n('axis-height'),
    row: await n('row-height'),
  };
}

/** The heat map canvas as RGBA bytes (after choosing resource view `view`, if given). */
async function heatmapPixels(page: Page, view?: string): Promise<Buffer> {
  if (view !== undefined) await page.selectOption('#heatmap-resource', { label: view });
  // Base64 crosses from the page far faster than an array of a million numbers.
  const b64 = await page.evaluate(() => {
    const canvas = (globalThis as any).document.getElementById('heatmap');
    const bytes = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000)
      s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return (globalThis as any).btoa(s) as string;
  });
  return Buffer.from(b64, 'base64');
}

/**
 * A copy of report.html whose heat map has every value 0 (absent and not-offered cells kept):
 * the same rows, labels and axes, so the pixels that differ from the original are its data.
 */
function writeZeroedHeatmapCopy(reportFile: string): string {
  const html = readFileSync(reportFile, 'utf8');
  const m = /(<script type="application\/json" id="ksim-data">)([^<]*)(<\/script>)/.exec(html)!;
  const data = JSON.parse(m[2]!);
  const zero = (row: (number | null)[] | null) =>
    row && row.map((v) => (v === null || v < 0 ? v : 0));
  for (const r of data.heatmap.resources) {
    r.mean = r.mean.map(zero);
    r.max = r.max.map(zero);
  }
  const copy = reportFile.replace(/\.html$/, '.zero-heatmap.html');
  writeFileSync(
    copy,
    html.replace(m[0], () => m[1] + jsonForScript(data) + m[3]),
  );
  return copy;
}

/** Heat map pixels that differ between the page and its zeroed copy, per resource view. */
async function heatmapDataPixels(browser: Browser, reportFile: string, views: string[]) {
  const real = await openOffline(browser, reportFile);
  const zero = await openOffline(browser, writeZeroedHeatmapCopy(reportFile));
  const out: Record<string, number> = {};
  for (const view of views) {
    const a = await heatmapPixels(real.page, view);
    const b = await heatmapPixels(zero.page, view);
    expect(a.length).toBe(b.length);
    let differ = 0;
    for (let i = 0; i < a.length; i += 4)
      if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) differ++;
    out[view] = differ;
  }
  expectNoProblems(real.problems);
  expectNoProblems(zero.problems);
  await real.page.close();
  await zero.page.close();
  return out;
}

function expectNoProblems(problems: PageProblems): void {
  expect(problems).toEqual({
    consoleErrors: [],
    pageErrors: [],
    failedRequests: [],
    blockedRequests: [],
    dialogs: [],
  });
}

describe('reports in a real browser, offline', () => {
  let browser: Browser;
  const runDir = join(out, 'run');
  const comparisonFile = join(out, 'comparison.html');

  beforeAll(async () => {
    const executablePath = findChromium();
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    writeRunFixture(runDir, {
      simulationEvents: [[150, 'fail-zone', '<img src=x onerror=alert(3)>']],
    });
    writeRunReport(runDir);
    writeFileSync(comparisonFile, buildComparisonReport(comparisonFixture('run')));
    browser = await launch(executablePath);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('report.html renders every chart with no errors, requests or injected script', async () => {
    const { page, problems } = await openOffline(browser, join(runDir, 'report.html'));
    const chartIds = [
      'cpu-chart',
      'memory-chart',
      'pods-chart',
      'nodes-chart',
      'latency-histogram',
      'latency-cdf',
      'workload-chart',
    ];
    expect(await canvasIds(page)).toEqual([...chartIds, 'heatmap']);
    const charts = await chartChecks(page);
    expect(charts.map((c) => c.id)).toEqual(chartIds);
    expectChartsDrawData(charts);
    expect(await page.evaluate(() => Object.keys((globalThis as any).Chart.instances).length)).toBe(
      7,
    );
    // The histogram's x axis is latency itself, not bin labels, and each bin is filled over its
    // own span [i·w, (i+1)·w): halfway up its count in its middle, and not at all where it is 0.
    const bins = await page.evaluate(() => {
      const chart = (globalThis as any).Chart.getChart('latency-histogram');
      const ctx = chart.ctx;
      const r = chart.currentDevicePixelRatio;
      const latency = JSON.parse(
        (globalThis as any).document.getElementById('ksim-data').textContent,
      ).latency;
      const w = latency.binSeconds;
      const peak = Math.max(...latency.counts);
      return {
        axis: chart.scales.x.type,
        filled: latency.counts.map((n: number, i: number) => {
          const x = chart.scales.x.getPixelForValue((i + 0.5) * w);
          const y = chart.scales.y.getPixelForValue((n || peak) / 2);
          const [red, , blue] = ctx.getImageData(Math.round(x * r), Math.round(y * r), 1, 1).data;
          return [n > 0, blue! > red! + 40];
        }),
      };
    });
    expect(bins.axis).toBe('linear');
    for (const [hasPods, filled] of bins.filled) expect(filled).toBe(hasPods);
    expect(bins.filled.some(([hasPods]: boolean[]) => !hasPods)).toBe(true);

    const text = await page.innerText('body');
    expect(text).toContain('424242');
    expect(text).toContain('35.5 s');
    expect(text).toContain(HOSTILE_MESSAGE);
    expect(text).toContain('<img src=x onerror=alert(3)>');
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(3);
    await page.screenshot({ path: join(out, 'run-report.png'), fullPage: true });
    expectNoProblems(problems);
    await page.close();
  });

  it('report.html selectors switch to a zone and to a workload whose name is markup', async () => {
    const { page, problems } = await openOffline(browser, join(runDir, 'report.html'));
    expect(await page.locator('#resource-view option').allTextContents()).toEqual([
      'Cluster',
      'zone zone-a',
      'zone zone-b',
      'pool general',
      'pool highmem',
    ]);
    await page.selectOption('#resource-view', { label: 'zone zone-b' });
    await page.selectOption('#workload', { label: HOSTILE_WORKLOAD });
    const allocatable = await page.evaluate(() => {
      const chart = (globalThis as any).Chart.getChart('cpu-chart');
      return chart.data.datasets[1].data[0].y;
    });
    expect(allocatable).toBe(8); // node-b1 only at t = 0: 8000m
    const workload = await page.evaluate(
      () => (globalThis as any).Chart.getChart('workload-chart').data.datasets[1].data[0].y,
    );
    expect(workload).toBe(1);
    // The last bucket of the first row: node-a1 was removed at 60 s.
    const g = await heatmapGeometry(page);
    const firstRow = g.axis + g.row / 2;
    await page.hover('#heatmap', { position: { x: g.width - 2, y: firstRow } });
    expect(await page.locator('#heatmap-readout').innerText()).toBe(
      'node-a1, 179–180 s: node absent',
    );
    expect(await page.locator('#heatmap-resource option').allTextContents()).toEqual([
      'CPU',
      'memory',
    ]);
    await page.selectOption('#heatmap-resource', { label: 'memory' });
    // Bucket 10 of node-a1: web-1 holds 1 GiB of 16 GiB.
    const colW = (g.width - g.left) / 180;
    await page.hover('#heatmap', { position: { x: g.left + colW * 10.5, y: firstRow } });
    expect(await page.locator('#heatmap-readout').innerText()).toBe(
      'node-a1, 10–11 s: 6.3% of allocatable memory requested',
    );
    expectNoProblems(problems);
    await page.close();
  });

  it('report.html heat map draws data in every resource view', async () => {
    const pixels = await heatmapDataPixels(browser, join(runDir, 'report.html'), ['CPU', 'memory']);
    for (const [view, n] of Object.entries(pixels))
      expect({ view, drawsData: n > 0 }).toEqual({ view, drawsData: true });
  });

  it('comparison.html draws the bar charts with whiskers, escapes policy names and links the runs', async () => {
    const { page, problems } = await openOffline(browser, comparisonFile);
    const charts = await chartChecks(page);
    expect(charts.map((c) => c.id).sort()).toEqual([
      'chart-0',
      'chart-1',
      'chart-2',
      'diff-0',
      'diff-1',
      'diff-2',
    ]);
    expectChartsDrawData(charts);
    const text = await page.innerText('body');
    expect(text).toContain(
      'binpack: Scheduling latency P99 lower by 0.233 s (−18.4 % of 1.267 s), 95% CI 0.09 s … 0.377 s',
    );
    expect(text).toContain('11, 12, 13');
    expect(text).toContain('1.267\u00a0s');
    expect(text).toContain(HOSTILE_POLICY);
    expect(await page.locator('a[href="run/policy-0/seed-11/report.html"]').count()).toBe(1);
    await page.screenshot({ path: join(out, 'comparison.png'), fullPage: true });
    expectNoProblems(problems);
    await page.close();
  });
});

describe('real outputs of ksim compare in a real browser, offline', () => {
  let browser: Browser;
  let result: CompareResult;
  const dir = join(out, 'real');

  beforeAll(async () => {
    const executablePath = findChromium();
    rmSync(dir, { recursive: true, force: true });
    result = await runComparison({
      scenarioPath: 'scenarios/binpacking.yaml',
      profiles: ['least-allocated', 'most-allocated'],
      seeds: 2,
      jobs: 1,
      outDir: dir,
    });
    browser = await launch(executablePath);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('a run’s report.html draws every chart and shows the run’s own numbers', async () => {
    const runDir = join(dir, 'runs', 'most-allocated', 'seed-2');
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
    const { page, problems } = await openOffline(browser, join(runDir, 'report.html'));
    // Bare pods: no workload columns, so no workload chart.
    expect(await canvasIds(page)).toEqual([
      'cpu-chart',
      'memory-chart',
      'pods-chart',
      'nodes-chart',
      'latency-histogram',
      'latency-cdf',
      'heatmap',
    ]);
    expectChartsDrawData(await chartChecks(page));
    const text = await page.innerText('body');
    expect(text).toContain('most-allocated');
    expect(text).toContain(String(summary.metrics.podsCreated));
    expect(text).toContain(formatNumber(summary.metrics.nodesUsedMean));
    expect(text).toContain(formatMetric(summary.metrics.cpuUtilisationOfUsedNodesMean, 'ratio'));
    await page.screenshot({ path: join(out, 'real-run-report.png'), fullPage: true });
    expectNoProblems(problems);
    await page.close();
  });

  it('comparison.html draws its charts, shows the means and links each run’s working report', async () => {
    const { page, problems } = await openOffline(browser, join(dir, 'comparison.html'));
    const charts = await chartChecks(page);
    // Two per key metric (means and paired differences), except metrics zero in every run.
    const zero = (m: string) =>
      result.comparison.rows
        .filter((r) => r.metric === m)
        .every((r) => r.mean === 0 && !r.diffMean);
    const charted = result.comparison.keyMetrics!.filter((m) => !zero(m));
    expect(charted).toContain('nodesUsedMean');
    expect(charts).toHaveLength(2 * charted.length);
    expectChartsDrawData(charts);
    const top = await page.innerText('#significant');
    expect(top).toMatch(/most-allocated: Nodes used mean lower by [\d.]+ /);
    const text = await page.innerText('body');
    for (const row of result.comparison.rows.filter((r) => r.metric === 'nodesUsedMean'))
      expect(text).toContain(formatMetric(row.mean, row.unit));
    const links = page.locator('a[href$="/report.html"]');
    expect(await links.count()).toBe(4);
    await page.screenshot({ path: join(out, 'real-comparison.png'), fullPage: true });
    await page.click('a[href="runs/least-allocated/seed-1/report.html"]');
    await page.waitForLoadState('load');
    expect(await page.innerText('h1')).toBe('ksim run: binpacking');
    expectNoProblems(problems);
    await page.close();
  });
});

describe('a real run of a scenario full of markup, in a real browser', () => {
  let browser: Browser;
  const dir = join(out, 'hostile');
  const ZONE = 'zone<script>alert(11)</script>';
  const ZONE2 = `z'"><svg onload=alert(12)>`;

  beforeAll(async () => {
    const executablePath = findChromium();
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    // Zones, labels and annotations are free text to Kubernetes' loader; names are not (they are
    // validated as DNS names, so they cannot carry markup). The zone reaches the timeseries
    // columns, nodes.csv, the fail-zone event message and the recovery table.
    writeFileSync(
      join(dir, 'hostile.yaml'),
      `apiVersion: ksim.dev/v1alpha1
kind: Simulation
metadata: {name: hostile}
spec:
  seed: 1
  duration: 30m
  metrics: {sampleInterval: 1m}
  nodePools:
    - name: pool
      count: 3
      zones: [${JSON.stringify(ZONE)}, ${JSON.stringify(ZONE2)}]
      template:
        metadata:
          labels: {team: "<b>bold</b>"}
          annotations: {note: "<script>alert(13)</script>"}
        status: {allocatable: {cpu: "4", memory: 16Gi, pods: "110"}}
  timeline:
    - {at: 5m, action: fail-zone, target: {zone: ${JSON.stringify(ZONE)}}, recoverAfter: 5m}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, annotations: {x: "<iframe src=javascript:alert(14)>"}}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web, tier: "<i>x</i>"}
      annotations: {ksim.dev/startup: 2s, y: "<img src=x onerror=alert(15)>"}
    spec:
      containers: [{name: web, image: "nginx<script>alert(16)</script>", resources: {requests: {cpu: 500m, memory: 1Gi}}}]
`,
    );
    runScenarioInto(join(dir, 'hostile.yaml'), join(dir, 'run'));
    browser = await launch(executablePath);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the hostile zone as text everywhere it appears, runs no script and adds no element', async () => {
    const { page, problems } = await openOffline(browser, join(dir, 'run', 'report.html'));
    expect(await page.locator('#resource-view option').allTextContents()).toEqual([
      'Cluster',
      `zone ${ZONE2}`,
      `zone ${ZONE}`,
      'pool pool',
    ]);
    const text = await page.innerText('body');
    expect(text).toContain(`target={"zone":"${ZONE}"} recoverAfter=5m`); // the timeline marker
    expect(text).toContain(`fail-zone ${ZONE} (crash)`); // the recovery table
    const injected = await page.evaluate(() => {
      const d = (globalThis as any).document;
      return {
        scripts: d.querySelectorAll('script').length,
        elements: d.querySelectorAll('img, svg, iframe, i').length,
        // The page's own <b>s hold figures; one holding "bold" would be the label's.
        bold: Array.from(d.querySelectorAll('b') as ArrayLike<any>).filter(
          (b) => b.textContent === 'bold',
        ).length,
        handlers: d.querySelectorAll('[onload], [onerror]').length,
      };
    });
    expect(injected).toEqual({ scripts: 3, elements: 0, bold: 0, handlers: 0 });
    await page.selectOption('#resource-view', { label: `zone ${ZONE}` });
    expectChartsDrawData(await chartChecks(page));
    expectNoProblems(problems);
    await page.close();
  });
});

describe('the heat map of scenarios/batch-trace.yaml (1,523 nodes) in a real browser', () => {
  let browser: Browser;
  const dir = join(out, 'batch-trace');

  beforeAll(async () => {
    const executablePath = findChromium();
    rmSync(dir, { recursive: true, force: true });
    runScenarioInto('scenarios/batch-trace.yaml', dir, 7);
    browser = await launch(executablePath);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('draws a readable named row per used node, scrolls, and shows data for CPU and GPUs', async () => {
    const { page, problems } = await openOffline(browser, join(dir, 'report.html'));
    expect(await page.locator('#heatmap-resource option').allTextContents()).toEqual([
      'CPU',
      'memory',
      'alibaba.com/gpu-milli',
      'nvidia.com/gpu',
    ]);
    const g = await heatmapGeometry(page);
    expect(g.row).toBeGreaterThanOrEqual(14);
    // Taller than its box: the rows scroll rather than shrink to a pixel.
    const heights = await page.evaluate(() => {
      const d = (globalThis as any).document;
      return {
        canvas: d.getElementById('heatmap').clientHeight,
        box: d.querySelector('.heat-scroll').clientHeight,
      };
    });
    expect(heights.canvas).toBeGreaterThan(heights.box);
    await page.hover('#heatmap', { position: { x: g.left + 2, y: g.axis + g.row / 2 } });
    expect(await page.locator('#heatmap-readout').innerText()).toMatch(/^openb-node-\d{4}, 0–/);
    await page.locator('.heat-scroll').screenshot({ path: join(out, 'batch-trace-heatmap.png') });
    expectNoProblems(problems);
    await page.close();
    const pixels = await heatmapDataPixels(browser, join(dir, 'report.html'), [
      'CPU',
      'nvidia.com/gpu',
    ]);
    for (const [view, n] of Object.entries(pixels))
      expect({ view, drawsData: n > 0 }).toEqual({ view, drawsData: true });
  });
});
