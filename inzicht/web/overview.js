// The overview page of a role: its sections (docs: README.md), the section navigation, the month
// range and the refresh button. Sections are objects {key, title, element, load?(), update?(report),
// usesReport?}: load() reads its own route, update(report) redraws from the stuurinformatie, which is
// read once per range for all sections.

import { api } from './api.js';
import { el, replaceContent, errorNote } from './dom.js';
import { createDrilldown } from './drilldown.js';
import { createRangeControl, defaultRange } from './range.js';
import { monthOf } from './format.js';
import { setPolicy } from './labels.js';
import { signalsSection } from './view-signals.js';
import {
  giDeadlinesSection, municipalityDeadlinesSection, ownMissedSection, partyDeadlinesSection,
} from './view-deadlines.js';
import { measuresSection } from './view-measures.js';
import { auditorTablesSection, chainSection } from './view-auditor.js';
import { notificationsSection } from './view-notifications.js';
import { jeugdbeschermersSection } from './view-caseload.js';
import { requestsSection } from './view-requests.js';

const SECTIONS_BY_ROLE = {
  MUNICIPALITY: [signalsSection, municipalityDeadlinesSection, measuresSection, notificationsSection],
  GI: [giDeadlinesSection, jeugdbeschermersSection, ownMissedSection, notificationsSection],
  COURT: [partyDeadlinesSection, requestsSection, ownMissedSection, notificationsSection],
  RVDK: [partyDeadlinesSection, requestsSection, ownMissedSection, notificationsSection],
  AUDITOR: [chainSection, auditorTablesSection, measuresSection, requestsSection, notificationsSection],
};

export function createOverview({ me, chain, container, nav, onNavigate }) {
  setPolicy(chain.policy);
  const currentMonth = monthOf(chain.time_ms || Date.now());
  const ctx = {
    me,
    chain,
    currentMonth,
    range: defaultRange(currentMonth),
    drilldown: createDrilldown(),
    onUnackedChange: null,
  };
  const factories = SECTIONS_BY_ROLE[me.role] || [notificationsSection];
  const sections = factories.map((make) => make(ctx));
  const usesReport = sections.some((s) => s.usesReport);
  const reportStatus = el('div', { id: 'report-status', class: 'report-status', 'aria-live': 'polite' });
  let reportRequest = 0;

  async function loadReport() {
    const mine = ++reportRequest;
    ctx.drilldown.close();
    replaceContent(reportStatus, el('span', { class: 'loading' }, 'Stuurinformatie wordt geladen…'));
    try {
      const report = await api.stuurinformatie(ctx.range.from, ctx.range.to);
      if (mine !== reportRequest) return;
      for (const section of sections) if (section.usesReport) section.update(report);
      replaceContent(reportStatus);
    } catch (error) {
      if (mine !== reportRequest || error.sessionLost) return;
      replaceContent(reportStatus, errorNote(error, 'Kon de stuurinformatie niet laden'));
    }
  }

  function loadAll() {
    const loads = sections.filter((s) => s.load).map((s) => s.load());
    if (usesReport) loads.push(loadReport());
    return Promise.all(loads);
  }

  // Section navigation: buttons (the hash is the router's), with an unread count on Meldingen.
  const navButtons = new Map();
  replaceContent(nav, el('ul', {}, sections.map((s) => {
    const button = el('button', { type: 'button', class: 'nav-link', dataset: { section: s.key } }, s.title);
    button.addEventListener('click', () => onNavigate(s.element));
    navButtons.set(s.key, button);
    return el('li', {}, button);
  })));
  ctx.onUnackedChange = (count) => {
    const button = navButtons.get('meldingen');
    if (!button) return;
    replaceContent(button, 'Meldingen', count ? el('span', { class: 'nav-count', title: `${count} niet gezien` }, String(count)) : null);
  };

  const refresh = el('button', { type: 'button', class: 'button subtle', id: 'refresh' }, 'Vernieuwen');
  refresh.addEventListener('click', async () => {
    refresh.disabled = true;
    try {
      const latest = await api.chain();
      Object.assign(ctx.chain, latest);
    } catch (error) {
      if (error.sessionLost) return;
    }
    await loadAll();
    refresh.disabled = false;
  });

  const caseInput = el('input', {
    id: 'case-search-input', type: 'search', placeholder: 'Zaaknummer', autocomplete: 'off', spellcheck: 'false',
    'aria-label': 'Zaaknummer',
  });
  const caseForm = el('form', { class: 'case-search', id: 'case-search', role: 'search' },
    caseInput, el('button', { type: 'submit', class: 'button subtle', 'aria-label': 'Zaak openen' }, 'Open'));
  caseForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const id = caseInput.value.trim();
    if (id) window.location.hash = `#/case/${encodeURIComponent(id)}`;
  });

  const toolbar = el('div', { class: 'toolbar', id: 'toolbar' },
    usesReport ? createRangeControl({
      currentMonth,
      range: ctx.range,
      onApply: (range) => {
        ctx.range = range;
        loadReport();
      },
    }) : null,
    el('div', { class: 'toolbar-actions' }, caseForm, refresh));

  replaceContent(container, toolbar, reportStatus, sections.map((s) => s.element));
  loadAll();

  return {
    ctx,
    updateChain(latest) {
      Object.assign(ctx.chain, latest);
    },
    destroy() {
      reportRequest += 1;
      for (const section of sections) if (section.destroy) section.destroy();
    },
  };
}
