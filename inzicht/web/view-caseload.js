// Caseload (GET /api/caseload).
// GI: "Jeugdbeschermers" — every registered jeugdbeschermer with its SKJ registration and the number
// of running OTS/VOTS assigned to it, and the running measures without one.
// MUNICIPALITY: a card in "Signalen" — the share of the municipality's running OTS/VOTS without a
// jeugdbeschermer now, per GI. These are the municipality's own cases: no suppression, and only
// numbers the answer holds (a total only when every GI's numbers are there).

import { api } from './api.js';
import { el, replaceContent, sectionCard, panel, standNote, loadingNote, emptyNote, errorNote, scrollBox, badge } from './dom.js';
import { ChartSet, chartFigure, barConfig } from './charts.js';
import { epochDayOfIso, formatIsoDate, formatNumber, formatPercent, isoDateOf } from './format.js';
import { policyDays } from './labels.js';

export const SKJ_WARN_DAYS = 90;

const count = (value) => {
  if (value === null || value === undefined || value === '') return NaN;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 ? n : NaN;
};
const known = (n) => !Number.isNaN(n);

// ---------- GI ----------

// expired: the last valid day is before today; expiring: it falls within the next 90 days.
export function skjStatus(validUntil, today) {
  const until = epochDayOfIso(validUntil);
  const now = epochDayOfIso(today);
  if (Number.isNaN(until) || Number.isNaN(now)) return { key: 'unknown', days: NaN };
  const days = until - now;
  if (days < 0) return { key: 'expired', days };
  if (days <= SKJ_WARN_DAYS) return { key: 'expiring', days };
  return { key: 'valid', days };
}

const STATUS = {
  expired: { rank: 0, text: 'Verlopen', badge: 'danger skj-expired' },
  expiring: { rank: 1, text: `Verloopt binnen ${SKJ_WARN_DAYS} dagen`, badge: 'warn skj-expiring' },
  unknown: { rank: 2, text: 'Onbekend', badge: 'neutral skj-unknown' },
  valid: { rank: 3, text: 'Geldig', badge: 'ok skj-valid' },
};

function statusTitle(status) {
  if (status.key === 'expired') {
    const ago = -status.days;
    return `Verlopen sinds ${ago === 1 ? '1 dag' : `${ago} dagen`}`;
  }
  if (status.key === 'expiring') {
    if (status.days === 0) return 'Vandaag de laatste geldige dag';
    return `Nog ${status.days === 1 ? '1 dag' : `${status.days} dagen`} geldig`;
  }
  if (status.key === 'unknown') return 'Geen geldige datum ontvangen';
  return '';
}

function professionalsOf(answer, today) {
  const list = Array.isArray(answer.professionals) ? answer.professionals : [];
  return list.map((p) => {
    const status = skjStatus(p.skj_valid_until, today);
    return { id: String(p.professional ?? ''), validUntil: p.skj_valid_until, cases: count(p.cases), status };
  }).sort((a, b) => STATUS[a.status.key].rank - STATUS[b.status.key].rank
    || (known(b.cases) ? b.cases : -1) - (known(a.cases) ? a.cases : -1)
    || a.id.localeCompare(b.id));
}

function professionalsTable(rows) {
  const table = el('table', { class: 'data', id: 'professionals-table' },
    el('caption', { class: 'sr-only' }, 'Jeugdbeschermers: caseload en SKJ-registratie'),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col', class: 'row-head' }, 'Jeugd\u00ADbeschermer'),
      el('th', { scope: 'col', class: 'num' }, 'Caseload'),
      el('th', { scope: 'col' }, 'SKJ geldig t/m'),
      el('th', { scope: 'col' }, 'Status'))),
    el('tbody', {}, rows.map((p) => {
      const s = STATUS[p.status.key];
      return el('tr', { dataset: { professional: p.id, skj: p.status.key } },
        el('th', { scope: 'row', class: 'row-head mono' }, p.id || '–'),
        el('td', { class: 'num caseload' }, known(p.cases) ? formatNumber(p.cases) : '–'),
        el('td', { class: 'skj-date' }, p.validUntil ? formatIsoDate(p.validUntil) : '–'),
        el('td', { class: 'skj-status' },
          el('span', { class: `badge ${s.badge}`, title: statusTitle(p.status) || null }, s.text)));
    })));
  return scrollBox(table, 'Jeugdbeschermers');
}

const BAR_COLORS = { expired: '#a4262c', expiring: '#c97a00', unknown: '#8a97a8', valid: '#1f5fa8' };

function caseloadChart(rows) {
  const config = barConfig(rows.map((p) => p.id), [{
    label: 'Zaken (lopende OTS/VOTS)',
    data: rows.map((p) => (known(p.cases) ? p.cases : null)),
  }], { yTitle: 'zaken' });
  config.data.datasets[0].backgroundColor = rows.map((p) => BAR_COLORS[p.status.key]);
  config.options.plugins.legend = { display: false };
  config.options.scales.x = { ticks: { autoSkip: true, maxRotation: 90, minRotation: 0 } };
  const made = chartFigure('Caseload per jeugdbeschermer (rood: SKJ verlopen, oranje: verloopt binnen 90 dagen)', config);
  made.figure.classList.add('chart-small');
  return made;
}

function plural(n, one, many) {
  return n === 1 ? one : many;
}

function giSummary(rows, unassigned) {
  const expired = rows.filter((p) => p.status.key === 'expired').length;
  const expiring = rows.filter((p) => p.status.key === 'expiring').length;
  const expiredWithCases = rows.filter((p) => p.status.key === 'expired' && known(p.cases) && p.cases > 0).length;
  return el('ul', { class: 'summary-list', id: 'caseload-summary' },
    el('li', { id: 'skj-expired-count', class: expired ? 'danger' : '' },
      'SKJ-registratie verlopen: ', el('strong', {}, String(expired)), ` ${plural(expired, 'jeugdbeschermer', 'jeugdbeschermers')}`,
      expiredWithCases ? el('span', { class: 'summary-note' },
        ` (${expiredWithCases} met lopende zaken)`) : null),
    el('li', { id: 'skj-expiring-count', class: expiring ? 'warn' : '' },
      `Verloopt binnen ${SKJ_WARN_DAYS} dagen: `, el('strong', {}, String(expiring)),
      ` ${plural(expiring, 'jeugdbeschermer', 'jeugdbeschermers')}`),
    el('li', { id: 'unassigned-count', class: known(unassigned) && unassigned > 0 ? 'warn' : '' },
      'Zonder jeugdbeschermer: ',
      known(unassigned)
        ? [el('strong', {}, formatNumber(unassigned)), ` ${plural(unassigned, 'lopende maatregel', 'lopende maatregelen')}`]
        : el('strong', {}, 'onbekend')));
}

export function jeugdbeschermersSection(ctx) {
  const box = el('div', { class: 'section-body' }, loadingNote());
  const charts = new ChartSet();
  const element = sectionCard({
    key: 'jeugdbeschermers',
    title: 'Jeugdbeschermers',
    intro: `De jeugdbeschermers die ${ctx.me.institution} heeft geregistreerd, met het aantal lopende OTS/VOTS per jeugdbeschermer en de geldigheid van de SKJ-registratie.`,
  }, box);
  let request = 0;

  function render(answer) {
    const today = isoDateOf(ctx.chain.time_ms);
    const rows = professionalsOf(answer, today);
    charts.destroyAll();
    return [
      el('p', { class: 'norm' },
        el('strong', {}, 'SKJ: '),
        'Registratie in het SKJ-register is verplicht voor jeugdbeschermers (Kwaliteitskader Jeugd). ',
        'De keten weigert een toewijzing aan een jeugdbeschermer van wie de registratie is verlopen. ',
        'Peildatum: ', el('span', { class: 'nowrap' }, today ? formatIsoDate(today) : '–'), ' (de datum van het laatste blok).'),
      giSummary(rows, count(answer.unassigned)),
      rows.length
        ? [
          charts.add(caseloadChart(rows)),
          professionalsTable(rows),
          el('p', { class: 'legend' }, 'Gesorteerd: verlopen registraties eerst, dan registraties die binnen 90 dagen verlopen, dan de grootste caseload.'),
        ]
        : emptyNote('Er zijn nog geen jeugdbeschermers geregistreerd.'),
      standNote(answer.height),
    ];
  }

  async function load() {
    const mine = ++request;
    try {
      const answer = await api.caseload();
      if (mine !== request) return;
      replaceContent(box, render(answer || {}));
    } catch (error) {
      if (mine !== request || error.sessionLost) return;
      charts.destroyAll();
      replaceContent(box, errorNote(error, 'Kon de jeugdbeschermers niet laden'));
    }
  }

  return {
    key: 'jeugdbeschermers',
    title: 'Jeugdbeschermers',
    element,
    load,
    destroy: () => {
      request += 1;
      charts.destroyAll();
    },
  };
}

// ---------- MUNICIPALITY ----------

function giRows(answer) {
  const list = Array.isArray(answer.gis) ? answer.gis : [];
  return list.map((g) => {
    const assigned = count(g.assigned);
    const unassigned = count(g.unassigned);
    const total = known(assigned) && known(unassigned) ? assigned + unassigned : NaN;
    return { gi: String(g.gi ?? ''), assigned, unassigned, total };
  }).sort((a, b) => a.gi.localeCompare(b.gi));
}

function unassignedTable(rows) {
  const num = (n) => (known(n) ? formatNumber(n) : '–');
  const table = el('table', { class: 'data', id: 'unassigned-by-gi' },
    el('caption', { class: 'sr-only' }, 'Lopende OTS/VOTS met en zonder jeugdbeschermer per GI'),
    el('thead', {},
      el('tr', {},
        el('th', { scope: 'col', rowspan: '2', class: 'row-head' }, 'GI'),
        el('th', { scope: 'colgroup', colspan: '2', class: 'group' }, 'Jeugd\u00ADbeschermer'),
        el('th', { scope: 'col', rowspan: '2', class: 'num' }, 'Aandeel zonder')),
      el('tr', {},
        el('th', { scope: 'col', class: 'num' }, 'Met'),
        el('th', { scope: 'col', class: 'num' }, 'Zonder'))),
    el('tbody', {}, rows.map((r) => el('tr', { dataset: { gi: r.gi } },
      el('th', { scope: 'row', class: 'row-head' }, r.gi || '–'),
      el('td', { class: 'num assigned' }, num(r.assigned)),
      el('td', { class: 'num unassigned' }, num(r.unassigned)),
      el('td', { class: 'num share' }, known(r.total) ? formatPercent(r.unassigned, r.total) : '–')))));
  return scrollBox(table, 'Zonder jeugdbeschermer per GI');
}

function shareFigure(rows) {
  const complete = rows.length > 0 && rows.every((r) => known(r.total));
  if (!complete) {
    return el('p', { class: 'share-figure' },
      el('strong', { class: 'share-percent' }, '–'),
      el('span', { class: 'share-of' }, rows.length ? ' (niet voor elke GI bekend)' : ' (geen lopende OTS/VOTS)'));
  }
  const n = rows.reduce((sum, r) => sum + r.unassigned, 0);
  const m = rows.reduce((sum, r) => sum + r.total, 0);
  if (m === 0) {
    return el('p', { class: 'share-figure' },
      el('strong', { class: 'share-percent' }, '–'), el('span', { class: 'share-of' }, ' (geen lopende OTS/VOTS)'));
  }
  return el('p', { class: 'share-figure', dataset: { unassigned: n, running: m } },
    el('strong', { class: 'share-percent' }, formatPercent(n, m)),
    el('span', { class: 'share-of' }, ` (${formatNumber(n)} van ${formatNumber(m)})`));
}

// A panel for the Signalen section: {element, load}.
export function unassignedSharePanel(ctx) {
  const body = el('div', { 'aria-live': 'polite' }, loadingNote());
  const element = el('div', { class: 'share-card', id: 'share-unassigned' },
    el('h3', {}, 'Lopende OTS/VOTS zonder jeugdbeschermer (nu)'),
    body);
  let request = 0;

  async function load() {
    const mine = ++request;
    try {
      const answer = (await api.caseload()) || {};
      if (mine !== request) return;
      const rows = giRows(answer);
      replaceContent(body,
        shareFigure(rows),
        el('p', { class: 'intro' },
          `Het deel van de lopende ondertoezichtstellingen (OTS en VOTS) in zaken van ${ctx.me.institution} waaraan nu geen jeugdbeschermer is toegewezen, per GI. Het gaat om uw eigen zaken, dus ook kleine aantallen worden getoond.`),
        rows.length ? unassignedTable(rows) : emptyNote('Geen lopende OTS/VOTS.'),
        el('p', { class: 'legend' }, `Gemiste toewijzingstermijnen (geen jeugdbeschermer binnen ${policyDays('assign_days', 5)} dagen) staan per GI onder Termijnen.`),
        standNote(answer.height));
    } catch (error) {
      if (mine !== request || error.sessionLost) return;
      replaceContent(body, errorNote(error, 'Kon de toewijzing niet laden'));
    }
  }

  return { element, load, destroy: () => { request += 1; } };
}
