// Safety audit points (approved walks of Women's Assembly volunteers) as a layer she turns
// on: displaced points with their nine 0–3 scores, never a note, a photo or a day.
import { api } from '../lib/api.js';
import { el } from '../lib/dom.js';
import { formatNumber, t } from '../lib/i18n.js';
import { onMunicipalityChange, scoped } from '../lib/municipality.js';
import { popupRow } from './public-map.js';

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

/** The audit points layer on the public map `view`, shown while `checkbox` is ticked. */
export function addAuditToggle(view, checkbox) {
  const { map } = view;
  const layer = L.layerGroup();
  let loaded = false;

  async function load() {
    if (loaded) return;
    const path = scoped('/api/v1/audits/points');
    const result = await api(path).catch(() => ({ status: 0 }));
    if (path !== scoped('/api/v1/audits/points')) return;
    if (result.status !== 200 || !result.body) {
      view.say(t('Could not load the safety audit points.'));
      return;
    }
    layer.clearLayers();
    for (const feature of result.body.features) {
      const [lon, lat] = feature.geometry.coordinates;
      const colour = COLOURS[Math.min(3, Math.floor(feature.properties.score))];
      L.circleMarker([lat, lon], { pane: 'services', radius: 7, color: '#222', weight: 1, fillColor: colour, fillOpacity: 0.9 })
        .bindPopup(() => auditPopup(feature.properties), { maxWidth: 260 })
        .addTo(layer);
    }
    loaded = true;
    view.count('audits', layer.getLayers().length);
  }

  onMunicipalityChange(async () => {
    loaded = false;
    layer.clearLayers();
    if (checkbox.checked) await load();
  });

  checkbox.addEventListener('change', async (event) => {
    if (event.target.checked) {
      await load();
      layer.addTo(map);
    } else {
      layer.remove();
    }
  });
}
