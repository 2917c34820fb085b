// The JSON API of joet-inzicht (docs/inzicht.md). One fetch wrapper: same-origin credentials (the
// session cookie), the CSRF header on every POST but login, errors parsed from
// {"error": {"code", "message"}} into an ApiError.

export class ApiError extends Error {
  constructor(status, code, message, body = null, retryAfter = null) {
    super(message || code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.body = body;
    this.retryAfter = retryAfter;
  }

  get sessionLost() {
    return this.status === 401 && (this.code === 'NO_SESSION' || this.code === 'SESSION_EXPIRED');
  }
}

let csrfToken = '';
let sessionLostHandler = null;

export function setCsrfToken(token) {
  csrfToken = token || '';
}

// Called once for a 401 NO_SESSION / SESSION_EXPIRED from any call (unless the call opts out).
export function onSessionLost(handler) {
  sessionLostHandler = handler;
}

async function parseBody(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

// 429 TOO_MANY_ATTEMPTS: retry_after_s in the error object, the body, or a Retry-After header.
function retryAfterOf(response, body) {
  const fromBody = body && ((body.error && body.error.retry_after_s) ?? body.retry_after_s);
  if (fromBody !== undefined && fromBody !== null && Number.isFinite(Number(fromBody))) return Number(fromBody);
  const header = Number(response.headers.get('Retry-After'));
  return Number.isFinite(header) && header > 0 ? header : null;
}

async function request(method, path, { body, sessionHook = true } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && path !== '/api/login') headers['X-CSRF-Token'] = csrfToken;

  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (cause) {
    throw new ApiError(0, 'NETWORK', 'de server is niet bereikbaar');
  }

  const data = await parseBody(response);
  if (response.ok) return data;

  const error = (data && data.error) || {};
  const failure = new ApiError(
    response.status,
    error.code || `HTTP_${response.status}`,
    error.message || response.statusText,
    data,
    retryAfterOf(response, data),
  );
  if (failure.sessionLost && sessionHook && sessionLostHandler) sessionLostHandler(failure);
  throw failure;
}

const get = (path, options) => request('GET', path, options);
const post = (path, body, options) => request('POST', path, { ...options, body: body ?? {} });
const query = (params) => new URLSearchParams(params).toString();

export const api = {
  login: (user, password) => post('/api/login', { user, password }, { sessionHook: false }),
  logout: () => post('/api/logout', {}, { sessionHook: false }),
  // On page load: no session is not an error worth a message, so no session hook.
  me: () => get('/api/me', { sessionHook: false }),
  chain: () => get('/api/chain'),
  stuurinformatie: (from, to) => get(`/api/stuurinformatie?${query({ from, to })}`),
  cells: (month, metric) => get(`/api/cells?${query({ month, metric })}`),
  deadlines: (days) => get(`/api/deadlines?${query({ days })}`),
  notifications: (after) => get(`/api/notifications?${query({ after })}`),
  ackNotification: (seq) => post(`/api/notifications/${encodeURIComponent(seq)}/ack`, {}),
  caseRecord: (caseId) => get(`/api/cases/${encodeURIComponent(caseId)}`),
  escalate: (caseId, addressee) => post(`/api/cases/${encodeURIComponent(caseId)}/escalations`, { addressee }),
  // GI: jeugdbeschermers with SKJ date and caseload; MUNICIPALITY: running OTS/VOTS per GI with and
  // without a jeugdbeschermer; other roles: {institution, role, height} only.
  caseload: () => get('/api/caseload'),
  // Pending (undecided) requests: all on the chain for COURT and AUDITOR, else the user's cases.
  requests: () => get('/api/requests'),
};
