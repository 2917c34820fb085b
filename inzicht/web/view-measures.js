// "Maatregelen": running measures per GI, doorlooptijden of ended measures, extensions,
// complaints, days from start to assignment, grounds of the grants, projected and invoiced costs, and
// a GI benchmark. Every chart has a table with the
// same numbers; suppressed cells are gaps in a chart and "< 5" in a table.

import { el, replaceContent, sectionCard, panel, standNote, loadingNote, emptyNote, scrollBox } from './dom.js';
import { ChartSet, chartFigure, lineConfig, barConfig, dualAxisBarConfig } from './charts.js';
import {
  cellKey, chartValue, countNode, indexCells, isSuppressed, measureTable, pivotTable, rowsOf,
  suppressionLegend, SUPPRESSED_TITLE,
} from './cells.js';
import { monthList, monthShort, monthLong, formatNumber, formatEuros } from './format.js';
import { GROUND_KINDS, groundLabel, COST_LABELS, policyDays } from './labels.js';

const MEASURE_KINDS = ['OTS', 'VOTS', 'UHP'];
const NORM_FIRST_CONTACT_DAYS = 42;

function institutionsOf(...tables) {
  const ids = new Set();
  for (const cells of tables) for (const c of cells || []) if (c.institution) ids.add(c.institution);
  return [...ids].sort();
}

function runningPanel(report, months, charts) {
  const cells = report.running || [];
  const index = indexCells(cells);
  const gis = institutionsOf(cells);
  const kindsPresent = MEASURE_KINDS.filter((k) => cells.some((c) => c.kind === k));
  const kinds = kindsPresent.length ? kindsPresent : MEASURE_KINDS;
  const select = el('select', { id: 'running-kind' }, kinds.map((k) => el('option', { value: k }, k)));
  const chartBox = el('div');

  function drawChart() {
    charts.destroyAll();
    const kind = select.value;
    const series = gis.map((gi) => ({
      label: gi,
      data: months.map((m) => chartValue(index.get(cellKey(m, kind, gi)))),
    }));
    replaceContent(chartBox, charts.add(chartFigure(`Lopende ${kind} per GI per maand`,
      lineConfig(months.map(monthShort), series))));
  }
  select.addEventListener('change', drawChart);
  if (gis.length) drawChart();

  return panel('Lopende maatregelen per GI',
    'Aantal zaken met een lopende maatregel in de maand, per gecertificeerde instelling. Een onderbroken lijn is een maand met minder dan 5 zaken.',
    gis.length ? [
      el('div', { class: 'field inline' }, el('label', { for: 'running-kind' }, 'Maatregel in de grafiek'), select),
      chartBox,
      pivotTable({
        caption: 'Lopende maatregelen per GI per maand',
        months,
        rows: rowsOf(cells, { kindOrder: MEASURE_KINDS }),
        index,
        rowHeader: 'Maatregel en GI',
      }),
    ] : emptyNote('Geen lopende maatregelen in deze periode.'));
}

function endedPanel(report, months, charts) {
  const cells = report.ended || [];
  if (!cells.length) {
    return panel('Doorlooptijd beëindigde maatregelen', null, emptyNote('Geen beëindigde maatregelen in deze periode.'));
  }
  const index = indexCells(cells);
  const kinds = MEASURE_KINDS.filter((k) => cells.some((c) => c.kind === k));
  const series = kinds.map((kind) => ({
    label: `${kind} mediaan`,
    data: months.map((m) => chartValue(index.get(cellKey(m, kind, undefined)), 'median_days')),
  }));
  return panel('Doorlooptijd beëindigde maatregelen',
    'Duur in dagen van maatregelen die in de maand eindigden: gemiddelde en mediaan.',
    charts.add(chartFigure('Mediane doorlooptijd (dagen) per maand van beëindiging',
      barConfig(months.map(monthShort), series, { yTitle: 'dagen' }))),
    measureTable({
      caption: 'Doorlooptijd beëindigde maatregelen',
      cells,
      keyColumns: [{ label: 'Maatregel', value: (c) => c.kind || '–' }],
    }));
}

function countPivotPanel(title, intro, cells, months, { rowHeader, kindOrder = [], empty }) {
  if (!cells || !cells.length) return panel(title, intro, emptyNote(empty));
  return panel(title, intro, pivotTable({
    caption: title,
    months,
    rows: rowsOf(cells, { kindOrder }),
    index: indexCells(cells),
    rowHeader,
  }));
}

function assignmentPanel(report) {
  const cells = report.assignment || [];
  return panel('Van start tot toewijzing jeugdbeschermer',
    'Dagen van de start van een OTS of VOTS tot de eerste toewijzing van een jeugdbeschermer, per maand van de start en per GI.',
    el('p', { class: 'norm' },
      el('strong', {}, 'Norm: '),
      `eerste contact binnen 6 weken (${NORM_FIRST_CONTACT_DAYS} dagen). De termijn voor toewijzing (D-ASSIGN) is ${policyDays('assign_days', 5)} dagen.`),
    cells.length
      ? measureTable({ caption: 'Dagen tot toewijzing', cells, keyColumns: [{ label: 'GI', value: (c) => c.institution || '–' }] })
      : emptyNote('Geen toewijzingen in deze periode.'));
}

function groundsPanel(report, months) {
  const cells = report.grounds || [];
  const title = 'Gronden van toegekende maatregelen';
  const intro = 'Zaken waarin de rechter een maatregel of verlenging toekende, per grond (art. 1:255 BW) en GI, per maand van de beslissing. Eén beslissing kan meer gronden noemen.';
  if (!cells.length) return panel(title, intro, emptyNote('Geen toekenningen met een grond in deze periode (de gronden worden vastgelegd vanaf regelversie 2).'));
  return panel(title, intro, el('div', { id: 'grounds-table' }, pivotTable({
    caption: title,
    months,
    rows: rowsOf(cells, { kindOrder: GROUND_KINDS, labelOf: groundLabel }),
    index: indexCells(cells),
    rowHeader: 'Grond en GI',
  })));
}

// An amount cell as euros, "< 5" when suppressed, "–" when not listed.
function euroNode(cell) {
  if (isSuppressed(cell)) return countNode(cell);
  if (!cell) return el('span', { class: 'zero' }, '–');
  return el('span', { class: 'amount', title: `${formatNumber(cell.cases)} zaken`, dataset: { cents: String(cell.cents) } },
    formatEuros(cell.cents));
}

function costsPanel(report, months, charts) {
  const cells = report.costs || [];
  const title = 'Kosten per GI: geprojecteerd en gefactureerd';
  const intro = 'Geprojecteerd: het tarief dat de gemeente per maatregel vastlegde, per dag maal de dagen in de maand, of per maatregel in de startmaand. Gefactureerd: de bedragen die de gemeente voor de maand vastlegde.';
  if (!cells.length) return panel(title, intro, emptyNote('Geen kosten vastgelegd in deze periode (vanaf regelversie 2).'));
  const index = indexCells(cells);
  const gis = institutionsOf(cells);
  const select = el('select', { id: 'costs-gi' }, gis.map((gi) => el('option', { value: gi }, gi)));
  const chartBox = el('div');
  const euros = (cell) => {
    const cents = chartValue(cell, 'cents');
    return cents === null ? null : Math.round(cents / 100);
  };
  function drawChart() {
    charts.destroyAll();
    const gi = select.value;
    const series = ['PROJECTED', 'INVOICED'].map((kind) => ({
      label: COST_LABELS[kind],
      data: months.map((m) => (index.has(cellKey(m, kind, gi)) ? euros(index.get(cellKey(m, kind, gi))) : null)),
    }));
    replaceContent(chartBox, charts.add(chartFigure(`Kosten ${gi} per maand (euro)`,
      barConfig(months.map(monthShort), series, { yTitle: 'euro' }))));
  }
  select.addEventListener('change', drawChart);
  drawChart();
  const rows = rowsOf(cells, { kindOrder: ['PROJECTED', 'INVOICED'], labelOf: (k) => COST_LABELS[k] || k });
  const head = el('tr', {},
    el('th', { scope: 'col', class: 'row-head' }, 'Kosten en GI'),
    months.map((m) => el('th', { scope: 'col', class: 'num' }, monthShort(m))));
  const body = rows.map((row) => el('tr', { dataset: { kind: row.kind, institution: row.institution } },
    el('th', { scope: 'row', class: 'row-head' }, el('span', { class: 'row-label' }, row.label), el('span', { class: 'sub' }, row.sublabel)),
    months.map((m) => {
      const cell = index.get(cellKey(m, row.kind, row.institution));
      return el('td', { class: isSuppressed(cell) ? 'num is-suppressed' : 'num', dataset: { month: m } }, euroNode(cell));
    })));
  const table = el('table', { class: 'data pivot', id: 'costs-table' },
    el('caption', { class: 'sr-only' }, title),
    el('thead', {}, head),
    el('tbody', {}, body));
  return panel(title, intro,
    el('div', { class: 'field inline' }, el('label', { for: 'costs-gi' }, 'GI in de grafiek'), select),
    chartBox,
    scrollBox(table, title));
}

// The latest month of the range with an assignment figure that is not suppressed.
function benchmarkDefaultMonth(report, months) {
  const withFigure = (report.assignment || []).filter((c) => !isSuppressed(c)).map((c) => c.month).sort();
  return withFigure.length ? withFigure[withFigure.length - 1] : months[months.length - 1];
}

function daysNode(cell, field) {
  if (!cell) return el('span', { class: 'zero' }, '–');
  if (isSuppressed(cell)) return el('span', { class: 'suppressed', title: SUPPRESSED_TITLE }, '–');
  const value = Number(cell[field]);
  if (!Number.isFinite(value)) return '–';
  const over = field === 'median_days' && value > NORM_FIRST_CONTACT_DAYS;
  return el('span', { class: over ? 'over-norm' : null, title: over ? 'Boven de norm van 6 weken' : null }, formatNumber(value));
}

function benchmarkPanel(report, months, charts) {
  const gis = institutionsOf(report.running, report.assignment);
  if (!gis.length) return panel('Vergelijking GI\'s', null, emptyNote('Geen gegevens in deze periode.'));
  const running = indexCells(report.running);
  const assignment = indexCells(report.assignment);
  const select = el('select', { id: 'benchmark-month' },
    [...months].reverse().map((m) => el('option', { value: m }, monthLong(m))));
  select.value = benchmarkDefaultMonth(report, months);
  const body = el('div');

  function draw() {
    charts.destroyAll();
    const month = select.value;
    const rows = gis.map((gi) => {
      const cellsOfGi = MEASURE_KINDS.map((k) => running.get(cellKey(month, k, gi)));
      const a = assignment.get(cellKey(month, undefined, gi));
      return el('tr', { dataset: { institution: gi, month } },
        el('th', { scope: 'row', class: 'row-head' }, gi),
        cellsOfGi.map((cell) => el('td', { class: 'num' }, countNode(cell))),
        el('td', { class: 'num' }, countNode(a)),
        el('td', { class: 'num' }, daysNode(a, 'mean_days')),
        el('td', { class: 'num' }, daysNode(a, 'median_days')));
    });
    const table = el('table', { class: 'data', id: 'benchmark-table' },
      el('caption', { class: 'sr-only' }, `Vergelijking GI's, ${monthLong(month)}`),
      el('thead', {},
        el('tr', {},
          el('th', { scope: 'col', rowspan: '2', class: 'row-head' }, 'GI'),
          el('th', { scope: 'colgroup', colspan: '3', class: 'group' }, 'Lopende maatregelen (zaken)'),
          el('th', { scope: 'colgroup', colspan: '3', class: 'group' }, 'Toewijzing (start in deze maand)')),
        el('tr', {},
          MEASURE_KINDS.map((k) => el('th', { scope: 'col', class: 'num' }, k)),
          el('th', { scope: 'col', class: 'num' }, 'Zaken'),
          el('th', { scope: 'col', class: 'num' }, 'Gemiddeld (dagen)'),
          el('th', { scope: 'col', class: 'num' }, 'Mediaan (dagen)'))),
      el('tbody', {}, rows));
    const chart = chartFigure(`Lopende OTS en mediane dagen tot toewijzing per GI, ${monthLong(month)}`,
      dualAxisBarConfig(gis,
        { label: 'Lopende OTS (zaken)', axisTitle: 'zaken', data: gis.map((gi) => chartValue(running.get(cellKey(month, 'OTS', gi)))) },
        { label: 'Mediaan dagen tot toewijzing', axisTitle: 'dagen', data: gis.map((gi) => chartValue(assignment.get(cellKey(month, undefined, gi)), 'median_days')) }));
    replaceContent(body, charts.add(chart), scrollBox(table, 'Vergelijking GI\'s'));
  }
  select.addEventListener('change', draw);
  draw();

  return panel('Vergelijking GI\'s',
    'Lopende maatregelen en dagen tot toewijzing naast elkaar, per GI, voor één maand.',
    el('div', { class: 'field inline' }, el('label', { for: 'benchmark-month' }, 'Maand'), select),
    body);
}

export function measuresSection(ctx) {
  const body = el('div', { class: 'section-body' }, loadingNote());
  const element = sectionCard({
    key: 'maatregelen',
    title: 'Maatregelen',
    intro: 'Lopende en beëindigde maatregelen, verlengingen, klachten, toewijzing, gronden en kosten, over alle gecertificeerde instellingen.',
  }, body);
  const chartSets = [];

  function update(report) {
    for (const set of chartSets) set.destroyAll();
    chartSets.length = 0;
    const newSet = () => {
      const set = new ChartSet();
      chartSets.push(set);
      return set;
    };
    const months = monthList(report.from || ctx.range.from, report.to || ctx.range.to);
    replaceContent(body,
      runningPanel(report, months, newSet()),
      endedPanel(report, months, newSet()),
      countPivotPanel('Verlengingen per maand', 'Zaken met een verleende verlenging, per maatregel en GI.',
        report.extensions, months, { rowHeader: 'Maatregel en GI', kindOrder: MEASURE_KINDS, empty: 'Geen verlengingen in deze periode.' }),
      countPivotPanel('Klachten per maand', 'Zaken met een ingediende klacht, per organisatie waar de klacht is ingediend.',
        report.complaints, months, { rowHeader: 'Organisatie', empty: 'Geen klachten in deze periode.' }),
      assignmentPanel(report),
      groundsPanel(report, months),
      costsPanel(report, months, newSet()),
      benchmarkPanel(report, months, newSet()),
      suppressionLegend(),
      standNote(report.height));
  }

  function destroy() {
    for (const set of chartSets) set.destroyAll();
  }

  return { key: 'maatregelen', title: 'Maatregelen', element, update, destroy, usesReport: true };
}
