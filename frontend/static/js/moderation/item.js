// One report in the moderation queue, from the #pending-item template: what she wrote and the
// public text, personal-data hints with one-click redaction, blurred photos, the edit lock,
// and the forms of every decision. The decisions themselves are the page's (`on`).
import { config } from '../lib/config.js';
import { $ } from '../lib/dom.js';
import { formatDate, localName, t, tn } from '../lib/i18n.js';
import { MUNICIPAL_STATUS, duty } from '../lib/municipal-status.js';
import { wireMerge } from './merge.js';

const TIME_BANDS = { day: t('Day'), evening: t('Evening'), night: t('Night') };
const HINT_KINDS = {
  phone: t('Phone number'),
  tc_kimlik: t('TC identity number'),
  plate: t('Vehicle plate'),
  email: t('E-mail address'),
  url: t('Web address'),
};

function meta(item) {
  const parts = [
    item.municipality_name || item.municipality,
    item.mahalle || t('outside any mahalle'),
    `${formatDate(item.occurred_on)} · ${TIME_BANDS[item.time_band] || item.time_band}`,
    t('Felt safe: {n} of 5', { n: item.perceived_safety }),
    t('Sent {when}', { when: formatDate(item.created_at, { dateStyle: 'medium', timeStyle: 'short' }) }),
  ];
  if (item.confirmations) parts.push(tn('{n} "me too"', '{n} "me too"s', item.confirmations));
  if (item.location_precision === 'mahalle') parts.push(t('Place described: {place}', { place: item.place_description || '' }));
  if (item.responsible) parts.push(t('Responsible: {name}', { name: duty(item.responsible) }));
  return parts.join(' · ');
}

function publicText(item) {
  return item.redacted_text !== null && item.redacted_text !== undefined ? item.redacted_text : item.text;
}

// One-click redaction: replace the hinted text in the text the public will read.
function redactedWith(item, hint) {
  const base = publicText(item);
  return base.includes(hint.text) ? base.replace(hint.text, hint.replacement) : base;
}

function openHints(item) {
  return item.hints.filter((h) => publicText(item).includes(h.text));
}

function renderHints(node, item, on) {
  const box = node.querySelector('.queue-item__hints');
  const ul = box.querySelector('.hint-list');
  const open = openHints(item);
  box.hidden = open.length === 0;
  open.forEach((hint) => {
    const li = document.createElement('li');
    const mark = document.createElement('mark');
    mark.textContent = hint.text;
    li.append(`${HINT_KINDS[hint.kind] || hint.kind}: `, mark, ' ');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button button--small js-redact';
    button.textContent = t('Redact as {placeholder}', { placeholder: hint.replacement });
    button.addEventListener('click', () => on.act(node, 'redact', { redacted_text: redactedWith(item, hint) }, t('Redacted'), false));
    li.append(button);
    ul.append(li);
  });
}

// Approval refused for personal data: redact them all, or publish anyway with a reason.
function wirePersonalData(node, item, on) {
  node.querySelector('.js-redact-all').addEventListener('click', () => {
    const text = openHints(item).reduce(
      (base, hint) => (base.includes(hint.text) ? base.replace(hint.text, hint.replacement) : base),
      publicText(item),
    );
    on.act(node, 'redact', { redacted_text: text }, t('Redacted'), false);
  });
  node.querySelector('.js-override').addEventListener('submit', (event) => {
    event.preventDefault();
    const field = event.target.elements.reason;
    const reason = field.value.trim();
    if (!reason) {
      field.setAttribute('aria-invalid', 'true');
      node.querySelector('.queue-item__status').textContent = t('Write why it may be published as it is.');
      field.focus();
      return;
    }
    field.removeAttribute('aria-invalid');
    on.act(node, 'approve', { override_pii: { reason } }, t('Approved despite personal data'), true);
  });
}

/** Show why approval was refused (`kinds` of personal data) and focus the way out. */
export function showPersonalData(node, kinds, { focus = true } = {}) {
  const box = node.querySelector('.queue-item__pii');
  const names = kinds.map((k) => HINT_KINDS[k] || k).join(', ');
  box.querySelector('.queue-item__pii-message').textContent = t(
    'Not approved: the text the public would read may contain personal data ({kinds}). Redact it, or publish it anyway with a reason.',
    { kinds: names },
  );
  node.querySelector('.js-redact-all').hidden = !node.querySelector('.hint-list li');
  box.hidden = false;
  if (focus) box.focus();
}

function renderPhotos(node, item) {
  const box = node.querySelector('.queue-item__photos');
  box.hidden = !item.photos.length;
  const row = box.querySelector('.photo-row');
  item.photos.forEach((url, i) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'photo photo--blurred';
    button.setAttribute('aria-pressed', 'false');
    button.setAttribute('aria-label', t('Photo {n}: show', { n: i + 1 }));
    const img = document.createElement('img');
    img.src = url;
    img.alt = t('Photo {n} of the report', { n: i + 1 });
    img.loading = 'lazy';
    button.append(img);
    button.addEventListener('click', () => {
      const shown = button.classList.toggle('photo--blurred') === false;
      button.setAttribute('aria-pressed', String(shown));
      button.setAttribute('aria-label', shown ? t('Photo {n}: blur again', { n: i + 1 }) : t('Photo {n}: show', { n: i + 1 }));
    });
    row.append(button);
  });
}

function renderLock(node, item) {
  if (!item.locked_by) return;
  const lock = node.querySelector('.queue-item__lock');
  lock.hidden = false;
  const mine = config.user && item.locked_by === config.user.email;
  const time = formatDate(item.locked_until, { timeStyle: 'short' });
  lock.textContent = mine
    ? t('You are editing this report (until {time}).', { time })
    : t('{who} is working on this report (until {time}).', { who: item.locked_by, time });
  node.querySelector('.js-lock').textContent = mine ? t('Release lock') : t('Edit (lock)');
  node.dataset.lockedByMe = mine ? '1' : '';
}

function wireDecisions(node, item, on) {
  const approve = node.querySelector('.js-approve');
  approve.hidden = item.status === 'published';
  approve.addEventListener('click', () => on.act(node, 'approve', null, t('Approved'), true));
  const hide = node.querySelector('.js-hide');
  hide.hidden = item.status !== 'published';
  hide.addEventListener('click', () => on.act(node, 'hide', {}, t('Hidden from the map'), true));
  node.querySelector('.reject-form').hidden = item.status !== 'pending';
  node.querySelector('.reject-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.target;
    const note = form.elements.note.value.trim();
    if (!form.elements.reason.value) {
      form.elements.reason.setAttribute('aria-invalid', 'true');
      node.querySelector('.queue-item__status').textContent = t('Choose the reason for rejecting it.');
      form.elements.reason.focus();
      return;
    }
    form.elements.reason.removeAttribute('aria-invalid');
    on.act(node, 'reject', { reason: form.elements.reason.value, note: note || null }, t('Rejected'), true);
  });
  node.querySelector('.js-lock').addEventListener('click', () => on.lock(node));
}

function wireEdits(node, item, on, categories) {
  const categorySelect = node.querySelector('.js-category select');
  categories.forEach((c) => {
    categorySelect.append(new Option(localName(c.labels, c.code), c.code, false, c.code === item.category));
  });
  node.querySelector('.js-category').addEventListener('submit', (event) => {
    event.preventDefault();
    on.act(node, 'category', { category: categorySelect.value }, t('Category changed'), false);
  });
  node.querySelector('.js-edit-text').addEventListener('submit', (event) => {
    event.preventDefault();
    on.act(node, 'redact', { redacted_text: event.target.elements.text.value }, t('Public text saved'), false);
  });
  const move = node.querySelector('.js-move');
  move.hidden = !item.location;
  move.addEventListener('click', () => on.move(node));
  wireMerge(node, item, on);
  node.querySelector('.js-note').addEventListener('submit', (event) => {
    event.preventDefault();
    on.act(node, 'notes', { body: event.target.elements.body.value.trim() }, t('Note added'), false);
  });
  const municipal = node.querySelector('.js-municipal');
  municipal.hidden = !item.municipal_eligible; // the server's one rule (services/municipal.py)
  if (!municipal.hidden) {
    const state = node.querySelector('.queue-item__meta');
    state.textContent += ' · ' + t('Municipality: {status}', { status: MUNICIPAL_STATUS[item.municipal_status] || item.municipal_status });
  }
  municipal.addEventListener('submit', (event) => {
    event.preventDefault();
    const f = event.target.elements;
    on.municipal(node, { status: f.status.value, note: f.note.value.trim(), department: f.department.value.trim() || null });
  });
}

/**
 * The queue item of `item`. `on` holds the page's decisions: act(node, action, json, done,
 * removes), lock(node), select(id, on), move(node), show(node), focus(node), municipal(node, json).
 */
export function renderItem(item, { categories, selected, on }) {
  const node = $('pending-item').content.firstElementChild.cloneNode(true);
  node.dataset.publicId = item.public_id;
  node.dataset.status = item.status;
  node.querySelector('.queue-item__category').textContent =
    `${localName(item.category_labels, item.category)} · ${item.public_id}`;
  node.querySelector('.queue-item__sensitive').hidden = !item.sensitive;
  if (item.sensitive) node.classList.add('queue-item--sensitive');
  node.querySelector('.queue-item__meta').textContent = meta(item);
  renderLock(node, item);
  const text = node.querySelector('.queue-item__text');
  text.textContent = item.text || t('(no text)');
  const redacted = item.redacted_text !== null && item.redacted_text !== undefined;
  node.querySelector('.queue-item__published').hidden = !redacted;
  node.querySelector('.queue-item__redacted').textContent = redacted ? item.redacted_text : '';
  node.querySelector('.js-edit-text textarea').value = redacted ? item.redacted_text : item.text;
  renderHints(node, item, on);
  wirePersonalData(node, item, on);
  renderPhotos(node, item);

  const select = node.querySelector('.js-select');
  select.checked = selected.has(item.public_id);
  select.setAttribute('aria-label', t('Select report {id}', { id: item.public_id }));
  select.addEventListener('change', () => on.select(item.public_id, select.checked));

  wireDecisions(node, item, on);
  wireEdits(node, item, on, categories);
  const show = node.querySelector('.js-show');
  if (item.location) show.addEventListener('click', () => on.show(node));
  else show.hidden = true;
  node.addEventListener('focusin', () => on.focus(node));
  return node;
}
