// The form's four steps (when, where, what, about you and consent): one shown at a time, each
// checked on the page before the next, and the reset to an empty form at the first step.
import { $ } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { consentProblems } from './about-you.js';
import { FIELDS, showErrors } from './errors.js';
import { clearMetoo, forgetMetooChoice, metooChoice } from './metoo.js';
import { loadCategories, offerMetoo, resetWhat, whatProblems } from './what.js';
import { happeningNow, resetWhen, whenProblems } from './when.js';
import { refreshMap, resetWhere, whereProblems } from './where.js';

export const STEPS = ['when', 'place', 'what', 'consent'];
const STEP_TITLES = {
  when: () => t('When?'),
  place: () => t('Where?'),
  what: () => t('What is it?'),
  consent: () => t('About you, and your consent'),
};
const PROBLEMS = { when: whenProblems, place: whereProblems, what: whatProblems, consent: consentProblems };

const form = $('report-form');
let step = 0;

/** The step she is at. */
export function currentStep() {
  return STEPS[step];
}

/** Problems with step `name`: [{message, field}], empty when she may go on. */
export function problems(name) {
  return PROBLEMS[name]();
}

/** The step where the field is asked (for the server's refusals), or -1. */
export function stepOfField(field) {
  return FIELDS[field] ? STEPS.indexOf(FIELDS[field][0]) : -1;
}

export function showStep(index, focus) {
  step = index;
  const name = STEPS[index];
  form.querySelectorAll('fieldset.step').forEach((node) => {
    node.hidden = node.dataset.step !== name;
  });
  const counter = $('step-counter');
  counter.textContent = t('Step {n} of {total}: {title}', { n: index + 1, total: STEPS.length, title: STEP_TITLES[name]() });
  $('step-back').hidden = index === 0;
  $('step-next').hidden = index === STEPS.length - 1;
  $('submit-report').hidden = index !== STEPS.length - 1;
  $('submit-report').textContent = metooChoice() ? t('Send my "me too"') : t('Send report');
  $('metoo-chosen').hidden = !metooChoice();
  $('location-status').hidden = name !== 'place'; // the pin's confirmation, in the footer
  document.body.dataset.step = name;
  if (name === 'place') {
    $('geolocation-box').hidden = !happeningNow();
    refreshMap();
  }
  if (name === 'what') loadCategories().then(offerMetoo);
  if (focus !== false) {
    counter.setAttribute('tabindex', '-1');
    counter.focus({ preventScroll: false });
  }
}

export function next() {
  const found = problems(STEPS[step]);
  showErrors(found);
  if (found.length) return;
  showStep(step + 1);
}

/**
 * Enter on a choice (radio or check box) goes on, as Enter in a text field submits a form: a
 * keyboard user does not have to Tab past every optional field to the button.
 */
export function onChoiceEnter(event) {
  const target = event.target;
  if (event.key !== 'Enter' || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
  if (!(target instanceof HTMLInputElement) || !['radio', 'checkbox'].includes(target.type)) return;
  event.preventDefault();
  if (step < STEPS.length - 1) next();
  else form.requestSubmit();
}

export function back() {
  showErrors([]);
  showStep(step - 1);
}

/** Forget everything she entered (after sending, keeping offline, or cancelling). */
export function finishForm() {
  form.reset();
  forgetMetooChoice();
  clearMetoo();
  resetWhere();
  resetWhen();
  resetWhat();
  showErrors([]);
  showStep(0, false);
}
