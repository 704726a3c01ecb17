import { describe, it, expect, beforeAll } from '@jest/globals';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  FIXTURE_SUMMARY,
  HOSTILE_MESSAGE,
  HOSTILE_WORKLOAD,
  writeRunFixture,
} from '../../test/fixtures/report/run-fixture.js';
import { chartJsSource } from './html.js';
import { buildRunReport, chooseTimeUnit, writeRunReport } from './run-report.js';

const root = join('test-output', 'report-unit');
const TIMESERIES_HEADER =
  'time_s,nodes_ready,nodes_total,pods_pending,pods_running,pods_succeeded,pods_failed,cpu_requested_m,' +
  'cpu_allocatable_m,memory_requested_bytes,memory_allocatable_bytes';
const NODES_HEADER =
  'node,pool,zone,cpu_allocatable_m,memory_allocatable_bytes,created_s,removed_s';
const runDir = join(root, 'run');

function embeddedData(html: string): any {
  const m = /<script type="application\/json" id="ksim-data">([^<]*)<\/script>/.exec(html);
  if (!m) throw new Error('no embedded data');
  return JSON.parse(m[1]!);
}

/** The page with the inlined chart.js removed, so assertions look only at what we generate. */
function ownMarkup(html: string): string {
  return html.replace(chartJsSource(), '');
}

describe('buildRunReport', () => {
  let html = '';
  beforeAll(() => {
    rmSync(root, { recursive: true, force: true });
    writeRunFixture(runDir);
    html = buildRunReport(runDir);
  });

  it('shows a scripted event message as escaped text and never as markup', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain(HOSTILE_MESSAGE);
    expect(html).not.toContain('<img');
  });

  it('has exactly three script elements: the data, chart.js and the page script', () => {
    expect(html.match(/<script/g)).toHaveLength(3);
  });

  it('embeds the Simulation events as timeline markers, the hostile message intact as data', () => {
    expect(embeddedData(html).markers).toEqual([
      { timeS: 60, kind: 'failure', reason: 'fail-node', message: 'node-a1 stops heartbeating' },
      { timeS: 120, kind: 'action', reason: 'rollout', message: HOSTILE_MESSAGE },
    ]);
  });

  it('offers the cluster, each zone and each pool as resource views, with CPU in cores and memory in GiB', () => {
    const data = embeddedData(html);
    expect(data.resourceViews.map((v: any) => v.label)).toEqual([
      'Cluster',
      'zone zone-a',
      'zone zone-b',
      'pool general',
      'pool highmem',
    ]);
    // t = 5 s: web-1..3 (0.5 each) bound on 16 allocatable cores.
    expect(data.resourceViews[0].cpuRequested[1]).toBe(1.5);
    expect(data.resourceViews[0].cpuAllocatable[1]).toBe(16);
    expect(data.resourceViews[0].memoryAllocatable[1]).toBe(96);
  });

  it('lists every workload from the timeseries columns, including names containing colons or markup', () => {
    expect(embeddedData(html).workloads.map((w: any) => w.name)).toEqual([
      'Deployment/default/web',
      'Job/default/batch',
      HOSTILE_WORKLOAD,
    ]);
  });

  it('computes the scheduling latency from pods.csv (7 scheduled pods, the unschedulable one left out)', () => {
    const latency = embeddedData(html).latency;
    expect(latency.n).toBe(7);
    expect(latency.cdf[latency.cdf.length - 1]).toEqual({ x: 35.5, y: 1 });
  });

  it('includes a heat map row per used node with node-a1 absent after its removal at 60 s', () => {
    const h = embeddedData(html).heatmap;
    expect(h.rows.map((r: any) => r.label)).toEqual(['node-a1', 'node-a2', 'node-b2', 'node-b1']);
    expect(h.resources.map((r: any) => r.name)).toEqual(['cpu', 'memory']);
    const cpu = h.resources[0].mean;
    expect(cpu[0]).toHaveLength(180);
    // web-1 (500m of 4000m) on node-a1 from 1.012 s: bucket 10 is fully covered → 12.5 %.
    expect(cpu[0][10]).toBe(125);
    expect(cpu[0][60]).toBeNull();
  });

  it('orders the summary table with known metrics first and formats by unit', () => {
    const rows = [
      ...html.matchAll(/<tr><th title="([^"]+)">[^<]*<\/th><td class="num">([^<]*)<\/td><\/tr>/g),
    ].map((m) => [m[1], m[2]]);
    expect(rows).toEqual([
      ['schedulingLatencyP50', '0.2 s'],
      ['schedulingLatencyP99', '35.5 s'],
      ['cpuUtilisationMean', '31.3 %'],
      ['podsCreated', '8'],
      ['unschedulable', '1'],
      ['evictions', '1'],
      ['customThroughput', '12.5'],
      ['notComputed', '—'],
    ]);
  });

  it('renders object metrics as tables: availability in percent, recovery per failure', () => {
    expect(html).toContain('<tr><th>Deployment/default/web</th><td class="num">99.8 %</td></tr>');
    expect(html).toContain('<th>Deployment/default/&lt;img src=x onerror=alert(2)&gt;</th>');
    expect(html).toContain(
      '<td>fail-node node-a1</td><td class="num">40</td><td class="num">0.5</td>',
    );
  });

  it('shows the recovery table full width with readable headers and says when a failure never recovered', () => {
    const dir = join(root, 'recovery');
    writeRunFixture(dir, {
      summary: {
        metrics: {
          ...FIXTURE_SUMMARY.metrics,
          recovery: [
            {
              failure: 'fail-zone zone-b (crash)',
              at_s: 1800,
              nodes: 20,
              detect_s: 45.3,
              recover_s: null,
            },
          ] as unknown as typeof FIXTURE_SUMMARY.metrics.recovery,
        },
      },
    });
    const page = buildRunReport(dir);
    const card = page.slice(
      page.lastIndexOf('<section', page.indexOf('Recovery per node failure')),
    );
    expect(card.startsWith('<section class="card wide"><h2>Recovery per node failure</h2>')).toBe(
      true,
    );
    expect(card).toContain(
      '<th title="failure">failure</th><th class="num" title="when the failure began, seconds since the start">at (s)</th>' +
        '<th class="num" title="nodes">nodes</th><th class="num" title="first NodeNotReady, seconds after the failure">NotReady after (s)</th>',
    );
    expect(card).toContain('<td class="num">45.3</td><td class="num">not by the end</td>');
  });

  it('says which pods the latency charts leave out', () => {
    expect(html).toContain(
      'Fraction of the 7 scheduled pods scheduled within x. The 1 pod never scheduled is not included: its latency is unknown (at least until the end of the run).',
    );
    expect(html).toContain('in bins of 2 s on a linear axis.');
  });

  it('inlines chart.js and references no network URL of its own', () => {
    expect(html).toContain(chartJsSource());
    expect(ownMarkup(html)).not.toMatch(/https?:\/\//);
    // No element carries a src or href attribute (escaped text such as `&lt;img src=x` is fine).
    expect(ownMarkup(html)).not.toMatch(/<[a-z][^>]*\s(src|href)\s*=/i);
  });

  it('shows the seed and the run header', () => {
    expect(html).toContain('seed <b>424242</b>');
    expect(html).toContain('<h1>ksim run: node-failure-demo</h1>');
  });
});

describe('writeRunReport', () => {
  it('writes report.html through a temporary file that does not remain', () => {
    const dir = join(root, 'write');
    mkdirSync(dir, { recursive: true });
    writeRunFixture(dir);
    writeRunReport(dir);
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('refuses a directory without summary.json with a message naming it', () => {
    const dir = join(root, 'empty');
    mkdirSync(dir, { recursive: true });
    expect(() => writeRunReport(dir)).toThrow(
      `${dir} is not a run directory: summary.json is missing`,
    );
  });

  it('still renders a run that wrote only summary.json', () => {
    const dir = join(root, 'summary-only');
    writeRunFixture(dir);
    for (const f of ['timeseries.csv', 'pods.csv', 'nodes.csv', 'events.csv']) rmSync(join(dir, f));
    const html = buildRunReport(dir);
    expect(html).toContain('No timeseries.csv in this run.');
    expect(html).toContain('No pod was scheduled.');
    expect(html).not.toContain('<canvas');
  });
});

describe('large runs', () => {
  it('thins a 5001-row timeseries to 2000 points ending at the last row, keeping a one-sample dip, and bands 301 never-used nodes into one heat map row', () => {
    const dir = join(root, 'large');
    writeRunFixture(dir, { summary: { simulatedSeconds: 5000 } });
    // One node, NotReady for the one sample at t = 2343.
    const rows = Array.from(
      { length: 5001 },
      (_, t) => `${t},${t === 2343 ? 0 : 1},1,0,0,0,0,0,1000,0,1024`,
    );
    writeFileSync(join(dir, 'timeseries.csv'), [TIMESERIES_HEADER, ...rows].join('\n') + '\n');
    const nodes = Array.from({ length: 301 }, (_, i) => `node-${i},general,zone-a,1000,1024,0,`);
    writeFileSync(join(dir, 'nodes.csv'), [NODES_HEADER, ...nodes].join('\n') + '\n');
    const html = buildRunReport(dir);
    const data = embeddedData(html);
    expect(data.times).toHaveLength(2000);
    expect(data.times[0]).toBe(0);
    expect(data.times[1999]).toBe(5000);
    expect(data.timeUnit).toEqual({ label: 'min', divisor: 60 });
    expect(data.nodes.ready.filter((v: number) => v === 0)).toHaveLength(1);
    expect(html).toContain(
      'timeseries.csv has 5001 rows; the charts show 1000 equal runs of consecutive samples, each as its minimum and maximum, so short dips and spikes stay visible.',
    );
    expect(data.heatmap.rows.map((r: any) => [r.label, r.nodes])).toEqual([
      ['general: 301 nodes never used', 301],
    ]);
    expect(html).toContain('301 nodes in all.');
  });
});

describe('chooseTimeUnit', () => {
  it.each([
    [180, 's', 1],
    [900, 's', 1],
    [901, 'min', 60],
    [36_000, 'min', 60],
    [86_400, 'h', 3600],
  ])('a %i s run is charted in %s', (endS, label, divisor) => {
    expect(chooseTimeUnit(endS)).toEqual({ label, divisor });
  });
});
