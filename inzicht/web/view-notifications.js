// "Meldingen": the institution's newest events (GET /api/notifications?after=S, paged with `next`,
// started below the latest sequence number `last`), newest first. "Gezien" submits notification.ack
// (POST /api/notifications/{seq}/ack) and shows the block.

import { api } from './api.js';
import { el, replaceContent, sectionCard, standNote, loadingNote, emptyNote, errorNote, caseLink, badge } from './dom.js';
import { eventLabel, resultLabel } from './labels.js';

const NEWEST = 2000;     // the newest this many notifications are read (an institution has many more in a year)
const PAGE_LIMIT = 20;   // pages of 200 (joet-inzicht's page size) read at most
const SHOWN_STEP = 50;   // rows shown at a time

// The newest NEWEST notifications: the first page says the latest sequence number (`last`), and the
// reading starts just below it, ascending page by page. `older` counts the ones not read.
async function fetchNewestEvents() {
  let answer = await api.notifications(0);
  let after = 0;
  let older = 0;
  const last = Number(answer.last);
  if (Number.isFinite(last) && last > NEWEST) {
    older = last - NEWEST;
    after = older;
    answer = await api.notifications(after);
  }
  const events = [];
  for (let page = 0; page < PAGE_LIMIT; page += 1) {
    if (page > 0) answer = await api.notifications(after);
    const batch = Array.isArray(answer.events) ? answer.events : [];
    events.push(...batch);
    const next = Number(answer.next);
    if (!batch.length || !Number.isFinite(next) || next <= after) return { events, older, height: answer.height };
    after = next;
  }
  return { events, older, height: undefined, truncated: true };
}

function ackStatus(text, variant = '') {
  return el('span', { class: `ack-status ${variant}`.trim() }, text);
}

function notificationRow(event, onAcked) {
  const action = el('div', { class: 'notification-action' });
  const row = el('li', {
    class: `notification ${event.acked ? 'acked' : 'unacked'}`,
    dataset: { seq: event.seq, kind: event.kind },
  },
    el('div', { class: 'notification-main' },
      el('span', { class: 'notification-kind' }, eventLabel(event.kind)),
      el('span', { class: 'notification-detail' },
        event.case_id ? ['Zaak ', caseLink(event.case_id)] : null,
        event.measure ? badge(event.measure) : null,
        event.detail && event.detail !== event.case_id ? el('span', { class: 'muted' }, `kenmerk ${event.detail}`) : null)),
    el('div', { class: 'notification-meta' }, `melding ${event.seq} · blok ${event.height}`),
    action);

  if (event.acked) {
    action.append(ackStatus('Gezien', 'seen'));
    return row;
  }
  const button = el('button', { type: 'button', class: 'button small ack' }, 'Gezien');
  button.addEventListener('click', async () => {
    button.disabled = true;
    button.textContent = 'Bezig…';
    try {
      const answer = await api.ackNotification(event.seq);
      if (answer.result === 'OK' || answer.result === 'DUPLICATE') {
        event.acked = true;
        row.classList.replace('unacked', 'acked');
        const text = answer.result === 'OK' ? `bevestigd in blok ${answer.height}` : `al bevestigd (blok ${answer.height})`;
        replaceContent(action, ackStatus(text, 'done'));
        onAcked();
      } else {
        replaceContent(action, ackStatus(resultLabel(answer.result), 'failed'), button);
        button.disabled = false;
        button.textContent = 'Opnieuw';
      }
    } catch (error) {
      if (error.sessionLost) return;
      replaceContent(action, ackStatus(`Mislukt: ${error.message} (${error.code})`, 'failed'), button);
      button.disabled = false;
      button.textContent = 'Opnieuw';
    }
  });
  action.append(button);
  return row;
}

export function notificationsSection(ctx) {
  const list = el('ul', { id: 'notifications', class: 'notification-list' });
  const status = el('div', { 'aria-live': 'polite' }, loadingNote());
  const summary = el('p', { class: 'muted', id: 'notifications-summary' });
  const onlyUnacked = el('input', { type: 'checkbox', id: 'notifications-unacked-only' });
  const more = el('button', { type: 'button', class: 'button subtle', id: 'notifications-more', hidden: true }, 'Meer tonen');
  const element = sectionCard({
    key: 'meldingen',
    title: 'Meldingen',
    intro: `Meldingen aan ${ctx.me.institution}, nieuwste eerst. Met "Gezien" legt u op de keten vast dat uw organisatie de melding heeft gezien.`,
  },
  el('div', { class: 'list-tools' },
    summary,
    el('label', { class: 'check', for: 'notifications-unacked-only' }, onlyUnacked, ' Alleen niet-geziene')),
  list, more, status);

  let events = [];
  let shown = SHOWN_STEP;
  let height;
  let olderCount = 0;

  const unackedCount = () => events.filter((e) => !e.acked).length;

  function refreshSummary() {
    const open = unackedCount();
    summary.textContent = `${events.length} ${events.length === 1 ? 'melding' : 'meldingen'}, ${open} niet gezien`
      + (olderCount > 0 ? ` (de nieuwste; ${olderCount} oudere niet geladen)` : '');
    if (ctx.onUnackedChange) ctx.onUnackedChange(open);
  }

  function render() {
    const visible = events.filter((e) => !onlyUnacked.checked || !e.acked);
    replaceContent(list, visible.slice(0, shown).map((e) => notificationRow(e, refreshSummary)));
    more.hidden = visible.length <= shown;
    replaceContent(status,
      visible.length ? null : emptyNote(onlyUnacked.checked ? 'Geen ongeziene meldingen.' : 'Geen meldingen.'),
      standNote(height));
    refreshSummary();
  }

  onlyUnacked.addEventListener('change', () => {
    shown = SHOWN_STEP;
    render();
  });
  more.addEventListener('click', () => {
    shown += SHOWN_STEP;
    render();
  });

  async function load() {
    replaceContent(status, loadingNote());
    try {
      const answer = await fetchNewestEvents();
      olderCount = answer.older || 0;
      // The events answer has no height of its own: the chain height read just before is a lower bound.
      height = answer.height ?? ctx.chain.height;
      events = answer.events.sort((a, b) => Number(b.seq) - Number(a.seq));
      render();
    } catch (error) {
      if (!error.sessionLost) replaceContent(status, errorNote(error, 'Kon de meldingen niet laden'));
    }
  }

  return { key: 'meldingen', title: 'Meldingen', element, load };
}
