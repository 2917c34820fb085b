// MUNICIPALITY: "Signalen" — the signals table of the stuurinformatie, cells of the user's own
// municipality: one tile per signal kind for the last month of the range, and a table per month.
// Tiles and table cells drill down to the cases (GET /api/cells). Between them, the share of running
// OTS/VOTS without a jeugdbeschermer now (GET /api/caseload, view-caseload.js). A missed assignment
// has no tile: the chain counts it per GI, under Termijnen.

import { el, replaceContent, sectionCard, panel, standNote } from './dom.js';
import { SIGNAL_KINDS, signalLabel } from './labels.js';
import { cellKey, countNode, indexCells, isSuppressed, pivotTable, suppressionLegend } from './cells.js';
import { monthList, monthLong } from './format.js';
import { unassignedSharePanel } from './view-caseload.js';

function signalKinds(ownCells) {
  const extra = ownCells.map((c) => c.kind).filter((k) => k && !SIGNAL_KINDS.includes(k));
  return [...SIGNAL_KINDS, ...new Set(extra)];
}

function tile(kind, cell, month, onOpen) {
  const classes = ['tile'];
  if (isSuppressed(cell)) classes.push('is-suppressed');
  else if (cell) classes.push('has-cases');
  return el('button', {
    type: 'button',
    class: classes.join(' '),
    dataset: { signal: kind, month },
    'aria-label': `${signalLabel(kind)}: ${isSuppressed(cell) ? 'minder dan 5' : (cell ? cell.cases : 0)} zaken in ${monthLong(month)}. Toon de zaken.`,
    onclick: (event) => onOpen(event.currentTarget),
  },
    countNode(cell),
    el('span', { class: 'tile-label' }, signalLabel(kind)));
}

export function signalsSection(ctx) {
  const tilesBox = el('div', { class: 'section-body' });
  const tableBox = el('div', { class: 'section-body' });
  const stand = el('div');
  const share = unassignedSharePanel(ctx);
  const element = sectionCard({
    key: 'signalen',
    title: 'Signalen',
    intro: `Signalen over zaken van ${ctx.me.institution}: het aantal zaken met een signaal per maand. Klik op een tegel of cel voor de zaken.`,
  }, tilesBox, share.element, tableBox, stand);

  function update(report) {
    const own = (report.signals || []).filter((c) => c.institution === ctx.me.institution);
    const index = indexCells(own);
    const kinds = signalKinds(own);
    const month = ctx.range.to;
    const tiles = el('div', { class: 'tiles', id: 'signal-tiles' },
      kinds.map((kind) => {
        const cell = index.get(cellKey(month, kind, ctx.me.institution));
        const node = tile(kind, cell, month, (trigger) => ctx.drilldown.open({
          host: trigger.closest('.tiles'), month, metric: kind, label: signalLabel(kind),
        }));
        return node;
      }));
    replaceContent(tilesBox,
      el('h3', { class: 'tiles-title' }, `Signalen in ${monthLong(month)}`),
      tiles);

    const rows = kinds.map((kind) => ({
      kind, institution: ctx.me.institution, label: signalLabel(kind), drillable: true,
    }));
    replaceContent(tableBox, panel('Signalen per maand', null,
      pivotTable({
        caption: 'Signalen per maand',
        months: monthList(report.from || ctx.range.from, report.to || ctx.range.to),
        rows,
        index,
        rowHeader: 'Signaal',
        onDrill: ({ row, month: m, trigger }) => ctx.drilldown.open({
          host: trigger.closest('.table-scroll'), month: m, metric: row.kind, label: row.label,
        }),
      }),
      suppressionLegend()));
    replaceContent(stand, standNote(report.height));
  }

  return {
    key: 'signalen', title: 'Signalen', element, usesReport: true, update, load: share.load, destroy: share.destroy,
  };
}
