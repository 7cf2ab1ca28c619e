// Published, non-sensitive reports at their displaced places, drawn from the report tiles
// (GET /ogc/collections/reports/tiles/..., f=geojson): below zoom 15 each tile's clusters with
// their protected counts ("fewer than k" without one), from 15 each report with its popup.
// Filters go into the tile URL, so the server applies them to every report, at every zoom.
// The public map's filters and collection are the default source; the planners' dashboard
// passes its own (the planners' tiles, `planner-reports`, with the dashboard's filters).
import { config } from '../lib/config.js';
import { $, el } from '../lib/dom.js';
import { formatMonth, t } from '../lib/i18n.js';
import { currentMunicipality } from '../lib/municipality.js';
import { GROUP_COLOURS, categories, categoryLabel, groupColour, groupLabel } from './categories.js';
import { fmt, periodParams, popupRow, swatch } from './public-map.js';

const POINT_MIN_ZOOM = 15; // as the server's tile_reports.POINT_MIN_ZOOM
const MAX_TILE_ZOOM = 22;

const labels = config.labels || {};

function reportPopup(p) {
  const safety = (labels.safety && labels.safety[p.perceived_safety]) || '';
  const band = (labels.time_bands && labels.time_bands[p.time_band]) || '';
  return el(
    'div',
    { class: 'popup' },
    p.demo ? el('p', { class: 'popup__demo' }, t('Demo data')) : null,
    el('h3', null, categoryLabel(p)),
    el('p', { class: 'popup__sub' }, groupLabel(p.category_group)),
    p.text ? el('blockquote', null, p.text) : null,
    ...(p.photos || []).slice(0, 3).map((url) =>
      el('img', { class: 'popup__photo', src: url, alt: t('Photo sent with the report'), loading: 'lazy' })),
    el(
      'dl',
      null,
      popupRow(t('Felt safety'), `${p.perceived_safety} — ${safety}`),
      popupRow(t('When'), [formatMonth(p.occurred_month), band].filter(Boolean).join(' · ')),
      p.mahalle ? popupRow(t('Neighbourhood (mahalle)'), p.mahalle) : null,
      // Withheld below k (null): only "a few people", never 1 or 2 (docs/privacy.md).
      popupRow(t('Me too'), p.confirmations_suppressed ? t('A few people') : fmt(p.confirmations || 0)),
    ),
  );
}

/** The legend's point colours, one per group that is drawn as points. */
export function renderPointLegend() {
  $('legend-points').replaceChildren(
    ...Object.keys(GROUP_COLOURS)
      .filter((group) => group !== 'harassment') // never drawn as points
      .map((group) => el('li', null, swatch(`background:${groupColour(group)}`, 'swatch--dot'), groupLabel(group))),
  );
}

/** The public map's filters as the tile URL's query, applied by the server to every report. */
function publicFilters() {
  const params = periodParams();
  const group = $('filter-group').value;
  if (group) params.set('group', group);
  const band = $('filter-time-band').value;
  if (band) params.set('time_band', band);
  return params;
}

const tileKey = (coords) => `${coords.z}/${coords.y}/${coords.x}`;

function publicCollection() {
  const code = currentMunicipality();
  return code ? `reports.${code}` : 'reports';
}

/** Where the public map's reports come from: the public report tiles and its filters. */
const PUBLIC_SOURCE = { collection: publicCollection, filters: publicFilters };

/**
 * The report layer on `view` ({map, say, count}); `load()` redraws it when a filter changed.
 * `source`: {collection() -> a tiled collection id, filters() -> URLSearchParams}.
 */
export function addReportPoints(view, source = PUBLIC_SOURCE) {
  const { map } = view;
  const markers = L.layerGroup().addTo(map);
  const byTile = new Map(); // tile key -> {z, layers, reports, clusters}
  let categoryByCode = new Map(); // category code -> category (its labels), fetched once
  let generation = 0; // a tile answered for older filters is dropped
  let query = null;
  let collection = null;
  let failed = false; // a tile of the current filters could not be loaded

  function clusterMarker(feature) {
    const [lon, lat] = feature.geometry.coordinates;
    const p = feature.properties;
    const few = p.suppressed;
    const title = few ? t('Fewer than {k} reports', { k: p.k }) : t('{n} reports', { n: fmt(p.count) });
    const marker = L.marker([lat, lon], {
      pane: 'reports',
      icon: L.divIcon({
        html: `<span>${few ? '&lt;' + Number(p.k) : Number(p.count)}</span>`,
        className: few ? 'mh-cluster mh-cluster--few' : 'mh-cluster',
        iconSize: L.point(30, 30),
      }),
      title,
      // Not a Tab stop: the list of reports (map/report-list.js) reads them instead.
      keyboard: false,
    });
    // A cluster opens onto its place: zoom in, towards the zoom where reports are points.
    marker.on('click', () => map.setView([lat, lon], Math.min(map.getZoom() + 2, POINT_MIN_ZOOM)));
    return marker;
  }

  function pointMarker(feature) {
    const [lon, lat] = feature.geometry.coordinates;
    const p = feature.properties;
    if (!p.category_labels && categoryByCode.has(p.category)) p.labels = categoryByCode.get(p.category).labels;
    // Not a Tab stop: keyboard and screen reader users read the points as a list
    // (map/report-list.js), instead of tabbing through every marker.
    return L.marker([lat, lon], {
      pane: 'reports',
      icon: L.divIcon({ className: `mh-report mh-report--${p.category_group}`, iconSize: [18, 18] }),
      title: categoryLabel(p),
      keyboard: false,
    }).bindPopup(() => reportPopup(p), {
      maxWidth: 260,
      // Clear of the zoom control (top left) and the notice line over the map.
      autoPanPaddingTopLeft: L.point(64, 72),
      autoPanPadding: L.point(12, 12),
    });
  }

  /** How many reports are drawn (points, and the counts clusters show), for the page. */
  function recount() {
    const z = map.getZoom();
    let reports = 0;
    let clusters = 0;
    let few = 0;
    byTile.forEach((entry) => {
      if (entry.z !== z) return;
      reports += entry.reports;
      clusters += entry.clusters;
      few += entry.few;
    });
    view.count('reports', reports);
    view.count('clusters', clusters);
    view.count('fewClusters', few);
  }

  const TileLayer = L.GridLayer.extend({
    createTile(coords, done) {
      const tile = document.createElement('div');
      const mine = generation;
      const url = `/ogc/collections/${collection}/tiles/WebMercatorQuad/${coords.z}/${coords.y}/${coords.x}?${query}`;
      fetch(url, { headers: { Accept: 'application/geo+json' } })
        .then((response) => {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then((data) => {
          if (mine !== generation) return done(null, tile);
          const features = data.features || [];
          const points = data.layer === 'reports';
          const layers = features.map((f) => (points ? pointMarker(f) : clusterMarker(f)));
          layers.forEach((layer) => markers.addLayer(layer));
          byTile.set(tileKey(coords), {
            z: coords.z,
            layers,
            reports: features.reduce((n, f) => n + (points ? 1 : f.properties.count || 0), 0),
            clusters: points ? 0 : features.length,
            few: points ? 0 : features.filter((f) => f.properties.suppressed).length,
          });
          return done(null, tile);
        })
        .catch((error) => {
          if (mine === generation) {
            failed = true;
            view.say(t('Could not load the reports.'));
          }
          done(error, tile);
        });
      return tile;
    },
  });
  const tiles = new TileLayer({ pane: 'reports', maxZoom: 19, maxNativeZoom: MAX_TILE_ZOOM });
  tiles.on('tileunload', (event) => {
    const key = tileKey(event.coords);
    const entry = byTile.get(key);
    if (entry) entry.layers.forEach((layer) => markers.removeLayer(layer));
    byTile.delete(key);
  });
  tiles.on('load', recount);

  async function load() {
    const size = map.getSize();
    if (!size.x || !size.y) return; // hidden while she fills in the form: nothing to show
    const params = source.filters();
    params.set('f', 'geojson');
    const wanted = params.toString();
    const wantedCollection = source.collection();
    // Panning: the tiles follow by themselves; after a failed tile (offline), ask again.
    if (wanted === query && wantedCollection === collection && !failed) return;
    if (!categoryByCode.size) {
      const all = await categories().catch(() => []);
      categoryByCode = new Map(all.map((c) => [c.code, c]));
    }
    generation += 1;
    failed = false;
    query = wanted;
    collection = wantedCollection;
    view.say('');
    if (!map.hasLayer(tiles)) tiles.addTo(map);
    else tiles.redraw();
  }

  return { load };
}
