// Sending an audit point: the point as JSON in a form, with its photo when there is one.
import { csrfToken } from '../lib/api.js';

/** POST the point; {status, body}. Throws when there is no connection. */
export async function sendPoint(walk, pointJson, photo) {
  const form = new FormData();
  form.append('point', pointJson);
  if (photo) form.append('photo', photo, 'photo.jpg');
  const headers = { Accept: 'application/json' };
  const token = csrfToken();
  if (token) headers['X-CSRF-Token'] = token;
  const response = await fetch(`/api/v1/audits/walks/${encodeURIComponent(walk)}/points`, {
    method: 'POST', body: form, headers, credentials: 'same-origin',
  });
  const body = await response.json().catch(() => null);
  return { status: response.status, body };
}
