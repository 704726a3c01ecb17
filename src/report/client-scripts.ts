/**
 * The pages' own browser scripts, kept as plain ES5-style JS strings (no build step: the report
 * must be one self-contained file). They read the embedded JSON, draw with the inlined chart.js,
 * and put scenario text on the page only through textContent or canvas fillText, never innerHTML.
 */

const COMMON = String.raw`
  var data = JSON.parse(document.getElementById('ksim-data').textContent);
  var PALETTE = ['#1a5fb4', '#e66100', '#2e7d32', '#c01c28', '#613583', '#865e3c', '#0e7c86', '#986a00'];
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#3e4c59';
  Chart.defaults.plugins.legend.position = 'bottom';
  Chart.defaults.plugins.legend.labels.boxWidth = 12;

  function fmt(v, digits) {
    if (v === null || v === undefined) return '—';
    return String(Number(v.toFixed(digits === undefined ? 3 : digits)));
  }
`;

export const RUN_PAGE_SCRIPT = String.raw`(function () {
  'use strict';
  ${COMMON}
  var unit = data.timeUnit;
  var endX = data.endS / unit.divisor;
  var MARKER_COLOURS = {
    failure: { line: 'rgba(192, 28, 40, 0.75)', text: 'rgba(150, 20, 30, 0.95)' },
    recovery: { line: 'rgba(46, 125, 50, 0.8)', text: 'rgba(27, 94, 32, 0.95)' },
    action: { line: 'rgba(97, 110, 124, 0.8)', text: 'rgba(62, 76, 89, 0.95)' }
  };
  var markers = data.markers.map(function (m) {
    return { x: m.timeS / unit.divisor, label: m.reason, colours: MARKER_COLOURS[m.kind] || MARKER_COLOURS.action };
  });

  // A dashed vertical line for every marker (run-data.ts timelineMarkers), labelled where the label
  // does not overlap the previous one. Beyond MANY markers (a week of random failures) the lines
  // are faint and unlabelled so the data stays visible; the timeline table lists them all.
  var MANY = 40;
  function drawMarkers(ctx, pixelOf, top, bottom, left, right) {
    var lastLabel = -Infinity, many = markers.length > MANY;
    ctx.save();
    ctx.font = '10px ' + Chart.defaults.font.family;
    ctx.setLineDash([4, 3]);
    ctx.globalAlpha = many ? 0.35 : 1;
    markers.forEach(function (m) {
      var px = pixelOf(m.x);
      if (px < left || px > right) return;
      ctx.strokeStyle = m.colours.line;
      ctx.beginPath();
      ctx.moveTo(px, top);
      ctx.lineTo(px, bottom);
      ctx.stroke();
      if (many || px - lastLabel < 12) return;
      lastLabel = px;
      ctx.save();
      ctx.fillStyle = m.colours.text;
      ctx.translate(px + 3, top + 2);
      ctx.rotate(Math.PI / 2);
      ctx.fillText(m.label, 0, 0);
      ctx.restore();
    });
    ctx.restore();
  }

  var markerPlugin = {
    id: 'ksimMarkers',
    afterDatasetsDraw: function (chart) {
      var scale = chart.scales.x, area = chart.chartArea;
      drawMarkers(chart.ctx, function (x) { return scale.getPixelForValue(x); }, area.top, area.bottom, area.left, area.right);
    }
  };

  function points(values) {
    return data.times.map(function (t, i) { return { x: t / unit.divisor, y: values[i] }; });
  }

  function line(label, values, colour, dashed) {
    return {
      label: label, data: points(values), borderColor: colour, backgroundColor: colour,
      borderWidth: 1.5, borderDash: dashed ? [6, 4] : [], pointRadius: 0, spanGaps: true
    };
  }

  function timeChart(id, datasets, yTitle) {
    var canvas = document.getElementById(id);
    if (!canvas) return null;
    return new Chart(canvas, {
      type: 'line',
      data: { datasets: datasets },
      options: {
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { type: 'linear', min: 0, max: endX, title: { display: true, text: 'time (' + unit.label + ')' } },
          y: { beginAtZero: true, title: { display: true, text: yTitle } }
        }
      },
      plugins: [markerPlugin]
    });
  }

  function fillSelect(id, labels, onChange) {
    var select = document.getElementById(id);
    if (!select) return;
    labels.forEach(function (label, i) {
      var option = document.createElement('option');
      option.value = String(i);
      option.textContent = label;
      select.appendChild(option);
    });
    select.addEventListener('change', function () { onChange(Number(select.value)); });
  }

  // CPU and memory, for the cluster or the zone / pool chosen in the selector.
  var views = data.resourceViews;
  var cpuChart = timeChart('cpu-chart', [], 'cores');
  var memoryChart = timeChart('memory-chart', [], 'GiB');
  function showView(i) {
    var v = views[i];
    if (cpuChart) {
      cpuChart.data.datasets = [line('requested', v.cpuRequested, PALETTE[0]), line('allocatable', v.cpuAllocatable, PALETTE[1], true)];
      cpuChart.update();
    }
    if (memoryChart) {
      memoryChart.data.datasets = [line('requested', v.memoryRequested, PALETTE[0]), line('allocatable', v.memoryAllocatable, PALETTE[1], true)];
      memoryChart.update();
    }
  }
  fillSelect('resource-view', views.map(function (v) { return v.label; }), showView);
  if (views.length > 0) showView(0);

  timeChart('pods-chart', [
    line('pending', data.pods.pending, PALETTE[1]),
    line('running', data.pods.running, PALETTE[0]),
    line('succeeded', data.pods.succeeded, PALETTE[2]),
    line('failed', data.pods.failed, PALETTE[3])
  ], 'pods');

  timeChart('nodes-chart', [
    line('ready', data.nodes.ready, PALETTE[2]),
    line('total', data.nodes.total, PALETTE[4], true)
  ], 'nodes');

  var workloadChart = timeChart('workload-chart', [], 'replicas');
  function showWorkload(i) {
    var w = data.workloads[i];
    var ready = line('ready', w.ready, PALETTE[0]);
    var desired = line('desired', w.desired, PALETTE[1], true);
    ready.stepped = desired.stepped = true;
    workloadChart.data.datasets = [ready, desired];
    workloadChart.update();
  }
  if (workloadChart && data.workloads.length > 0) {
    fillSelect('workload', data.workloads.map(function (w) { return w.name; }), showWorkload);
    showWorkload(0);
  }

  var latency = data.latency;
  if (latency) {
    // A filled step per bin on a linear axis (bin i spans [i·w, (i+1)·w); chart.js 'before' draws
    // each point's value up to the next point), so the x spacing is
    // true latency. A bar chart would size its bars to the tick spacing instead.
    var w = latency.binSeconds, bins = latency.counts.length;
    var steps = latency.counts.map(function (n, i) { return { x: i * w, y: n }; });
    steps.push({ x: bins * w, y: latency.counts[bins - 1] });
    new Chart(document.getElementById('latency-histogram'), {
      type: 'line',
      data: {
        datasets: [{
          label: 'pods', data: steps, stepped: 'before', fill: 'origin', pointRadius: 0, borderWidth: 1,
          borderColor: PALETTE[0], backgroundColor: 'rgba(26, 95, 180, 0.55)'
        }]
      },
      options: {
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              title: function (items) {
                var i = Math.min(bins - 1, items[0].dataIndex);
                return fmt(i * w) + '–' + fmt((i + 1) * w) + ' s';
              },
              label: function (item) { return latency.counts[Math.min(bins - 1, item.dataIndex)] + ' pods'; }
            }
          }
        },
        scales: {
          x: { type: 'linear', min: 0, max: bins * w, title: { display: true, text: 'scheduling latency (s)' } },
          y: { beginAtZero: true, title: { display: true, text: 'pods' } }
        }
      }
    });
    new Chart(document.getElementById('latency-cdf'), {
      type: 'line',
      data: { datasets: [{ label: 'fraction scheduled within x', data: latency.cdf, borderColor: PALETTE[0], pointRadius: 0, stepped: true, borderWidth: 1.5 }] },
      options: {
        plugins: { legend: { display: false } },
        scales: {
          x: { type: 'linear', beginAtZero: true, title: { display: true, text: 'scheduling latency (s)' } },
          y: {
            min: 0, max: 1, title: { display: true, text: 'of scheduled pods' },
            ticks: { callback: function (v) { return Math.round(v * 100) + '%'; } }
          }
        }
      }
    });
  }

  // Node × time heat map on a plain canvas: one row per used node (or band of nodes), one column
  // per time bucket, per-mille values (heatmap.ts). Reversed viridis, perceptually even and light
  // for low values; exactly 0 is near-white so "nothing requested" differs from "a little".
  var VIRIDIS = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'];
  function hexRgb(h) { return [1, 3, 5].map(function (k) { return parseInt(h.slice(k, k + 2), 16); }); }
  var VIRIDIS_RGB = VIRIDIS.map(hexRgb);
  function viridisReversed(t) {
    var x = (1 - Math.max(0, Math.min(1, t))) * (VIRIDIS_RGB.length - 1);
    var k = Math.min(VIRIDIS_RGB.length - 2, Math.floor(x)), f = x - k;
    var a = VIRIDIS_RGB[k], b = VIRIDIS_RGB[k + 1];
    return 'rgb(' + [0, 1, 2].map(function (c) { return Math.round(a[c] + (b[c] - a[c]) * f); }).join(',') + ')';
  }
  var HEAT_ZERO = '#f4f5f7', HEAT_OVER = '#d7191c', HEAT_NA = '#d9dde3';

  var absentPattern = (function () {
    var tile = document.createElement('canvas');
    tile.width = tile.height = 6;
    var t = tile.getContext('2d');
    t.fillStyle = '#ffffff';
    t.fillRect(0, 0, 6, 6);
    t.strokeStyle = '#b8bfc8';
    t.beginPath();
    t.moveTo(0, 6);
    t.lineTo(6, 0);
    t.stroke();
    return tile;
  })();

  function heatColour(ctx, v) {
    if (v === null) return ctx.createPattern(absentPattern, 'repeat');
    if (v < 0) return HEAT_NA;
    if (v === 0) return HEAT_ZERO;
    if (v > 1000) return HEAT_OVER;
    return viridisReversed(v / 1000);
  }

  var RESOURCE_LABELS = { cpu: 'CPU', memory: 'memory' };
  var heat = data.heatmap, heatResource = 0, heatBand = 'mean';
  function heatLabel(r) { return RESOURCE_LABELS[r.name] || r.name; }

  function drawHeatmap() {
    var canvas = document.getElementById('heatmap');
    if (!heat || !canvas) return;
    var res = heat.resources[heatResource];
    var rows = heat.rows.length, cols = heat.buckets;
    var rowH = Math.max(14, Math.min(22, Math.floor(360 / rows))), axisH = 20;
    var width = canvas.parentElement.clientWidth || 800, height = axisH + rows * rowH;
    var ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = width + 'px';
    canvas.style.height = height + 'px';
    var ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = '11px ' + Chart.defaults.font.family;
    var labelW = 8 + Math.min(260, Math.max.apply(null, heat.rows.map(function (r) { return ctx.measureText(r.label).width; }).concat([40])));
    var colW = (width - labelW) / cols;
    // The geometry, for readers of the canvas (the browser test hovers cells by it).
    canvas.setAttribute('data-cells-left', String(labelW));
    canvas.setAttribute('data-axis-height', String(axisH));
    canvas.setAttribute('data-row-height', String(rowH));
    for (var r = 0; r < rows; r++) {
      var values = heatBand === 'max' && res.max[r] ? res.max[r] : res.mean[r];
      for (var c = 0; c < cols; c++) {
        ctx.fillStyle = heatColour(ctx, values[c]);
        ctx.fillRect(labelW + c * colW, axisH + r * rowH, colW + 0.5, rowH - 1);
      }
    }
    ctx.fillStyle = '#3e4c59';
    ctx.textBaseline = 'middle';
    heat.rows.forEach(function (row, r) {
      var text = row.label;
      while (text.length > 4 && ctx.measureText(text).width > labelW - 8) text = text.slice(0, -2) + '…';
      ctx.fillText(text, 2, axisH + r * rowH + rowH / 2);
    });
    var spanX = cols * heat.bucketSeconds / unit.divisor;
    ctx.textBaseline = 'top';
    ctx.font = '10px ' + Chart.defaults.font.family;
    for (var k = 0; k <= 4; k++) {
      var x = labelW + (width - labelW) * k / 4;
      ctx.textAlign = k === 0 ? 'left' : k === 4 ? 'right' : 'center';
      ctx.fillText(fmt(spanX * k / 4, 1) + ' ' + unit.label, x, 4);
    }
    ctx.textAlign = 'left';
    drawMarkers(ctx, function (x) { return labelW + (width - labelW) * x / spanX; }, axisH, height, labelW, width);
    canvas.onmousemove = function (e) {
      var box = canvas.getBoundingClientRect();
      var c = Math.floor((e.clientX - box.left - labelW) / colW), r = Math.floor((e.clientY - box.top - axisH) / rowH);
      var readout = document.getElementById('heatmap-readout');
      if (r < 0 || r >= rows || c < 0 || c >= cols) { readout.textContent = ''; return; }
      var row = heat.rows[r], v = res.mean[r][c], from = c * heat.bucketSeconds / unit.divisor, to = (c + 1) * heat.bucketSeconds / unit.divisor;
      var pct = function (x) { return fmt(x / 10, 1) + '%'; };
      var what = v === null ? 'node absent' : v < 0 ? 'offers no ' + heatLabel(res) :
        row.nodes > 1 && res.max[r]
          ? pct(v) + ' of the band’s allocatable ' + heatLabel(res) + ' requested; busiest node ' + pct(res.max[r][c])
          : pct(v) + ' of allocatable ' + heatLabel(res) + ' requested';
      readout.textContent = row.label + ', ' + fmt(from, 2) + '–' + fmt(to, 2) + ' ' + unit.label + ': ' + what;
    };
  }
  if (heat) {
    fillSelect('heatmap-resource', heat.resources.map(heatLabel), function (i) { heatResource = i; drawHeatmap(); });
    var bandSelect = document.getElementById('heatmap-band');
    if (bandSelect) bandSelect.addEventListener('change', function () { heatBand = bandSelect.value; drawHeatmap(); });
  }
  drawHeatmap();
  window.addEventListener('resize', drawHeatmap);
})();
`;

export const COMPARISON_PAGE_SCRIPT = String.raw`(function () {
  'use strict';
  ${COMMON}

  // Error bars: for each bar, a vertical line from ciLow to ciHigh with short caps.
  var whiskerPlugin = {
    id: 'ksimWhiskers',
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx, y = chart.scales.y;
      ctx.save();
      ctx.strokeStyle = '#1f2933';
      ctx.lineWidth = 1.5;
      chart.data.datasets.forEach(function (ds, d) {
        if (!chart.isDatasetVisible(d)) return;
        var meta = chart.getDatasetMeta(d);
        (ds.ci || []).forEach(function (ci, i) {
          var bar = meta.data[i];
          if (!bar || !ci || ci[0] === null || ci[1] === null) return;
          var top = y.getPixelForValue(ci[1]), bottom = y.getPixelForValue(ci[0]);
          var half = Math.min(10, bar.width / 4);
          ctx.beginPath();
          ctx.moveTo(bar.x, top); ctx.lineTo(bar.x, bottom);
          ctx.moveTo(bar.x - half, top); ctx.lineTo(bar.x + half, top);
          ctx.moveTo(bar.x - half, bottom); ctx.lineTo(bar.x + half, bottom);
          ctx.stroke();
        });
      });
      ctx.restore();
    }
  };

  // A solid line at y = 0 on the difference charts: a whisker that does not cross it is significant.
  var zeroLinePlugin = {
    id: 'ksimZeroLine',
    afterDatasetsDraw: function (chart) {
      var y = chart.scales.y, area = chart.chartArea, ctx = chart.ctx;
      var py = y.getPixelForValue(0);
      if (py < area.top || py > area.bottom) return;
      ctx.save();
      ctx.strokeStyle = '#c01c28';
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(area.left, py);
      ctx.lineTo(area.right, py);
      ctx.stroke();
      ctx.restore();
    }
  };

  function range(means, ci) {
    var values = means.slice();
    ci.forEach(function (x) { values.push(x[0], x[1]); });
    values = values.filter(function (v) { return v !== null; }).concat([0]);
    return { min: Math.min.apply(null, values), max: Math.max.apply(null, values) };
  }

  function barChart(canvas, labels, means, ci, colours, axis, title, extraPlugins) {
    var r = range(means, ci);
    return new Chart(canvas, {
      type: 'bar',
      data: { labels: labels, datasets: [{ label: title, data: means, ci: ci, backgroundColor: colours, maxBarThickness: 90 }] },
      options: {
        plugins: {
          legend: { display: false },
          title: { display: true, text: title },
          tooltip: {
            callbacks: {
              label: function (item) {
                var x = ci[item.dataIndex];
                return 'mean ' + fmt(item.raw) + (x[0] === null ? '' : ', 95% CI ' + fmt(x[0]) + ' – ' + fmt(x[1]));
              }
            }
          }
        },
        scales: {
          y: { beginAtZero: true, suggestedMin: r.min, suggestedMax: r.max, title: { display: true, text: axis } }
        }
      },
      plugins: [whiskerPlugin].concat(extraPlugins)
    });
  }

  data.charts.forEach(function (c, k) {
    var canvas = document.getElementById('chart-' + k);
    if (canvas) {
      barChart(canvas, c.policies, c.means, c.ci,
        c.policies.map(function (p) { return p === data.baseline ? '#9aa5b1' : PALETTE[0]; }),
        c.axis, 'mean, 95% CI', []);
    }
    var diffCanvas = document.getElementById('diff-' + k);
    if (diffCanvas) {
      barChart(diffCanvas, c.diff.policies, c.diff.means, c.diff.ci,
        c.diff.significant.map(function (yes) { return yes ? PALETTE[1] : '#c3c9d1'; }),
        c.diffAxis, 'Δ vs ' + data.baseline + ' (paired), 95% CI', [zeroLinePlugin]);
    }
  });
})();
`;
