// The case page (#/case/<id>, element #case-page): GET /api/cases/<id> gives the case record
// (protobuf JSON: int64 fields may arrive as strings) and its timeline. MUNICIPALITY and RVDK users
// can ask for an independent legal review (POST /api/cases/<id>/escalations).

import { api } from './api.js';
import { el, replaceContent, standNote, loadingNote, errorNote, badge } from './dom.js';
import {
  actionLabel, argLabel, endReasonLabel, eventLabel, measureKindLabel, measureStateLabel,
  quickscanCheckLabel, quickscanDetailLabel, quickscanStatusLabel, resultLabel, valueLabel,
} from './labels.js';
import { formatDateTime, formatEpochDay, formatIsoDate, isoInstant } from './format.js';

const ESCALATING_ROLES = ['MUNICIPALITY', 'RVDK'];
const KIND_NAMES = ['MEASURE_KIND_UNSPECIFIED', 'OTS', 'VOTS', 'UHP'];
const STATE_NAMES = ['MEASURE_STATE_UNSPECIFIED', 'ACTIVE', 'ENDED'];

// Enums arrive as names, or as numbers when the server prints enums as ints.
const enumName = (value, names) => (typeof value === 'number' ? names[value] : value) || names[0];
const hasKind = (measure) => measure && ['OTS', 'VOTS', 'UHP'].includes(enumName(measure.kind, KIND_NAMES));

function fact(label, value, id) {
  return [el('dt', {}, label), el('dd', { id }, value === '' || value === undefined || value === null ? '–' : value)];
}

function partiesCard(record) {
  return el('div', { class: 'case-card' },
    el('h2', {}, 'Partijen'),
    el('dl', { class: 'facts' },
      fact('Gemeente', record.municipality, 'case-municipality'),
      fact('Gecertificeerde instelling', record.gi || 'Nog geen', 'case-gi'),
      fact('Raad voor de Kinderbescherming', record.rvdk, 'case-rvdk'),
      fact('Rechtbank', record.court || 'Nog geen', 'case-court'),
      fact('Jeugdbeschermer (pseudoniem)', record.jeugdbeschermer || 'Nog niet toegewezen', 'case-jeugdbeschermer'),
      fact('Meerderjarig op', formatEpochDay(record.majority_day), 'case-majority')));
}

function measureFacts(measure, prefix) {
  const state = enumName(measure.state, STATE_NAMES);
  const kind = enumName(measure.kind, KIND_NAMES);
  const stateNode = el('span', {}, badge(measureStateLabel(state), state === 'ACTIVE' ? 'ok' : 'neutral'));
  return [
    fact('Soort', measure.spoed ? `${measureKindLabel(kind)} — spoedmachtiging` : measureKindLabel(kind), `${prefix}-kind`),
    fact('Status', stateNode, `${prefix}-state`),
    fact('Start', formatEpochDay(measure.start_day), `${prefix}-start`),
    fact('Einddatum', formatEpochDay(measure.end_day), `${prefix}-end`),
    fact('Verlengingen', String(Number(measure.extensions || 0)), `${prefix}-extensions`),
    state === 'ENDED' && measure.end_reason ? fact('Reden einde', endReasonLabel(measure.end_reason), `${prefix}-end-reason`) : null,
  ];
}

function measureCard(record) {
  const measure = record.measure;
  const uhp = record.uhp;
  const blocks = [];
  if (hasKind(measure)) {
    blocks.push(el('dl', { class: 'facts', id: 'case-measure' },
      measureFacts(measure, 'case-measure'),
      fact('Plan van aanpak', measure.plan_filed ? 'Ingediend' : 'Nog niet ingediend', 'case-measure-plan')));
  } else {
    blocks.push(el('p', { class: 'empty', id: 'case-measure' }, 'Nog geen maatregel uitgesproken.'));
  }
  if (hasKind(uhp)) {
    blocks.push(el('h3', {}, 'Uithuisplaatsing'));
    blocks.push(el('dl', { class: 'facts', id: 'case-uhp' },
      measureFacts(uhp, 'case-uhp'),
      fact('Uitgevoerd', uhp.placed ? `Ja, op ${formatEpochDay(uhp.placed_day)}` : 'Nog niet uitgevoerd', 'case-uhp-placed'),
      uhp.spoed ? fact('Spoedzitting', uhp.hearing_held ? 'Gehouden' : 'Nog niet gehouden', 'case-uhp-hearing') : null));
  }
  const interval = Number(record.contact_interval_days || 0);
  if (interval > 0 || record.has_contact) {
    blocks.push(el('h3', {}, 'Contact ouder–kind'));
    blocks.push(el('dl', { class: 'facts' },
      fact('Contactregeling', interval > 0 ? `elke ${interval} dagen` : 'Geen', 'case-contact-interval'),
      fact('Laatste contact', record.has_contact ? formatEpochDay(record.last_contact_day) : 'Nog geen', 'case-last-contact')));
  }
  return el('div', { class: 'case-card' }, el('h2', {}, 'Maatregel'), blocks);
}

// A tx's arguments in words; document hashes are left out (documents stay off chain).
function argsSummary(args) {
  if (!args || typeof args !== 'object') return null;
  const parts = [];
  for (const [name, value] of Object.entries(args)) {
    if (name === 'document' || /^[0-9a-f]{64}$/.test(String(value))) continue;
    let shown = String(value);
    if (/_date$|^date$/.test(name)) shown = formatIsoDate(value);
    else if (typeof value === 'string') shown = valueLabel(value);
    parts.push(`${argLabel(name)}: ${shown}`);
  }
  return parts.length ? el('span', { class: 'timeline-args' }, parts.join(' · ')) : null;
}

function timelineEntry(entry, caseId) {
  const when = el('div', { class: 'timeline-when' },
    el('time', { class: 'timeline-time', datetime: isoInstant(entry.time_ms) },
      formatDateTime(entry.time_ms)),
    el('span', { class: 'timeline-meta' }, `blok ${entry.height}`));
  if (entry.type === 'tx') {
    const ok = entry.result === 'OK';
    return el('li', { class: `timeline-entry tx ${ok ? 'ok' : 'refused'}`, dataset: { type: 'tx', action: entry.action, height: entry.height } },
      when,
      el('div', { class: 'timeline-body' },
        el('span', { class: 'timeline-title' }, actionLabel(entry.action)),
        el('span', { class: `timeline-result ${ok ? 'ok' : 'refused'}` }, resultLabel(entry.result)),
        entry.signer_institution ? el('span', { class: 'timeline-signer' }, `door ${entry.signer_institution}`) : null,
        argsSummary(entry.args)));
  }
  const detail = entry.detail && entry.detail !== caseId ? entry.detail : '';
  return el('li', { class: 'timeline-entry event', dataset: { type: 'event', kind: entry.kind, height: entry.height } },
    when,
    el('div', { class: 'timeline-body' },
      el('span', { class: 'timeline-title' }, eventLabel(entry.kind)),
      el('span', { class: 'timeline-recipient' }, `melding aan ${entry.recipient}`),
      entry.measure ? badge(entry.measure) : null,
      detail ? el('span', { class: 'timeline-detail' }, `kenmerk ${detail}`) : null));
}

const QUICKSCAN_BADGE = { MET: 'ok', VIOLATED: 'danger', PENDING: 'warn', NOT_APPLICABLE: 'neutral' };

// The legal quickscan (GET /v1/cases/<id>/quickscan): each check with its legal basis, its status and
// the date that goes with it (done on, due by, or due on when missed). Violations first.
function quickscanCard(quickscan) {
  if (!quickscan || !Array.isArray(quickscan.items)) return null;
  const order = { VIOLATED: 0, PENDING: 1, MET: 2, NOT_APPLICABLE: 3 };
  const items = [...quickscan.items].sort((a, b) => (order[a.status] ?? 4) - (order[b.status] ?? 4));
  const dateText = (item) => {
    if (!item.date) return '–';
    const date = formatIsoDate(item.date);
    if (item.status === 'PENDING') return `vóór ${date}`;
    if (item.status === 'VIOLATED') return `moest vóór ${date}`;
    return date;
  };
  const counts = quickscan.counts || {};
  return el('div', { class: 'case-card wide', id: 'quickscan' },
    el('h2', {}, 'Juridische quickscan'),
    el('p', { class: 'intro' }, 'Wat wet en sectornormen van deze zaak vragen, getoetst aan wat op de keten staat: ',
      `${Number(counts.VIOLATED || 0)} niet nagekomen, ${Number(counts.PENDING || 0)} lopend, `,
      `${Number(counts.MET || 0)} in orde.`),
    items.length ? el('table', { class: 'quickscan' },
      el('thead', {}, el('tr', {},
        el('th', {}, 'Toets'), el('th', {}, 'Betreft'), el('th', {}, 'Grondslag'), el('th', {}, 'Status'),
        el('th', {}, 'Datum'), el('th', {}, 'Toelichting'))),
      el('tbody', {}, items.map((item) => el('tr', { dataset: { check: item.check, status: item.status } },
        el('td', {}, quickscanCheckLabel(item.check)),
        el('td', {}, item.subject),
        el('td', { class: 'basis' }, item.legal_basis),
        el('td', {}, badge(quickscanStatusLabel(item.status), QUICKSCAN_BADGE[item.status] || 'neutral')),
        el('td', { class: 'date' }, dateText(item)),
        el('td', {}, quickscanDetailLabel(item.detail)))))) : el('p', { class: 'empty' }, 'Nog niets te toetsen: er is geen maatregel.'));
}

// The rights explainer (GET /v1/cases/<id>/explanation): what a parent or child can read about the
// case, in the node's own Dutch sentences, section by section. Something to go through with them.
function explanationCard(explanation) {
  if (!explanation || !Array.isArray(explanation.sections)) return null;
  return el('div', { class: 'case-card wide', id: 'explanation' },
    el('h2', {}, 'Uitleg voor ouders en kind'),
    el('p', { class: 'intro' }, 'In gewone woorden, uit de vastgelegde beslissingen en de termijnen van de wet. '
      + 'Zo kunt u met ouders en kind doornemen wat er loopt en wat zij kunnen doen.'),
    explanation.sections.filter((s) => Array.isArray(s.lines) && s.lines.length).map((s) =>
      el('section', { class: 'explanation-section', dataset: { section: s.section } },
        el('h3', {}, s.title),
        el('ul', {}, s.lines.map((line) => el('li', { dataset: { topic: line.topic } },
          line.text,
          line.legal_basis ? el('span', { class: 'basis' }, ` (${line.legal_basis})`) : null))))));
}

function timelineCard(timeline, caseId) {
  const entries = Array.isArray(timeline) ? timeline : (timeline && timeline.entries) || [];
  return el('div', { class: 'case-card wide' },
    el('h2', {}, 'Tijdlijn'),
    el('p', { class: 'intro' }, 'Alles wat op de keten over deze zaak is vastgelegd, oudste eerst: handelingen van organisaties en de meldingen die daarop volgden.'),
    el('ol', { id: 'timeline', class: 'timeline' }, entries.map((entry) => timelineEntry(entry, caseId))),
    entries.length ? null : el('p', { class: 'empty' }, 'Nog niets vastgelegd.'),
    timeline && timeline.more ? el('p', { class: 'warning' }, 'De tijdlijn is langer dan hier getoond.') : null);
}

// Addressees from the record: the case's court and RvdK, never the requester itself.
function addressees(record, me) {
  const options = [];
  if (record.court && record.court !== me.institution) options.push({ id: record.court, label: `Rechtbank — ${record.court}` });
  if (record.rvdk && record.rvdk !== me.institution) options.push({ id: record.rvdk, label: `Raad voor de Kinderbescherming — ${record.rvdk}` });
  return options;
}

function escalationCard(caseId, record, me) {
  const options = addressees(record, me);
  const select = el('select', { id: 'escalate-addressee', disabled: !options.length },
    options.length ? options.map((o) => el('option', { value: o.id }, o.label))
      : el('option', { value: '' }, 'Geen geadresseerde bekend'));
  const button = el('button', { type: 'button', id: 'escalate-button', class: 'button warn', disabled: !options.length },
    'Escaleren naar onafhankelijke juridische toets');
  const result = el('div', { id: 'escalation-result', 'aria-live': 'polite' });

  button.addEventListener('click', async () => {
    button.disabled = true;
    select.disabled = true;
    replaceContent(result, loadingNote('De escalatie wordt vastgelegd…'));
    try {
      const answer = await api.escalate(caseId, select.value);
      if (answer.result === 'OK') {
        replaceContent(result, el('div', { class: 'notice ok' },
          el('p', {}, answer.escalation
            ? `Escalatie ${answer.escalation} vastgelegd in blok ${answer.height}.`
            : `Escalatie vastgelegd in blok ${answer.height}.`),
          el('p', { class: 'answer-due', dataset: { dueMs: answer.answer_due_ms } },
            `Antwoord uiterlijk ${formatDateTime(answer.answer_due_ms)}`)));
      } else {
        replaceContent(result, el('p', { class: 'error' }, `Escalatie ${resultLabel(answer.result)} (${answer.result}).`));
        button.disabled = false;
        select.disabled = false;
      }
    } catch (error) {
      if (error.sessionLost) return;
      replaceContent(result, errorNote(error, 'De escalatie is niet gelukt'));
      button.disabled = false;
      select.disabled = false;
    }
  });

  return el('div', { class: 'case-card', id: 'escalation' },
    el('h2', {}, 'Escalatie'),
    el('p', { class: 'intro' }, 'Vraag de rechtbank of de Raad voor de Kinderbescherming om een onafhankelijke juridische toets van deze zaak. De geadresseerde moet binnen de termijn antwoorden.'),
    el('div', { class: 'field' }, el('label', { for: 'escalate-addressee' }, 'Geadresseerde'), select),
    button,
    result);
}

// Renders the case page into `page` (the #case-page element).
export async function renderCase(page, caseId, ctx) {
  const title = el('h1', {}, 'Zaak ', el('span', { class: 'mono', id: 'case-id' }, caseId));
  const error = el('p', { id: 'case-error', class: 'error', role: 'alert', hidden: true });
  const body = el('div', { class: 'case-body' }, loadingNote('De zaak wordt geladen…'));
  replaceContent(page,
    el('a', { class: 'back-link', href: '#/' }, '← Terug naar het overzicht'),
    title, error, body);

  try {
    const answer = await api.caseRecord(caseId);
    if (page.dataset.caseId !== caseId) return;   // the user went elsewhere meanwhile
    const record = answer.case || {};
    replaceContent(body,
      el('div', { class: 'case-grid' },
        el('div', { class: 'case-column' },
          partiesCard(record),
          ESCALATING_ROLES.includes(ctx.me.role) ? escalationCard(caseId, record, ctx.me) : null),
        el('div', { class: 'case-column' }, measureCard(record)),
        quickscanCard(answer.quickscan),
        explanationCard(answer.explanation),
        timelineCard(answer.timeline, caseId)),
      standNote(answer.height));
  } catch (failure) {
    if (failure.sessionLost || page.dataset.caseId !== caseId) return;
    replaceContent(body);
    error.hidden = false;
    if (failure.status === 403) error.textContent = 'Geen toegang: deze zaak hoort niet bij uw organisatie';
    else if (failure.status === 404) error.textContent = 'Deze zaak bestaat niet.';
    else replaceContent(error, `Kon de zaak niet laden: ${failure.message} (${failure.code})`);
  }
}
