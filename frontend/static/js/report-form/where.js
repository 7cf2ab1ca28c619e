// Step 2, where: tap the map (drag the pin to adjust), put the pin at the map's centre, use
// the phone's position (only when it is happening now), or, without the map, a mahalle from
// the list and the place described in words. A pin outside the area the map covers is
// refused here; the server checks again on submission. The report form's hold on the map.
import { api } from '../lib/api.js';
import { $, el } from '../lib/dom.js';
import { t, tn } from '../lib/i18n.js';
import { onMunicipalityChange, scoped } from '../lib/municipality.js';
import { showErrors } from './errors.js';
import { clearMetoo } from './metoo.js';

// --- the area the map covers (GET /api/v1/area, a simplified outline) ----------------------------
let area = null; // the geometry (GeoJSON) of the chosen municipality or the deployment area
let areaWanted = false;

/** Fetch the outline once per municipality (without one, every place is accepted here). */
export async function loadArea() {
  areaWanted = true;
  if (area) return;
  const path = scoped('/api/v1/area');
  const result = await api(path).catch(() => ({ status: 0 }));
  if (path !== scoped('/api/v1/area')) return; // another municipality was chosen meanwhile
  if (result.status === 200 && result.body) area = result.body.geometry || result.body;
}

function inRing(lon, lat, ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if ((yi > lat) !== (yj > lat) && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inPolygon(lon, lat, rings) {
  return inRing(lon, lat, rings[0]) && !rings.slice(1).some((hole) => inRing(lon, lat, hole));
}

/** True when (lat, lon) is inside the area the map covers (or the area is not known). */
function insideArea(lat, lon) {
  if (!area || !area.type) return true; // the server checks again in any case
  if (area.type === 'Polygon') return inPolygon(lon, lat, area.coordinates);
  if (area.type === 'MultiPolygon') return area.coordinates.some((rings) => inPolygon(lon, lat, rings));
  return true;
}

// --- without the map: a searchable list of mahalle (GET /api/v1/mahalle) -------------------------
let mahalleList = null;

/** Lower case, Turkish-aware, without diacritics: "Çankaya" and "cankaya" match. */
function fold(text) {
  return String(text || '')
    .toLocaleLowerCase('tr')
    .replace(/[çğıöşüâîû]/g, (c) => ({ ç: 'c', ğ: 'g', ı: 'i', ö: 'o', ş: 's', ü: 'u', â: 'a', î: 'i', û: 'u' }[c]))
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
}

/** Fetch the list once per municipality and show it. */
async function loadMahalle() {
  if (mahalleList) return;
  const path = scoped('/api/v1/mahalle');
  const result = await api(path).catch(() => ({ status: 0 }));
  if (path !== scoped('/api/v1/mahalle')) return; // another municipality was chosen meanwhile
  if (result.status !== 200 || !result.body) {
    showErrors([{ field: 'mahalle_code', message: t('Could not load the list of mahalle; check the connection and try again.') }]);
    return;
  }
  mahalleList = (result.body.items || []).map((m) => ({ ...m, key: fold(`${m.name} ${m.district || ''}`) }));
  filterMahalle();
}

/** Show the mahalle whose name and district hold every word of the search. */
function filterMahalle() {
  if (!mahalleList) return;
  const select = $('mahalle-select');
  const chosen = select.value;
  const words = fold($('mahalle-search').value).split(/\s+/).filter(Boolean);
  const shown = mahalleList.filter((m) => words.every((w) => m.key.includes(w)));
  select.replaceChildren(...shown.map((m) => el('option', { value: m.code, selected: m.code === chosen },
    m.district ? `${m.name} (${m.district})` : m.name)));
  $('mahalle-count').textContent = tn('{n} mahalle found', '{n} mahalle found', shown.length);
}

/** Empty the search (the list shows every mahalle again). */
function resetMahalleSearch() {
  $('mahalle-search').value = '';
  filterMahalle();
}

// --- the pin -------------------------------------------------------------------------------------
const locationStatus = $('location-status');
let view = null; // the public map's view (map/public-map.js)
let map = null;
let marker = null;
let lastGood = null; // the last pin inside the area, for a drag that leaves it
let noMap = false;
let onPlace = () => {};

/** Let the map draw itself again once the layout around it has changed. */
export function refreshMap() {
  setTimeout(() => map.invalidateSize(), 0);
}

/** While she reports, taps on the map place the pin (and open no popup). */
export function setReporting(on) {
  view.reporting = on;
  if (on) map.closePopup();
}

function sayPlace(message, good) {
  locationStatus.textContent = message;
  locationStatus.classList.toggle('location-status--set', Boolean(good));
  locationStatus.classList.toggle('location-status--bad', good === false);
}

export function outsideMessage() {
  return t('This place is outside the area this map covers, so it cannot be reported here. Choose a place inside the area, or a mahalle from the list.');
}

function setLocation(latlng) {
  if (!insideArea(latlng.lat, latlng.lng)) {
    if (marker && lastGood) marker.setLatLng(lastGood);
    sayPlace(outsideMessage(), false);
    showErrors([{ field: 'location', message: outsideMessage() }]);
    return false;
  }
  if (!marker) {
    marker = L.marker(latlng, { draggable: true, autoPan: true, title: t('Reported place'), alt: t('Reported place'), keyboard: true });
    marker.on('dragend', () => setLocation(marker.getLatLng()));
    marker.addTo(map);
  } else {
    marker.setLatLng(latlng);
  }
  lastGood = L.latLng(latlng.lat, latlng.lng);
  showErrors([]);
  sayPlace(t('Place chosen ✓'), true);
  onPlace();
  return true;
}

// A pin placed at a city-wide zoom is off by hundreds of metres: a first tap there zooms in to
// street level around the tapped place, and the next tap places the pin.
export const STREET_ZOOM = 16;
const PIN_ZOOM = 17;

function tapped(latlng) {
  if (map.getZoom() >= STREET_ZOOM || !insideArea(latlng.lat, latlng.lng)) {
    setLocation(latlng);
    return;
  }
  map.setView(latlng, PIN_ZOOM);
  sayPlace(t('Zoomed in to the street: now tap the exact place.'), null);
}

function clearLocation() {
  if (marker) marker.remove();
  marker = null;
  lastGood = null;
  sayPlace(t('No place chosen'), null);
}

function useMyLocation() {
  if (!navigator.geolocation) {
    sayPlace(t('Your location is not available on this phone; tap the map instead.'), false);
    return;
  }
  sayPlace(t('Getting your location…'), null);
  navigator.geolocation.getCurrentPosition(
    (position) => {
      const latlng = L.latLng(position.coords.latitude, position.coords.longitude);
      if (setLocation(latlng)) map.setView(latlng, Math.max(map.getZoom(), 16));
    },
    () => sayPlace(t('Could not get your location; tap the map instead.'), false),
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 },
  );
}

function setNoMap(on) {
  noMap = on;
  document.body.classList.toggle('no-map-mode', on); // the map gives way to the list
  $('no-map').hidden = !on;
  $('place-on-map').hidden = on;
  const toggle = $('no-map-toggle');
  toggle.setAttribute('aria-expanded', String(on));
  toggle.textContent = on ? t('Use the map instead') : t('Choose a mahalle from a list instead of the map');
  if (on) {
    clearLocation();
    clearMetoo(); // a mahalle is not a point: no "me too" by distance
    sayPlace(t('Choose the mahalle and describe the place.'), null);
    loadMahalle().then(() => $('mahalle-search').focus());
  } else {
    sayPlace(t('No place chosen'), null);
  }
  refreshMap();
}

/**
 * Wire the step to the public map `view`; `isPlaceStep()` says whether she is at this step
 * (taps place the pin only then), `onChange` runs whenever the pin is set.
 */
export function wireWhere(publicView, isPlaceStep, onChange) {
  view = publicView;
  map = publicView.map;
  onPlace = onChange;
  map.on('click', (event) => {
    if (view.reporting && !noMap && isPlaceStep()) tapped(event.latlng);
  });
  $('pin-centre').addEventListener('click', () => {
    const centre = map.getCenter();
    if (setLocation(centre) && map.getZoom() < STREET_ZOOM) map.setView(centre, PIN_ZOOM);
  });
  $('use-location').addEventListener('click', useMyLocation);
  $('no-map-toggle').addEventListener('click', () => setNoMap(!noMap));
  $('mahalle-search').addEventListener('input', filterMahalle);
  onMunicipalityChange(() => {
    // Another municipality: its own outline and mahalle, fetched when they are needed.
    area = null;
    mahalleList = null;
    if (areaWanted) loadArea();
    if (noMap) loadMahalle();
  });
}

/** The pin's place ({lat, lng}), or null without a pin or in the no-map mode. */
export function chosenPoint() {
  return marker && !noMap ? marker.getLatLng() : null;
}

/** Back to the map with no pin and an empty search. */
export function resetWhere() {
  if (noMap) setNoMap(false);
  resetMahalleSearch();
  clearLocation();
}

/** Problems with this step: [{field, message}]. */
export function whereProblems() {
  const found = [];
  const add = (field, message) => found.push({ field, message });
  if (noMap) {
    if (!$('mahalle-select').value) add('mahalle_code', t('Mahalle: choose the mahalle from the list.'));
    if (!$('place-description').value.trim()) add('place_description', t('Place: describe the place in words.'));
  } else if (!marker) {
    add('location', t('Place: tap the map, use your location, or choose a mahalle from the list.'));
  }
  return found;
}

/** This step's part of the report: a mahalle and words, or a point. */
export function whereFields() {
  if (noMap) {
    return { mahalle_code: $('mahalle-select').value, place_description: $('place-description').value.trim() };
  }
  if (marker) {
    const where = marker.getLatLng();
    return { location: { lon: Number(where.lng.toFixed(6)), lat: Number(where.lat.toFixed(6)) } };
  }
  return {};
}
