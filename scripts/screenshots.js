#!/usr/bin/env node
// Regenerates the README images from real outputs: runs `ksim compare` on the shipped binpacking
// scenario (10 seeds), then photographs one run's report.html (docs/report.png) and the
// comparison page (docs/comparison.png) in Debian's chromium, offline.
//   npm run build && node scripts/screenshots.js
// The comparison image is an excerpt: the significant-differences summary and the cards of the
// bin-packing metrics (means and paired differences), so the picture stays readable; the page
// itself is unchanged on disk.
import { existsSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { runComparison } from '../dist/compare/compare.js';

const EXCERPT = [
  'cpuUtilisationOfUsedNodesMean',
  'memoryUtilisationOfUsedNodesMean',
  'nodesUsedMean',
];

const chromiumPath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find(
  (p) => p && existsSync(p),
);
if (!chromiumPath) {
  console.error("Debian's chromium is needed (apt-get install chromium), or set CHROMIUM_PATH.");
  process.exit(1);
}

const out = resolve('test-output', 'screenshots');
rmSync(out, { recursive: true, force: true });
await runComparison({
  scenarioPath: 'scenarios/binpacking.yaml',
  profiles: ['least-allocated', 'most-allocated'],
  seeds: 10,
  jobs: availableParallelism(),
  outDir: out,
});

const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.route('**/*', (route) =>
    route.request().url().startsWith('file:') ? route.continue() : route.abort(),
  );

  await page.goto(pathToFileURL(join(out, 'runs', 'most-allocated', 'seed-1', 'report.html')).href);
  await page.waitForLoadState('load');
  await page.screenshot({ path: 'docs/report.png', fullPage: true });

  await page.goto(pathToFileURL(join(out, 'comparison.html')).href);
  await page.waitForLoadState('load');
  await page.evaluate((keep) => {
    const doc = globalThis.document;
    for (const card of doc.querySelectorAll('section.card')) {
      if (card.id === 'significant') continue;
      if (!keep.includes(card.getAttribute('data-metric'))) card.style.display = 'none';
    }
  }, EXCERPT);
  await page.screenshot({ path: 'docs/comparison.png', fullPage: true });
  console.log('wrote docs/report.png and docs/comparison.png');
} finally {
  await browser.close();
}
