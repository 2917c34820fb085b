// Deadlines: upcoming ones of the user's institution (GET /api/deadlines?days=N) and missed ones
// from the stuurinformatie (table missed_deadlines).

import { api } from './api.js';
import { el, replaceContent, sectionCard, panel, standNote, loadingNote, emptyNote, errorNote, caseLink, badge } from './dom.js';
import { deadlineLabel, eventLabel } from './labels.js';
import { formatDate, formatDateTime, isoInstant, relativeDays, monthList } from './format.js';
import { indexCells, pivotTable, rowsOf, suppressionLegend } from './cells.js';

// Kinds that need attention first at the court and the RvdK.
const SPOED_KINDS = ['D-SPOED', 'R-SPOED'];
const EXTEND_KINDS = ['D-EXTEND', 'R-EXTEND-6W', 'R-EXTEND-2W', 'D-NONEXT', 'R-NONEXT'];

export const MISSED_KINDS = [
  'PLAN_MISSED', 'ASSIGN_MISSED', 'PROGRESS_MISSED', 'CONTACT_MISSED', 'EXTENSION_NOT_REQUESTED',
  'NON_EXTENSION_NOTICE_MISSED', 'UHP_LAPSED', 'SPOED_HEARING_MISSED', 'COMPLAINT_DECISION_MISSED',
  'ESCALATION_ANSWER_MISSED',
];

function emphasisOf(kind) {
  if (SPOED_KINDS.includes(kind)) return 'spoed';
  if (EXTEND_KINDS.includes(kind)) return 'verlenging';
  return '';
}

function deadlineRow(deadline, nowMs, { showKind = true } = {}) {
  return el('li', {
    class: 'deadline',
    dataset: { deadlineId: deadline.id, kind: deadline.kind, case: deadline.case, dueMs: deadline.due_ms },
  },
    el('div', { class: 'deadline-when' },
      el('time', { class: 'due', datetime: isoInstant(deadline.due_ms), title: `Verstrijkt ${formatDateTime(deadline.due_ms)}` },
        formatDate(deadline.due_ms)),
      el('span', { class: 'relative' }, relativeDays(deadline.due_ms, nowMs))),
    el('div', { class: 'deadline-what' },
      showKind ? el('span', { class: 'deadline-kind' }, deadlineLabel(deadline.kind)) : null,
      el('span', { class: 'deadline-case' }, 'Zaak ', caseLink(deadline.case)),
      deadline.measure ? badge(deadline.measure) : null,
      deadline.detail ? el('span', { class: 'muted' }, `kenmerk ${deadline.detail}`) : null));
}

function sortedByDue(deadlines) {
  return [...deadlines].sort((a, b) => Number(a.due_ms) - Number(b.due_ms));
}

// A flat list #id, soonest first.
function deadlineList(id, answer, nowMs) {
  const deadlines = sortedByDue(answer.deadlines || []);
  const list = el('ul', { id, class: 'deadline-list' }, deadlines.map((d) => deadlineRow(d, nowMs)));
  return [
    list,
    deadlines.length ? null : emptyNote('Geen termijnen in deze periode.'),
    answer.more ? el('p', { class: 'warning' }, 'Er zijn meer termijnen dan hier getoond.') : null,
    standNote(answer.height),
  ];
}

// Groups per kind in #id; with emphasis, spoed and verlenging groups come first and stand out.
function groupedDeadlines(id, answer, nowMs, { emphasis = false } = {}) {
  const groups = new Map();
  for (const d of sortedByDue(answer.deadlines || [])) {
    if (!groups.has(d.kind)) groups.set(d.kind, []);
    groups.get(d.kind).push(d);
  }
  const rank = (kind) => {
    if (!emphasis) return 0;
    if (SPOED_KINDS.includes(kind)) return 0;
    if (EXTEND_KINDS.includes(kind)) return 1;
    return 2;
  };
  const ordered = [...groups.entries()].sort((a, b) => rank(a[0]) - rank(b[0])
    || Number(a[1][0].due_ms) - Number(b[1][0].due_ms));
  const container = el('div', { id, class: 'deadline-groups' },
    ordered.map(([kind, items]) => {
      const mark = emphasis ? emphasisOf(kind) : '';
      return el('div', { class: `deadline-group${mark ? ` emphasis-${mark}` : ''}`, dataset: { kind } },
        el('h4', {},
          el('span', {}, deadlineLabel(kind)),
          el('span', { class: 'group-count' }, String(items.length)),
          mark === 'spoed' ? badge('Spoed', 'danger') : null,
          mark === 'verlenging' ? badge('Verlenging', 'warn') : null),
        el('ul', { class: 'deadline-list' }, items.map((d) => deadlineRow(d, nowMs, { showKind: false }))));
    }));
  return [
    container,
    ordered.length ? null : emptyNote('Geen termijnen in deze periode.'),
    answer.more ? el('p', { class: 'warning' }, 'Er zijn meer termijnen dan hier getoond.') : null,
    standNote(answer.height),
  ];
}

async function loadInto(box, days, render) {
  replaceContent(box, loadingNote());
  try {
    const answer = await api.deadlines(days);
    replaceContent(box, render(answer));
    return answer;
  } catch (error) {
    if (!error.sessionLost) replaceContent(box, errorNote(error, 'Kon de termijnen niet laden'));
    return null;
  }
}

function summaryTiles(answer) {
  const deadlines = answer.deadlines || [];
  const count = (kinds) => deadlines.filter((d) => kinds.includes(d.kind)).length;
  const stat = (label, value, variant) => el('div', { class: `stat ${variant}`.trim() },
    el('span', { class: 'stat-value' }, String(value)), el('span', { class: 'stat-label' }, label));
  return el('div', { class: 'stats' },
    stat('Spoedzittingen', count(['D-SPOED']), count(['D-SPOED']) ? 'danger' : ''),
    stat('Verzoeken verlenging', count(['D-EXTEND']), count(['D-EXTEND']) ? 'warn' : ''),
    stat('Alle termijnen', deadlines.length, ''));
}

// GI: two lists, due within 14 and within 42 days.
export function giDeadlinesSection(ctx) {
  const box14 = el('div', { class: 'column' });
  const box42 = el('div', { class: 'column' });
  const element = sectionCard({
    key: 'termijnen',
    title: 'Termijnen',
    intro: 'Openstaande termijnen van uw zaken. Een termijn verstrijkt om 00:00 uur op de getoonde datum.',
  }, el('div', { class: 'columns' },
    panel('Binnen 14 dagen', null, box14),
    panel('Binnen 42 dagen', null, box42)));

  async function load() {
    const now = () => ctx.chain.time_ms;
    await Promise.all([
      loadInto(box14, 14, (answer) => deadlineList('deadlines-14', answer, now())),
      loadInto(box42, 42, (answer) => deadlineList('deadlines-42', answer, now())),
    ]);
  }

  return { key: 'termijnen', title: 'Termijnen', element, load };
}

// COURT and RVDK: the next 42 days grouped by kind, spoed and verlengingen first.
export function partyDeadlinesSection(ctx) {
  const box = el('div', { class: 'section-body' });
  const element = sectionCard({
    key: 'termijnen',
    title: 'Termijnen',
    intro: 'Openstaande termijnen van zaken waarbij uw organisatie partij is, de komende 42 dagen. Spoedzittingen en verlengingen staan bovenaan.',
  }, box);

  async function load() {
    await loadInto(box, 42, (answer) => [
      summaryTiles(answer),
      groupedDeadlines('deadlines-42', answer, ctx.chain.time_ms, { emphasis: true }),
    ]);
  }

  return { key: 'termijnen', title: 'Termijnen', element, load };
}

// The missed_deadlines pivot: all institutions (municipality, auditor) or only the user's own.
function missedPanel(ctx, report, { ownOnly }) {
  const cells = (report.missed_deadlines || [])
    .filter((c) => !ownOnly || c.institution === ctx.me.institution);
  const rows = rowsOf(cells, { kindOrder: MISSED_KINDS, labelOf: eventLabel })
    .map((row) => ({ ...row, drillable: row.institution === ctx.me.institution }));
  if (!rows.length) return emptyNote('Geen gemiste termijnen in deze periode.');
  return pivotTable({
    caption: 'Gemiste termijnen per maand',
    months: monthList(report.from || ctx.range.from, report.to || ctx.range.to),
    rows,
    index: indexCells(cells),
    rowHeader: ownOnly ? 'Termijn' : 'Termijn en organisatie',
    onDrill: ({ row, month, trigger }) => ctx.drilldown.open({
      host: trigger.closest('.table-scroll'), month, metric: row.kind, label: row.label,
    }),
  });
}

// MUNICIPALITY: upcoming (42 days, grouped) and missed per month, every institution.
export function municipalityDeadlinesSection(ctx) {
  const upcoming = el('div');
  const missed = el('div');
  const element = sectionCard({
    key: 'termijnen',
    title: 'Termijnen',
    intro: 'Aankomende termijnen van zaken in uw gemeente en gemiste termijnen per maand, per organisatie die moest handelen.',
  },
  panel('Aankomende termijnen (42 dagen)', 'Een termijn verstrijkt om 00:00 uur op de getoonde datum.', upcoming),
  panel('Gemiste termijnen per maand', 'Per soort termijn en de organisatie die moest handelen. Cellen van uw eigen organisatie tonen de zaken.', missed));

  async function load() {
    await loadInto(upcoming, 42, (answer) => groupedDeadlines('deadlines-42', answer, ctx.chain.time_ms));
  }

  function update(report) {
    replaceContent(missed, missedPanel(ctx, report, { ownOnly: false }), suppressionLegend(), standNote(report.height));
  }

  return { key: 'termijnen', title: 'Termijnen', element, load, update, usesReport: true };
}

// GI, COURT, RVDK: the institution's own missed deadlines, with drill-down.
export function ownMissedSection(ctx) {
  const box = el('div', { class: 'section-body' }, loadingNote());
  const element = sectionCard({
    key: 'gemist',
    title: 'Gemiste termijnen',
    intro: `Termijnen die ${ctx.me.institution} heeft gemist, per maand. Klik op een cel voor de zaken.`,
  }, box);

  function update(report) {
    replaceContent(box, missedPanel(ctx, report, { ownOnly: true }), suppressionLegend(), standNote(report.height));
  }

  return { key: 'gemist', title: 'Gemiste termijnen', element, update, usesReport: true };
}

// AUDITOR: missed deadlines of every institution, no drill-down.
export function allMissedPanel(ctx, report) {
  return missedPanel(ctx, report, { ownOnly: false });
}
