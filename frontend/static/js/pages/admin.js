// Administrators: list staff accounts, create one, change a role, deactivate / reactivate.
import { api, errorMessage } from '../lib/api.js';
import { $, cell } from '../lib/dom.js';
import { formatDate, t } from '../lib/i18n.js';
import { wireStaffNav } from '../lib/staff-nav.js';

const ROLES = { moderator: t('moderator'), planner: t('planner'), admin: t('admin') };
const say = (text) => { $('page-status').textContent = text; };

function row(user) {
  const tr = document.createElement('tr');
  tr.dataset.email = user.email;
  tr.append(cell(user.email));
  const roleCell = document.createElement('td');
  const select = document.createElement('select');
  select.setAttribute('aria-label', t('Role of {email}', { email: user.email }));
  Object.entries(ROLES).forEach(([value, text]) => select.append(new Option(text, value, false, value === user.role)));
  select.addEventListener('change', () => update(user, { role: select.value }));
  roleCell.append(select);
  tr.append(roleCell);
  tr.append(cell(user.active ? t('yes') : t('no')));
  tr.append(cell(user.last_login_at ? formatDate(user.last_login_at, { dateStyle: 'medium', timeStyle: 'short' }) : '—'));
  const actions = document.createElement('td');
  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.className = 'button button--small';
  toggle.textContent = user.active ? t('Deactivate') : t('Reactivate');
  toggle.addEventListener('click', () => update(user, { active: !user.active }));
  actions.append(toggle);
  tr.append(actions);
  return tr;
}

async function load() {
  const result = await api('/api/v1/admin/users');
  if (result.status !== 200) { say(errorMessage(result, t('Could not load the accounts.'))); return; }
  document.querySelector('#users tbody').replaceChildren(...result.body.map(row));
}

async function update(user, json) {
  const result = await api(`/api/v1/admin/users/${user.id}`, { method: 'PATCH', json });
  say(result.status === 200 ? t('Saved: {email}', { email: user.email }) : errorMessage(result, t('Not saved.')));
  await load();
}

$('create-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('create-error').textContent = '';
  const result = await api('/api/v1/admin/users', {
    json: { email: $('new-email').value.trim(), role: $('new-role').value, password: $('new-password').value },
  });
  if (result.status === 201) {
    event.target.reset();
    say(t('Account created: {email}', { email: result.body.email }));
    await load();
  } else {
    $('create-error').textContent = errorMessage(result, t('The account was not created.'));
  }
});

wireStaffNav();
load();
