// The responsibility table: who acts on which category group in which area, edited in place
// (responsible municipality, department, contact) row by row, or a row added or replaced.
import { api, errorMessage } from '../lib/api.js';
import { $, el } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import {
  DUTY_GROUPS, clearErrors, fillSelect, municipalityEntries, onMunicipalities, showErrors,
} from './shared.js';

const say = (text) => { $('duty-status').textContent = text; };
const url = (area, group) => `/api/v1/admin/responsibility/${encodeURIComponent(area)}/${encodeURIComponent(group)}`;
const groupName = (group) => DUTY_GROUPS[group] || group;

function input(type, value, label, maxlength) {
  return el('input', { type, value: value || '', 'aria-label': label, maxlength });
}

function row(duty) {
  const where = { group: groupName(duty.category_group), area: duty.area };
  const responsible = el('select', { 'aria-label': t('Responsible for {group} in {area}', where) });
  fillSelect(responsible, municipalityEntries(), duty.responsible);
  const department = input('text', duty.department, t('Department for {group} in {area}', where), 200);
  const contact = input('email', duty.contact_email, t('Contact e-mail for {group} in {area}', where), 254);
  const save = el('button', {
    type: 'button', class: 'button button--small button--primary',
    'aria-label': t('Save {group} in {area}', where),
    onclick: () => saveRow(duty, { responsible: responsible.value, department: department.value, contact_email: contact.value }),
  }, t('Save'));
  const remove = el('button', {
    type: 'button', class: 'button button--small',
    'aria-label': t('Remove {group} in {area}', where),
    onclick: () => removeRow(duty),
  }, t('Remove'));
  return el('tr', { 'data-area': duty.area, 'data-group': duty.category_group },
    el('th', { scope: 'row' }, duty.area), el('td', null, groupName(duty.category_group)),
    el('td', null, responsible), el('td', null, department), el('td', null, contact),
    el('td', { class: 'admin-actions' }, save, remove));
}

async function load() {
  const area = $('duty-filter').value;
  const result = await api(`/api/v1/admin/responsibility${area ? `?area=${encodeURIComponent(area)}` : ''}`);
  if (result.status !== 200) { say(errorMessage(result, t('Could not load the responsibility table.'))); return; }
  document.querySelector('#responsibility tbody').replaceChildren(...result.body.map(row));
}

async function saveRow(duty, json) {
  const result = await api(url(duty.area, duty.category_group), { method: 'PUT', json });
  const where = { group: groupName(duty.category_group), area: duty.area };
  if (result.status === 200) await load();
  say(result.status === 200 ? t('Saved: {group} in {area}', where) : errorMessage(result, t('Not saved.')));
}

async function removeRow(duty) {
  const result = await api(url(duty.area, duty.category_group), { method: 'DELETE' });
  const where = { group: groupName(duty.category_group), area: duty.area };
  if (result.status === 204) await load();
  say(result.status === 204 ? t('Removed: {group} in {area}', where) : errorMessage(result, t('Not removed.')));
}

async function add(event) {
  event.preventDefault();
  const box = $('duty-error');
  const f = event.target.elements;
  clearErrors(box, event.target);
  const result = await api(url(f.area.value, f.category_group.value), {
    method: 'PUT',
    json: { responsible: f.responsible.value, department: f.department.value, contact_email: f.contact_email.value },
  });
  if (result.status !== 200) {
    showErrors(box, result, t('Not saved.'), {
      area: f.area, category_group: f.category_group, responsible: f.responsible,
      department: f.department, contact_email: f.contact_email,
    });
    return;
  }
  f.department.value = '';
  f.contact_email.value = '';
  await load();
  say(t('Saved: {group} in {area}', { group: groupName(result.body.category_group), area: result.body.area }));
}

/** Wire the responsibility section (its choices follow every reload of the municipalities). */
export function initResponsibility() {
  fillSelect($('d-group'), Object.entries(DUTY_GROUPS));
  onMunicipalities(() => {
    const entries = municipalityEntries();
    fillSelect($('duty-filter'), [['', t('All areas')], ...entries]);
    fillSelect($('d-area'), entries);
    fillSelect($('d-responsible'), entries);
    if (entries.length) load();
  });
  $('duty-filter').addEventListener('change', load);
  $('duty-form').addEventListener('submit', add);
}
