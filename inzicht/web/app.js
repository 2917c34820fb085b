// Inzicht: start-up, session, header and routing. Routes: #/ (the overview of the user's role) and
// #/case/<id> (the case page). Any other hash (e.g. the skip link's #main) is left to the browser.

import { api, onSessionLost, setCsrfToken } from './api.js';
import { replaceContent } from './dom.js';
import { roleLabel } from './labels.js';
import { formatDateTime } from './format.js';
import { initLogin, showLogin, hideLogin, MESSAGE_EXPIRED } from './login.js';
import { createOverview } from './overview.js';
import { renderCase } from './view-case.js';

const CHAIN_POLL_MS = 30_000;
// A hint (no data) that this browser may hold a session, so a fresh page does not ask /api/me
// (and log a 401 in the console) when nobody has logged in here. The cookie stays the truth.
const SESSION_HINT = 'inzicht.session';

function setSessionHint(on) {
  try {
    if (on) window.localStorage.setItem(SESSION_HINT, '1');
    else window.localStorage.removeItem(SESSION_HINT);
  } catch {
    // Storage may be off; then /api/me is simply always asked.
  }
}

function hasSessionHint() {
  try {
    return window.localStorage.getItem(SESSION_HINT) === '1';
  } catch {
    return true;
  }
}
const $ = (id) => document.getElementById(id);

const state = {
  me: null,
  chain: null,
  overview: null,
  pollTimer: null,
  overviewScroll: 0,
};

function renderIdentity(me) {
  $('user-name').textContent = me.name || me.user;
  $('user-institution').textContent = me.institution;
  $('user-role').textContent = roleLabel(me.role);
}

function renderChain(chain) {
  const pill = $('chain-height');
  pill.textContent = chain && chain.height !== undefined && chain.height !== null
    ? `Bijgewerkt tot blok ${chain.height}` : 'Keten onbekend';
  pill.title = chain && chain.time_ms ? `Laatste blok: ${formatDateTime(chain.time_ms)}` : '';
  pill.dataset.height = chain && chain.height !== undefined ? chain.height : '';
}

function stopPolling() {
  if (state.pollTimer) clearInterval(state.pollTimer);
  state.pollTimer = null;
}

function startPolling() {
  stopPolling();
  state.pollTimer = setInterval(async () => {
    try {
      const chain = await api.chain();
      if (!state.me) return;
      Object.assign(state.chain, chain);
      renderChain(state.chain);
    } catch {
      // A lost session is handled by the session hook; other failures wait for the next poll.
    }
  }, CHAIN_POLL_MS);
}

function endSession(message) {
  setSessionHint(false);
  stopPolling();
  if (state.overview) state.overview.destroy();
  state.overview = null;
  state.me = null;
  state.chain = null;
  setCsrfToken('');
  replaceContent($('sections'));
  replaceContent($('section-nav'));
  replaceContent($('case-page'));
  showLogin(message);
}

function scrollToSection(element) {
  if (!$('overview').hidden) {
    element.scrollIntoView({ block: 'start' });
    return;
  }
  state.overviewScroll = 0;
  window.location.hash = '#/';
  requestAnimationFrame(() => element.scrollIntoView({ block: 'start' }));
}

function showOverviewPage() {
  const page = $('case-page');
  const returning = $('overview').hidden;
  page.hidden = true;
  page.dataset.caseId = '';
  replaceContent(page);
  $('overview').hidden = false;
  document.title = 'Inzicht — Joet Ledger';
  if (returning) window.scrollTo(0, state.overviewScroll);
}

function showCasePage(caseId) {
  const page = $('case-page');
  if (!$('overview').hidden) state.overviewScroll = window.scrollY;
  $('overview').hidden = true;
  page.hidden = false;
  page.dataset.caseId = caseId;
  document.title = `Zaak ${caseId} — Inzicht`;
  window.scrollTo(0, 0);
  renderCase(page, caseId, { me: state.me });
  $('main').focus({ preventScroll: true });
}

function route() {
  if (!state.me) return;
  const hash = window.location.hash;
  const match = /^#\/case\/(.+)$/.exec(hash);
  if (match) showCasePage(decodeURIComponent(match[1]));
  else if (!hash || hash === '#' || hash.startsWith('#/')) showOverviewPage();
}

async function startSession(me) {
  state.me = me;
  setSessionHint(true);
  setCsrfToken(me.csrf);
  hideLogin();
  renderIdentity(me);
  $('app-view').hidden = false;
  let chain;
  try {
    chain = await api.chain();
  } catch (error) {
    if (error.sessionLost) return;
    chain = { height: null, time_ms: Date.now() };
  }
  if (state.me !== me) return;
  state.chain = chain;
  renderChain(chain);
  state.overview = createOverview({
    me,
    chain,
    container: $('sections'),
    nav: $('section-nav'),
    onNavigate: scrollToSection,
  });
  route();
  startPolling();
}

async function logout() {
  const button = $('logout');
  button.disabled = true;
  try {
    await api.logout();
  } catch {
    // The session may already be gone; the login view is the right place either way.
  }
  button.disabled = false;
  endSession('');
}

async function boot() {
  initLogin(startSession);
  onSessionLost(() => {
    if (state.me) endSession(MESSAGE_EXPIRED);
  });
  $('logout').addEventListener('click', logout);
  window.addEventListener('hashchange', route);

  if (!hasSessionHint()) {
    showLogin('');
    return;
  }
  try {
    const me = await api.me();
    await startSession(me);
  } catch (error) {
    setSessionHint(false);
    if (error.code === 'SESSION_EXPIRED') showLogin(MESSAGE_EXPIRED);
    else if (error.status === 401) showLogin('');
    else showLogin(`De server is niet bereikbaar: ${error.message}`);
  }
}

boot();
