// Published, non-sensitive reports as clustered points at their displaced places, the popup of
// each and the legend of their colours. Points are fetched for the visible box and filters.
import { config } from '../lib/config.js';
import { $, el } from '../lib/dom.js';
import { formatMonth, t } from '../lib/i18n.js';
import { scoped } from '../lib/municipality.js';
import { GROUP_COLOURS, categories, categoryLabel, groupColour, groupLabel } from './categories.js';
import { fmt, periodParams, popupRow, swatch } from './public-map.js';

const labels = config.labels || {};

const CLUSTER_OPTIONS = {
  clusterPane: 'reports',
  showCoverageOnHover: false,
  maxClusterRadius: 40,
  iconCreateFunction(cluster) {
    const n = cluster.getChildCount();
    return L.divIcon({
      html: `<span>${Number(n)}</span>`,
      className: 'mh-cluster',
      iconSize: L.point(40, 40),
    });
  },
};

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

/** The chosen group's non-sensitive category codes; '' for a group never drawn as points. */
async function categoryParam() {
  const group = $('filter-group').value;
  if (!group) return null;
  const all = await categories().catch(() => []);
  const codes = all.filter((c) => c.group === group && !c.sensitive).map((c) => c.code);
  return codes.length ? codes.join(',') : '';
}

/** The report points on the public map `view`; `load()` fetches those in view. */
export function addReportPoints(view) {
  const { map } = view;
  // Clusters are markers too: not Tab stops either (the list reads every point).
  if (L.MarkerCluster) L.MarkerCluster.mergeOptions({ keyboard: false });
  const points = L.markerClusterGroup ? L.markerClusterGroup(CLUSTER_OPTIONS) : L.layerGroup();
  points.addTo(map);
  const pointsById = new Map(); // kept across reloads, so an open popup survives a pan
  let pointsRequest = null;

  function currentBbox() {
    const b = map.getBounds();
    const clamp = (v, limit) => Math.max(-limit, Math.min(limit, v)).toFixed(6);
    return [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)].join(',');
  }

  function marker(feature) {
    const p = feature.properties;
    const [lon, lat] = feature.geometry.coordinates;
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

  async function load() {
    const size = map.getSize();
    if (!size.x || !size.y) return; // hidden while she fills in the form: nothing to show
    // A newer request supersedes this one; the older answer is ignored rather than aborted
    // (an aborted request would only stop the download, not the server's work).
    const request = {};
    pointsRequest = request;
    const params = periodParams();
    params.set('bbox', currentBbox());
    params.set('limit', '1000');
    const band = $('filter-time-band').value;
    let collection;
    try {
      const codes = await categoryParam();
      if (codes === '') {
        collection = { features: [], numberMatched: 0 }; // a group that is never drawn as points
      } else {
        if (codes) params.set('category', codes);
        const response = await fetch(scoped('/api/v1/reports', params), {
          headers: { Accept: 'application/geo+json' },
        });
        if (!response.ok) throw new Error(String(response.status));
        collection = await response.json();
      }
    } catch {
      if (pointsRequest === request) view.say(t('Could not load the reports.'));
      return;
    }
    if (pointsRequest !== request) return;
    const features = (collection.features || []).filter((f) => !band || f.properties.time_band === band);
    const wanted = new Set(features.map((f) => f.properties.public_id));
    pointsById.forEach((layer, id) => {
      if (!wanted.has(id)) {
        points.removeLayer(layer);
        pointsById.delete(id);
      }
    });
    const added = features.filter((f) => !pointsById.has(f.properties.public_id)).map((feature) => {
      const layer = marker(feature);
      pointsById.set(feature.properties.public_id, layer);
      return layer;
    });
    if (points.addLayers) points.addLayers(added);
    else added.forEach((layer) => points.addLayer(layer));
    view.count('reports', pointsById.size);
    const matched = collection.numberMatched;
    view.say(matched > (collection.features || []).length
      ? t('Showing {shown} of {total} reports; zoom in to see more.', { shown: fmt(pointsById.size), total: fmt(matched) })
      : '');
  }

  return { load };
}
