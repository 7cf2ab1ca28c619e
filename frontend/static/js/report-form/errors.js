// The report form's error box: problems found on the page or named by the server, each shown
// as a line in the role="alert" box (which takes the focus), the controls concerned marked
// aria-invalid.
import { $, el } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

// Where each field the API may name is asked, and the control that gets aria-invalid.
export const FIELDS = {
  happening_now: ['when', 'when-now'],
  occurred_on: ['when', 'occurred-on'],
  time_band: ['when', 'time-band'],
  location: ['place', 'pin-centre'],
  mahalle_code: ['place', 'mahalle-select'],
  place_description: ['place', 'place-description'],
  category: ['what', null],
  perceived_safety: ['what', 'safety-1'],
  text: ['what', 'report-text'],
  photos: ['what', 'photos'],
  reporter_gender: ['consent', 'reporter-gender'],
  reporter_age_band: ['consent', 'reporter-age-band'],
  consent: ['consent', 'consent'],
};

// The fields' names in the page's language, for the server's messages.
export const FIELD_NAMES = {
  happening_now: () => t('When'),
  occurred_on: () => t('Date'),
  time_band: () => t('Time of day'),
  location: () => t('Place'),
  mahalle_code: () => t('Neighbourhood (mahalle)'),
  place_description: () => t('Place'),
  category: () => t('Category'),
  perceived_safety: () => t('Felt safety'),
  text: () => t('Description'),
  photos: () => t('Photos'),
  reporter_gender: () => t('Gender'),
  reporter_age_band: () => t('Age'),
  consent: () => t('Consent'),
};

const form = $('report-form');
const box = $('form-errors');

/** Show `list` ([{field, message}]); an empty list clears the box and the marks. */
export function showErrors(list) {
  form.querySelectorAll('[aria-invalid]').forEach((node) => node.removeAttribute('aria-invalid'));
  list.forEach(({ field }) => {
    const id = FIELDS[field] && FIELDS[field][1];
    const control = id ? $(id) : (field === 'category' ? form.querySelector('input[name="category"]') : null);
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      const folded = control.closest('details');
      if (folded) folded.open = true; // an optional part with a problem: shown
    }
  });
  if (!list.length) {
    box.replaceChildren();
    return;
  }
  box.replaceChildren(
    el('p', { class: 'form-errors__title' }, t('Please correct:')),
    el('ul', null, list.map((item) => el('li', null, item.message))),
  );
  box.focus();
}
