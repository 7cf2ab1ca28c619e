// Municipalities: the table (with each one's own settings), a form that creates one or edits
// the one chosen, and deletion (refused by the server while it still has reports, mahalle,
// staff, or municipalities inside it; the answer says what).
import { api, errorMessage } from '../lib/api.js';
import { $, cell, el } from '../lib/dom.js';
import { formatNumber, t } from '../lib/i18n.js';
import {
  KINDS, allMunicipalities, clearErrors, fillSelect, loadMunicipalities, municipalityLabel, onMunicipalities, showErrors,
} from './shared.js';

const form = () => $('municipality-form');
let editing = null; // the municipality in the form, or null for a new one
const say = (text) => { $('municipality-status').textContent = text; };

function settingsText(m) {
  const parts = [];
  if (m.k_threshold) parts.push(t('threshold k = {k}', { k: m.k_threshold }));
  if (m.languages) parts.push(t('languages: {list}', { list: m.languages.join(', ') }));
  if (m.map_view) parts.push(t('map: {lat}, {lon}', { lat: m.map_view.lat, lon: m.map_view.lon }) + (m.map_view.zoom ? ` (z${m.map_view.zoom})` : ''));
  return parts.join('; ') || t("the deployment's");
}

function row(m) {
  const edit = el('button', {
    type: 'button', class: 'button button--small', 'data-edit': m.code,
    'aria-label': t('Edit {name}', { name: m.name }), onclick: () => openEdit(m),
  }, t('Edit'));
  const remove = el('button', {
    type: 'button', class: 'button button--small', 'aria-label': t('Delete {name}', { name: m.name }),
    onclick: () => removeMunicipality(m),
  }, t('Delete'));
  return el('tr', { 'data-code': m.code },
    cell(m.code), cell(m.name), cell(KINDS[m.kind] || m.kind), cell(m.parent || '—'),
    cell(formatNumber(m.mahalle)), cell(settingsText(m)),
    cell([m.contact_email, m.contact_phone, m.website].filter(Boolean).join(' · ')),
    el('td', { class: 'admin-actions' }, edit, remove));
}

function draw(municipalities) {
  document.querySelector('#municipalities tbody').replaceChildren(...municipalities.map(row));
  const others = municipalities.filter((m) => !editing || m.code !== editing.code);
  fillSelect($('m-parent'), [['', t('— none (top level) —')], ...others.map((m) => [m.code, municipalityLabel(m)])]);
}

const value = (name) => form().elements[name].value.trim();
const number = (name) => (value(name) === '' ? null : Number(value(name)));

/** The request body: on an edit, what was emptied is sent empty, so it is cleared. */
function body() {
  const json = {
    name: value('name'),
    kind: value('kind'),
    parent: value('parent'),
    contact_email: value('contact_email'),
    contact_phone: value('contact_phone'),
    website: value('website'),
    k_threshold: number('k_threshold'),
    languages: value('languages').split(/[\s,]+/).filter(Boolean).map((code) => code.toLowerCase()),
    map_view: number('lat') === null && number('lon') === null ? null
      : { lat: number('lat'), lon: number('lon'), zoom: number('zoom') },
  };
  if (!editing) {
    json.code = value('code');
    if (!json.parent) delete json.parent;
  }
  return json;
}

function openEdit(m) {
  editing = m;
  const f = form();
  clearErrors($('municipality-error'), f);
  draw(allMunicipalities());
  f.elements.code.value = m.code;
  f.elements.code.disabled = true;
  f.elements.name.value = m.name;
  f.elements.kind.value = m.kind;
  f.elements.parent.value = m.parent || '';
  f.elements.contact_email.value = m.contact_email || '';
  f.elements.contact_phone.value = m.contact_phone || '';
  f.elements.website.value = m.website || '';
  f.elements.k_threshold.value = m.k_threshold || '';
  f.elements.languages.value = (m.languages || []).join(', ');
  f.elements.lat.value = m.map_view ? m.map_view.lat : '';
  f.elements.lon.value = m.map_view ? m.map_view.lon : '';
  f.elements.zoom.value = m.map_view && m.map_view.zoom ? m.map_view.zoom : '';
  $('municipality-form-title').textContent = t('Edit municipality: {name}', { name: m.name });
  $('municipality-submit').textContent = t('Save changes');
  $('municipality-cancel').hidden = false;
  $('municipality-form-title').focus();
}

function reset(focusCode) {
  editing = null;
  form().reset();
  form().elements.code.disabled = false;
  form().elements.kind.value = 'district';
  clearErrors($('municipality-error'), form());
  $('municipality-form-title').textContent = t('New municipality');
  $('municipality-submit').textContent = t('Create municipality');
  $('municipality-cancel').hidden = true;
  draw(allMunicipalities());
  const button = focusCode && document.querySelector(`#municipalities button[data-edit="${CSS.escape(focusCode)}"]`);
  if (button) button.focus();
}

async function submit(event) {
  event.preventDefault();
  const box = $('municipality-error');
  clearErrors(box, form());
  const code = editing ? editing.code : null;
  const result = code
    ? await api(`/api/v1/admin/municipalities/${encodeURIComponent(code)}`, { method: 'PATCH', json: body() })
    : await api('/api/v1/admin/municipalities', { json: body() });
  if (result.status !== 200 && result.status !== 201) {
    const f = form().elements;
    showErrors(box, result, t('Not saved.'), {
      code: f.code, name: f.name, kind: f.kind, parent: f.parent, contact_email: f.contact_email,
      contact_phone: f.contact_phone, website: f.website, k_threshold: f.k_threshold,
      languages: f.languages, map_center_lat: f.lat, 'map_view.lat': f.lat, 'map_view.lon': f.lon,
      'map_view.zoom': f.zoom, map_zoom: f.zoom,
    });
    return;
  }
  await loadMunicipalities();
  reset(code);
  say(code ? t('Saved: {name}', { name: result.body.name }) : t('Municipality created: {name}', { name: result.body.name }));
}

async function removeMunicipality(m) {
  if (!window.confirm(t('Delete the municipality {name}? This cannot be undone.', { name: m.name }))) return;
  const result = await api(`/api/v1/admin/municipalities/${encodeURIComponent(m.code)}`, { method: 'DELETE' });
  if (result.status === 204) {
    if (editing && editing.code === m.code) reset();
    await loadMunicipalities();
  }
  say(result.status === 204 ? t('Deleted: {name}', { name: m.name }) : errorMessage(result, t('Not deleted.')));
}

/** Wire the municipalities section (its table follows every reload of the list). */
export function initMunicipalities() {
  fillSelect($('m-kind'), Object.entries(KINDS), 'district');
  onMunicipalities(draw);
  form().addEventListener('submit', submit);
  $('municipality-cancel').addEventListener('click', () => reset(editing && editing.code));
}
