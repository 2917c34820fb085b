// Dates, months and numbers in Dutch notation. Instants (…_ms) are shown in Europe/Amsterdam;
// civil dates (epoch days, YYYY-MM-DD texts) are calendar dates and are formatted without a zone shift.

export const TIME_ZONE = 'Europe/Amsterdam';
export const DAY_MS = 86_400_000;

const dateFormat = new Intl.DateTimeFormat('nl-NL', {
  timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric',
});
const timeFormat = new Intl.DateTimeFormat('nl-NL', {
  timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});
// A civil date as midnight UTC, formatted in UTC: the same calendar day whatever the zone.
const civilDateFormat = new Intl.DateTimeFormat('nl-NL', {
  timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric',
});
const monthPartsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE, year: 'numeric', month: '2-digit',
});
const monthShortFormat = new Intl.DateTimeFormat('nl-NL', { timeZone: 'UTC', month: 'short', year: 'numeric' });
const monthLongFormat = new Intl.DateTimeFormat('nl-NL', { timeZone: 'UTC', month: 'long', year: 'numeric' });
const numberFormat = new Intl.NumberFormat('nl-NL');

function toNumber(value) {
  const n = Number(value);
  return Number.isFinite(n) ? n : NaN;
}

// dd-mm-jjjj of an instant in Amsterdam.
export function formatDate(ms) {
  const n = toNumber(ms);
  return Number.isNaN(n) ? '–' : dateFormat.format(new Date(n));
}

// dd-mm-jjjj uu:mm of an instant in Amsterdam.
export function formatDateTime(ms) {
  const n = toNumber(ms);
  if (Number.isNaN(n)) return '–';
  const d = new Date(n);
  return `${dateFormat.format(d)} ${timeFormat.format(d)}`;
}

// The ISO form of an instant for a <time datetime>, or null when it is not a number.
export function isoInstant(ms) {
  const n = toNumber(ms);
  return Number.isNaN(n) ? null : new Date(n).toISOString();
}

// dd-mm-jjjj of a day count since 1970-01-01 (protobuf JSON may give int64 as a string).
// 0 means "not set" in the case record.
export function formatEpochDay(day) {
  const n = toNumber(day);
  if (Number.isNaN(n) || n === 0) return '–';
  return civilDateFormat.format(new Date(n * DAY_MS));
}

// dd-mm-jjjj of a YYYY-MM-DD text (tx arguments); anything else is returned as is.
export function formatIsoDate(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text));
  return m ? `${m[3]}-${m[2]}-${m[1]}` : String(text);
}

const euroFormat = new Intl.NumberFormat('nl-NL', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });

// Integer euro cents as whole euros ("€ 12.346"); "–" for a value that is no number.
export function formatEuros(cents) {
  const n = toNumber(cents);
  return Number.isNaN(n) ? '–' : euroFormat.format(Math.round(n / 100));
}

export function formatNumber(value) {
  const n = toNumber(value);
  return Number.isNaN(n) ? '–' : numberFormat.format(n);
}

// The Amsterdam civil month (YYYY-MM) of an instant.
export function monthOf(ms) {
  const parts = monthPartsFormat.formatToParts(new Date(ms));
  const year = parts.find((p) => p.type === 'year').value;
  const month = parts.find((p) => p.type === 'month').value;
  return `${year}-${month}`;
}

function monthIndex(ym) {
  const [y, m] = ym.split('-').map(Number);
  return y * 12 + (m - 1);
}

function monthFromIndex(index) {
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
}

export const addMonths = (ym, n) => monthFromIndex(monthIndex(ym) + n);
export const monthsBetween = (from, to) => monthIndex(to) - monthIndex(from);

// Every month from..to inclusive, ascending.
export function monthList(from, to) {
  const out = [];
  for (let i = monthIndex(from); i <= monthIndex(to); i += 1) out.push(monthFromIndex(i));
  return out;
}

function monthDate(ym) {
  const [y, m] = ym.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, 1));
}

export const monthShort = (ym) => monthShortFormat.format(monthDate(ym));
export const monthLong = (ym) => monthLongFormat.format(monthDate(ym));

// "vandaag", "morgen", "over 5 dagen" between the chain's now and a due instant.
export function relativeDays(dueMs, nowMs) {
  const days = Math.ceil((Number(dueMs) - Number(nowMs)) / DAY_MS);
  if (days <= 0) return 'vandaag';
  if (days === 1) return 'morgen';
  return `over ${days} dagen`;
}

// The same, for something in the past ("3 minuten geleden").
export function ago(ms, nowMs = Date.now()) {
  const seconds = Math.max(0, Math.round((nowMs - Number(ms)) / 1000));
  if (seconds < 60) return `${seconds} s geleden`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min geleden`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} uur geleden`;
  return `${Math.round(hours / 24)} dagen geleden`;
}

// The Amsterdam civil date (YYYY-MM-DD) of an instant: the chain's "today" from /api/chain time_ms.
const isoDatePartsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit',
});
export function isoDateOf(ms) {
  const n = toNumber(ms);
  if (Number.isNaN(n)) return '';
  const parts = isoDatePartsFormat.formatToParts(new Date(n));
  const part = (type) => parts.find((p) => p.type === type).value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

// The day count since 1970-01-01 of a YYYY-MM-DD text, or NaN when it is not a valid date.
export function epochDayOfIso(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text ?? ''));
  if (!m) return NaN;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return NaN;
  return Math.round(ms / DAY_MS);
}

const percentFormat = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 1 });

// "12,5%" of part / whole; "–" when either is not a number or whole is 0. A share above 0 never
// rounds down to "0%", and one below 100% never rounds up to "100%".
export function formatPercent(part, whole) {
  const p = toNumber(part);
  const w = toNumber(whole);
  if (Number.isNaN(p) || Number.isNaN(w) || w <= 0) return '–';
  const value = (p / w) * 100;
  if (value > 0 && value < 0.05) return '< 0,1%';
  if (value < 100 && value >= 99.95) return '> 99,9%';
  return `${percentFormat.format(value)}%`;
}
