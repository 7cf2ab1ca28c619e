// The plan staff pages' forms: read a form as JSON, call the API, show its refusal beside the
// form (the fields it names marked invalid), reload in place after a change.
import { api, errorMessage } from '../lib/api.js';
import { $ } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

/**
 * The form's filled fields as JSON: names in `numbers` as numbers, names in `lists` as arrays
 * (every checked box or selected option), empty fields left out unless `empties` is set (a
 * PATCH then clears them with null).
 */
export function fields(form, numbers, lists = [], empties = false) {
  const json = {};
  for (const name of lists) json[name] = [];
  for (const [name, value] of new FormData(form).entries()) {
    const text = String(value).trim();
    if (lists.includes(name)) {
      if (text !== '') json[name].push(text);
      continue;
    }
    if (text === '') {
      if (empties) json[name] = null;
      continue;
    }
    json[name] = numbers.includes(name) ? Number(text) : text;
  }
  for (const name of lists) if (json[name].length === 0 && !empties) delete json[name];
  return json;
}

/** Show the API's refusal in the container's error box and mark the fields it names. */
export function fail(container, result) {
  for (const marked of container.querySelectorAll('[aria-invalid]')) marked.removeAttribute('aria-invalid');
  const box = container.querySelector('.work-form__error');
  box.textContent = errorMessage(result, t('Could not save. Try again.'));
  for (const { field } of result.body?.error?.fields || []) {
    const input = field && container.querySelector(`[name="${CSS.escape(field.split('.')[0])}"]`);
    if (input) input.setAttribute('aria-invalid', 'true');
  }
  box.hidden = false;
  box.focus?.();
}

/** Announce the change and reload the page in place (one history entry: quick exit). */
export function done(message) {
  $('work-status').textContent = message;
  window.location.replace(window.location.href);
}

/** Send `json` to `path`; on the expected status announce `message` and reload. */
export async function call(container, path, json, expected, message, method) {
  const result = await api(path, method ? { json, method } : { json });
  if (result.status !== expected) {
    fail(container, result);
    return null;
  }
  if (message) done(message);
  return result.body;
}
