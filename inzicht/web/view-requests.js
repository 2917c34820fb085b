// "Openstaande verzoeken" (COURT, RVDK, AUDITOR; read-only): requests that are filed but not yet
// decided (GET /api/requests). The court and the inspectorate see every pending request on the chain,
// the RvdK those of its own cases. Spoedmachtigingen first, then machtigingen UHP, verlengingen,
// (V)OTS and opheffingen.

import { api } from './api.js';
import { el, replaceContent, sectionCard, standNote, loadingNote, emptyNote, errorNote, caseLink, badge } from './dom.js';
import { REQUEST_KIND_ORDER, requestKindLabel, filedForLabel } from './labels.js';

const UHP_KINDS = ['UHP', 'SPOED_UHP'];
const EXTEND_KINDS = ['EXTEND_OTS', 'EXTEND_UHP'];

function kindRank(kind) {
  const i = REQUEST_KIND_ORDER.indexOf(kind);
  return i === -1 ? REQUEST_KIND_ORDER.length : i;
}

function sortRequests(requests) {
  return [...requests].sort((a, b) => kindRank(a.kind) - kindRank(b.kind)
    || String(a.kind ?? '').localeCompare(String(b.kind ?? ''))
    || String(a.case ?? '').localeCompare(String(b.case ?? ''))
    || String(a.request ?? '').localeCompare(String(b.request ?? '')));
}

function emphasisOf(kind) {
  if (kind === 'SPOED_UHP') return 'spoed';
  if (kind === 'UHP') return 'uhp';
  if (EXTEND_KINDS.includes(kind)) return 'verlenging';
  return '';
}

function fact(label, value, className) {
  return el('span', { class: `request-fact${className ? ` ${className}` : ''}` },
    el('span', { class: 'request-fact-label' }, `${label}: `), value);
}

// The chain asks a collegebesluit only for a UHP the RvdK files for itself: not for one the GI files,
// nor for one filed on behalf of a parent, the child or the OM (docs/contracts.md "Decisions worth
// knowing"). A missing one is marked only where it is needed.
function needsCollegebesluit(request) {
  if (request.filed_for) return false;
  const filer = String(request.filed_by || '');
  return !(filer && (filer === request.gi || filer.toUpperCase() === 'GI'));
}

function collegebesluitNode(request) {
  const present = request.collegebesluit === true;
  const needed = needsCollegebesluit(request);
  return el('span', { class: `request-fact collegebesluit ${present ? 'present' : 'absent'}` },
    el('span', { class: 'request-fact-label' }, 'Collegebesluit: '),
    badge(present ? 'ja' : 'nee', present ? 'ok' : (needed ? 'warn' : 'neutral')),
    !present && !needed ? el('span', { class: 'muted' }, ' (niet vereist voor deze indiener)') : null);
}

function requestRow(request) {
  const mark = emphasisOf(request.kind);
  const filedBy = request.filed_by || '–';
  return el('li', {
    class: `request${mark ? ` emphasis-${mark}` : ''}`,
    dataset: { case: request.case ?? '', request: request.request ?? '', kind: request.kind ?? '' },
  },
    el('div', { class: 'request-head' },
      el('span', { class: 'request-kind' }, requestKindLabel(request.kind) || 'Onbekend verzoek'),
      mark === 'spoed' ? badge('Spoed', 'danger') : null,
      mark === 'verlenging' ? badge('Verlenging', 'warn') : null),
    el('div', { class: 'request-facts' },
      el('span', { class: 'request-fact request-case' }, 'Zaak ', request.case ? caseLink(request.case) : '–'),
      request.request ? el('span', { class: 'request-fact muted' }, `verzoek ${request.request}`) : null,
      fact('GI', request.gi || '–', 'request-gi'),
      el('span', { class: 'request-fact request-filed' },
        el('span', { class: 'request-fact-label' }, 'Ingediend door: '),
        filedBy,
        request.filed_for ? ` namens ${filedForLabel(request.filed_for)}` : ''),
      UHP_KINDS.includes(request.kind) ? collegebesluitNode(request) : null));
}

function summary(requests) {
  const count = (kinds) => requests.filter((r) => kinds.includes(r.kind)).length;
  const stat = (label, value, variant, id) => el('div', { class: `stat ${value ? variant : ''}`.trim(), id },
    el('span', { class: 'stat-value' }, String(value)), el('span', { class: 'stat-label' }, label));
  return el('div', { class: 'stats' },
    stat('Spoed\u00ADmachtigingen UHP', count(['SPOED_UHP']), 'danger', 'requests-spoed-count'),
    stat('Verlengingen', count(EXTEND_KINDS), 'warn', 'requests-extend-count'),
    stat('Alle verzoeken', requests.length, '', 'requests-count'));
}

function render(answer) {
  const requests = sortRequests(Array.isArray(answer.requests) ? answer.requests : []);
  return [
    summary(requests),
    el('ul', { id: 'pending-requests', class: 'request-list', 'aria-label': 'Openstaande verzoeken' },
      requests.map(requestRow)),
    requests.length ? null : emptyNote('Geen openstaande verzoeken.'),
    answer.more ? el('p', { class: 'warning', id: 'pending-requests-more' },
      'Niet alle openstaande verzoeken worden getoond: er zijn er meer dan deze lijst bevat.') : null,
    standNote(answer.height),
  ];
}

export function requestsSection(ctx) {
  const box = el('div', { class: 'section-body' }, loadingNote());
  const everyone = ctx.me.role === 'COURT' || ctx.me.role === 'AUDITOR';
  const element = sectionCard({
    key: 'verzoeken',
    title: 'Openstaande verzoeken',
    intro: everyone
      ? 'Verzoeken in de keten waarop de rechter nog niet heeft beslist. Spoedmachtigingen staan bovenaan, daarna machtigingen uithuisplaatsing en verlengingen.'
      : 'Verzoeken in zaken waarbij uw organisatie partij is en waarop de rechter nog niet heeft beslist. Spoedmachtigingen staan bovenaan, daarna machtigingen uithuisplaatsing en verlengingen.',
  }, box);
  let request = 0;

  async function load() {
    const mine = ++request;
    replaceContent(box, loadingNote());
    try {
      const answer = await api.requests();
      if (mine !== request) return;
      replaceContent(box, render(answer || {}));
    } catch (error) {
      if (mine !== request || error.sessionLost) return;
      replaceContent(box, errorNote(error, 'Kon de openstaande verzoeken niet laden'));
    }
  }

  return { key: 'verzoeken', title: 'Openstaande verzoeken', element, load };
}
