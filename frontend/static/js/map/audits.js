// Safety audit points (approved walks of Women's Assembly volunteers) as a layer she turns
// on: displaced points with their nine 0–3 scores, never a note, a photo or a day. Drawn from
// the audit tiles (GET /api/v1/audits/tiles/{z}/{y}/{x}): below zoom 15 each tile's cells with
// their protected counts ("fewer than k" without one), from 15 each point with its popup.
import { el } from '../lib/dom.js';
import { formatNumber, t } from '../lib/i18n.js';
import { currentMunicipality, onMunicipalityChange } from '../lib/municipality.js';
import { fmt, popupRow } from './public-map.js';

const POINT_MIN_ZOOM = 15; // as the server's tile_audits.POINT_MIN_ZOOM
const MAX_TILE_ZOOM = 22;

const NAMES = () => ({
  lighting: t('Lighting'),
  openness: t('Openness'),
  visibility: t('Visibility'),
  people: t('People'),
  security: t('Security'),
  walk_path: t('Walk path'),
  public_transport: t('Public transport'),
  gender_usage: t('Gender usage'),
  feeling: t('Feeling'),
});
// Low scores (unsafe) dark purple, high ones pale: the scale of the map's other layers.
const COLOURS = ['#3f007d', '#6a51a3', '#9e9ac8', '#dadaeb'];
const colour = (score) => COLOURS[Math.min(3, Math.floor(score))];

function auditPopup(p) {
  const names = NAMES();
  return el('div', { class: 'popup' },
    p.example ? el('p', { class: 'popup__demo' }, t('Demo data')) : null,
    el('h3', null, t('Safety audit point')),
    el('p', { class: 'popup__sub' }, [p.mahalle, p.walked_month].filter(Boolean).join(' · ')),
    el('dl', null,
      popupRow(t('Mean score (0–3)'), formatNumber(p.score, { maximumFractionDigits: 1 })),
      Object.entries(p.scores).map(([code, value]) => popupRow(names[code] || code, formatNumber(value)))));
}

function tileUrl(coords) {
  const code = currentMunicipality();
  const query = code ? `?municipality=${encodeURIComponent(code)}` : '';
  return `/api/v1/audits/tiles/${coords.z}/${coords.y}/${coords.x}${query}`;
}

/** The audit points layer on the public map `view`, shown while `checkbox` is ticked. */
export function addAuditToggle(view, checkbox) {
  const { map } = view;
  const markers = L.layerGroup();
  const byTile = new Map(); // tile key -> {z, layers, points}
  let generation = 0; // a tile answered for another municipality is dropped

  function clusterMarker(feature) {
    const [lon, lat] = feature.geometry.coordinates;
    const p = feature.properties;
    const label = p.suppressed
      ? t('Fewer than {k} safety audit points', { k: p.k })
      : t('{n} safety audit points, mean score {score}', { n: fmt(p.count), score: fmt(p.score) });
    const marker = L.circleMarker([lat, lon], {
      pane: 'services',
      radius: 11,
      color: '#222',
      weight: 1,
      dashArray: p.suppressed ? '3 3' : null,
      fillColor: p.suppressed ? '#ffffff' : colour(p.score),
      fillOpacity: 0.85,
    }).bindTooltip(label);
    // A cell opens onto its place: zoom in, towards the zoom where the points are drawn.
    marker.on('click', () => map.setView([lat, lon], Math.min(map.getZoom() + 2, POINT_MIN_ZOOM)));
    return marker;
  }

  function pointMarker(feature) {
    const [lon, lat] = feature.geometry.coordinates;
    return L.circleMarker([lat, lon], { pane: 'services', radius: 7, color: '#222', weight: 1, fillColor: colour(feature.properties.score), fillOpacity: 0.9 })
      .bindPopup(() => auditPopup(feature.properties), { maxWidth: 260, autoPanPaddingTopLeft: L.point(64, 72) });
  }

  function recount() {
    const z = map.getZoom();
    let points = 0;
    byTile.forEach((entry) => { if (entry.z === z) points += entry.points; });
    view.count('audits', points);
  }

  const TileLayer = L.GridLayer.extend({
    createTile(coords, done) {
      const tile = document.createElement('div');
      const mine = generation;
      fetch(tileUrl(coords), { headers: { Accept: 'application/geo+json' } })
        .then((response) => {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then((data) => {
          if (mine !== generation) return done(null, tile);
          const features = data.features || [];
          const points = data.layer === 'audit_points';
          const layers = features.map((f) => (points ? pointMarker(f) : clusterMarker(f)));
          layers.forEach((layer) => markers.addLayer(layer));
          byTile.set(`${coords.z}/${coords.y}/${coords.x}`, {
            z: coords.z,
            layers,
            points: features.reduce((n, f) => n + (points ? 1 : f.properties.count || 0), 0),
          });
          return done(null, tile);
        })
        .catch((error) => {
          if (mine === generation) view.say(t('Could not load the safety audit points.'));
          done(error, tile);
        });
      return tile;
    },
  });
  const tiles = new TileLayer({ pane: 'services', maxZoom: 19, maxNativeZoom: MAX_TILE_ZOOM });
  tiles.on('tileunload', (event) => {
    const key = `${event.coords.z}/${event.coords.y}/${event.coords.x}`;
    const entry = byTile.get(key);
    if (entry) entry.layers.forEach((layer) => markers.removeLayer(layer));
    byTile.delete(key);
  });
  tiles.on('load', recount);

  onMunicipalityChange(() => {
    generation += 1;
    if (checkbox.checked) tiles.redraw();
  });

  checkbox.addEventListener('change', (event) => {
    if (event.target.checked) {
      generation += 1;
      markers.addTo(map);
      tiles.addTo(map);
    } else {
      tiles.remove();
      markers.clearLayers();
      markers.remove();
      byTile.clear();
    }
  });
}
