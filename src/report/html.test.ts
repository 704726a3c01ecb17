import { describe, it, expect } from '@jest/globals';
import { chartJsSource, escapeHtml, jsonForScript, relativeHref } from './html.js';

describe('escapeHtml', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    [`a & "b" 'c'`, 'a &amp; &quot;b&quot; &#39;c&#39;'],
    ['&lt;', '&amp;lt;'],
    ['plain text', 'plain text'],
  ])('escapes %p as %p', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });
});

describe('jsonForScript', () => {
  const hostile = { message: '</script><script>alert(1)</script><!-- & \u2028' };

  it('contains no < > & or raw line separators, so nothing can close the script element', () => {
    const json = jsonForScript(hostile);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(json).toContain('\\u003c/script\\u003e');
  });

  it('is still JSON for the same value', () => {
    expect(JSON.parse(jsonForScript(hostile))).toEqual(hostile);
  });
});

describe('relativeHref', () => {
  it.each([
    ['runs/default/seed-1/report.html', 'runs/default/seed-1/report.html'],
    ['runs/my policy/1/report.html', 'runs/my%20policy/1/report.html'],
    ['javascript:alert(1)/report.html', 'javascript%3Aalert(1)/report.html'],
    ['../other/run/report.html', '../other/run/report.html'],
    ['a"b/report.html', 'a%22b/report.html'],
  ])('turns %p into the relative link %p', (path, expected) => {
    expect(relativeHref(path)).toBe(expected);
  });
});

describe('chartJsSource', () => {
  it('is the chart.js 4 UMD bundle without its sourceMappingURL line', () => {
    const source = chartJsSource();
    expect(source).toMatch(/^\/\*!\n \* Chart\.js v4\./);
    expect(source).toContain('window.Chart=');
    expect(source).not.toContain('sourceMappingURL');
  });
});
