// AUDITOR (inspectie): chain health (GET /api/chain) and the signal and missed-deadline tables of
// every institution. The measure tables are in view-measures.js.

import { api } from './api.js';
import { el, replaceContent, sectionCard, panel, standNote, loadingNote, emptyNote, errorNote, scrollBox } from './dom.js';
import { SIGNAL_KINDS, signalLabel } from './labels.js';
import { indexCells, pivotTable, rowsOf, suppressionLegend } from './cells.js';
import { allMissedPanel } from './view-deadlines.js';
import { ago, formatDateTime, formatNumber, monthList } from './format.js';

function fact(label, value, id) {
  return [el('dt', {}, label), el('dd', { id }, value)];
}

function peersTable(peers, height) {
  const rows = peers.map((p) => {
    const lag = Number.isFinite(Number(p.height)) ? Number(height) - Number(p.height) : null;
    return el('tr', {},
      el('th', { scope: 'row', class: 'row-head mono' }, String(p.id || '').slice(0, 16) || '–'),
      el('td', { class: 'mono' }, p.address || '–'),
      el('td', { class: 'num' }, p.height === undefined ? '–' : formatNumber(p.height)),
      el('td', { class: lag !== null && lag > 2 ? 'num over-norm' : 'num' }, lag === null ? '–' : formatNumber(lag)));
  });
  const table = el('table', { class: 'data', id: 'chain-peers' },
    el('caption', { class: 'sr-only' }, 'Peers'),
    el('thead', {}, el('tr', {},
      el('th', { scope: 'col', class: 'row-head' }, 'Peer'),
      el('th', { scope: 'col' }, 'Adres'),
      el('th', { scope: 'col', class: 'num' }, 'Blok'),
      el('th', { scope: 'col', class: 'num' }, 'Achterstand (blokken)'))),
    el('tbody', {}, rows));
  return scrollBox(table, 'Peers');
}

// The last joet-audit run (its JSON report, as the operator stores it): OK up to a height, a finding
// with its height and code, or why there is none.
function auditFact(audit) {
  if (audit === null || audit === undefined) return fact('Laatste audit', 'Niet ingesteld (audit_report in de configuratie)', 'chain-audit');
  const when = Number.isFinite(Number(audit.written_ms)) ? ` (${formatDateTime(audit.written_ms)})` : '';
  if (audit.error) return fact('Laatste audit', el('span', { class: 'over-norm' }, `Geen uitslag: ${audit.error}`), 'chain-audit');
  if (audit.ok) {
    return fact('Laatste audit', el('span', { dataset: { ok: 'true', heights: String(audit.heights) } },
      `In orde: blok 1 tot en met ${formatNumber(audit.heights)} opnieuw uitgevoerd en gecontroleerd${when}`), 'chain-audit');
  }
  const f = audit.finding || {};
  return fact('Laatste audit', el('span', { class: 'over-norm', dataset: { ok: 'false', heights: String(audit.heights) } },
    `Afwijking bij blok ${formatNumber(f.height)}: ${f.code || '?'}${f.message ? ` (${f.message})` : ''}${when}`), 'chain-audit');
}

function chainHealth(chain) {
  const peers = Array.isArray(chain.peers) ? chain.peers : [];
  const peerCount = Array.isArray(chain.peers) ? peers.length : (chain.peers ?? '–');
  const tipAge = chain.time_ms ? ago(chain.time_ms) : '–';
  const healthy = chain.catching_up !== true;
  return [
    el('dl', { class: 'facts', id: 'chain-health' },
      fact('Keten', chain.chain_id || '–', 'chain-id'),
      fact('Hoogte', formatNumber(chain.height), 'chain-health-height'),
      fact('Laatste blok', chain.time_ms ? `${formatDateTime(chain.time_ms)} (${tipAge})` : '–', 'chain-time'),
      fact('Peers', String(peerCount), 'chain-peer-count'),
      fact('Validators', chain.validators === null || chain.validators === undefined ? '–' : formatNumber(chain.validators), 'chain-validators'),
      auditFact(chain.audit),
      chain.rules_version !== undefined ? fact('Regelversie', String(chain.rules_version), 'chain-rules') : null,
      fact('Status', healthy ? 'Bijgewerkt' : 'Loopt achter (catching up)', 'chain-status'),
      chain.institution ? fact('Node van', chain.institution, 'chain-institution') : null),
    peers.length ? panel('Peers', null, peersTable(peers, chain.height)) : null,
    standNote(chain.height),
  ];
}

export function chainSection(ctx) {
  const box = el('div', { class: 'section-body' }, loadingNote());
  const element = sectionCard({
    key: 'keten',
    title: 'Keten',
    intro: 'De toestand van de node waaruit dit dashboard leest.',
  }, box);

  async function load() {
    try {
      const chain = await api.chain();
      Object.assign(ctx.chain, chain);
      replaceContent(box, chainHealth(chain));
    } catch (error) {
      if (!error.sessionLost) replaceContent(box, errorNote(error, 'Kon de keten niet bevragen'));
    }
  }

  return { key: 'keten', title: 'Keten', element, load };
}

// Signals of every municipality and missed deadlines of every institution.
export function auditorTablesSection(ctx) {
  const box = el('div', { class: 'section-body' }, loadingNote());
  const element = sectionCard({
    key: 'signalen',
    title: 'Signalen en termijnen',
    intro: 'Signalen per gemeente en gemiste termijnen per organisatie die moest handelen, per maand.',
  }, box);

  function update(report) {
    const months = monthList(report.from || ctx.range.from, report.to || ctx.range.to);
    const signals = report.signals || [];
    replaceContent(box,
      panel('Signalen per gemeente', null, signals.length
        ? pivotTable({
          caption: 'Signalen per gemeente per maand',
          months,
          rows: rowsOf(signals, { kindOrder: SIGNAL_KINDS, labelOf: signalLabel }),
          index: indexCells(signals),
          rowHeader: 'Signaal en gemeente',
        })
        : emptyNote('Geen signalen in deze periode.')),
      panel('Gemiste termijnen', null, allMissedPanel(ctx, report)),
      suppressionLegend(),
      standNote(report.height));
  }

  return { key: 'signalen', title: 'Signalen en termijnen', element, update, usesReport: true };
}
