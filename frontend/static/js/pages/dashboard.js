// The planners' dashboard: choropleth of a chosen indicator, hotspot layer, sortable table,
// one mahalle's detail, exports with the same filters, and personal API tokens.
// Every figure comes from the planner API, already suppressed below k on the server.
import { api, errorMessage } from '../lib/api.js';
import { config } from '../lib/config.js';
import { $, el } from '../lib/dom.js';
import { formatNumber, t } from '../lib/i18n.js';
import { showDetailBox } from '../dashboard/detail.js';
import { addReportPoints } from '../map/points.js';
import { startTokens } from '../dashboard/tokens.js';
import {
  BAND_NAMES, CLASS_NAMES, GROUP_NAMES, HOT_COLD, WITHHELD, indicators, isSuppressed, nameWithUnit, valueText,
} from '../dashboard/values.js';

const PURPLES = ['#f2f0f7', '#cbc9e2', '#9e9ac8', '#756bb1', '#54278f', '#3f007d', '#2d004b'];
const state = { features: [], classes: null, sortKey: 'value', sortDir: -1, selected: null };

const status = $('status');
const say = (text) => { status.textContent = text; };

// --- filters -------------------------------------------------------------------------------------
const form = $('filters');
const indicatorSelect = $('f-indicator');
for (const item of config.indicators) {
  if (item.kind === 'class') continue;
  indicatorSelect.append(el('option', { value: item.code }, item.name));
}
// The crude rate with its counts first; the smoothed (Empirical Bayes) rate one click away.
const CRUDE = 'reports_per_1000_women';
const SMOOTHED = 'reports_per_1000_women_eb';
indicatorSelect.value = CRUDE;
const smoothing = $('f-smoothing');
function showSmoothingChoice() {
  const c = indicatorSelect.value;
  smoothing.hidden = c !== CRUDE && c !== SMOOTHED;
  smoothing.textContent = c === SMOOTHED ? t('Show the crude rate') : t('Show the smoothed rate (Empirical Bayes)');
}
smoothing.addEventListener('click', () => {
  indicatorSelect.value = indicatorSelect.value === SMOOTHED ? CRUDE : SMOOTHED;
  showSmoothingChoice();
  load();
});
indicatorSelect.addEventListener('change', showSmoothingChoice);
showSmoothingChoice();
for (const [code, name] of Object.entries(GROUP_NAMES)) $('f-group').append(el('option', { value: code }, name));
for (const [code, name] of Object.entries(BAND_NAMES)) $('f-band').append(el('option', { value: code }, name));

function monthEnd(month) {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month}-${String(last).padStart(2, '0')}`;
}

/** The filters as query parameters, shared by the map, the table, the detail and exports. */
function filterParams() {
  const params = new URLSearchParams();
  const since = $('f-since').value;
  const until = $('f-until').value;
  if (since) params.set('since', `${since}-01`);
  if (until) params.set('until', monthEnd(until));
  for (const [name, id] of [['group', 'f-group'], ['time_band', 'f-band'], ['district', 'f-district'], ['municipality', 'f-municipality']]) {
    const field = document.getElementById(id); // the municipality choice shows only with several
    if (field && field.value) params.set(name, field.value);
  }
  return params;
}

// --- map -----------------------------------------------------------------------------------------
const map = L.map('dashboard-map', { preferCanvas: false }).setView(config.center, config.zoom);
if (config.tile_url) {
  L.tileLayer(config.tile_url, { attribution: config.tile_attribution, maxZoom: 19 }).addTo(map);
} else {
  map.attributionControl.addAttribution(config.osm_attribution);
}
map.attributionControl.addAttribution(config.population_attribution);

const code = () => indicatorSelect.value;

// The reports themselves, from the planners' report tiles (the public map's layer module):
// protected clusters below zoom 15, points with popups from it, the filters applied on the
// server, within the municipalities of her role.
map.createPane('reports').style.zIndex = 450;
const mapBox = $('dashboard-map');
const reports = addReportPoints(
  {
    map,
    say(message) {
      if (message) say(message); // the status line is the indicators' too: never cleared here
    },
    count(kind, n) {
      mapBox.dataset[kind] = String(n); // what is drawn, for tests and assistive checks
    },
  },
  {
    collection() {
      const chosen = document.getElementById('f-municipality'); // only with several
      return chosen && chosen.value ? `planner-reports.${chosen.value}` : 'planner-reports';
    },
    filters() {
      const params = filterParams();
      params.delete('municipality'); // in the collection id instead
      return params;
    },
  },
);

function classIndex(value) {
  const bins = state.classes ? state.classes.bins : [];
  const i = bins.findIndex((b) => value <= b);
  return i === -1 ? bins.length - 1 : i;
}

function colour(value) {
  const n = state.classes ? state.classes.bins.length : 1;
  const i = classIndex(value);
  return PURPLES[Math.min(PURPLES.length - 1, Math.round((i * (PURPLES.length - 2)) / Math.max(1, n - 1)) + 1)];
}

/** True when the mahalle has no published report in the period (zero is never perturbed). */
const noReports = (p) => p.reports === 0 && !isSuppressed(p, 'reports');

function areaStyle(feature) {
  const p = feature.properties;
  const value = p[code()];
  const style = { color: '#4a3b5c', weight: 1, opacity: 0.8, fillOpacity: 0.7, dashArray: null };
  if (isSuppressed(p, code())) return { ...style, fillColor: '#bdbdbd', dashArray: '4 3' };
  // No report at all in the period: never in a coloured class, whatever a rate makes of it.
  if (noReports(p)) return { ...style, fillColor: '#ffffff', fillOpacity: 0.85 };
  if (value === null || value === undefined) return { ...style, fillColor: '#ffffff', fillOpacity: 0.3 };
  return { ...style, fillColor: colour(value) };
}

const areas = L.geoJSON(null, {
  style: areaStyle,
  onEachFeature(feature, layer) {
    layer.on('click', () => showDetail(feature.properties.code));
    const zeroText = t('0 reports');
    layer.bindTooltip(() => [feature.properties.name, noReports(feature.properties) ? zeroText : valueText(feature.properties, code())].join(': '));
  },
}).addTo(map);

const hotspots = L.geoJSON(null, {
  style: (f) => ({
    color: '#555', weight: 0.5, fillOpacity: f.properties.hotspot_class === 'not_significant' ? 0.05 : 0.6,
    fillColor: HOT_COLD[f.properties.hotspot_class] || '#fff',
  }),
  onEachFeature(feature, layer) {
    const p = feature.properties;
    const label = t('Reports');
    layer.bindTooltip(() => [CLASS_NAMES[p.hotspot_class], `${label}: ${valueText(p, 'reports')}`].join(' · '));
  },
});

function legend() {
  const box = $('legend');
  box.replaceChildren();
  const item = indicators[code()];
  box.append(el('h3', null, item.name, el('span', { class: 'legend__unit' }, ` (${item.unit_name})`)));
  if (code() === SMOOTHED) {
    box.append(el('p', { class: 'legend__method' }, t('Smoothed (Empirical Bayes): each mahalle\'s rate is pulled toward the whole area\'s rate, the more so the fewer women live there, so a small mahalle with one or two reports does not top the ranking.')));
  } else if (code() === CRUDE) {
    box.append(el('p', { class: 'legend__method' }, t('Crude rate: reports divided by women residents, times 1,000. In a small mahalle one report moves it a lot; the smoothed rate is one click away.')));
  }
  if (state.classes) {
    const classesLabel = t('Classes');
    box.append(el('p', { class: 'legend__method' }, `${classesLabel}: ${config.class_methods[state.classes.method]}`));
    let low = null;
    state.classes.bins.forEach((high, i) => {
      const range = low === null ? `≤ ${formatNumber(high)}` : `${formatNumber(low)} – ${formatNumber(high)}`;
      box.append(el('div', { class: 'legend__row' },
        el('span', { class: 'legend__swatch', style: `background:${colour(high)}` }),
        `${range} (${state.classes.counts[i]})`));
      low = high;
    });
  }
  box.append(el('div', { class: 'legend__row' },
    el('span', { class: 'legend__swatch legend__swatch--withheld' }),
    [WITHHELD, t('fewer than {k} reports', { k: config.k })].join(': ')));
  const empty = state.features.filter((f) => noReports(f.properties)).length;
  box.append(el('div', { class: 'legend__row legend__row--zero' },
    el('span', { class: 'legend__swatch legend__swatch--zero' }), [t('0 reports: not coloured'), ` (${formatNumber(empty)})`].join('')));
  box.append(el('div', { class: 'legend__row' },
    el('span', { class: 'legend__swatch legend__swatch--none' }), t('no value (e.g. population unknown)')));
  if (item.estimate) box.append(el('p', { class: 'legend__note' }, t('≈ estimate: women residents are estimated for this mahalle')));
  if ($('f-hex').value) {
    box.append(el('h3', null, t('Hotspots (Gi*)')));
    for (const [cls, name] of Object.entries(CLASS_NAMES)) {
      box.append(el('div', { class: 'legend__row' }, el('span', { class: 'legend__swatch', style: `background:${HOT_COLD[cls]}` }), name));
    }
  }
}

// --- table ---------------------------------------------------------------------------------------
const COLUMNS = [
  ['name', () => t('Neighbourhood')],
  ['district', () => t('District')],
  ['value', () => nameWithUnit(code())],
  ['reports', () => nameWithUnit('reports')],
  ['reports_per_1000_women_eb', () => nameWithUnit('reports_per_1000_women_eb')],
  ['change_reports', () => nameWithUnit('change_reports')],
  ['hotspot_class', () => indicators.hotspot_class.name],
];

function sortValue(p, key) {
  const c = key === 'value' ? code() : key;
  if (isSuppressed(p, c)) return -Infinity;
  const v = p[c];
  return v === null || v === undefined ? -Infinity : v;
}

function cellClass(p, c) {
  return isSuppressed(p, c) ? 'num is-withheld' : 'num';
}

function renderTable() {
  const head = $('table').tHead.rows[0];
  head.replaceChildren(...COLUMNS.map(([key, label]) => {
    const sorted = state.sortKey === key;
    return el('th', { scope: 'col', 'aria-sort': sorted ? (state.sortDir > 0 ? 'ascending' : 'descending') : 'none' },
      el('button', { type: 'button', class: 'sort', onclick: () => sortBy(key) }, label(), sorted ? (state.sortDir > 0 ? ' ▲' : ' ▼') : ''));
  }));
  const rows = [...state.features].map((f) => f.properties);
  rows.sort((a, b) => {
    const x = sortValue(a, state.sortKey);
    const y = sortValue(b, state.sortKey);
    if (typeof x === 'string' || typeof y === 'string') return state.sortDir * String(x).localeCompare(String(y), config.locale);
    return state.sortDir * (x - y);
  });
  $('table').tBodies[0].replaceChildren(...rows.map((p) => el('tr', { 'data-code': p.code, class: p.code === state.selected ? 'is-selected' : null },
    el('th', { scope: 'row' }, el('button', { type: 'button', class: 'link', onclick: () => showDetail(p.code) }, p.name)),
    el('td', null, p.district),
    el('td', { class: cellClass(p, code()) }, valueText(p, code())),
    el('td', { class: cellClass(p, 'reports') }, valueText(p, 'reports')),
    el('td', { class: cellClass(p, 'reports_per_1000_women_eb') }, valueText(p, 'reports_per_1000_women_eb')),
    el('td', { class: cellClass(p, 'change_reports') }, valueText(p, 'change_reports')),
    el('td', null, CLASS_NAMES[p.hotspot_class] || '—'))));
}

function sortBy(key) {
  state.sortDir = state.sortKey === key ? -state.sortDir : (key === 'name' || key === 'district' ? 1 : -1);
  state.sortKey = key;
  renderTable();
}

// --- detail --------------------------------------------------------------------------------------
async function showDetail(mahalleCode) {
  state.selected = mahalleCode;
  const shown = await showDetailBox(mahalleCode, filterParams(), () => {
    state.selected = null;
    renderTable();
  });
  if (!shown) return;
  renderTable();
  $('detail').scrollIntoView({ block: 'nearest' });
}

// --- exports -------------------------------------------------------------------------------------
function renderExports() {
  const params = filterParams();
  const size = /^\d+$/.test($('f-hex').value) ? $('f-hex').value : '250';
  const layers = [
    ['indicators', t('Indicators per mahalle')],
    ['hotspots', t('Hotspot hexagons ({size} m)', { size })],
    ['reports', t('Published reports (displaced points, non-sensitive)')],
    ['sensitive', t('Sensitive reports (counts per mahalle)')],
  ];
  const formats = [['gpkg', 'GeoPackage'], ['geojson', 'GeoJSON'], ['shp', 'Shapefile (zip)'], ['csv', 'CSV (zip)']];
  $('exports').replaceChildren(...layers.map(([layer, label]) => el('li', null, `${label}: `,
    ...formats.flatMap(([fmt, name], i) => {
      const q = new URLSearchParams(params);
      q.set('format', fmt);
      if (layer === 'hotspots') q.set('size', size);
      return [i ? ' · ' : '', el('a', { href: `/api/v1/planner/exports/${layer}?${q}`, download: '' }, name)];
    }))));
}

// --- loading -------------------------------------------------------------------------------------
async function loadHotspots(params) {
  hotspots.clearLayers();
  const choice = $('f-hex').value;
  if (!choice) {
    map.removeLayer(hotspots);
    return;
  }
  if (choice === 'mahalle') {
    hotspots.addData({ type: 'FeatureCollection', features: state.features });
  } else {
    const q = new URLSearchParams(params);
    q.set('size', choice);
    const result = await api(`/api/v1/planner/hotspots?${q}`);
    if (result.status !== 200) {
      say(errorMessage(result, t('Could not load the hotspots.')));
      return;
    }
    hotspots.addData(result.body);
  }
  hotspots.addTo(map);
}

async function load() {
  say(t('Loading…'));
  const params = filterParams();
  const classParams = new URLSearchParams(params);
  classParams.set('indicator', code());
  classParams.set('method', $('f-method').value);
  const [layer, classes] = await Promise.all([
    api(`/api/v1/planner/indicators?${params}`),
    api(`/api/v1/planner/classes?${classParams}`),
  ]);
  if (layer.status === 401) {
    window.location.assign('/login?next=/dashboard');
    return;
  }
  if (layer.status !== 200) {
    say(errorMessage(layer, t('Could not load the indicators.')));
    return;
  }
  state.features = layer.body.features;
  state.classes = classes.status === 200 ? classes.body : null;
  areas.clearLayers();
  areas.addData(layer.body);
  if (state.features.length) map.fitBounds(areas.getBounds(), { maxZoom: 14 });
  await loadHotspots(params);
  reports.load();
  legend();
  renderTable();
  renderExports();
  if (state.selected) showDetail(state.selected);
  const withheld = state.features.filter((f) => isSuppressed(f.properties, code())).length;
  say(t('{n} mahalle, {w} withheld (fewer than {k} reports). Period {since} – {until}.', {
    n: formatNumber(state.features.length), w: formatNumber(withheld), k: config.k,
    since: layer.body.metadata.period.since, until: layer.body.metadata.period.until,
  }));
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  load();
});
for (const id of ['f-indicator', 'f-method', 'f-hex']) $(id).addEventListener('change', load);
$('print').addEventListener('click', () => window.print());

load();
startTokens();
