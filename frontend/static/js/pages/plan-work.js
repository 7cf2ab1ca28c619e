// The plan's staff page: each form calls the monitoring API; the server decides who may do
// what again. After a change the page is reloaded in place (one history entry: quick exit).
import { t } from '../lib/i18n.js';
import { wireStaffNav } from '../lib/staff-nav.js';
import { call, done, fields } from '../plans/forms.js';
import { wirePlanSection } from '../plans/plan-section.js';

wireStaffNav();

const plan = document.querySelector('[data-plan]')?.dataset.plan;
const base = `/api/v1/plans/${encodeURIComponent(plan || '')}`;

for (const form of document.querySelectorAll('.js-update')) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const then = event.submitter?.value || 'draft';
    const json = fields(form, ['progress', 'budget_spent_try', 'beneficiaries_women', 'beneficiaries_men', 'beneficiaries_other']);
    const item = json.item;
    delete json.item;
    const created = await call(form, `${base}/items/${encodeURIComponent(item)}/updates`, json, 201);
    if (!created) return;
    if (then === 'submit') {
      await call(form, `/api/v1/updates/${created.id}/submit`, {}, 200, t('Sent for review.'));
    } else {
      done(t('Saved as a draft.'));
    }
  });
}

for (const button of document.querySelectorAll('.js-submit-update')) {
  button.addEventListener('click', () => call(button.parentElement, `/api/v1/updates/${button.dataset.update}/submit`, {}, 200, t('Sent for review.')));
}

for (const form of document.querySelectorAll('.js-observation')) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const json = fields(form, ['value']);
    const indicator = json.indicator;
    delete json.indicator;
    call(form, `${base}/indicators/${encodeURIComponent(indicator)}/observations`, json, 201, t('Value saved.'));
  });
}

for (const item of document.querySelectorAll('.js-review')) {
  for (const button of item.querySelectorAll('[data-decision]')) {
    button.addEventListener('click', () => {
      const note = item.querySelector('[name=note]').value.trim();
      const json = note ? { note } : {};
      call(item, `/api/v1/updates/${item.dataset.update}/${button.dataset.decision}`, json, 200, t('Review recorded.'));
    });
  }
}

for (const button of document.querySelectorAll('.js-period')) {
  button.addEventListener('click', () => call(
    button.closest('section'),
    `${base}/periods/${encodeURIComponent(button.dataset.period)}/state`,
    { state: button.dataset.state },
    200,
    t('Period moved on.'),
  ));
}

for (const form of document.querySelectorAll('.js-assessment')) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const then = event.submitter?.value || 'draft';
    const created = await call(form, `${base}/assessments`, fields(form, []), 201);
    if (!created) return;
    if (then === 'publish') {
      await call(form, `/api/v1/assessments/${created.id}/publish`, {}, 200, t('Assessment published.'));
    } else {
      done(t('Saved as a draft.'));
    }
  });
}

for (const button of document.querySelectorAll('.js-publish')) {
  button.addEventListener('click', () => call(button.closest('section'), `/api/v1/assessments/${button.dataset.assessment}/publish`, {}, 200, t('Assessment published.')));
}

for (const item of document.querySelectorAll('.js-answer')) {
  item.querySelector('button').addEventListener('click', () => {
    const text = item.querySelector('[name=municipal_response]').value.trim();
    call(item, `/api/v1/assessments/${item.dataset.assessment}/response`, { municipal_response: text }, 200, t('Response published.'));
  });
}

wirePlanSection(base);

document.body.dataset.ready = 'true';
