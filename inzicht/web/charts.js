// Chart.js 3.9 (global `Chart`, served at /vendor/chart.js). Charts are an extra: every chart has a
// table with the same numbers next to it, and without Chart.js the figure is simply left out.
// Suppressed cells are gaps (null), never an estimate.

import { el } from './dom.js';
import { formatNumber } from './format.js';

export const PALETTE = ['#1f5fa8', '#d07a1f', '#2f8a5b', '#7d4fa8', '#b03a48', '#4f6b82', '#139aa6', '#8a7a12'];

let defaultsApplied = false;

export const chartsAvailable = () => typeof window.Chart === 'function';

function applyDefaults() {
  if (defaultsApplied) return;
  const { defaults } = window.Chart;
  defaults.font.family = getComputedStyle(document.body).fontFamily;
  defaults.font.size = 12;
  defaults.color = '#3d4756';
  defaults.borderColor = '#e3e7ee';
  defaults.animation = false;
  defaults.maintainAspectRatio = false;
  defaults.plugins.legend.position = 'bottom';
  defaults.plugins.legend.labels.boxWidth = 12;
  defaults.plugins.legend.labels.boxHeight = 12;
  defaultsApplied = true;
}

function tooltipLabel(context) {
  const value = context.raw === null || context.raw === undefined ? '< 5 (niet getoond)' : formatNumber(context.raw);
  return `${context.dataset.label}: ${value}`;
}

function baseOptions(extra = {}) {
  return {
    responsive: true,
    interaction: { mode: 'index', intersect: false },
    plugins: { tooltip: { callbacks: { label: tooltipLabel } } },
    scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
    ...extra,
  };
}

// series: [{label, data: [number|null]}]
export function lineConfig(labels, series) {
  return {
    type: 'line',
    data: {
      labels,
      datasets: series.map((s, i) => ({
        label: s.label,
        data: s.data,
        borderColor: PALETTE[i % PALETTE.length],
        backgroundColor: PALETTE[i % PALETTE.length],
        borderWidth: 2,
        pointRadius: 3,
        tension: 0.25,
        spanGaps: false,
      })),
    },
    options: baseOptions(),
  };
}

export function barConfig(labels, series, { yTitle = '' } = {}) {
  const options = baseOptions();
  if (yTitle) options.scales.y.title = { display: true, text: yTitle };
  return {
    type: 'bar',
    data: {
      labels,
      datasets: series.map((s, i) => ({
        label: s.label,
        data: s.data,
        backgroundColor: PALETTE[i % PALETTE.length],
        borderRadius: 3,
        maxBarThickness: 28,
        yAxisID: s.axis || 'y',
      })),
    },
    options,
  };
}

// Two bar series on two axes (left: cases, right: days).
export function dualAxisBarConfig(labels, left, right) {
  const config = barConfig(labels, [{ ...left, axis: 'y' }, { ...right, axis: 'days' }]);
  config.options.scales.y.title = { display: true, text: left.axisTitle };
  config.options.scales.days = {
    position: 'right',
    beginAtZero: true,
    ticks: { precision: 0 },
    grid: { drawOnChartArea: false },
    title: { display: true, text: right.axisTitle },
  };
  return config;
}

// A <figure> holding the chart. Returns {figure, chart}; chart is null without Chart.js, and the
// figure is then hidden (the table next to it carries the numbers).
export function chartFigure(caption, config) {
  const canvas = el('canvas', { role: 'img', 'aria-label': `${caption}. De tabel bij deze grafiek bevat dezelfde cijfers.` });
  const figure = el('figure', { class: 'chart' },
    el('figcaption', { class: 'chart-caption' }, caption),
    el('div', { class: 'chart-box' }, canvas));
  if (!chartsAvailable()) {
    figure.hidden = true;
    return { figure, chart: null };
  }
  applyDefaults();
  const chart = new window.Chart(canvas, config);
  return { figure, chart };
}

// Destroys charts made for a section before it is redrawn.
export class ChartSet {
  constructor() {
    this.charts = [];
  }

  add({ figure, chart }) {
    if (chart) this.charts.push(chart);
    return figure;
  }

  destroyAll() {
    for (const chart of this.charts) chart.destroy();
    this.charts = [];
  }
}
