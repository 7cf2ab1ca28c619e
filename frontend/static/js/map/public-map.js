// The public map itself (Leaflet with the configured tiles and the attributions, panes for
// reports and services, the notice line under it) and what its layers share: the period
// filter, figures, popup rows and legend swatches. Settings come from the #config block.
import { config } from '../lib/config.js';
import { $, el } from '../lib/dom.js';
import { formatNumber, isoDate, isRtl, t } from '../lib/i18n.js';

/**
 * The map in `container`, as the view the layers and the report form share:
 * {map, container, reporting, debug, say, count}. `reporting` is set by the report form while
 * she is choosing a place (taps then place the pin); `debug` holds public figures only.
 */
export function createPublicMap(container, notice) {
  // Controls sit where the page's reading starts: the zoom at the top inline-start corner,
  // the attribution at the bottom inline-end one (mirrored in Arabic).
  const map = L.map(container, {
    center: config.center,
    zoom: config.zoom,
    maxZoom: 19,
    zoomControl: false,
    attributionControl: false,
  });
  L.control
    .zoom({
      position: isRtl ? 'topright' : 'topleft',
      zoomInTitle: t('Zoom in'),
      zoomOutTitle: t('Zoom out'),
    })
    .addTo(map);
  map.attributionControl = L.control
    .attribution({ position: isRtl ? 'bottomleft' : 'bottomright' })
    .addTo(map);
  if (config.tile_url) {
    L.tileLayer(config.tile_url, { attribution: config.tile_attribution, maxZoom: 19 }).addTo(map);
  }
  // Boundaries are OpenStreetMap data (ODbL) and population is TÜİK's: always credited.
  map.attributionControl.addAttribution(config.osm_attribution);
  map.attributionControl.addAttribution(config.population_attribution);
  map.createPane('reports').style.zIndex = 450;
  map.createPane('services').style.zIndex = 460;

  const debug = { map, mahalle: 0, reports: 0, services: 0 };
  const view = {
    map,
    container,
    reporting: false,
    debug,
    say(message) {
      notice.textContent = message;
      notice.hidden = !message;
    },
    /** How many things of a kind are drawn: for the debug hook and data-* on the map. */
    count(kind, n) {
      debug[kind] = n;
      container.dataset[kind] = String(n);
    },
  };
  view.say('');
  return view;
}

/** Figures in popups and the legend: at most two decimals. */
export const fmt = (value) => formatNumber(value, { maximumFractionDigits: 2 });

/** One line of a popup's definition list. */
export function popupRow(label, value) {
  return el('div', { class: 'popup__row' }, el('dt', null, label), el('dd', null, value));
}

/** A legend swatch. */
export function swatch(style, modifier) {
  return el('span', { class: modifier ? `swatch ${modifier}` : 'swatch', style, 'aria-hidden': 'true' });
}

/** since/until for the period filter (#period: all time, or the last 12 or 3 months). */
export function periodParams() {
  const months = Number($('period').value);
  const params = new URLSearchParams();
  if (months) {
    // Whole months only (the API refuses day-level public periods): this month and the
    // months before it.
    const now = new Date();
    const since = new Date(now.getFullYear(), now.getMonth() - (months - 1), 1);
    const until = new Date(now.getFullYear(), now.getMonth() + 1, 0);
    params.set('since', isoDate(since));
    params.set('until', isoDate(until));
  }
  return params;
}
