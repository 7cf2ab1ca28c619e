// One way to call the JSON API from the pages: JSON in and out, and, for state-changing
// calls, the CSRF token the server put in the mh_csrf cookie at login (X-CSRF-Token header).

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
