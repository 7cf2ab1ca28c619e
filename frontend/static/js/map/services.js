// Support services (counselling, police, health) as a layer she turns on; sample entries say so.
import { api } from '../lib/api.js';
import { config } from '../lib/config.js';
import { el } from '../lib/dom.js';
import { localName, t } from '../lib/i18n.js';
import { onMunicipalityChange, scoped } from '../lib/municipality.js';
import { popupRow } from './public-map.js';

const labels = config.labels || {};

/** A phone number as a tel: link target (digits and + only). */
export function telHref(phone) {
  return `tel:${String(phone).replace(/[^0-9+]/g, '')}`;
}

function servicePopup(p) {
  const kind = localName(p.kind_label, (labels.service_kinds && labels.service_kinds[p.kind]) || p.kind);
  return el(
    'div',
    { class: 'popup' },
    p.is_sample ? el('p', { class: 'popup__demo' }, t('Sample entry, not a real listing')) : null,
    el('h3', null, p.name),
    el('p', { class: 'popup__sub' }, kind || ''),
    el(
      'dl',
      null,
      p.address ? popupRow(t('Address'), p.address) : null,
      p.phone ? popupRow(t('Phone'), el('a', { href: telHref(p.phone) }, p.phone)) : null,
      p.hours ? popupRow(t('Hours'), p.hours) : null,
    ),
  );
}

/** The services layer on the public map `view` (those of the chosen municipality), shown
 * while `checkbox` is ticked. */
export function addServicesToggle(view, checkbox) {
  const { map } = view;
  const services = L.layerGroup();
  let loaded = false;

  async function load() {
    if (loaded) return;
    const path = scoped('/api/v1/services');
    const result = await api(path).catch(() => ({ status: 0 }));
    if (path !== scoped('/api/v1/services')) return; // another municipality was chosen meanwhile
    if (result.status !== 200 || !result.body) {
      view.say(t('Could not load the support services.'));
      return;
    }
    services.clearLayers();
    (result.body.features || []).forEach((feature) => {
      const [lon, lat] = feature.geometry.coordinates;
      L.marker([lat, lon], {
        pane: 'services',
        icon: L.divIcon({ className: 'mh-service', html: '<span aria-hidden="true">+</span>', iconSize: [28, 28] }),
        title: feature.properties.name,
        alt: feature.properties.name,
      }).bindPopup(() => servicePopup(feature.properties), { maxWidth: 260 }).addTo(services);
    });
    loaded = true;
    view.count('services', services.getLayers().length);
  }

  onMunicipalityChange(async () => {
    loaded = false;
    services.clearLayers();
    view.count('services', 0);
    if (checkbox.checked) await load();
  });

  checkbox.addEventListener('change', async (event) => {
    if (event.target.checked) {
      await load();
      services.addTo(map);
    } else {
      services.remove();
    }
  });
}
