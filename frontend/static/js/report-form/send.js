// Sending a report (JSON, or multipart with photos) and reading the server's refusals as lines
// for the error box. The server explains refusals in English; other languages get a
// translated message for the kind of refusal (its code), with the field named in the page's
// language.
import { api } from '../lib/api.js';
import { locale, t } from '../lib/i18n.js';
import { FIELD_NAMES } from './errors.js';
import { outsideMessage } from './where.js';

const REFUSALS = {
  invalid_input: () => t('This was not accepted; please check it.'),
  payload_too_large: () => t('The photos are too large; please choose smaller ones.'),
  length_required: () => t('The report could not be sent; please try again.'),
  too_many_attempts: () => t('Too many attempts; please wait a few minutes and try again.'),
  intake_limit: () => t('Too many reports are being sent right now. Please wait a little and try again; nothing was stored.'),
  database_unavailable: () => t('The service is briefly unavailable. The report is kept on this phone and will be sent later.'),
  outcome_unknown: () => t('The connection was lost while saving. The report is kept on this phone and will be sent later.'),
};

/** Answers that mean "not now": keep the report on the phone and send it later. */
export function isTemporary(result) {
  return result.status === 0 || result.status === 502 || result.status === 503 || result.status === 504;
}

/** Seconds to wait before sending again, as the server asked (details.retry_after), else 30. */
export function retryDelay(result) {
  const error = (result.body && result.body.error) || {};
  const asked = error.details && Number(error.details.retry_after);
  return asked > 0 ? Math.min(asked, 3600) : 30;
}

/** POST the report: JSON, or multipart (field `report` + files `photos`) with photos. */
export function send(body, blobs) {
  if (!blobs || !blobs.length) return api('/api/v1/reports', { json: body });
  const data = new FormData();
  data.append('report', JSON.stringify(body));
  blobs.forEach((blob, i) => data.append('photos', blob, `photo-${i + 1}.jpg`));
  return api('/api/v1/reports', { method: 'POST', body: data });
}

function refusal(code, serverMessage) {
  if (locale === 'en' && serverMessage) return serverMessage;
  return (REFUSALS[code] || REFUSALS.invalid_input)();
}

/** The API's refusal as [{field, message}] for the error box. */
export function serverProblems(result) {
  const error = (result.body && result.body.error) || {};
  let fields = error.fields || [];
  if (!fields.length && error.field) fields = [{ field: error.field, message: error.message }];
  if (!fields.length) {
    const fallback = t('The report could not be sent; please try again.');
    return [{ field: null, message: error.code ? refusal(error.code, error.message) : fallback }];
  }
  return fields.map((f) => {
    const name = String(f.field || '').split('.')[0];
    const ours = FIELD_NAMES[name] ? FIELD_NAMES[name]() : f.field;
    if (error.code === 'outside_deployment_area') return { field: 'location', message: outsideMessage() };
    return { field: name, message: `${ours}: ${refusal(error.code, f.message)}` };
  });
}
