// Stuurinformatie cells (docs/contracts.md "Stuurinformatie") as tables. A cell is
// {"month", "kind"?, "institution"?, "cases" (+ "measures", "mean_days", "median_days")} or, under 5
// cases, {"month", ..., "suppressed": true} with no number at all. A cell that is not listed has zero
// cases. A suppressed cell is shown as "< 5", and no number is ever derived for it: no totals, no sums.

import { el, scrollBox } from './dom.js';
import { formatNumber, monthShort, monthLong } from './format.js';

export const SUPPRESSED_TEXT = '< 5';
export const SUPPRESSED_TITLE = 'Minder dan 5 zaken: niet getoond ter bescherming van de privacy';

export const cellKey = (month, kind, institution) => `${month}|${kind ?? ''}|${institution ?? ''}`;

export function indexCells(cells) {
  const index = new Map();
  for (const cell of cells || []) index.set(cellKey(cell.month, cell.kind, cell.institution), cell);
  return index;
}

export const isSuppressed = (cell) => Boolean(cell && cell.suppressed);

// The number of cases of a cell as a node with class "count": a number, "< 5" (class "suppressed"),
// or 0 (class "zero") for a cell that is not listed.
export function countNode(cell) {
  if (isSuppressed(cell)) {
    return el('span', { class: 'count suppressed', title: SUPPRESSED_TITLE }, SUPPRESSED_TEXT);
  }
  if (!cell) return el('span', { class: 'count zero' }, '0');
  return el('span', { class: 'count' }, formatNumber(cell.cases));
}

// A cell's value for a chart: null (a gap) when suppressed, 0 when not listed (cases only).
export function chartValue(cell, field = 'cases') {
  if (!cell) return field === 'cases' ? 0 : null;
  if (cell.suppressed) return null;
  const value = Number(cell[field]);
  return Number.isFinite(value) ? value : null;
}

// The distinct (kind, institution) rows of some cells, sorted by kind order then institution.
export function rowsOf(cells, { kindOrder = [], labelOf = (k) => k } = {}) {
  const seen = new Map();
  for (const cell of cells || []) {
    const key = `${cell.kind ?? ''}|${cell.institution ?? ''}`;
    if (!seen.has(key)) seen.set(key, { kind: cell.kind, institution: cell.institution });
  }
  const rank = (kind) => {
    const i = kindOrder.indexOf(kind);
    return i === -1 ? kindOrder.length : i;
  };
  return [...seen.values()]
    .sort((a, b) => rank(a.kind) - rank(b.kind)
      || String(a.kind ?? '').localeCompare(String(b.kind ?? ''))
      || String(a.institution ?? '').localeCompare(String(b.institution ?? '')))
    .map((row) => ({ ...row, label: row.kind ? labelOf(row.kind) : row.institution, sublabel: row.kind ? row.institution : '' }));
}

function pivotCell(row, month, cell, onDrill) {
  const td = el('td', {
    class: isSuppressed(cell) ? 'num is-suppressed' : 'num',
    dataset: { month, kind: row.kind ?? '', institution: row.institution ?? '' },
  });
  const count = countNode(cell);
  if (cell && onDrill && row.drillable) {
    td.append(el('button', {
      type: 'button',
      class: 'cell-drill',
      title: 'Toon de zaken in deze cel',
      'aria-label': `${row.label}, ${monthLong(month)}: toon de zaken`,
      onclick: (event) => onDrill({ row, month, trigger: event.currentTarget }),
    }, count));
  } else {
    td.append(count);
  }
  return td;
}

// Rows × months of case counts. rows: [{kind, institution, label, sublabel, drillable}].
export function pivotTable({ caption, months, rows, index, rowHeader = 'Soort', onDrill = null }) {
  const head = el('tr', {},
    el('th', { scope: 'col', class: 'row-head' }, rowHeader),
    months.map((month) => el('th', { scope: 'col', class: 'num' }, monthShort(month))));
  const body = rows.map((row) => el('tr', { dataset: { kind: row.kind ?? '', institution: row.institution ?? '' } },
    el('th', { scope: 'row', class: 'row-head' },
      el('span', { class: 'row-label' }, row.label),
      row.sublabel ? el('span', { class: 'sub' }, row.sublabel) : null),
    months.map((month) => pivotCell(row, month, index.get(cellKey(month, row.kind, row.institution)), onDrill))));
  const table = el('table', { class: 'data pivot' },
    el('caption', { class: 'sr-only' }, caption),
    el('thead', {}, head),
    el('tbody', {}, body));
  return scrollBox(table, caption);
}

// A number field of a cell with durations: "–" when suppressed (no number) or missing.
function measureField(cell, field) {
  if (isSuppressed(cell)) return el('span', { class: 'suppressed', title: SUPPRESSED_TITLE }, '–');
  const value = Number(cell[field]);
  return Number.isFinite(value) ? formatNumber(value) : '–';
}

// One row per listed cell, newest month first: the ended and assignment tables (cases, measures,
// mean and median days). columns: [{label, value(cell)}] for the key columns before the numbers.
export function measureTable({ caption, cells, keyColumns }) {
  const sorted = [...(cells || [])].sort((a, b) => b.month.localeCompare(a.month)
    || String(a.kind ?? '').localeCompare(String(b.kind ?? ''))
    || String(a.institution ?? '').localeCompare(String(b.institution ?? '')));
  const head = el('tr', {},
    el('th', { scope: 'col', class: 'row-head' }, 'Maand'),
    keyColumns.map((c) => el('th', { scope: 'col' }, c.label)),
    el('th', { scope: 'col', class: 'num' }, 'Zaken'),
    el('th', { scope: 'col', class: 'num' }, 'Maatregelen'),
    el('th', { scope: 'col', class: 'num' }, 'Gemiddeld (dagen)'),
    el('th', { scope: 'col', class: 'num' }, 'Mediaan (dagen)'));
  const body = sorted.map((cell) => el('tr', {
    class: isSuppressed(cell) ? 'is-suppressed' : null,
    dataset: { month: cell.month, kind: cell.kind ?? '', institution: cell.institution ?? '' },
  },
    el('th', { scope: 'row', class: 'row-head' }, monthShort(cell.month)),
    keyColumns.map((c) => el('td', {}, c.value(cell))),
    el('td', { class: 'num' }, countNode(cell)),
    el('td', { class: 'num' }, measureField(cell, 'measures')),
    el('td', { class: 'num' }, measureField(cell, 'mean_days')),
    el('td', { class: 'num' }, measureField(cell, 'median_days'))));
  const table = el('table', { class: 'data' },
    el('caption', { class: 'sr-only' }, caption),
    el('thead', {}, head),
    el('tbody', {}, body));
  return scrollBox(table, caption);
}

export function suppressionLegend() {
  return el('p', { class: 'legend' },
    el('span', { class: 'count suppressed' }, SUPPRESSED_TEXT),
    ' minder dan 5 zaken: het aantal wordt niet getoond (privacy). Een lege maand telt 0 zaken.');
}
