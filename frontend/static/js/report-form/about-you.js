// Step 4, about you and consent: optional gender and age band ("prefer not to say"), then the
// consent in plain language; the box must be ticked before anything is sent.
import { $ } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

/** Problems with this step: [{field, message}]. */
export function consentProblems() {
  if ($('consent').checked) return [];
  return [{ field: 'consent', message: t('Consent: tick the box to agree, or cancel.') }];
}

/** This step's part of a report or a "me too". */
export function aboutYouFields() {
  return {
    reporter_gender: $('reporter-gender').value || null,
    reporter_age_band: $('reporter-age-band').value || null,
    consent: $('consent').checked,
    // The honeypot: hidden from people and screen readers; scripts that fill it are refused.
    website: $('website') ? $('website').value : '',
  };
}
