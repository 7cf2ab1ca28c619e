// The mahalle choropleth: reports per 1,000 women in up to five quantile classes, counts below
// k suppressed (grey, dashed), "no data" hatched; a popup per mahalle and the legend's classes.
import { api } from '../lib/api.js';
import { config } from '../lib/config.js';
import { $, el, svgEl } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { scoped } from '../lib/municipality.js';
import { fmt, periodParams, popupRow, swatch } from './public-map.js';

const PURPLES = ['#f2f0f7', '#cbc9e2', '#9e9ac8', '#756bb1', '#54278f'];
const SUPPRESSED_FILL = '#bdbdbd';
const HATCH_ID = 'mh-hatch';
const ESTIMATE = () => ' (' + t('estimate') + ')';

/**
 * Up to five quantile classes over the non-null values, by their upper bounds: class 0 holds
 * [min, u0], class i holds (u(i-1), ui]. Ties merge classes, so many zeros form one class.
 */
function quantileClasses(values) {
  if (!values.length) return [];
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const uppers = [...new Set([at(0.2), at(0.4), at(0.6), at(0.8), sorted.at(-1)])];
  const last = uppers.length - 1;
  return uppers.map((high, i) => ({
    low: i === 0 ? sorted[0] : uppers[i - 1],
    high,
    colour: PURPLES[last === 0 ? 2 : Math.round((i * (PURPLES.length - 1)) / last)],
  }));
}

/** The threshold below which this mahalle's counts are withheld (its municipality's k). */
const kOf = (p) => p.suppression_threshold_k || config.k;

function reportsText(p) {
  if (p.reports_suppressed) return t('fewer than {k} (hidden)', { k: kOf(p) });
  if (p.reports === null || p.reports === undefined) return '—';
  return fmt(p.reports);
}

function rateText(p) {
  const rate = p.reports_per_1000_women;
  if (rate === null || rate === undefined) return p.reports_suppressed ? `< ${kOf(p)}` : '—';
  return fmt(rate) + (p.rate_is_estimate ? ESTIMATE() : '');
}

function womenText(p) {
  const women = p.women_residents;
  if (women === null || women === undefined) return t('unknown');
  return fmt(women) + (p.women_is_estimate ? ESTIMATE() : '');
}

function areaPopup(p) {
  return el(
    'div',
    { class: 'popup' },
    el('h3', null, p.name),
    el('p', { class: 'popup__sub' }, p.district || ''),
    el(
      'dl',
      null,
      popupRow(t('Reports'), reportsText(p)),
      popupRow(t('Per 1,000 women'), rateText(p)),
      popupRow(t('Women residents'), womenText(p)),
      popupRow(t('Area'), p.area_km2 ? `${fmt(p.area_km2)} km²` : '—'),
    ),
  );
}

/** The equality-plan items that target this mahalle, added to its popup when known. */
async function addPlanTargets(popup, code) {
  const result = await api(`/api/v1/plans/targets?mahalle=${encodeURIComponent(code)}`);
  const targets = (result.status === 200 && result.body && result.body.targets) || [];
  if (!targets.length) return;
  const en = document.documentElement.lang === 'en';
  popup.append(
    el('h4', { class: 'popup__section' }, t('Equality plan targets here')),
    el('ul', { class: 'popup__targets' }, ...targets.map((item) => el(
      'li',
      null,
      el('a', { href: item.url }, `${item.item} ${(en && item.title.en) || item.title.tr}`),
      item.progress === null || item.progress === undefined ? '' : ` (${fmt(item.progress)} %)`,
    ))),
  );
}

/** The legend's k: one threshold, or the range when municipalities set their own. */
function legendK(features) {
  const ks = [...new Set(features.map((f) => kOf(f.properties)))].sort((a, b) => a - b);
  if (ks.length < 2) return ks.length ? ks[0] : config.k;
  return `${ks[0]}–${ks.at(-1)}`;
}

function renderLegend(classes, features) {
  $('legend-classes').replaceChildren(
    ...classes.map((c, i) => {
      const range = c.low === c.high
        ? fmt(c.low)
        : `${i > 0 ? '> ' : ''}${fmt(c.low)} – ${fmt(c.high)}`;
      return el('li', null, swatch(`background:${c.colour}`), range);
    }),
    el('li', null, swatch(`background:${SUPPRESSED_FILL}`),
      t('fewer than {k} reports, hidden', { k: legendK(features) })),
    el('li', null, swatch('', 'swatch--hatch'), t('No data')),
  );
  $('legend-estimate').hidden = !features.some((f) => f.properties.rate_is_estimate);
}

/** The mahalle layer on the public map `view`; `load()` fetches it for the current filters. */
export function addChoropleth(view) {
  const { map } = view;
  let classes = [];
  let latest = null; // the newest request: an older answer (another filter or municipality) is dropped

  function classOf(value) {
    return classes.find((c) => value <= c.high) || classes.at(-1);
  }

  function areaStyle(feature) {
    const p = feature.properties;
    const rate = p.reports_per_1000_women;
    const style = { color: '#4a3b5c', weight: 1, opacity: 0.7, fillOpacity: 0.65, dashArray: null };
    if (p.reports_suppressed) return { ...style, fillColor: SUPPRESSED_FILL, dashArray: '4 3' };
    if (rate === null || rate === undefined) {
      return { ...style, fillColor: `url(#${HATCH_ID})`, fillOpacity: 1 };
    }
    return { ...style, fillColor: classOf(rate).colour };
  }

  const areas = L.geoJSON(null, {
    className: 'mh-mahalle',
    style: areaStyle,
    onEachFeature(feature, layer) {
      layer.on('click', (event) => {
        if (view.reporting) return; // the report form's click handler places the pin
        L.DomEvent.stopPropagation(event);
        const content = areaPopup(feature.properties);
        L.popup({ maxWidth: 260 }).setLatLng(event.latlng).setContent(content).openOn(map);
        addPlanTargets(content, feature.properties.code);
      });
    },
  }).addTo(map);

  /** Hatching for "no data", defined once in the SVG that draws the mahalle. */
  function ensureHatch() {
    const svg = map.getPane('overlayPane').querySelector('svg');
    if (!svg || svg.querySelector(`#${HATCH_ID}`)) return;
    const pattern = svgEl('pattern', {
      id: HATCH_ID, width: 6, height: 6, patternUnits: 'userSpaceOnUse',
      patternTransform: 'rotate(45)',
    });
    pattern.append(svgEl('rect', { width: 6, height: 6, fill: '#f4f4f4' }));
    pattern.append(svgEl('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: '#9e9e9e', 'stroke-width': 1.5 }));
    const defs = svg.querySelector('defs') || svg.insertBefore(svgEl('defs', {}), svg.firstChild);
    defs.append(pattern);
  }

  async function load() {
    const request = {};
    latest = request;
    const params = periodParams();
    const group = $('filter-group').value;
    if (group) params.append('group', group);
    let collection;
    try {
      const response = await fetch(scoped('/api/v1/indicators', params), { headers: { Accept: 'application/geo+json' } });
      if (!response.ok) throw new Error(String(response.status));
      collection = await response.json();
    } catch {
      if (latest === request) view.say(t('Could not load the mahalle indicators.'));
      return;
    }
    if (latest !== request) return;
    const features = collection.features || [];
    classes = quantileClasses(
      features.map((f) => f.properties.reports_per_1000_women).filter((v) => v !== null && v !== undefined),
    );
    map.closePopup();
    areas.clearLayers();
    areas.addData(features);
    ensureHatch();
    areas.setStyle(areaStyle); // the hatch exists now; restyle so the fill finds it
    renderLegend(classes, features);
    view.count('mahalle', areas.getLayers().length);
  }

  return { load };
}
