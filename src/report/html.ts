/**
 * Building blocks for the self-contained report pages: escaping for text that comes from a
 * scenario, JSON embedding that cannot break out of its <script> element, and the inlined
 * chart.js bundle, so a page opens offline and from file:// with no network at all.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * JSON for a <script type="application/json"> element. `<`, `>` and `&` become \u escapes
 * (still the same JSON), so no data value can spell `</script>` or `<!--`; U+2028/9 are escaped
 * because older JS engines reject them inside string literals.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A relative link target made from path segments; every segment is percent-encoded, so a run
 * directory named `javascript:x` stays a relative path. */
export function relativeHref(path: string): string {
  return path
    .split('/')
    .map((segment) => (segment === '.' || segment === '..' ? segment : encodeURIComponent(segment)))
    .join('/');
}

let chartJsCache: string | undefined;

/**
 * chart.js's UMD bundle. It is not in the package's exports map, so resolve the package's main
 * entry (dist/chart.cjs) and read its sibling file. The sourceMappingURL line would make
 * devtools request a .map file that is not there.
 */
export function chartJsSource(): string {
  if (chartJsCache === undefined) {
    const main = createRequire(import.meta.url).resolve('chart.js');
    const source = readFileSync(join(dirname(main), 'chart.umd.min.js'), 'utf8');
    const stripped = source.replace(/^\/\/# sourceMappingURL=.*$/gm, '').trimEnd();
    if (/<\/script|<!--/i.test(stripped)) {
      throw new Error(
        'chart.umd.min.js contains "</script" or "<!--" and cannot be inlined safely',
      );
    }
    chartJsCache = stripped;
  }
  return chartJsCache;
}

export interface PageParts {
  title: string;
  /** Already-escaped HTML for the page body. */
  body: string;
  /** Embedded as JSON and read by `script` from the element with id "ksim-data". */
  data: unknown;
  /** The page's own script (trusted, written by us). */
  script: string;
}

export function renderPage(parts: PageParts): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(parts.title)}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
${parts.body}
<script type="application/json" id="ksim-data">${jsonForScript(parts.data)}</script>
<script>${chartJsSource()}</script>
<script>${parts.script}</script>
</body>
</html>
`;
}

const PAGE_CSS = `
:root { color-scheme: light; --fg: #1f2933; --muted: #616e7c; --line: #e4e7eb; --bg: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; background: var(--bg); color: var(--fg);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 15px; margin: 0 0 10px; }
.meta { color: var(--muted); margin: 0 0 20px; }
.meta span { margin-right: 16px; white-space: nowrap; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 16px; margin-bottom: 16px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px; min-width: 0; }
.card.wide { grid-column: 1 / -1; }
.chart { position: relative; height: 260px; }
.metric { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
.metric { margin-bottom: 10px; }
.metric > .chart { flex: 1 1 340px; max-width: 520px; }
.findings { margin: 0; padding-left: 20px; }
.findings li { margin: 2px 0; }
.mark { color: #b42318; font-weight: 600; margin-left: 1px; }
td.num.ci { white-space: normal; }
.heat-legend { color: var(--muted); font-size: 12px; margin: 0 0 8px; display: flex; flex-wrap: wrap; align-items: center; gap: 4px 6px; }
.heat-scale { display: inline-block; width: 160px; height: 11px; border: 1px solid var(--line);
  background: linear-gradient(to right, #fde725, #addc30, #5ec962, #28ae80, #21918c, #2c728e, #3b528b, #472d7b, #440154); }
.heat-key { display: inline-block; width: 11px; height: 11px; border: 1px solid #c3c9d1; margin-left: 10px; }
.heat-absent { background: repeating-linear-gradient(135deg, #fff 0 2px, #b8bfc8 2px 3px); }
.heat-scroll { max-height: 640px; overflow-y: auto; border: 1px solid var(--line); }
.note { color: var(--muted); font-size: 12px; margin: 8px 0 0; }
.controls { margin: -4px 0 8px; }
select { font: inherit; padding: 2px 4px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.scroll { max-height: 420px; overflow: auto; }
.yes { color: #0b7a3e; font-weight: 600; }
.baseline { color: var(--muted); font-style: italic; }
#heatmap { display: block; }
#heatmap-readout { min-height: 1.4em; }
a { color: #1a5fb4; }
`;
