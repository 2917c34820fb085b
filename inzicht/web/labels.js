// Dutch labels for the codes the chain uses (docs/contracts.md). Every lookup falls back to the raw
// code, so a kind added later still shows up, just untranslated.

export const ROLE_LABELS = {
  MUNICIPALITY: 'Gemeente',
  GI: 'Gecertificeerde instelling',
  COURT: 'Rechtbank',
  RVDK: 'Raad voor de Kinderbescherming',
  AUDITOR: 'Inspectie',
};

// The signals a municipality receives (docs/contracts.md "Signals implemented"), in display order,
// with the legal basis or norm where one exists.
// ASSIGN_MISSED is not among them: the chain records a missed assignment per GI (missed_deadlines).
// From rules version 2 the same miss also counts as the municipality's SIGNAL_NO_JEUGDBESCHERMER.
export const SIGNAL_KINDS = [
  'NO_CONTACT_SIGNAL',
  'SIGNAL_NO_JEUGDBESCHERMER',
  'SIGNAL_THIRD_EXTENSION',
  'SIGNAL_EXTENSION_WITHOUT_REPORT',
  'SIGNAL_CONTACT_LIMIT_NO_REVIEW',
  'SIGNAL_OTS_OVER_24_MONTHS',
  'SIGNAL_UHP_OVER_12_MONTHS',
  'SIGNAL_CONTACTS_CANCELLED',
  'SIGNAL_JEUGDBESCHERMER_CHANGES',
];

// The policy parameters in force (GET /api/chain "policy", the node's): the norms in the labels below
// are the ones the contracts apply, also after governance changed them (policy.set).
let policy = {};
export function setPolicy(next) { policy = next && typeof next === 'object' ? next : {}; }
export function policyDays(name, fallback) {
  const value = Number(policy[name]);
  return Number.isFinite(value) ? value : fallback;
}
const noContactDays = () => policyDays('no_contact_signal_days', 14);
const assignDays = () => policyDays('assign_days', 5);

export const SIGNAL_LABELS = {
  get NO_CONTACT_SIGNAL() { return `Geen contact ouder–kind langer dan ${noContactDays()} dagen (norm)`; },
  get ASSIGN_MISSED() { return `Geen jeugdbeschermer binnen ${assignDays()} dagen (norm)`; },
  get SIGNAL_NO_JEUGDBESCHERMER() { return `Geen jeugdbeschermer binnen ${assignDays()} dagen (norm)`; },
  SIGNAL_THIRD_EXTENSION: 'Derde verlenging of meer (art. 1:260 BW)',
  SIGNAL_EXTENSION_WITHOUT_REPORT: 'Verlenging zonder voortgangsrapportage',
  SIGNAL_CONTACT_LIMIT_NO_REVIEW: 'Contactbeperking zonder rechterlijke toets (art. 1:265f BW)',
  SIGNAL_OTS_OVER_24_MONTHS: 'OTS langer dan 24 maanden',
  SIGNAL_UHP_OVER_12_MONTHS: 'Uithuisplaatsing langer dan 12 maanden (art. 1:265c lid 3 BW)',
  SIGNAL_CONTACTS_CANCELLED: 'Meer dan 25% van de contacten afgezegd',
  SIGNAL_JEUGDBESCHERMER_CHANGES: 'Wisseling jeugdbeschermer',
};

// Ground categories of a measure (court.decide, rules version 2; DOMAIN.md "Grounds and costs").
export const GROUND_KINDS = ['GEBREKKIGE_OUDERLIJKE_VAARDIGHEDEN', 'ONGUNSTIGE_THUISSITUATIE', 'ACUUT_ONTWIKKELINGSGEVAAR'];
export const GROUND_LABELS = {
  GEBREKKIGE_OUDERLIJKE_VAARDIGHEDEN: 'Gebrekkige ouderlijke vaardigheden',
  ONGUNSTIGE_THUISSITUATIE: 'Ongunstige thuissituatie',
  ACUUT_ONTWIKKELINGSGEVAAR: 'Acuut ontwikkelingsgevaar',
};
export const groundLabel = (kind) => GROUND_LABELS[kind] || kind;

// The two rows of the costs table.
export const COST_LABELS = { PROJECTED: 'Geprojecteerd', INVOICED: 'Gefactureerd' };

// Event kinds: notifications, timeline entries and the missed_deadlines table.
export const EVENT_LABELS = {
  COST_PROJECTED: 'Kosten geprojecteerd (tarief)',
  COST_INVOICED: 'Kosten gefactureerd',
  CASE_OPENED: 'Zaak geopend',
  REQUEST_FILED: 'Verzoek ingediend',
  COLLEGEBESLUIT_GIVEN: 'Collegebesluit genomen',
  MEASURE_GRANTED: 'Maatregel uitgesproken',
  MEASURE_EXTENDED: 'Maatregel verlengd',
  REQUEST_REFUSED: 'Verzoek afgewezen',
  MEASURE_LIFTED: 'Maatregel opgeheven',
  MEASURE_ENDED: 'Maatregel beëindigd',
  SPOED_HEARING_HELD: 'Spoedzitting gehouden',
  SPOED_HEARING_MISSED: 'Spoedzitting niet tijdig gehouden',
  SPOED_HEARING_REMINDER: 'Herinnering: spoedzitting',
  CONTACT_ARRANGEMENT_SET: 'Contactregeling vastgesteld',
  CONTACT_MISSED: 'Contactregeling niet nagekomen',
  UHP_CARRIED_OUT: 'Uithuisplaatsing uitgevoerd',
  UHP_LAPSED: 'Uithuisplaatsing vervallen (niet binnen 3 maanden uitgevoerd)',
  PLACEMENT_REMINDER: 'Herinnering: uitvoering uithuisplaatsing',
  AANWIJZING_ISSUED: 'Schriftelijke aanwijzing gegeven',
  AANWIJZING_REVIEWED: 'Aanwijzing getoetst door de rechter',
  AANWIJZING_OBJECTION_TERM_ENDED: 'Bezwaartermijn aanwijzing verstreken',
  NON_EXTENSION_NOTICE: 'Bericht geen verlenging',
  NON_EXTENSION_NOTICE_MISSED: 'Bericht geen verlenging niet tijdig',
  NON_EXTENSION_REMINDER: 'Herinnering: bericht geen verlenging',
  EXTENSION_NOT_REQUESTED: 'Verlenging niet tijdig verzocht',
  EXTENSION_REMINDER: 'Herinnering: verzoek verlenging',
  PLAN_MISSED: 'Plan van aanpak niet tijdig',
  get ASSIGN_MISSED() { return `Geen jeugdbeschermer binnen ${assignDays()} dagen (norm)`; },
  get SIGNAL_NO_JEUGDBESCHERMER() { return `Geen jeugdbeschermer binnen ${assignDays()} dagen (norm)`; },
  PROGRESS_MISSED: 'Voortgangsrapportage niet tijdig',
  MAJORITY_REMINDER: 'Herinnering: meerderjarigheid',
  APPEAL_TERM_ENDED: 'Beroepstermijn verstreken',
  COMPLAINT_FILED: 'Klacht ingediend',
  COMPLAINT_DECIDED: 'Beslissing op klacht',
  COMPLAINT_POSTPONED: 'Beslissing op klacht verdaagd',
  COMPLAINT_DECISION_MISSED: 'Beslissing op klacht niet tijdig',
  ESCALATION_REQUESTED: 'Escalatie ontvangen',
  ESCALATION_ANSWERED: 'Escalatie beantwoord',
  ESCALATION_ANSWER_MISSED: 'Escalatie niet tijdig beantwoord',
  INSTITUTION_ADDED: 'Organisatie toegevoegd',
  INSTITUTION_REMOVED: 'Organisatie verwijderd',
  MEMBER_ADDED: 'Sleutel toegevoegd',
  MEMBER_REVOKED: 'Sleutel ingetrokken',
  VALIDATORS_UPDATED: 'Validatoren gewijzigd',
  RULES_SCHEDULED: 'Nieuwe regelversie gepland',
  ...SIGNAL_LABELS,
};

export const DEADLINE_LABELS = {
  'D-PLAN': 'Plan van aanpak',
  'D-ASSIGN': 'Toewijzing jeugdbeschermer',
  'D-EXTEND': 'Verzoek verlenging indienen',
  'D-SPOED': 'Spoedzitting',
  'D-PROGRESS': 'Voortgangsrapportage',
  'D-LAPSE': 'Einde maatregel',
  'D-UHP3M': 'Uitvoering uithuisplaatsing',
  'D-COMPLAINT': 'Beslissing op klacht',
  'D-ESCAL': 'Antwoord op escalatie',
  'D-APPEAL': 'Einde beroepstermijn',
  'D-NONEXT': 'Bericht geen verlenging',
  'D-18': 'Meerderjarigheid',
  'D-CONTACT': 'Contactregeling',
  'D-AANW': 'Einde bezwaartermijn aanwijzing',
  'S-NOCONTACT': 'Signaal: geen contact ouder–kind',
  'S-CONTACTLIMIT': 'Signaal: contactbeperking zonder toets',
  'R-EXTEND-6W': 'Herinnering: verzoek verlenging (6 weken vooraf)',
  'R-EXTEND-2W': 'Herinnering: verzoek verlenging (2 weken vooraf)',
};

export const ACTION_LABELS = {
  'case.open': 'Zaak geopend',
  'investigation.start': 'Raadsonderzoek gestart',
  'request.file': 'Verzoek ingediend',
  'municipality.decision': 'Collegebesluit',
  'court.decide': 'Beslissing rechter',
  'court.lift': 'Opheffing door rechter',
  'court.hearing': 'Spoedzitting gehouden',
  'court.contact_arrangement': 'Contactregeling vastgesteld',
  'court.aanwijzing_review': 'Toets aanwijzing door rechter',
  'professional.register': 'Jeugdbeschermer geregistreerd',
  'gi.assign': 'Jeugdbeschermer toegewezen',
  'gi.plan': 'Plan van aanpak',
  'gi.progress': 'Voortgangsrapportage',
  'gi.placement': 'Uithuisplaatsing uitgevoerd',
  'gi.aanwijzing': 'Schriftelijke aanwijzing',
  'gi.non_extension': 'Bericht geen verlenging',
  'contact.record': 'Contact vastgelegd',
  'complaint.file': 'Klacht ingediend',
  'complaint.decide': 'Beslissing op klacht',
  'escalation.request': 'Escalatie aangevraagd',
  'escalation.answer': 'Escalatie beantwoord',
  'document.anchor': 'Document vastgelegd',
  'notification.ack': 'Melding gezien',
  'cost.project': 'Kosten: tarief vastgelegd',
  'cost.invoice': 'Kosten: factuur vastgelegd',
};

// Refusal codes of a tx (docs/contracts.md); OK is handled by resultLabel.
export const RESULT_LABELS = {
  NOT_AUTHORIZED: 'niet bevoegd',
  GROUNDS_MISSING: 'grond van de maatregel ontbreekt',
  BAD_FIELD: 'ongeldige invoer',
  DUPLICATE: 'al vastgelegd',
  CASE_UNKNOWN: 'onbekende zaak',
  NO_MEASURE: 'geen lopende maatregel',
  MEASURE_ACTIVE: 'maatregel loopt al',
  TERM_TOO_LONG: 'termijn te lang',
  REQUEST_UNKNOWN: 'onbekend verzoek',
  END_NOT_AFTER_DECISION: 'einddatum niet na beslisdatum',
  EXTENSION_AFTER_END: 'verlenging na einddatum',
  UHP_WITHOUT_OTS: 'uithuisplaatsing zonder OTS',
  UHP_PAST_OTS_END: 'uithuisplaatsing langer dan OTS',
  COLLEGEBESLUIT_MISSING: 'collegebesluit ontbreekt',
  PAST_MAJORITY: 'na meerderjarigheid',
  GI_FILES_FIRST: 'de GI dient eerst in',
  PROFESSIONAL_UNKNOWN: 'onbekende jeugdbeschermer',
  SKJ_EXPIRED: 'SKJ-registratie verlopen',
  COMPLAINT_UNKNOWN: 'onbekende klacht',
  ESCALATION_UNKNOWN: 'onbekende escalatie',
  AANWIJZING_UNKNOWN: 'onbekende aanwijzing',
  EVENT_UNKNOWN: 'onbekende melding',
  BAD_NONCE: 'ongeldige volgorde',
  EXPIRED: 'verlopen',
};

export const MEASURE_KIND_LABELS = {
  OTS: 'Ondertoezichtstelling (OTS)',
  VOTS: 'Voorlopige ondertoezichtstelling (VOTS)',
  UHP: 'Machtiging uithuisplaatsing (UHP)',
};

// Kinds of request.file (docs/contracts.md), in the order the court and the RvdK should see them.
export const REQUEST_KIND_ORDER = ['SPOED_UHP', 'UHP', 'EXTEND_OTS', 'EXTEND_UHP', 'OTS', 'VOTS', 'LIFT'];

export const REQUEST_KIND_LABELS = {
  OTS: 'Ondertoezichtstelling',
  VOTS: 'Voorlopige ondertoezichtstelling',
  UHP: 'Machtiging uithuisplaatsing',
  SPOED_UHP: 'Spoedmachtiging uithuisplaatsing',
  EXTEND_OTS: 'Verlenging OTS',
  EXTEND_UHP: 'Verlenging uithuisplaatsing',
  LIFT: 'Opheffing',
};

// request.file's filed_for: on whose behalf the court (or another filer) filed.
export const FILED_FOR_LABELS = { PARENT: 'ouder', CHILD: 'kind', OM: 'OM' };

export const MEASURE_STATE_LABELS = { ACTIVE: 'Lopend', ENDED: 'Beëindigd' };

export const END_REASON_LABELS = {
  LAPSED: 'Termijn verstreken',
  LIFTED: 'Opgeheven',
  REPLACED: 'Vervangen',
  OTS_ENDED: 'Einde OTS',
  MAJORITY: 'Meerderjarigheid',
  NOT_CARRIED_OUT: 'Niet uitgevoerd',
};

// Values of tx arguments shown in the timeline.
export const VALUE_LABELS = {
  GRANTED: 'toegewezen',
  REFUSED: 'afgewezen',
  HELD: 'gehouden',
  CANCELLED: 'afgezegd',
  UPHELD: 'gegrond',
  PARTLY_UPHELD: 'deels gegrond',
  REJECTED: 'ongegrond',
  POSTPONED: 'verdaagd',
  ANNULLED: 'vernietigd',
  PARENT: 'ouder',
  CHILD: 'kind',
  CARER: 'verzorger',
  OM: 'Openbaar Ministerie',
  GI: 'GI',
  GENERAL: 'algemeen',
  CONTACT_LIMIT: 'contactbeperking',
  OTS: 'OTS',
  VOTS: 'VOTS',
  UHP: 'UHP',
  SPOED_UHP: 'spoedmachtiging UHP',
  EXTEND_OTS: 'verlenging OTS',
  EXTEND_UHP: 'verlenging UHP',
  LIFT: 'opheffing',
};

export const ARG_LABELS = {
  request: 'verzoek',
  kind: 'soort',
  outcome: 'uitkomst',
  start_date: 'start',
  end_date: 'einde',
  date: 'datum',
  gi: 'GI',
  filed_for: 'namens',
  professional: 'jeugdbeschermer',
  measure: 'maatregel',
  aanwijzing: 'aanwijzing',
  addressee: 'geadresseerde',
  complaint: 'klacht',
  escalation: 'escalatie',
  interval_days: 'interval (dagen)',
  cancelled_by: 'afgezegd door',
  reason: 'reden',
  majority_date: 'meerderjarig op',
  municipality: 'gemeente',
  rvdk: 'RvdK',
  seq: 'melding',
};

// The checks of the case quickscan (contracts/quickscan.h) and their outcome.
const QUICKSCAN_CHECK_LABELS = {
  GROUNDS_STATED: 'Gronden van de maatregel vermeld',
  TERM_WITHIN_MAXIMUM: 'Duur binnen de wettelijke maximumtermijn',
  JEUGDBESCHERMER_ASSIGNED: 'Jeugdbeschermer toegewezen, met geldige SKJ-registratie',
  PLAN_FILED: 'Plan van aanpak op tijd',
  PROGRESS_EACH_QUARTER: 'Voortgangsrapportage elk kwartaal',
  EXTENSION_OR_NOTICE_IN_TIME: 'Verlenging gevraagd of tijdig gemeld dat die niet komt',
  CONTACT_WITH_PARENT: 'Regelmatig contact tussen ouder en kind',
  MEASURE_RUNNING: 'Maatregel beëindigd',
  UHP_CARRIED_OUT: 'Uithuisplaatsing binnen 3 maanden uitgevoerd',
  UHP_WITHIN_OTS: 'Uithuisplaatsing binnen de ondertoezichtstelling',
  SPOED_HEARING_HELD: 'Zitting na spoedmachtiging gehouden',
  COLLEGEBESLUIT_WITH_UHP_REQUEST: 'Collegebesluit bij verzoek uithuisplaatsing van de Raad',
  AANWIJZING_OBJECTION_WINDOW: 'Termijn om vernietiging van de aanwijzing te vragen',
  CONTACT_LIMIT_REVIEWED: 'Contactbeperking door de rechter getoetst',
  COMPLAINT_DECIDED: 'Klacht beslist',
  ESCALATION_ANSWERED: 'Escalatie beantwoord',
};
const QUICKSCAN_STATUS_LABELS = {
  MET: 'in orde', VIOLATED: 'niet nagekomen', PENDING: 'loopt nog', NOT_APPLICABLE: 'niet van toepassing',
};
const QUICKSCAN_DETAIL_LABELS = {
  LATE: 'te laat', NOT_ASSIGNED: 'niemand toegewezen', SKJ_EXPIRED: 'SKJ-registratie verlopen',
  NOT_RECORDED: 'niet vastgelegd (van vóór regelversie 2)', NO_ARRANGEMENT: 'geen contactregeling',
  NO_CONTACT: 'geen contact', NON_EXTENSION_GIVEN: 'niet-verlenging gemeld', EXTENSION_REQUESTED: 'verlenging gevraagd',
  EXTENSION_NOT_DECIDED: 'verlenging niet op tijd beslist', LAPSED_UNANNOUNCED: 'verlopen zonder melding',
  NOT_CARRIED_OUT: 'niet uitgevoerd', OPEN: 'loopt', CLOSED: 'verstreken',
};
export const quickscanCheckLabel = (check) => lookup(QUICKSCAN_CHECK_LABELS, check);
export const quickscanStatusLabel = (status) => lookup(QUICKSCAN_STATUS_LABELS, status);
export function quickscanDetailLabel(detail) {
  if (typeof detail !== 'string' || detail === '') return '';
  if (/^Q\d+$/.test(detail)) return `kwartaal ${detail.slice(1)}`;
  if (/^INTERVAL_\d+$/.test(detail)) return `regeling: elke ${detail.slice(9)} dagen`;
  if (/^EXTENSIONS_\d+$/.test(detail)) return `${detail.slice(11)} keer verlengd`;
  if (detail.startsWith('ENDED_')) return endReasonLabel(detail.slice(6));
  if (detail.startsWith('REVIEWED_')) return `getoetst: ${valueLabel(detail.slice(9))}`;
  return detail.split(',').map((part) => {
    if (Object.prototype.hasOwnProperty.call(QUICKSCAN_DETAIL_LABELS, part)) return QUICKSCAN_DETAIL_LABELS[part];
    if (Object.prototype.hasOwnProperty.call(GROUND_LABELS, part)) return GROUND_LABELS[part];
    return valueLabel(part);
  }).join(', ');
}

function lookup(table, code) {
  if (code === undefined || code === null || code === '') return '';
  return Object.prototype.hasOwnProperty.call(table, code) ? table[code] : String(code);
}

export const roleLabel = (role) => lookup(ROLE_LABELS, role);
export const eventLabel = (kind) => lookup(EVENT_LABELS, kind);
export const actionLabel = (action) => lookup(ACTION_LABELS, action);
export const signalLabel = (kind) => lookup(SIGNAL_LABELS, kind);
export const requestKindLabel = (kind) => lookup(REQUEST_KIND_LABELS, kind);
export const filedForLabel = (code) => lookup(FILED_FOR_LABELS, code);
export const measureKindLabel = (kind) => lookup(MEASURE_KIND_LABELS, kind);
export const measureStateLabel = (state) => lookup(MEASURE_STATE_LABELS, state);
export const endReasonLabel = (reason) => lookup(END_REASON_LABELS, reason);
export const valueLabel = (value) => lookup(VALUE_LABELS, value);
export const argLabel = (name) => lookup(ARG_LABELS, name);

// A deadline kind; a reminder R-X without its own label reads "Herinnering: <label of D-X>".
export function deadlineLabel(kind) {
  if (Object.prototype.hasOwnProperty.call(DEADLINE_LABELS, kind)) return DEADLINE_LABELS[kind];
  if (typeof kind === 'string' && kind.startsWith('R-')) {
    const base = 'D-' + kind.slice(2);
    if (Object.prototype.hasOwnProperty.call(DEADLINE_LABELS, base)) {
      const text = DEADLINE_LABELS[base];
      return 'Herinnering: ' + text.charAt(0).toLowerCase() + text.slice(1);
    }
  }
  return lookup(DEADLINE_LABELS, kind);
}

// A tx result: "uitgevoerd" for OK, else "geweigerd: <reason>".
export function resultLabel(result) {
  if (result === 'OK') return 'uitgevoerd';
  return 'geweigerd: ' + lookup(RESULT_LABELS, result);
}
