// Step 1, when: happening now, or earlier (a day at most two years back, not in the future,
// and a time-of-day band).
import { $ } from '../lib/dom.js';
import { isoDate, t } from '../lib/i18n.js';

const form = $('report-form');

function chosen() {
  return form.querySelector('input[name="when"]:checked');
}

/** True when she said it is happening here, now. */
export function happeningNow() {
  const choice = chosen();
  return Boolean(choice && choice.value === 'now');
}

function toggleWhen() {
  const choice = chosen();
  const earlier = Boolean(choice && choice.value === 'earlier');
  $('when-earlier').hidden = !earlier;
  $('occurred-on').disabled = !earlier;
  $('time-band').disabled = !earlier;
}

/** The date field's limits for today, emptied. */
export function resetWhen() {
  const date = $('occurred-on');
  const today = new Date();
  const earliest = new Date();
  earliest.setDate(earliest.getDate() - 730);
  date.max = isoDate(today);
  date.min = isoDate(earliest);
  date.value = '';
  toggleWhen();
}

export function wireWhen() {
  form.querySelectorAll('input[name="when"]').forEach((input) => input.addEventListener('change', toggleWhen));
}

/** Problems with this step: [{field, message}]. */
export function whenProblems() {
  const found = [];
  const add = (field, message) => found.push({ field, message });
  const choice = chosen();
  if (!choice) add('happening_now', t('When: choose whether it is happening now or happened earlier.'));
  if (choice && choice.value === 'earlier') {
    const day = $('occurred-on').value;
    if (!day) add('occurred_on', t('Date: enter the day it happened.'));
    else if (day > isoDate(new Date())) add('occurred_on', t('Date: the day cannot be in the future.'));
    if (!$('time-band').value) add('time_band', t('Time of day: choose day, evening or night.'));
  }
  return found;
}

/** This step's part of the report. */
export function whenFields() {
  const now = happeningNow();
  return {
    happening_now: now,
    occurred_on: now ? null : $('occurred-on').value || null,
    time_band: now ? null : $('time-band').value || null,
  };
}
