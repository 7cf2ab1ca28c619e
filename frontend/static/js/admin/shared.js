// What the sections of the administration page share: labels, the list of municipalities
// (loaded once, reloaded after a change, redrawn wherever it is offered), select options
// and the display of a refused request.
import { api, errorMessage } from '../lib/api.js';
import { el } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

export const ROLES = { moderator: t('moderator'), planner: t('planner'), admin: t('admin') };
export const KINDS = {
  metropolitan: t('metropolitan municipality'),
  district: t('district municipality'),
  provincial: t('provincial municipality'),
  other: t('other municipality'),
};
// The groups a municipality acts on (harassment and "other" are not forwarded).
export const DUTY_GROUPS = {
  lighting: t('Lighting'),
  infrastructure: t('Infrastructure'),
  environment: t('Built environment'),
  transport: t('Transport'),
};

let municipalities = [];
const listeners = [];

/** The municipalities as last loaded (code, name, kind, parent, mahalle, settings). */
export const allMunicipalities = () => municipalities;

/** Call `listener(municipalities)` now and whenever the list is reloaded. */
export function onMunicipalities(listener) {
  listeners.push(listener);
  listener(municipalities);
}

/** Load the list again and redraw everything that offers it; the API answer. */
export async function loadMunicipalities() {
  const result = await api('/api/v1/admin/municipalities');
  if (result.status === 200) {
    municipalities = result.body;
    listeners.forEach((listener) => listener(municipalities));
  }
  return result;
}

/** "Çankaya Belediyesi (cankaya)". */
export const municipalityLabel = (m) => `${m.name} (${m.code})`;

/** Replace a select's options with `entries` ([value, text] pairs), keeping the choice. */
export function fillSelect(select, entries, keep = select.value) {
  select.replaceChildren(...entries.map(([value, text]) => new Option(text, value)));
  if (entries.some(([value]) => value === keep)) select.value = keep;
}

/** [code, label] pairs of every municipality, for a select. */
export const municipalityEntries = () => municipalities.map((m) => [m.code, municipalityLabel(m)]);

/** Clear a form's error box and the fields it had marked. */
export function clearErrors(box, form) {
  box.textContent = '';
  form.querySelectorAll('[aria-invalid="true"]').forEach((node) => node.removeAttribute('aria-invalid'));
}

/**
 * Show why a request was refused: the message in `box` (an alert) and, for the fields the
 * API names, aria-invalid on the matching control of `fields` ({api field: element}); the
 * first such control gets the focus.
 */
export function showErrors(box, result, fallback, fields = {}) {
  box.replaceChildren(el('p', { class: 'form-errors__title' }, errorMessage(result, fallback)));
  const named = ((result.body && result.body.error && result.body.error.fields) || [])
    .map((f) => fields[f.field])
    .filter(Boolean);
  named.forEach((node) => node.setAttribute('aria-invalid', 'true'));
  if (named.length) named[0].focus();
}
