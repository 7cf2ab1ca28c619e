// Recording a walk on a phone: start it, place each point by a tap or GPS, score the nine
// parameters, save it, then submit the walk for moderation. All of it works offline too (the
// page and its modules come from sw.js): a walk started, points saved and a submit made
// without a connection are kept on the phone (outbox.js) and sent, in that order, when the
// connection returns.
import { api, errorMessage } from '../lib/api.js';
import { config } from '../lib/config.js';
import { $ } from '../lib/dom.js';
import { formatDate, formatNumber, isoDate, t, tn } from '../lib/i18n.js';
import { dropPoint, dropWalk, keepPoint, keepWalk, renameWalk, waitingPoints, waitingWalks } from './outbox.js';
import { sendPoint } from './send.js';

// The walk being recorded on this phone: {id, mahalle_code, walked_on, points} as JSON, so it
// opens again offline; `id` is `local-…` until the server has the walk.
const ACTIVE = 'mh-audit-walk';
let walk = null;
let map = null;
let marker = null;
let place = null;
let flushing = false;

function status(text) {
  $('walk-status').textContent = text;
}

async function showQueue() {
  const n = (await waitingPoints().catch(() => [])).filter((e) => e.walk === (walk && walk.id)).length;
  const line = $('point-queue');
  line.hidden = n === 0;
  line.textContent = n
    ? tn('{n} point is kept on this phone, not yet sent. It is sent when the connection returns.',
      '{n} points are kept on this phone, not yet sent. They are sent when the connection returns.', n)
    : '';
  return n;
}

function summary() {
  const m = config.mahalle.find((x) => x.code === walk.mahalle_code);
  $('walk-summary').textContent = t('{mahalle}, {date}: {n} points sent', {
    mahalle: m ? m.name : walk.mahalle,
    date: formatDate(`${walk.walked_on}T12:00:00`), // the walk's calendar day, in any time zone
    n: formatNumber(walk.points),
  });
}

function ensureMap() {
  if (map) return;
  map = L.map('audit-map', { center: config.center, zoom: Math.max(config.zoom, 15) });
  if (config.tile_url) {
    L.tileLayer(config.tile_url, { attribution: config.tile_attribution, maxZoom: 19 }).addTo(map);
  }
  map.attributionControl.addAttribution(config.osm_attribution);
  map.on('click', (event) => setPlace(event.latlng.lng, event.latlng.lat));
  // Test hook (the browser tests tap the map through it), as on the public map page.
  // eslint-disable-next-line no-restricted-syntax -- the page's one global, for the tests
  window.__mh = { map };
}

function setPlace(lon, lat) {
  place = { lon, lat };
  if (marker) marker.setLatLng([lat, lon]);
  else marker = L.circleMarker([lat, lon], { radius: 8, color: '#54278f', fillOpacity: 0.8 }).addTo(map);
  $('point-where').textContent = t('Place chosen: {lat}, {lon}', { lat: lat.toFixed(5), lon: lon.toFixed(5) });
}

function remember() {
  const { id, mahalle_code: code, mahalle, walked_on: day, points } = walk;
  localStorage.setItem(ACTIVE, JSON.stringify({ id, mahalle_code: code, mahalle, walked_on: day, points }));
}

function showWalk(found) {
  walk = found;
  remember();
  $('start').hidden = true;
  $('record').hidden = false;
  ensureMap();
  summary();
  showQueue();
}

async function startWalk(event) {
  event.preventDefault();
  const form = event.target;
  // The phone's id for the walk: a start sent again (its answer lost) gives the same walk.
  const key = `local-${crypto.randomUUID()}`;
  const body = {
    mahalle_code: form.mahalle_code.value,
    walked_on: form.walked_on.value,
    time_band: form.time_band.value,
    group_size: Number(form.group_size.value),
    client_id: key,
  };
  let result;
  try {
    result = await api('/api/v1/audits/walks', { json: body });
  } catch {
    // No connection: the walk is started on the phone and sent with its points later.
    await keepWalk({ key, id: null, body, submit: false });
    showWalk({ id: key, mahalle_code: body.mahalle_code, walked_on: body.walked_on, points: 0 });
    status(t('No connection: the walk is kept on this phone and sent when the connection returns.'));
    return;
  }
  if (result.status !== 201 && result.status !== 200) {
    status(errorMessage(result, t('The walk could not be started.')));
    return;
  }
  showWalk(result.body);
  status(t('Walk started. Add a point at each stop.'));
}

function scores(form) {
  const out = {};
  for (const p of config.parameters) {
    const chosen = form.querySelector(`input[name="${p.code}"]:checked`);
    if (!chosen) return { missing: p };
    out[p.code] = Number(chosen.value);
  }
  return { scores: out };
}

async function savePoint(event) {
  event.preventDefault();
  const form = event.target;
  const errors = $('point-errors');
  errors.textContent = '';
  if (!place) {
    errors.textContent = t('Choose the place first: tap the map or use your position.');
    return;
  }
  const scored = scores(form);
  if (scored.missing) {
    errors.textContent = t('Give a score for every parameter: {name} is missing.', { name: scored.missing.name });
    $(`score-${scored.missing.code}`).querySelector('input').focus();
    return;
  }
  const point = {
    client_id: crypto.randomUUID(),
    location: place,
    scores: scored.scores,
    note: form.note.value.trim(),
    recorded_at: new Date().toISOString(),
  };
  const photo = form.photo.files[0] || null;
  await keepPoint({ walk: walk.id, point: JSON.stringify(point), photo });
  form.reset();
  place = null;
  if (marker) { marker.remove(); marker = null; }
  $('point-where').textContent = t('No place chosen yet.');
  $('record-title').scrollIntoView({ block: 'start' }); // back to the map for the next stop
  if (navigator.onLine === false) status(t('No connection: the point is kept on this phone.'));
  await showQueue();
  await flushPoints();
}

function finished() {
  localStorage.removeItem(ACTIVE);
  walk = null;
  $('record').hidden = true;
  $('start').hidden = false;
  status(t('Walk submitted for review. Thank you.'));
}

/** Create on the server the walks started offline; false when the connection failed. */
async function sendWalks() {
  for (const entry of await waitingWalks().catch(() => [])) {
    if (entry.id) continue;
    let result;
    try {
      result = await api('/api/v1/audits/walks', { json: entry.body });
    } catch {
      return false;
    }
    if (result.status === 201 || result.status === 200) { // 200: it was started already
      await renameWalk(entry.key, result.body.id);
      await keepWalk({ ...entry, id: result.body.id });
      if (walk && walk.id === entry.key) {
        walk = { ...result.body, points: 0 };
        remember();
      }
    } else if (result.status >= 400 && result.status < 500 && result.status !== 429) {
      await dropWalk(entry.key); // refused for good: its points cannot be sent either
      status(t('A walk kept on this phone was not accepted: {reason}', { reason: errorMessage(result, String(result.status)) }));
    } else {
      return false;
    }
  }
  return true;
}

/** Submit the walks whose submit waited for the connection, once their points are sent. */
async function sendSubmits() {
  const points = await waitingPoints().catch(() => []);
  for (const entry of await waitingWalks().catch(() => [])) {
    if (!entry.id) continue;
    if (!entry.submit) {
      await dropWalk(entry.key); // created: the server has it now
      continue;
    }
    if (points.some((p) => p.walk === entry.id)) continue;
    let result;
    try {
      result = await api(`/api/v1/audits/walks/${entry.id}/submit`, { method: 'POST' });
    } catch {
      return;
    }
    if (result.status === 200 || (result.status >= 400 && result.status < 500 && result.status !== 429)) {
      await dropWalk(entry.key);
      if (result.status !== 200) status(errorMessage(result, t('The walk could not be submitted.')));
      else if (walk && walk.id === entry.id) finished();
      else status(t('Walk submitted for review. Thank you.'));
    }
  }
}

/** Send what is kept on this phone (walks, then points oldest first, then submits). */
export async function flushPoints() {
  if (flushing || navigator.onLine === false) return;
  flushing = true;
  try {
    if (!(await sendWalks())) return;
    for (const entry of await waitingPoints().catch(() => [])) {
      if (String(entry.walk).startsWith('local-')) continue; // its walk is not created yet
      let result;
      try {
        result = await sendPoint(entry.walk, entry.point, entry.photo);
      } catch {
        break; // still no connection: the `online` event tries again
      }
      if (result.status === 200 || result.status === 201) {
        await dropPoint(entry.id);
        if (walk && entry.walk === walk.id) walk.points += result.status === 201 ? 1 : 0;
        status(t('Point sent.'));
      } else if (result.status >= 400 && result.status < 500 && result.status !== 429) {
        await dropPoint(entry.id); // refused for good: say why, do not keep it
        status(t('A point kept on this phone was not accepted: {reason}', { reason: errorMessage(result, String(result.status)) }));
      } else {
        break; // the server is busy or failing: later
      }
    }
    await sendSubmits();
  } finally {
    flushing = false;
    if (walk) {
      summary();
      remember();
    }
    await showQueue();
  }
}

async function submitWalk() {
  await flushPoints();
  if (!walk) return;
  const local = walk.id.startsWith('local-');
  if (!local && !(await showQueue()) && navigator.onLine !== false) {
    let result = null;
    try {
      result = await api(`/api/v1/audits/walks/${walk.id}/submit`, { method: 'POST' });
    } catch {
      // no connection after all: kept below
    }
    if (result && result.status !== 200) {
      status(errorMessage(result, t('The walk could not be submitted.')));
      return;
    }
    if (result) {
      finished();
      return;
    }
  }
  // Kept on the phone: submitted when its points are sent, once the connection returns.
  const entries = await waitingWalks().catch(() => []);
  const entry = entries.find((e) => e.key === walk.id || e.id === walk.id) || { key: walk.id, id: walk.id, body: null };
  await keepWalk({ ...entry, submit: true });
  localStorage.removeItem(ACTIVE);
  walk = null;
  $('record').hidden = true;
  $('start').hidden = false;
  status(t('No connection: the walk is submitted from this phone when the connection returns.'));
}

function remembered() {
  try {
    return JSON.parse(localStorage.getItem(ACTIVE) || 'null');
  } catch {
    return null; // an older page kept only the id
  }
}

async function resume() {
  const kept = remembered();
  if (!kept || !kept.id) {
    localStorage.removeItem(ACTIVE);
    return;
  }
  if (kept.id.startsWith('local-')) {
    showWalk(kept); // started offline: the outbox still holds it
    return;
  }
  const result = await api(`/api/v1/audits/walks/${encodeURIComponent(kept.id)}`).catch(() => null);
  if (!result) showWalk(kept); // offline: go on recording it
  else if (result.status === 200 && result.body.status === 'recording') showWalk(result.body);
  else localStorage.removeItem(ACTIVE);
}

function usePosition() {
  if (!navigator.geolocation) {
    status(t('This phone cannot give its position; tap the map instead.'));
    return;
  }
  navigator.geolocation.getCurrentPosition(
    (pos) => {
      setPlace(pos.coords.longitude, pos.coords.latitude);
      map.setView([pos.coords.latitude, pos.coords.longitude], 17);
    },
    () => status(t('The position is not available; tap the map instead.')),
    { enableHighAccuracy: true, timeout: 15000 },
  );
}

export function wireRecording() {
  $('walk-date').value = isoDate(new Date());
  $('start-form').addEventListener('submit', startWalk);
  $('point-form').addEventListener('submit', savePoint);
  $('submit-walk').addEventListener('click', submitWalk);
  $('use-gps').addEventListener('click', usePosition);
  window.addEventListener('online', flushPoints);
  resume().then(flushPoints);
}
