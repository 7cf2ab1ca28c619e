// The public map: mahalle choropleth, published report points (clustered), support services,
// filters and legend. Plain script, no build step. Data comes from the JSON API; settings and
// interface strings from the #config block. Nothing is written to any storage on the device.
// Shares with the report scripts: MH.el, MH.isoDate, MH.categories(), MH.mapView.
(function () {
  'use strict';

  const config = JSON.parse(document.getElementById('config').textContent);
  const { t } = window.MH;
  const labels = config.labels || {};

  const PURPLES = ['#f2f0f7', '#cbc9e2', '#9e9ac8', '#756bb1', '#54278f'];
  const SUPPRESSED_FILL = '#bdbdbd';
  const HATCH_ID = 'mh-hatch';
  const GROUP_COLOURS = {
    lighting: '#b45309',
    transport: '#1d4ed8',
    harassment: '#be123c',
    environment: '#15803d',
    infrastructure: '#57534e',
    other: '#6b7280',
  };

  const $ = (id) => document.getElementById(id);

  /** Build an element; children are strings (as text, never HTML) or nodes. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, value]) => {
      if (value === null || value === undefined || value === false) return;
      if (key === 'class') node.className = value;
      else node.setAttribute(key, value === true ? '' : value);
    });
    children.flat().forEach((child) => {
      if (child !== null && child !== undefined && child !== false) node.append(child);
    });
    return node;
  }

  function row(label, value) {
    return el('div', { class: 'popup__row' }, el('dt', null, label), el('dd', null, value));
  }

  function isoDate(date) {
    const pad = (n) => String(n).padStart(2, '0');
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  }

  function groupLabel(group) {
    return (labels.groups && labels.groups[group]) || group;
  }

  function groupColour(group) {
    return GROUP_COLOURS[group] || GROUP_COLOURS.other;
  }

  /** A category's label in the page's language (the API gives Turkish and English). */
  function categoryLabel(category) {
    const names = (category && (category.labels || category.category_labels)) || {};
    return names[window.MH.locale] || names.tr || (category && (category.code || category.category)) || '';
  }

  let categoriesPromise = null;
  /** The active categories (GET /api/v1/categories), fetched once per page. */
  function categories() {
    if (!categoriesPromise) {
      categoriesPromise = window.MH.api('/api/v1/categories').then((result) => {
        if (result.status !== 200 || !Array.isArray(result.body)) {
          categoriesPromise = null;
          throw new Error(String(result.status));
        }
        return result.body;
      });
    }
    return categoriesPromise;
  }

  // --- the map ------------------------------------------------------------------------------
  const mapEl = $('map');
  const map = L.map(mapEl, { center: config.center, zoom: config.zoom, maxZoom: 19 });
  if (config.tile_url) {
    L.tileLayer(config.tile_url, { attribution: config.tile_attribution, maxZoom: 19 }).addTo(map);
  }
  // Boundaries are OpenStreetMap data (ODbL) and population is TÜİK's: always credited.
  map.attributionControl.addAttribution(config.osm_attribution);
  map.attributionControl.addAttribution(config.population_attribution);
  map.createPane('reports').style.zIndex = 450;
  map.createPane('services').style.zIndex = 460;

  // Test and debugging hook: public figures only.
  const debug = { map, mahalle: 0, reports: 0, services: 0 };
  window.__mh = debug;
  // Set by the report form while she is choosing a place: taps then place the pin.
  const view = { map, reporting: false };

  const notice = $('map-notice');
  function say(message) {
    notice.textContent = message;
    notice.hidden = !message;
  }
  say('');

  function periodParams() {
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

  // --- choropleth ---------------------------------------------------------------------------
  let classes = [];

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

  const fmt = (value) => window.MH.formatNumber(value, { maximumFractionDigits: 2 });
  const ESTIMATE = () => ' (' + t('estimate') + ')';

  function reportsText(p) {
    if (p.reports_suppressed) return t('fewer than {k} (hidden)', { k: config.k });
    if (p.reports === null || p.reports === undefined) return '—';
    return fmt(p.reports);
  }

  function rateText(p) {
    const rate = p.reports_per_1000_women;
    if (rate === null || rate === undefined) return p.reports_suppressed ? `< ${config.k}` : '—';
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
        row(t('Reports'), reportsText(p)),
        row(t('Per 1,000 women'), rateText(p)),
        row(t('Women residents'), womenText(p)),
        row(t('Area'), p.area_km2 ? `${fmt(p.area_km2)} km²` : '—'),
      ),
    );
  }

  const areas = L.geoJSON(null, {
    className: 'mh-mahalle',
    style: areaStyle,
    onEachFeature(feature, layer) {
      layer.on('click', (event) => {
        if (view.reporting) return; // the report form's click handler places the pin
        L.DomEvent.stopPropagation(event);
        L.popup({ maxWidth: 260 })
          .setLatLng(event.latlng)
          .setContent(areaPopup(feature.properties))
          .openOn(map);
      });
    },
  }).addTo(map);

  /** Hatching for "no data", defined once in the SVG that draws the mahalle. */
  function ensureHatch() {
    const svg = map.getPane('overlayPane').querySelector('svg');
    if (!svg || svg.querySelector(`#${HATCH_ID}`)) return;
    const ns = 'http://www.w3.org/2000/svg';
    const make = (tag, attrs) => {
      const node = document.createElementNS(ns, tag);
      Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, v));
      return node;
    };
    const pattern = make('pattern', {
      id: HATCH_ID, width: 6, height: 6, patternUnits: 'userSpaceOnUse',
      patternTransform: 'rotate(45)',
    });
    pattern.append(make('rect', { width: 6, height: 6, fill: '#f4f4f4' }));
    pattern.append(make('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: '#9e9e9e', 'stroke-width': 1.5 }));
    const defs = svg.querySelector('defs') || svg.insertBefore(make('defs', {}), svg.firstChild);
    defs.append(pattern);
  }

  function swatch(style, modifier) {
    return el('span', { class: modifier ? `swatch ${modifier}` : 'swatch', style, 'aria-hidden': 'true' });
  }

  function renderAreaLegend(features) {
    $('legend-classes').replaceChildren(
      ...classes.map((c, i) => {
        const range = c.low === c.high
          ? fmt(c.low)
          : `${i > 0 ? '> ' : ''}${fmt(c.low)} – ${fmt(c.high)}`;
        return el('li', null, swatch(`background:${c.colour}`), range);
      }),
      el('li', null, swatch(`background:${SUPPRESSED_FILL}`),
        t('fewer than {k} reports, hidden', { k: config.k })),
      el('li', null, swatch('', 'swatch--hatch'), t('No data')),
    );
    $('legend-estimate').hidden = !features.some((f) => f.properties.rate_is_estimate);
  }

  async function loadIndicators() {
    const params = periodParams();
    const group = $('filter-group').value;
    if (group) params.append('group', group);
    const query = params.toString() ? `?${params}` : '';
    let collection;
    try {
      const response = await fetch(`/api/v1/indicators${query}`, { headers: { Accept: 'application/geo+json' } });
      if (!response.ok) throw new Error(String(response.status));
      collection = await response.json();
    } catch (error) {
      say(t('Could not load the mahalle indicators.'));
      return;
    }
    const features = collection.features || [];
    classes = quantileClasses(
      features.map((f) => f.properties.reports_per_1000_women).filter((v) => v !== null && v !== undefined),
    );
    map.closePopup();
    areas.clearLayers();
    areas.addData(features);
    ensureHatch();
    areas.setStyle(areaStyle); // the hatch exists now; restyle so the fill finds it
    renderAreaLegend(features);
    debug.mahalle = areas.getLayers().length;
    mapEl.dataset.mahalle = String(debug.mahalle);
  }

  // --- report points (clustered) --------------------------------------------------------------
  const clusterOptions = {
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
  const points = L.markerClusterGroup ? L.markerClusterGroup(clusterOptions) : L.layerGroup();
  points.addTo(map);
  const pointsById = new Map(); // kept across reloads, so an open popup survives a pan
  let pointsRequest = null;

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
        row(t('Felt safety'), `${p.perceived_safety} — ${safety}`),
        row(t('When'), `${p.occurred_month || ''} · ${band}`),
        p.mahalle ? row(t('Neighbourhood (mahalle)'), p.mahalle) : null,
        row(t('Me too'), fmt(p.confirmations || 0)),
      ),
    );
  }

  function renderPointLegend() {
    $('legend-points').replaceChildren(
      ...Object.keys(GROUP_COLOURS)
        .filter((group) => group !== 'harassment') // never drawn as points
        .map((group) => el('li', null, swatch(`background:${groupColour(group)}`, 'swatch--dot'), groupLabel(group))),
    );
  }

  function currentBbox() {
    const b = map.getBounds();
    const clamp = (v, limit) => Math.max(-limit, Math.min(limit, v)).toFixed(6);
    return [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)].join(',');
  }

  async function categoryParam() {
    const group = $('filter-group').value;
    if (!group) return null;
    const all = await categories().catch(() => []);
    const codes = all.filter((c) => c.group === group && !c.sensitive).map((c) => c.code);
    return codes.length ? codes.join(',') : '';
  }

  async function loadReports() {
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
        const response = await fetch(`/api/v1/reports?${params}`, {
          headers: { Accept: 'application/geo+json' },
        });
        if (!response.ok) throw new Error(String(response.status));
        collection = await response.json();
      }
    } catch (error) {
      if (pointsRequest === request) say(t('Could not load the reports.'));
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
      const p = feature.properties;
      const [lon, lat] = feature.geometry.coordinates;
      // A focusable marker (role=button, named by its category): Tab reaches it, Enter opens it.
      const layer = L.marker([lat, lon], {
        pane: 'reports',
        icon: L.divIcon({ className: `mh-report mh-report--${p.category_group}`, iconSize: [18, 18] }),
        title: categoryLabel(p),
        keyboard: true,
      }).bindPopup(() => reportPopup(p), { maxWidth: 260 });
      pointsById.set(p.public_id, layer);
      return layer;
    });
    if (points.addLayers) points.addLayers(added);
    else added.forEach((layer) => points.addLayer(layer));
    debug.reports = pointsById.size;
    mapEl.dataset.reports = String(debug.reports);
    const matched = collection.numberMatched;
    say(matched > (collection.features || []).length
      ? t('Showing {shown} of {total} reports; zoom in to see more.', { shown: fmt(debug.reports), total: fmt(matched) })
      : '');
  }

  // --- support services (a toggle) ------------------------------------------------------------
  const services = L.layerGroup();
  let servicesLoaded = false;

  function servicePopup(p) {
    const names = p.kind_label || {};
    const kind = names[window.MH.locale] || names.tr || (labels.service_kinds && labels.service_kinds[p.kind]) || p.kind;
    return el(
      'div',
      { class: 'popup' },
      p.is_sample ? el('p', { class: 'popup__demo' }, t('Sample entry, not a real listing')) : null,
      el('h3', null, p.name),
      el('p', { class: 'popup__sub' }, kind || ''),
      el(
        'dl',
        null,
        p.address ? row(t('Address'), p.address) : null,
        p.phone ? row(t('Phone'), el('a', { href: `tel:${String(p.phone).replace(/[^0-9+]/g, '')}` }, p.phone)) : null,
        p.hours ? row(t('Hours'), p.hours) : null,
      ),
    );
  }

  async function loadServices() {
    if (servicesLoaded) return;
    const result = await window.MH.api('/api/v1/services').catch(() => ({ status: 0 }));
    if (result.status !== 200 || !result.body) {
      say(t('Could not load the support services.'));
      return;
    }
    (result.body.features || []).forEach((feature) => {
      const [lon, lat] = feature.geometry.coordinates;
      L.marker([lat, lon], {
        pane: 'services',
        icon: L.divIcon({ className: 'mh-service', html: '<span aria-hidden="true">+</span>', iconSize: [28, 28] }),
        title: feature.properties.name,
        alt: feature.properties.name,
      }).bindPopup(() => servicePopup(feature.properties), { maxWidth: 260 }).addTo(services);
    });
    servicesLoaded = true;
    debug.services = services.getLayers().length;
    mapEl.dataset.services = String(debug.services);
  }

  $('show-services').addEventListener('change', async (event) => {
    if (event.target.checked) {
      await loadServices();
      services.addTo(map);
    } else {
      services.remove();
    }
  });

  // --- filters and legend -----------------------------------------------------------------------
  $('period').addEventListener('change', () => {
    loadIndicators();
    loadReports();
  });
  $('filter-group').addEventListener('change', () => {
    loadIndicators();
    loadReports();
  });
  $('filter-time-band').addEventListener('change', loadReports);
  map.on('moveend', loadReports);
  const legend = $('legend');
  const legendControl = L.control({ position: 'bottomright' });
  legendControl.onAdd = () => legend;
  legendControl.addTo(map);
  L.DomEvent.disableClickPropagation(legend);
  L.DomEvent.disableScrollPropagation(legend);
  legend.open = window.matchMedia('(min-width: 48rem)').matches;
  renderPointLegend();

  window.MH = Object.assign(window.MH || {}, {
    el, isoDate, categories, categoryLabel, groupLabel, groupColour, mapView: view,
  });

  loadIndicators();
  loadReports();
})();
