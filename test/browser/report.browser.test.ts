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
import { formatMetric, formatNumber } from '../../src/report/metric-catalogue.js';
import { writeRunReport } from '../../src/report/run-report.js';
import { comparisonFixture, HOSTILE_POLICY } from '../fixtures/report/comparison-fixture.js';
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

/** For each canvas: how many pixels are not fully transparent (copied onto a scratch 2d canvas,
 * which works for chart.js canvases and our own alike). */
async function paintedPixels(page: Page): Promise<{ id: string; painted: number }[]> {
  // The project compiles without the DOM lib, so the page's globals are reached through globalThis.
  return page.evaluate(() => {
    const document = (globalThis as any).document;
    return Array.from(document.querySelectorAll('canvas') as ArrayLike<any>).map((canvas) => {
      const scratch = document.createElement('canvas');
      scratch.width = canvas.width;
      scratch.height = canvas.height;
      const ctx = scratch.getContext('2d')!;
      ctx.drawImage(canvas, 0, 0);
      const pixels = ctx.getImageData(0, 0, scratch.width, scratch.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
      return { id: String(canvas.id), painted };
    });
  });
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
    browser = await chromium.launch({
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
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('report.html renders every chart with no errors, requests or injected script', async () => {
    const { page, problems } = await openOffline(browser, join(runDir, 'report.html'));
    const canvases = await paintedPixels(page);
    expect(canvases.map((c) => c.id)).toEqual([
      'cpu-chart',
      'memory-chart',
      'pods-chart',
      'nodes-chart',
      'latency-histogram',
      'latency-cdf',
      'workload-chart',
      'heatmap',
    ]);
    for (const c of canvases)
      expect({ id: c.id, blank: c.painted === 0 }).toEqual({ id: c.id, blank: false });
    expect(await page.evaluate(() => Object.keys((globalThis as any).Chart.instances).length)).toBe(
      7,
    );

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
    await page.hover('#heatmap', { position: { x: 141, y: 5 } }); // first bucket, first row
    expect(await page.locator('#heatmap-readout').innerText()).toBe(
      'node-a1, 0–1 s: 0% of allocatable CPU requested',
    );
    expectNoProblems(problems);
    await page.close();
  });

  it('comparison.html draws the bar charts with whiskers, escapes policy names and links the runs', async () => {
    const { page, problems } = await openOffline(browser, comparisonFile);
    const canvases = await paintedPixels(page);
    expect(canvases).toHaveLength(3);
    for (const c of canvases)
      expect({ id: c.id, blank: c.painted === 0 }).toEqual({ id: c.id, blank: false });
    const text = await page.innerText('body');
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
    browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('a run’s report.html draws every chart and shows the run’s own numbers', async () => {
    const runDir = join(dir, 'runs', 'most-allocated', 'seed-2');
    const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
    const { page, problems } = await openOffline(browser, join(runDir, 'report.html'));
    const canvases = await paintedPixels(page);
    // Bare pods: no workload columns, so no workload chart.
    expect(canvases.map((c) => c.id)).toEqual([
      'cpu-chart',
      'memory-chart',
      'pods-chart',
      'nodes-chart',
      'latency-histogram',
      'latency-cdf',
      'heatmap',
    ]);
    for (const c of canvases)
      expect({ id: c.id, blank: c.painted === 0 }).toEqual({ id: c.id, blank: false });
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
    const canvases = await paintedPixels(page);
    expect(canvases.length).toBe(result.comparison.keyMetrics!.length);
    for (const c of canvases)
      expect({ id: c.id, blank: c.painted === 0 }).toEqual({ id: c.id, blank: false });
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
