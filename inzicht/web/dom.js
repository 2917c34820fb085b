// Small helpers to build DOM nodes. Text always goes in as text (never HTML), and no inline styles:
// the Content-Security-Policy forbids them, and classes keep the look in style.css.

// el('a', {class: 'x', href: '#', dataset: {case: 'c-1'}, onclick: fn}, 'text', child, ...)
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, '');
    else node.setAttribute(key, String(value));
  }
  appendChildren(node, children);
  return node;
}

export function appendChildren(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function replaceContent(node, ...children) {
  clear(node);
  return appendChildren(node, children);
}

// The "Stand: blok N" line under every set of numbers.
export function standNote(height) {
  return el('p', { class: 'stand' }, `Stand: blok ${height ?? '–'}`);
}

export function loadingNote(text = 'Gegevens worden geladen…') {
  return el('p', { class: 'loading', role: 'status' }, text);
}

export function emptyNote(text) {
  return el('p', { class: 'empty' }, text);
}

// An error line for a failed call. Session loss is handled by the app (back to the login view),
// so it gets no error line of its own.
export function errorNote(error, prefix = 'Kon de gegevens niet laden') {
  const code = error && error.code ? ` (${error.code})` : '';
  const message = error && error.message ? `: ${error.message}` : '';
  return el('p', { class: 'error', role: 'alert' }, `${prefix}${message}${code}`);
}

// A table inside its own horizontally scrolling box, so a wide table never widens the page.
export function scrollBox(table, label) {
  return el('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': label || 'Tabel' }, table);
}

export function caseLink(caseId) {
  return el('a', {
    class: 'case-link',
    href: `#/case/${encodeURIComponent(caseId)}`,
    dataset: { case: caseId },
  }, caseId);
}

export function badge(text, variant = '') {
  return el('span', { class: `badge ${variant}`.trim() }, text);
}

// A card of the overview. The section's own id is "section-<key>"; the ids tests use live inside.
export function sectionCard({ key, title, intro }, ...content) {
  const headingId = `section-${key}-title`;
  return el('section', { class: 'card', id: `section-${key}`, 'aria-labelledby': headingId },
    el('header', { class: 'card-head' },
      el('h2', { id: headingId }, title),
      intro ? el('p', { class: 'intro' }, intro) : null),
    content);
}

// A titled block inside a card.
export function panel(title, intro, ...content) {
  return el('div', { class: 'panel' },
    el('h3', {}, title),
    intro ? el('p', { class: 'intro' }, intro) : null,
    content);
}
