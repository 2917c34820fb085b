// The month range of the stuurinformatie (from/to, at most 120 months). Default: the last 12 months
// up to the chain's current month (the Amsterdam month of the tip's time).

import { el } from './dom.js';
import { addMonths, monthList, monthLong, monthsBetween } from './format.js';

export const MAX_MONTHS = 120;

export const defaultRange = (currentMonth) => ({ from: addMonths(currentMonth, -11), to: currentMonth });

function monthSelect(id, months, selected) {
  return el('select', { id, name: id },
    months.map((m) => el('option', { value: m, selected: m === selected }, monthLong(m))));
}

// onApply({from, to}) is called with a valid range.
export function createRangeControl({ currentMonth, range, onApply }) {
  const months = monthList(addMonths(currentMonth, -(MAX_MONTHS - 1)), currentMonth).reverse();
  const from = monthSelect('range-from', months, range.from);
  const to = monthSelect('range-to', months, range.to);
  const error = el('p', { id: 'range-error', class: 'field-error', role: 'alert', hidden: true });
  const apply = el('button', { type: 'submit', id: 'range-apply', class: 'button' }, 'Toon');

  const form = el('form', { id: 'range-form', class: 'range-form', 'aria-label': 'Periode' },
    el('div', { class: 'field' }, el('label', { for: 'range-from' }, 'Van'), from),
    el('div', { class: 'field' }, el('label', { for: 'range-to' }, 'Tot en met'), to),
    apply,
    error);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = { from: from.value, to: to.value };
    let problem = '';
    if (monthsBetween(chosen.from, chosen.to) < 0) problem = '"Van" ligt na "tot en met".';
    else if (monthsBetween(chosen.from, chosen.to) >= MAX_MONTHS) problem = `Kies hoogstens ${MAX_MONTHS} maanden.`;
    error.textContent = problem;
    error.hidden = !problem;
    if (!problem) onApply(chosen);
  });

  return form;
}
