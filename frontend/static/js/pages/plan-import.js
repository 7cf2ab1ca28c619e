// The plan import page: the form goes to the import API as multipart; on success to the new
// draft's work page, on a refused file every problem with its row number, the form kept.
import { api, errorMessage } from '../lib/api.js';
import { $, el } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { wireStaffNav } from '../lib/staff-nav.js';

wireStaffNav();

const form = $('import-form');
const box = $('import-problems');

function problems(result) {
  const error = result.body?.error || {};
  const rows = Array.isArray(error.details) ? error.details.map(String) : [];
  const named = (error.fields || []).map((f) => `${f.field}: ${f.message}`);
  box.querySelector('.js-problem-summary').textContent = errorMessage(result, t('The file could not be imported. Try again.'));
  box.querySelector('.js-problem-list').replaceChildren(...(rows.length ? rows : named).map((text) => el('li', null, text)));
  box.hidden = false;
  box.focus();
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    const result = await api(form.action, { method: 'POST', body: new FormData(form) });
    if (result.status === 201) {
      window.location.assign(`/plans/${encodeURIComponent(result.body.plan)}/work`);
      return;
    }
    problems(result);
  } finally {
    button.disabled = false;
  }
});

document.body.dataset.ready = 'true';
