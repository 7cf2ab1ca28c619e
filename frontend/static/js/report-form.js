// The "report a place" flow on the public map: when, where (pin, phone position or a mahalle
// from a list), what (category, "me too", safety, text, photos), about you and consent; then
// the tracking code, the nearest services and the emergency numbers. Its parts are in
// report-form/. Reports made offline go to the outbox and are sent when the connection
// returns. Nothing is kept on the device once a report is sent: no localStorage, no
// sessionStorage, no cookie, and the outbox entry is removed.
import { $ } from './lib/dom.js';
import { showErrors } from './report-form/errors.js';
import { forgetMetooChoice, onMetooChosen } from './report-form/metoo.js';
import { wireOutbox } from './report-form/offline.js';
import { closePanel, openPanel } from './report-form/panel.js';
import { wireResult } from './report-form/result.js';
import { STEPS, back, currentStep, next, onChoiceEnter, showStep } from './report-form/steps.js';
import { submitForm } from './report-form/submit.js';
import { offerMetoo, resetWhat, wireWhat } from './report-form/what.js';
import { resetWhen, wireWhen } from './report-form/when.js';
import { wireWhere } from './report-form/where.js';

/** Wire the flow to the public map `view` (map/public-map.js) and send what waits offline. */
export function startReportForm(view) {
  wireWhen();
  wireWhere(view, () => currentStep() === 'place', offerMetoo);
  wireWhat();
  wireResult();

  onMetooChosen(() => {
    showErrors([]);
    showStep(STEPS.indexOf('consent'));
  });
  $('metoo-cancel').addEventListener('click', () => {
    forgetMetooChoice();
    showStep(STEPS.indexOf('what'));
  });

  $('open-report').addEventListener('click', () => {
    openPanel();
    showStep(0, false);
  });
  $('cancel-report').addEventListener('click', closePanel);
  $('done-close').addEventListener('click', closePanel);
  $('step-next').addEventListener('click', next);
  $('step-back').addEventListener('click', back);
  $('report-form').addEventListener('submit', submitForm);
  $('report-form').addEventListener('keydown', onChoiceEnter);

  resetWhen();
  resetWhat();
  showStep(0, false);
  wireOutbox();
}
