// The moderation page: log in, then approve or reject pending reports.
// Everything comes from the authenticated JSON API; the session is an HttpOnly cookie.
(function () {
  'use strict';

  const config = JSON.parse(document.getElementById('config').textContent);
  const $ = (id) => document.getElementById(id);

  const SAFETY = {
    1: 'Çok güvensiz · Very unsafe',
    2: 'Güvensiz · Unsafe',
    3: 'Ne güvenli ne güvensiz · Neither',
    4: 'Oldukça güvenli · Fairly safe',
    5: 'Güvenli · Safe',
  };
  const TIME_BANDS = { day: 'Gündüz · Day', evening: 'Akşam · Evening', night: 'Gece · Night' };

  const exitLink = $('quick-exit');
  exitLink.addEventListener('click', (event) => {
    event.preventDefault();
    document.body.hidden = true;
    window.location.replace(exitLink.href);
  });

  const status = $('page-status');
  const list = $('pending-list');
  let previewMap = null;
  let markers = null;

  function say(message) {
    status.textContent = message;
  }

  const api = window.MH.api;

  function message(result, fallback) {
    return (result.body && result.body.error && result.body.error.message) || fallback;
  }

  function showLogin(note) {
    $('queue').hidden = true;
    $('login').hidden = false;
    list.replaceChildren();
    say(note || 'Lütfen giriş yapın · Please log in.');
  }

  async function showQueue(user) {
    $('login').hidden = true;
    $('queue').hidden = false;
    $('whoami').textContent = `${user.email} (${user.role})`;
    ensureMap();
    await loadPending();
  }

  function ensureMap() {
    if (previewMap) {
      previewMap.invalidateSize();
      return;
    }
    previewMap = L.map('preview-map', { center: config.center, zoom: config.zoom });
    if (config.tile_url) {
      L.tileLayer(config.tile_url, { attribution: config.tile_attribution, maxZoom: 19 }).addTo(previewMap);
    }
    previewMap.attributionControl.addAttribution(config.osm_attribution);
    markers = L.layerGroup().addTo(previewMap);
  }

  function meta(item) {
    const parts = [
      item.mahalle || 'mahalle dışı · outside any mahalle',
      `${item.occurred_on} · ${TIME_BANDS[item.time_band] || item.time_band}`,
      `${item.perceived_safety} — ${SAFETY[item.perceived_safety] || ''}`,
      `gönderildi · sent ${new Date(item.created_at).toLocaleString('tr-TR')}`,
    ];
    return parts.join(' | ');
  }

  function renderItem(item) {
    const node = $('pending-item').content.firstElementChild.cloneNode(true);
    const labels = item.category_labels || {};
    node.dataset.publicId = item.public_id;
    node.querySelector('.pending-item__category').textContent =
      `${labels.tr || item.category} · ${labels.en || ''} (${item.public_id})`;
    node.querySelector('.pending-item__meta').textContent = meta(item);
    const text = node.querySelector('.pending-item__text');
    text.textContent = item.text || '';
    text.hidden = !item.text;

    const show = node.querySelector('.js-show');
    let marker = null;
    if (item.location) {
      const latlng = L.latLng(item.location.lat, item.location.lon);
      marker = L.circleMarker(latlng, { radius: 7, color: '#54278f', fillOpacity: 0.8 })
        .bindTooltip(item.public_id)
        .addTo(markers);
      show.addEventListener('click', () => {
        previewMap.setView(latlng, 16);
        marker.openTooltip();
        $('preview-map').scrollIntoView({ behavior: 'smooth', block: 'nearest' });
      });
    } else {
      show.hidden = true;
    }
    node.querySelector('.js-approve').addEventListener('click', () =>
      decide(node, marker, 'approve', {}, 'Onaylandı · Approved'),
    );
    node.querySelector('.reject-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const form = event.target;
      const note = form.elements.note.value.trim();
      decide(node, marker, 'reject', { reason: form.elements.reason.value, note: note || null },
        'Reddedildi · Rejected');
    });
    return node;
  }

  async function loadPending() {
    say('Yükleniyor… · Loading…');
    const result = await api('/api/v1/moderation/reports');
    if (result.status === 401) return showLogin();
    if (result.status !== 200 || !result.body) {
      say(message(result, 'Liste yüklenemedi · Could not load the queue.'));
      return;
    }
    markers.clearLayers();
    const items = result.body.items || [];
    list.replaceChildren(...items.map(renderItem));
    const placed = markers.getLayers();
    if (placed.length) previewMap.fitBounds(L.featureGroup(placed).getBounds().pad(0.2), { maxZoom: 15 });
    $('queue-total').textContent = String(result.body.total ?? items.length);
    say(items.length ? '' : 'Bekleyen bildirim yok · No reports are waiting.');
  }

  async function decide(node, marker, action, json, done) {
    const buttons = node.querySelectorAll('button');
    buttons.forEach((b) => { b.disabled = true; });
    const id = node.dataset.publicId;
    const result = await api(`/api/v1/moderation/reports/${encodeURIComponent(id)}/${action}`, { json });
    if (result.status === 401) return showLogin('Oturum sona erdi · Your session has ended.');
    if (result.status >= 200 && result.status < 300) {
      node.remove();
      if (marker) marker.remove();
      const total = $('queue-total');
      total.textContent = String(Math.max(0, Number(total.textContent) - 1));
      say(`${done}: ${id}`);
      return undefined;
    }
    buttons.forEach((b) => { b.disabled = false; });
    node.querySelector('.pending-item__status').textContent = message(result, 'İşlem başarısız · Action failed.');
    return undefined;
  }

  $('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = $('login-error');
    error.textContent = '';
    const result = await api('/api/v1/auth/login', {
      json: { email: $('login-email').value.trim(), password: $('login-password').value },
    });
    $('login-password').value = '';
    if (result.status < 200 || result.status >= 300) {
      error.textContent = result.status === 401
        ? 'E-posta veya parola yanlış · Wrong e-mail or password.'
        : message(result, 'Giriş yapılamadı · Could not log in.');
      return;
    }
    const me = await api('/api/v1/auth/me');
    if (me.status === 200 && me.body) await showQueue(me.body);
    else error.textContent = message(me, 'Giriş yapılamadı · Could not log in.');
  });

  $('logout').addEventListener('click', async () => {
    await api('/api/v1/auth/logout', { json: {} });
    showLogin('Çıkış yapıldı · Logged out.');
  });

  (async function start() {
    const me = await api('/api/v1/auth/me');
    if (me.status === 200 && me.body) await showQueue(me.body);
    else showLogin();
  })();
})();
