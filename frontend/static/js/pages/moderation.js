// The moderation queue: filters, exact locations on a small map, personal-data hints with
// one-click redaction, blurred photos, edit locks, keyboard shortcuts and bulk decisions.
// Everything comes from the authenticated JSON API (the session is an HttpOnly cookie).
import { apiOrOffline, errorMessage } from '../lib/api.js';
import { $ } from '../lib/dom.js';
import { formatDate, formatNumber, localName, t, tn } from '../lib/i18n.js';
import { wireStaffNav } from '../lib/staff-nav.js';
import { renderItem, showPersonalData } from '../moderation/item.js';
import { clearMarkers, ensureMap, fitMarkers, focusMap, placeMarker, startMoving } from '../moderation/preview-map.js';

const status = $('page-status');
const list = $('pending-list');
const selected = new Set();
let categories = [];
let nodes = [];
let current = -1;

function say(text) { status.textContent = text; }
function errorOf(result, fallback) {
  // Another moderator's edit lock is the common refusal: say it in the page's language.
  const details = result.body && result.body.error && result.body.error.details;
  if (result.status === 409 && details && details.locked_by) {
    const time = formatDate(details.locked_until, { timeStyle: 'short' });
    return t('{who} is working on this report (until {time}).', { who: details.locked_by, time });
  }
  if (result.status === 409 && details && 'same_group' in details) {
    // A merge that needs a reason (services/moderation/merges.py): why, in her language.
    const m = formatNumber(Math.round(details.distance_m));
    if (!details.same_group && details.distance_m > 500) {
      return t('These reports are in different category groups and {m} m apart: write why they are the same.', { m });
    }
    if (!details.same_group) return t('These reports are in different category groups: write why they are the same.');
    return t('These reports are {m} m apart (more than 500 m): write why they are the same.', { m });
  }
  return errorMessage(result, fallback);
}

function queryString() {
  const params = new URLSearchParams();
  params.set('status', $('filter-status').value);
  if ($('filter-category').value) params.set('category', $('filter-category').value);
  if ($('filter-mahalle').value) params.set('mahalle_id', $('filter-mahalle').value);
  const [low, high] = ($('filter-age').value || '-').split('-');
  if (low) params.set('min_age_hours', low);
  if (high) params.set('max_age_hours', high);
  if ($('filter-order').value === 'newest') params.set('newest_first', 'true');
  params.set('limit', '100');
  return params.toString();
}

function markCurrent(move) {
  nodes.forEach((n, i) => {
    n.classList.toggle('queue-item--current', i === current);
    if (i === current) n.setAttribute('aria-current', 'true');
    else n.removeAttribute('aria-current');
  });
  const node = nodes[current];
  if (node && move) {
    node.focus();
    node.scrollIntoView({ block: 'nearest' });
  }
  if (node) focusMap(node);
}

function updateSelection() {
  if (selected.size) $('queue-tools').open = true; // the bulk buttons must be in reach
  $('selected-count').textContent = selected.size ? tn('{n} selected', '{n} selected', selected.size) : '';
  $('bulk-approve').disabled = selected.size === 0;
  $('bulk-reject').disabled = selected.size === 0;
  $('select-all').checked = nodes.length > 0 && selected.size === nodes.length;
}

function toggleSelected(id, on) {
  if (on) selected.add(id); else selected.delete(id);
  updateSelection();
}

// What a queue item's buttons and forms do (moderation/item.js).
const decisions = {
  act,
  lock: toggleLock,
  select: toggleSelected,
  show: focusMap,
  focus(node) {
    current = nodes.indexOf(node);
    markCurrent(false);
  },
  move(node) {
    startMoving(node);
    say(t('Click the new place of report {id} on the map.', { id: node.dataset.publicId }));
    $('preview-map').scrollIntoView({ block: 'nearest' });
  },
  async municipal(node, json) {
    const id = encodeURIComponent(node.dataset.publicId);
    const result = await apiOrOffline(`/api/v1/municipal/reports/${id}/status`, { json });
    report(node, result, t('Municipal response recorded'), false);
  },
};

// The mahalle filter lists the mahalle that have reports in the chosen status, with counts.
async function loadMahalle() {
  const selectBox = $('filter-mahalle');
  const chosen = selectBox.value;
  const result = await apiOrOffline(`/api/v1/moderation/mahalle?status=${encodeURIComponent($('filter-status').value)}`);
  if (result.status !== 200 || !Array.isArray(result.body)) return;
  const options = result.body.map((m) => new Option(`${m.name} (${m.district}) · ${formatNumber(m.reports)}`, String(m.id)));
  selectBox.replaceChildren(selectBox.options[0], ...options);
  selectBox.value = result.body.some((m) => String(m.id) === chosen) ? chosen : '';
}

async function loadQueue(keepId, done) {
  ensureMap((node, { lat, lng }) => act(node, 'location', { location: { lon: lng, lat } }, t('Point moved'), false));
  say(t('Loading…'));
  const result = await apiOrOffline(`/api/v1/moderation/reports?${queryString()}`);
  if (result.status === 401) { window.location.assign('/login?next=/moderation'); return; }
  if (result.status !== 200 || !result.body) { say(errorOf(result, t('Could not load the queue.'))); return; }
  clearMarkers();
  const items = result.body.items || [];
  nodes = items.map((item) => {
    const node = renderItem(item, { categories, selected, on: decisions });
    if (item.location) placeMarker(node, item);
    return node;
  });
  list.replaceChildren(...nodes);
  const ids = new Set(items.map((i) => i.public_id));
  [...selected].forEach((id) => { if (!ids.has(id)) selected.delete(id); });
  updateSelection();
  $('queue-total').textContent = formatNumber(result.body.total ?? items.length);
  fitMarkers();
  current = keepId ? nodes.findIndex((n) => n.dataset.publicId === keepId) : -1;
  if (current >= 0) markCurrent(true);
  say(done || (items.length ? '' : t('No reports here.')));
}

function removeNode(node) {
  const i = nodes.indexOf(node);
  if (node.marker) node.marker.remove();
  selected.delete(node.dataset.publicId);
  node.remove();
  nodes.splice(i, 1);
  $('queue-total').textContent = formatNumber(Math.max(0, nodes.length));
  if (current >= nodes.length) current = nodes.length - 1;
  if (nodes.length) markCurrent(true);
  updateSelection();
}

function report(node, result, done, removes) {
  const id = node.dataset.publicId;
  if (result.status === 401) { window.location.assign('/login?next=/moderation'); return false; }
  if (result.status >= 200 && result.status < 300) {
    if (removes) {
      say(`${done}: ${id}`);
      removeNode(node);
    } else {
      loadQueue(id, `${done}: ${id}`);
    }
    return true;
  }
  node.querySelectorAll('button').forEach((b) => { b.disabled = false; });
  const error = result.body && result.body.error;
  if (result.status === 409 && error && error.code === 'personal_data_hints') {
    showPersonalData(node, (error.details && error.details.hint_kinds) || []);
    return false;
  }
  node.querySelector('.queue-item__status').textContent = errorOf(result, t('The action failed.'));
  return false;
}

async function act(node, action, json, done, removes) {
  node.querySelectorAll('button').forEach((b) => { b.disabled = true; });
  node.querySelector('.queue-item__status').textContent = '';
  const id = encodeURIComponent(node.dataset.publicId);
  const options = json === null ? { method: 'POST' } : { json };
  const result = await apiOrOffline(`/api/v1/moderation/reports/${id}/${action}`, options);
  return report(node, result, done, removes);
}

async function toggleLock(node) {
  const id = encodeURIComponent(node.dataset.publicId);
  const mine = node.dataset.lockedByMe === '1';
  const result = await apiOrOffline(`/api/v1/moderation/reports/${id}/lock`, { method: mine ? 'DELETE' : 'POST' });
  report(node, result, mine ? t('Lock released') : t('Locked for you'), false);
}

async function bulk(action) {
  const ids = [...selected];
  if (!ids.length) return;
  const json = { action, public_ids: ids };
  if (action === 'reject') {
    json.reason = $('bulk-reason').value;
    if (!json.reason) {
      say(t('Choose the reason for rejecting it.'));
      $('bulk-reason').focus();
      return;
    }
  }
  say(t('Working…'));
  const result = await apiOrOffline('/api/v1/moderation/bulk', { json });
  if (result.status !== 200 || !result.body) { say(errorOf(result, t('The action failed.'))); return; }
  selected.clear();
  await loadQueue();
  const flagged = new Set(result.body.personal_data || []);
  const failed = result.body.items.filter((i) => !i.ok && !flagged.has(i.public_id));
  let text = tn('{n} report done.', '{n} reports done.', result.body.succeeded);
  if (flagged.size) text += ' ' + t('Skipped for personal data (redact, or approve one by one with a reason): {list}', { list: [...flagged].join(', ') });
  if (failed.length) text += ' ' + t('Not done: {list}', { list: failed.map((i) => `${i.public_id} (${i.message})`).join('; ') });
  say(text);
  nodes.filter((n) => flagged.has(n.dataset.publicId)).forEach((n) => {
    const item = result.body.items.find((i) => i.public_id === n.dataset.publicId);
    showPersonalData(n, item.hint_kinds || [], { focus: false });
  });
}

// Keyboard: j/k move, a approve, r reject, e lock, x select, ? help.
function shortcut(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest('input, textarea, select, dialog[open]')) return;
  const node = nodes[current];
  switch (event.key) {
    case 'j':
      if (nodes.length) { current = Math.min(nodes.length - 1, current + 1); markCurrent(true); }
      break;
    case 'k':
      if (nodes.length) { current = Math.max(0, current - 1); markCurrent(true); }
      break;
    case 'a':
      if (node && !node.querySelector('.js-approve').hidden) act(node, 'approve', null, t('Approved'), true);
      break;
    case 'r':
      if (node && !node.querySelector('.reject-form').hidden) node.querySelector('.reject-form select').focus();
      break;
    case 'e':
      if (node) toggleLock(node);
      break;
    case 'x':
      if (node) {
        const box = node.querySelector('.js-select');
        box.checked = !box.checked;
        toggleSelected(node.dataset.publicId, box.checked);
      }
      break;
    case '?':
      $('help').showModal();
      break;
    default:
      return;
  }
  event.preventDefault();
}

document.addEventListener('keydown', shortcut);
// Filters and bulk actions are open on a desk, folded away on a phone.
$('queue-tools').open = window.matchMedia('(min-width: 48rem)').matches;
$('help-open').addEventListener('click', () => $('help').showModal());
$('help-close').addEventListener('click', () => $('help').close());
$('select-all').addEventListener('change', (event) => {
  nodes.forEach((n) => {
    n.querySelector('.js-select').checked = event.target.checked;
    if (event.target.checked) selected.add(n.dataset.publicId); else selected.delete(n.dataset.publicId);
  });
  updateSelection();
});
$('bulk-approve').addEventListener('click', () => bulk('approve'));
$('bulk-reject').addEventListener('click', () => bulk('reject'));
$('filters').addEventListener('change', async (event) => {
  if (event.target.id === 'filter-status') await loadMahalle();
  await loadQueue();
});
$('filters').addEventListener('submit', (event) => event.preventDefault());
wireStaffNav();

(async function start() {
  const result = await apiOrOffline('/api/v1/categories');
  categories = result.status === 200 && Array.isArray(result.body) ? result.body : [];
  const filter = $('filter-category');
  categories.forEach((c) => filter.append(new Option(localName(c.labels, c.code), c.code)));
  await loadMahalle();
  await loadQueue();
})();
