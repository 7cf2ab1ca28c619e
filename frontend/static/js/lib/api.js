// One way to call the JSON API from the pages: JSON in and out, and, for state-changing
// calls, the CSRF token the server put in the mh_csrf cookie at login (X-CSRF-Token header).
import { t } from './i18n.js';

export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)mh_csrf=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : null;
}

/** api(path, {json, method, body, headers}) -> {status, body} (body null when not JSON). */
export async function api(path, options) {
  const init = Object.assign({}, options || {});
  init.headers = Object.assign({ Accept: 'application/json' }, init.headers || {});
  if (init.json !== undefined) {
    init.method = init.method || 'POST';
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(init.json);
    delete init.json;
  }
  const method = (init.method || 'GET').toUpperCase();
  const token = csrfToken();
  if (token && !['GET', 'HEAD', 'OPTIONS'].includes(method)) {
    init.headers['X-CSRF-Token'] = token;
  }
  init.credentials = 'same-origin';
  const response = await fetch(path, init);
  const body = await response.json().catch(() => null);
  return { status: response.status, body };
}

/** The error message of an API answer, or `fallback`. */
export function errorMessage(result, fallback) {
  return (result.body && result.body.error && result.body.error.message) || fallback;
}

/** api(), with a network failure (offline, server unreachable) as an answer too: status 0
 * and a message that says so, for a page that shows it instead of throwing. */
export async function apiOrOffline(path, options) {
  try {
    return await api(path, options);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const message = t('The server could not be reached: check the connection and try again.');
    return { status: 0, body: { error: { message } } };
  }
}
