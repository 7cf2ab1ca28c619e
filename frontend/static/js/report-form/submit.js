// Sending the form: a new report (kept on the phone when there is no connection), or a "me
// too" for the report she chose. The server's refusals go back to the step they concern.
import { api } from '../lib/api.js';
import { config } from '../lib/config.js';
import { $ } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { aboutYouFields } from './about-you.js';
import { showErrors } from './errors.js';
import { metooChoice } from './metoo.js';
import { keepOffline } from './offline.js';
import { showResult } from './panel.js';
import { isTemporary, retryDelay, send, serverProblems } from './send.js';
import { finishForm, problems, showStep, stepOfField } from './steps.js';
import { photoBlobs, whatFields } from './what.js';
import { whenFields } from './when.js';
import { whereFields } from './where.js';

/** The report as the API takes it (POST /api/v1/reports). */
function payload() {
  const when = whenFields();
  const what = whatFields();
  const you = aboutYouFields();
  return {
    category: what.category,
    ...when,
    perceived_safety: what.perceived_safety,
    text: what.text,
    ...you,
    ...whereFields(),
  };
}

async function sendMetoo(target) {
  const you = aboutYouFields();
  const body = {
    consent: you.consent,
    consent_version: config.consent_version,
    reporter_gender: you.reporter_gender,
    reporter_age_band: you.reporter_age_band,
  };
  let result;
  try {
    result = await api(`/api/v1/reports/${encodeURIComponent(target.public_id)}/confirmations`, { json: body });
  } catch {
    showErrors([{ field: null, message: t('Could not connect; please try again.') }]);
    return;
  }
  if (result.status === 201) {
    finishForm();
    showResult('metoo', result.body);
  } else {
    showErrors(serverProblems(result));
  }
}

async function sendReport() {
  const body = payload();
  const blobs = photoBlobs();
  if (navigator.onLine === false) {
    await keepOffline(body, blobs);
    return;
  }
  let result;
  try {
    result = await send(body, blobs);
  } catch {
    await keepOffline(body, blobs, 30); // the network failed: keep it and send it later
    return;
  }
  if (result.status === 201 && result.body) {
    finishForm();
    showResult('sent', result.body);
  } else if (isTemporary(result)) {
    // The server cannot store it now (503): keep it, send it when the server says to.
    await keepOffline(body, blobs, retryDelay(result));
  } else {
    const list = serverProblems(result);
    const first = list.find((p) => p.field && stepOfField(p.field) >= 0);
    if (first) showStep(stepOfField(first.field), false);
    showErrors(list);
  }
}

/** The form's submit handler (the last step's button). */
export async function submitForm(event) {
  event.preventDefault();
  const found = problems('consent');
  if (found.length) {
    showErrors(found);
    return;
  }
  const button = $('submit-report');
  button.disabled = true;
  try {
    const target = metooChoice();
    if (target) await sendMetoo(target);
    else await sendReport();
  } finally {
    button.disabled = false;
  }
}
