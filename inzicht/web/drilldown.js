// Drill-down from a stuurinformatie cell to its cases (GET /api/cells): one panel with the list
// #drilldown, moved next to whatever was clicked. Only the institution's own cells can be asked.

import { api } from './api.js';
import { el, clear, replaceContent, caseLink, loadingNote, emptyNote, errorNote, standNote } from './dom.js';
import { monthLong } from './format.js';

export function createDrilldown() {
  const title = el('h3', { class: 'drilldown-title', id: 'drilldown-title' });
  const list = el('ul', { id: 'drilldown', class: 'case-list', 'aria-labelledby': 'drilldown-title' });
  const status = el('div', { class: 'drilldown-status', 'aria-live': 'polite' });
  const closeButton = el('button', { type: 'button', class: 'button subtle small', id: 'drilldown-close' }, 'Sluiten');
  const panel = el('div', { class: 'drilldown', hidden: true },
    el('div', { class: 'drilldown-head' }, title, closeButton),
    el('p', { class: 'intro' }, 'De zaken die in deze cel zijn geteld. Alleen uw eigen organisatie ziet deze lijst.'),
    list,
    status);
  let request = 0;

  function close() {
    request += 1;
    panel.hidden = true;
  }
  closeButton.addEventListener('click', close);

  // host: the element after which the panel appears.
  async function open({ host, month, metric, label }) {
    host.after(panel);
    panel.hidden = false;
    panel.dataset.month = month;
    panel.dataset.metric = metric;
    title.textContent = `${label} — ${monthLong(month)}`;
    clear(list);
    replaceContent(status, loadingNote('Zaken worden opgehaald…'));
    panel.scrollIntoView({ block: 'nearest' });
    const mine = ++request;
    try {
      const answer = await api.cells(month, metric);
      if (mine !== request) return;
      const cases = Array.isArray(answer.cases) ? answer.cases : [];
      for (const id of cases) list.append(el('li', {}, caseLink(id)));
      replaceContent(status,
        cases.length ? el('p', { class: 'muted' }, `${cases.length} ${cases.length === 1 ? 'zaak' : 'zaken'}`)
          : emptyNote('Geen zaken in deze cel.'),
        standNote(answer.height));
    } catch (error) {
      if (mine !== request || error.sessionLost) return;
      replaceContent(status, errorNote(error, 'Kon de zaken niet ophalen'));
    }
  }

  return { open, close, panel };
}
