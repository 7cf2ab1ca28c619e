// Staff accounts: the table, a new account, and the edit form for the role and the
// municipalities it is held in (checkboxes; none for a platform administrator).
import { api, errorMessage } from '../lib/api.js';
import { $, cell, el } from '../lib/dom.js';
import { formatDate, t } from '../lib/i18n.js';
import { ROLES, allMunicipalities, clearErrors, municipalityLabel, onMunicipalities, showErrors } from './shared.js';

let users = [];
let editing = null; // the account in the edit form
const say = (text) => { $('page-status').textContent = text; };

/** Draw one checkbox per municipality in `fieldset`, ticking `selected` (codes). */
function drawChecks(fieldset, municipalities, selected) {
  const boxes = municipalities.map((m) => el('label', { class: 'check' },
    el('input', { type: 'checkbox', value: m.code, checked: selected.includes(m.code) }),
    el('span', null, municipalityLabel(m))));
  fieldset.querySelector('.checks').replaceChildren(...boxes);
}

const chosen = (fieldset) => [...fieldset.querySelectorAll('input:checked')].map((box) => box.value);

/** An administrator holds no municipality: the boxes are off and say why. */
function followRole(select, fieldset) {
  const admin = select.value === 'admin';
  fieldset.disabled = admin;
  fieldset.querySelector('[data-admin-hint]').hidden = !admin;
}

function municipalitiesText(user) {
  if (user.role === 'admin') return t('all (platform administrator)');
  return user.municipalities.join(', ') || t('none: sees nothing');
}

function row(user) {
  const edit = el('button', {
    type: 'button',
    class: 'button button--small',
    'data-edit': user.email,
    'aria-label': t('Edit {email}', { email: user.email }),
    onclick: () => openEdit(user),
  }, t('Edit'));
  const toggle = el('button', {
    type: 'button',
    class: 'button button--small',
    onclick: () => update(user, { active: !user.active }),
  }, user.active ? t('Deactivate') : t('Reactivate'));
  const last = user.last_login_at ? formatDate(user.last_login_at, { dateStyle: 'medium', timeStyle: 'short' }) : '—';
  return el('tr', { 'data-email': user.email },
    cell(user.email), cell(ROLES[user.role] || user.role), cell(municipalitiesText(user)),
    cell(user.active ? t('yes') : t('no')), cell(last),
    el('td', { class: 'admin-actions' }, edit, toggle));
}

async function load() {
  const result = await api('/api/v1/admin/users');
  if (result.status !== 200) { say(errorMessage(result, t('Could not load the accounts.'))); return; }
  users = result.body;
  document.querySelector('#users tbody').replaceChildren(...users.map(row));
}

async function update(user, json) {
  const result = await api(`/api/v1/admin/users/${user.id}`, { method: 'PATCH', json });
  await load();
  say(result.status === 200 ? t('Saved: {email}', { email: user.email }) : errorMessage(result, t('Not saved.')));
}

function openEdit(user) {
  editing = user;
  const section = $('edit-user');
  section.hidden = false;
  clearErrors($('edit-user-error'), $('edit-user-form'));
  $('edit-user-title').textContent = t('Edit account: {email}', { email: user.email });
  $('edit-role').value = user.role;
  drawChecks($('edit-municipalities'), allMunicipalities(), user.municipalities);
  followRole($('edit-role'), $('edit-municipalities'));
  $('edit-user-title').focus();
}

function closeEdit() {
  const email = editing && editing.email;
  editing = null;
  $('edit-user').hidden = true;
  const button = email && document.querySelector(`#users button[data-edit="${CSS.escape(email)}"]`);
  if (button) button.focus();
}

async function saveEdit(event) {
  event.preventDefault();
  const box = $('edit-user-error');
  clearErrors(box, event.target);
  const role = $('edit-role').value;
  const json = { role, municipalities: role === 'admin' ? [] : chosen($('edit-municipalities')) };
  const result = await api(`/api/v1/admin/users/${editing.id}`, { method: 'PATCH', json });
  if (result.status !== 200) {
    showErrors(box, result, t('Not saved.'), { municipalities: $('edit-municipalities').querySelector('input'), role: $('edit-role') });
    return;
  }
  await load();
  closeEdit();
  say(t('Saved: {email}', { email: result.body.email }));
}

async function create(event) {
  event.preventDefault();
  const box = $('create-error');
  clearErrors(box, event.target);
  const role = $('new-role').value;
  const result = await api('/api/v1/admin/users', {
    json: {
      email: $('new-email').value.trim(),
      role,
      password: $('new-password').value,
      municipalities: role === 'admin' ? [] : chosen($('new-municipalities')),
    },
  });
  if (result.status === 201) {
    event.target.reset();
    drawChecks($('new-municipalities'), allMunicipalities(), []);
    followRole($('new-role'), $('new-municipalities'));
    await load();
    say(t('Account created: {email}', { email: result.body.email }));
    return;
  }
  showErrors(box, result, t('The account was not created.'), {
    email: $('new-email'),
    password: $('new-password'),
    municipalities: $('new-municipalities').querySelector('input'),
  });
}

/** Wire the accounts section and load the table. */
export function initAccounts() {
  onMunicipalities((municipalities) => {
    drawChecks($('new-municipalities'), municipalities, chosen($('new-municipalities')));
    if (editing) drawChecks($('edit-municipalities'), municipalities, chosen($('edit-municipalities')));
  });
  $('new-role').addEventListener('change', () => followRole($('new-role'), $('new-municipalities')));
  $('edit-role').addEventListener('change', () => followRole($('edit-role'), $('edit-municipalities')));
  $('create-form').addEventListener('submit', create);
  $('edit-user-form').addEventListener('submit', saveEdit);
  $('edit-user-cancel').addEventListener('click', closeEdit);
  followRole($('new-role'), $('new-municipalities'));
  load();
}
