// The moderation queue: filters, exact locations on a small map, personal-data hints with
// one-click redaction, blurred photos, edit locks, keyboard shortcuts and bulk decisions.
// Everything comes from the authenticated JSON API (the session is an HttpOnly cookie).
(function () {
  'use strict';

  const config = JSON.parse(document.getElementById('config').textContent);
  const $ = (id) => document.getElementById(id);
  const { api, t, tn, formatDate, formatNumber } = window.MH;
  const lang = window.MH.locale === 'en' ? 'en' : 'tr';
  const TIME_BANDS = { day: t('Day'), evening: t('Evening'), night: t('Night') };
  const MUNICIPAL = {
    none: t('not forwarded'),
    forwarded: t('forwarded'),
    in_progress: t('in progress'),
    resolved: t('resolved'),
    declined: t('declined'),
  };
  const HINT_KINDS = {
    phone: t('Phone number'),
    tc_kimlik: t('TC identity number'),
    plate: t('Vehicle plate'),
    email: t('E-mail address'),
    url: t('Web address'),
  };

  const status = $('page-status');
  const list = $('pending-list');
  const selected = new Set();
  let categories = [];
  let nodes = [];
  let current = -1;
  let map = null;
  let markers = null;
  let moving = null; // the report whose point the next map click moves

  function say(text) { status.textContent = text; }
  function errorOf(result, fallback) {
    // Another moderator's edit lock is the common refusal: say it in the page's language.
    const details = result.body && result.body.error && result.body.error.details;
    if (result.status === 409 && details && details.locked_by) {
      const time = formatDate(details.locked_until, { timeStyle: 'short' });
      return t('{who} is working on this report (until {time}).', { who: details.locked_by, time });
    }
    return window.MH.errorMessage(result, fallback);
  }

  function ensureMap() {
    if (map) return;
    map = L.map('preview-map', { center: config.center, zoom: config.zoom });
    if (config.tile_url) {
      L.tileLayer(config.tile_url, { attribution: config.tile_attribution, maxZoom: 19 }).addTo(map);
    }
    map.attributionControl.addAttribution(config.osm_attribution);
    markers = L.layerGroup().addTo(map);
    map.on('click', (event) => {
      if (!moving) return;
      const node = moving;
      moving = null;
      document.getElementById('preview-map').classList.remove('is-moving');
      const { lat, lng } = event.latlng;
      act(node, 'location', { location: { lon: lng, lat } }, t('Point moved'), false);
    });
  }

  function label(labels, fallback) {
    return (labels && (labels[lang] || labels.tr)) || fallback;
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

  function meta(item) {
    const parts = [
      item.mahalle || t('outside any mahalle'),
      `${formatDate(item.occurred_on)} · ${TIME_BANDS[item.time_band] || item.time_band}`,
      t('Felt safe: {n} of 5', { n: item.perceived_safety }),
      t('Sent {when}', { when: formatDate(item.created_at, { dateStyle: 'medium', timeStyle: 'short' }) }),
    ];
    if (item.confirmations) parts.push(tn('{n} "me too"', '{n} "me too"s', item.confirmations));
    if (item.location_precision === 'mahalle') parts.push(t('Place described: {place}', { place: item.place_description || '' }));
    return parts.join(' · ');
  }

  // One-click redaction: replace the hinted text in the text the public will read.
  function redactedWith(item, hint) {
    const base = item.redacted_text !== null && item.redacted_text !== undefined ? item.redacted_text : item.text;
    return base.includes(hint.text) ? base.replace(hint.text, hint.replacement) : base;
  }

  function renderHints(node, item) {
    const box = node.querySelector('.queue-item__hints');
    const ul = box.querySelector('.hint-list');
    const publicText = item.redacted_text !== null && item.redacted_text !== undefined ? item.redacted_text : item.text;
    const open = item.hints.filter((h) => publicText.includes(h.text));
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
      button.addEventListener('click', () => act(node, 'redact', { redacted_text: redactedWith(item, hint) }, t('Redacted'), false));
      li.append(button);
      ul.append(li);
    });
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

  function renderItem(item) {
    const node = $('pending-item').content.firstElementChild.cloneNode(true);
    node.dataset.publicId = item.public_id;
    node.dataset.status = item.status;
    node.querySelector('.queue-item__category').textContent =
      `${label(item.category_labels, item.category)} · ${item.public_id}`;
    node.querySelector('.queue-item__sensitive').hidden = !item.sensitive;
    if (item.sensitive) node.classList.add('queue-item--sensitive');
    node.querySelector('.queue-item__meta').textContent = meta(item);
    const lock = node.querySelector('.queue-item__lock');
    if (item.locked_by) {
      lock.hidden = false;
      const mine = config.user && item.locked_by === config.user.email;
      lock.textContent = mine
        ? t('You are editing this report (until {time}).', { time: formatDate(item.locked_until, { timeStyle: 'short' }) })
        : t('{who} is working on this report (until {time}).', { who: item.locked_by, time: formatDate(item.locked_until, { timeStyle: 'short' }) });
      node.querySelector('.js-lock').textContent = mine ? t('Release lock') : t('Edit (lock)');
      node.dataset.lockedByMe = mine ? '1' : '';
    }
    const text = node.querySelector('.queue-item__text');
    text.textContent = item.text || t('(no text)');
    const redacted = item.redacted_text !== null && item.redacted_text !== undefined;
    node.querySelector('.queue-item__published').hidden = !redacted;
    node.querySelector('.queue-item__redacted').textContent = redacted ? item.redacted_text : '';
    node.querySelector('.js-edit-text textarea').value = redacted ? item.redacted_text : item.text;
    renderHints(node, item);
    renderPhotos(node, item);

    const select = node.querySelector('.js-select');
    select.checked = selected.has(item.public_id);
    select.setAttribute('aria-label', t('Select report {id}', { id: item.public_id }));
    select.addEventListener('change', () => toggleSelected(item.public_id, select.checked));

    const approve = node.querySelector('.js-approve');
    approve.hidden = item.status === 'published';
    approve.addEventListener('click', () => act(node, 'approve', null, t('Approved'), true));
    const hide = node.querySelector('.js-hide');
    hide.hidden = item.status !== 'published';
    hide.addEventListener('click', () => act(node, 'hide', {}, t('Hidden from the map'), true));
    node.querySelector('.reject-form').hidden = item.status !== 'pending';
    node.querySelector('.reject-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const form = event.target;
      const note = form.elements.note.value.trim();
      act(node, 'reject', { reason: form.elements.reason.value, note: note || null }, t('Rejected'), true);
    });
    node.querySelector('.js-lock').addEventListener('click', () => toggleLock(node));

    const categorySelect = node.querySelector('.js-category select');
    categories.forEach((c) => {
      const option = new Option(label(c.labels, c.code), c.code, false, c.code === item.category);
      categorySelect.append(option);
    });
    node.querySelector('.js-category').addEventListener('submit', (event) => {
      event.preventDefault();
      act(node, 'category', { category: categorySelect.value }, t('Category changed'), false);
    });
    node.querySelector('.js-edit-text').addEventListener('submit', (event) => {
      event.preventDefault();
      act(node, 'redact', { redacted_text: event.target.elements.text.value }, t('Public text saved'), false);
    });
    const move = node.querySelector('.js-move');
    move.hidden = !item.location;
    move.addEventListener('click', () => {
      moving = node;
      focusMap(node);
      document.getElementById('preview-map').classList.add('is-moving');
      say(t('Click the new place of report {id} on the map.', { id: item.public_id }));
      document.getElementById('preview-map').scrollIntoView({ block: 'nearest' });
    });
    node.querySelector('.js-merge').addEventListener('submit', (event) => {
      event.preventDefault();
      const into = event.target.elements.into.value.trim();
      act(node, 'merge', { into }, t('Merged into {id}', { id: into }), true);
    });
    node.querySelector('.js-note').addEventListener('submit', (event) => {
      event.preventDefault();
      act(node, 'notes', { body: event.target.elements.body.value.trim() }, t('Note added'), false);
    });
    const municipal = node.querySelector('.js-municipal');
    municipal.hidden = !item.municipal_eligible;  // the server's one rule (services/municipal.py)
    if (!municipal.hidden) {
      const state = node.querySelector('.queue-item__meta');
      state.textContent += ' · ' + t('Municipality: {status}', { status: MUNICIPAL[item.municipal_status] || item.municipal_status });
    }
    municipal.addEventListener('submit', async (event) => {
      event.preventDefault();
      const f = event.target.elements;
      const json = { status: f.status.value, note: f.note.value.trim(), department: f.department.value.trim() || null };
      const result = await api(`/api/v1/municipal/reports/${encodeURIComponent(item.public_id)}/status`, { json });
      report(node, result, t('Municipal response recorded'), false);
    });

    const show = node.querySelector('.js-show');
    if (item.location) {
      const latlng = L.latLng(item.location.lat, item.location.lon);
      const marker = L.circleMarker(latlng, { radius: 7, color: '#54278f', fillOpacity: 0.8 })
        .bindTooltip(item.public_id)
        .addTo(markers);
      node.marker = marker;
      show.addEventListener('click', () => focusMap(node));
    } else {
      show.hidden = true;
    }
    node.addEventListener('focusin', () => { current = nodes.indexOf(node); markCurrent(false); });
    return node;
  }

  function focusMap(node) {
    if (!node || !node.marker) return;
    map.setView(node.marker.getLatLng(), 16);
    node.marker.openTooltip();
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

  // The mahalle filter lists the mahalle that have reports in the chosen status, with counts.
  async function loadMahalle() {
    const selectBox = $('filter-mahalle');
    const chosen = selectBox.value;
    const result = await api(`/api/v1/moderation/mahalle?status=${encodeURIComponent($('filter-status').value)}`);
    if (result.status !== 200 || !Array.isArray(result.body)) return;
    const options = result.body.map((m) => new Option(`${m.name} (${m.district}) · ${formatNumber(m.reports)}`, String(m.id)));
    selectBox.replaceChildren(selectBox.options[0], ...options);
    selectBox.value = result.body.some((m) => String(m.id) === chosen) ? chosen : '';
  }

  async function loadQueue(keepId, done) {
    ensureMap();
    say(t('Loading…'));
    const result = await api(`/api/v1/moderation/reports?${queryString()}`);
    if (result.status === 401) { window.location.assign('/login?next=/moderation'); return; }
    if (result.status !== 200 || !result.body) { say(errorOf(result, t('Could not load the queue.'))); return; }
    markers.clearLayers();
    const items = result.body.items || [];
    nodes = items.map(renderItem);
    list.replaceChildren(...nodes);
    const ids = new Set(items.map((i) => i.public_id));
    [...selected].forEach((id) => { if (!ids.has(id)) selected.delete(id); });
    updateSelection();
    $('queue-total').textContent = formatNumber(result.body.total ?? items.length);
    const placed = markers.getLayers();
    if (placed.length) map.fitBounds(L.featureGroup(placed).getBounds().pad(0.2), { maxZoom: 15 });
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
    const total = $('queue-total');
    total.textContent = formatNumber(Math.max(0, nodes.length));
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
    node.querySelector('.queue-item__status').textContent = errorOf(result, t('The action failed.'));
    return false;
  }

  async function act(node, action, json, done, removes) {
    node.querySelectorAll('button').forEach((b) => { b.disabled = true; });
    node.querySelector('.queue-item__status').textContent = '';
    const id = encodeURIComponent(node.dataset.publicId);
    const options = json === null ? { method: 'POST' } : { json };
    const result = await api(`/api/v1/moderation/reports/${id}/${action}`, options);
    return report(node, result, done, removes);
  }

  async function toggleLock(node) {
    const id = encodeURIComponent(node.dataset.publicId);
    const mine = node.dataset.lockedByMe === '1';
    const result = await api(`/api/v1/moderation/reports/${id}/lock`, { method: mine ? 'DELETE' : 'POST' });
    report(node, result, mine ? t('Lock released') : t('Locked for you'), false);
  }

  async function bulk(action) {
    const ids = [...selected];
    if (!ids.length) return;
    const json = { action, public_ids: ids };
    if (action === 'reject') json.reason = $('bulk-reason').value;
    say(t('Working…'));
    const result = await api('/api/v1/moderation/bulk', { json });
    if (result.status !== 200 || !result.body) { say(errorOf(result, t('The action failed.'))); return; }
    selected.clear();
    await loadQueue();
    const failed = result.body.items.filter((i) => !i.ok);
    let text = tn('{n} report done.', '{n} reports done.', result.body.succeeded);
    if (failed.length) text += ' ' + t('Not done: {list}', { list: failed.map((i) => `${i.public_id} (${i.message})`).join('; ') });
    say(text);
  }

  // Keyboard: j/k move, a approve, r reject, e lock, x select, ? help.
  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest('input, textarea, select, dialog[open]')) return;
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
  });

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

  (async function start() {
    const result = await api('/api/v1/categories');
    categories = result.status === 200 && Array.isArray(result.body) ? result.body : [];
    const filter = $('filter-category');
    categories.forEach((c) => filter.append(new Option(label(c.labels, c.code), c.code)));
    await loadMahalle();
    await loadQueue();
  })();
})();
