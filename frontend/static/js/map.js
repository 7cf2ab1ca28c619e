// The public map: mahalle choropleth, published report points and the report form.
// Plain script, no build step. Data comes from the JSON API; settings from the #config block.
// Nothing is written to localStorage, sessionStorage or cookies.
(function () {
  'use strict';

  const config = JSON.parse(document.getElementById('config').textContent);

  const PURPLES = ['#f2f0f7', '#cbc9e2', '#9e9ac8', '#756bb1', '#54278f'];
  const SUPPRESSED_FILL = '#bdbdbd';
  const HATCH_ID = 'mh-hatch';
  const GROUPS = {
    lighting: { colour: '#d97706', label: 'Aydınlatma · Lighting' },
    transport: { colour: '#2563eb', label: 'Ulaşım · Transport' },
    harassment: { colour: '#be123c', label: 'Taciz ve güvenlik · Harassment and safety' },
    environment: { colour: '#15803d', label: 'Çevre · Built environment' },
    infrastructure: { colour: '#57534e', label: 'Altyapı · Infrastructure' },
    other: { colour: '#6b7280', label: 'Diğer · Other' },
  };
  const SAFETY = {
    1: 'Çok güvensiz · Very unsafe',
    2: 'Güvensiz · Unsafe',
    3: 'Ne güvenli ne güvensiz · Neither safe nor unsafe',
    4: 'Oldukça güvenli · Fairly safe',
    5: 'Güvenli · Safe',
  };
  const TIME_BANDS = {
    day: 'Gündüz · Day',
    evening: 'Akşam · Evening',
    night: 'Gece · Night',
  };
  // Turkish wording for the fields the API may reject; the API's own message follows it.
  const FIELD_MESSAGES = {
    location: 'Yer · Place: haritada geçerli bir yer seçin.',
    category: 'Kategori · Category: bir kategori seçin.',
    occurred_on: 'Tarih · Date: ne zaman olduğunu girin.',
    time_band: 'Günün saati · Time of day: gündüz, akşam veya gece seçin.',
    perceived_safety: 'Güvenlik hissi · Safety: 1 ile 5 arasında bir değer seçin.',
    text: 'Açıklama · Description: en çok 2000 karakter.',
    reporter_gender: 'Cinsiyet · Gender: listeden seçin.',
    reporter_age_band: 'Yaş · Age: listeden seçin.',
    consent: 'Onay · Consent: göndermek için onay kutusunu işaretleyin.',
  };
  const FIELD_CONTROLS = {
    category: 'category',
    occurred_on: 'occurred-on',
    time_band: 'time-band',
    text: 'report-text',
    reporter_gender: 'reporter-gender',
    reporter_age_band: 'reporter-age-band',
    consent: 'consent',
  };

  const $ = (id) => document.getElementById(id);
  const number = new Intl.NumberFormat('tr-TR', { maximumFractionDigits: 2 });

  /** Build an element; children are strings (as text, never HTML) or nodes. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, value]) => {
      if (key === 'class') node.className = value;
      else node.setAttribute(key, value);
    });
    children.flat().forEach((child) => {
      if (child !== null && child !== undefined) node.append(child);
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

  // --- quick exit ---------------------------------------------------------------------------
  const exitLink = $('quick-exit');
  exitLink.addEventListener('click', (event) => {
    event.preventDefault();
    document.body.hidden = true;
    window.location.replace(exitLink.href); // replace: the back button does not return here
  });

  // --- the map ------------------------------------------------------------------------------
  const mapEl = $('map');
  const map = L.map(mapEl, { center: config.center, zoom: config.zoom });
  if (config.tile_url) {
    L.tileLayer(config.tile_url, { attribution: config.tile_attribution, maxZoom: 19 }).addTo(map);
  }
  // Boundaries are OpenStreetMap data (ODbL) and population is TÜİK's: always credited.
  map.attributionControl.addAttribution(config.osm_attribution);
  map.attributionControl.addAttribution(config.population_attribution);
  map.createPane('reports').style.zIndex = 450;

  // Test and debugging hook: public figures only.
  const debug = { map, mahalle: 0, reports: 0 };
  window.__mh = debug;

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

  function reportsText(p) {
    if (p.reports_suppressed) return `< ${config.k} (gizli · hidden)`;
    if (p.reports === null || p.reports === undefined) return '—';
    return number.format(p.reports);
  }

  const ESTIMATE = ' (tahmin · estimate)';

  function rateText(p) {
    const rate = p.reports_per_1000_women;
    if (rate === null || rate === undefined) return p.reports_suppressed ? `< ${config.k}` : '—';
    return number.format(rate) + (p.rate_is_estimate ? ESTIMATE : '');
  }

  function womenText(p) {
    const women = p.women_residents;
    if (women === null || women === undefined) return 'bilinmiyor · unknown';
    return number.format(women) + (p.women_is_estimate ? ESTIMATE : '');
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
        row('Bildirim · Reports', reportsText(p)),
        row('1.000 kadın başına · Per 1,000 women', rateText(p)),
        row('Kadın nüfusu · Women residents', womenText(p)),
        row('Alan · Area', p.area_km2 ? `${number.format(p.area_km2)} km²` : '—'),
      ),
    );
  }

  const areas = L.geoJSON(null, {
    className: 'mh-mahalle',
    style: areaStyle,
    onEachFeature(feature, layer) {
      layer.on('click', (event) => {
        if (reporting) return; // the map's click handler places the report marker
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
    const list = $('legend-classes');
    list.replaceChildren(
      ...classes.map((c, i) => {
        const range = c.low === c.high
          ? number.format(c.low)
          : `${i > 0 ? '> ' : ''}${number.format(c.low)} – ${number.format(c.high)}`;
        return el('li', null, swatch(`background:${c.colour}`), range);
      }),
      el('li', null, swatch(`background:${SUPPRESSED_FILL}`),
        `< ${config.k} bildirim, gizlendi · fewer than ${config.k} reports, hidden`),
      el('li', null, swatch('', 'swatch--hatch'), 'Veri yok · No data'),
    );
    $('legend-estimate').hidden = !features.some((f) => f.properties.rate_is_estimate);
  }

  async function loadIndicators() {
    const params = periodParams();
    const query = params.toString() ? `?${params}` : '';
    let collection;
    try {
      const response = await fetch(`/api/v1/indicators${query}`, { headers: { Accept: 'application/geo+json' } });
      if (!response.ok) throw new Error(String(response.status));
      collection = await response.json();
    } catch (error) {
      say('Mahalle göstergeleri yüklenemedi · Could not load the mahalle indicators.');
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

  // --- report points ------------------------------------------------------------------------
  const points = L.layerGroup().addTo(map);
  const pointsById = new Map(); // kept across reloads, so an open popup survives a pan
  let pointsRequest = null;

  function reportPopup(p) {
    const labels = p.category_labels || {};
    const group = GROUPS[p.category_group] || GROUPS.other;
    return el(
      'div',
      { class: 'popup' },
      p.demo ? el('p', { class: 'popup__demo' }, 'Demo verisi · Demo data') : null,
      el('h3', null, labels.tr || p.category),
      el('p', { class: 'popup__sub', lang: 'en' }, labels.en || '', ' · ', group.label),
      p.text ? el('blockquote', null, p.text) : null,
      el(
        'dl',
        null,
        row('Güvenlik hissi · Felt safety', `${p.perceived_safety} — ${SAFETY[p.perceived_safety] || ''}`),
        row('Ne zaman · When', `${p.occurred_month || ''} · ${TIME_BANDS[p.time_band] || ''}`),
        p.mahalle ? row('Mahalle', p.mahalle) : null,
        row('Ben de · Me too', number.format(p.confirmations || 0)),
      ),
    );
  }

  function renderPointLegend() {
    $('legend-points').replaceChildren(
      ...Object.entries(GROUPS)
        .filter(([group]) => group !== 'harassment') // never drawn as points
        .map(([, g]) => el('li', null, swatch(`background:${g.colour}`, 'swatch--dot'), g.label)),
    );
  }

  function currentBbox() {
    const b = map.getBounds();
    const clamp = (v, limit) => Math.max(-limit, Math.min(limit, v)).toFixed(6);
    return [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)].join(',');
  }

  async function loadReports() {
    if (pointsRequest) pointsRequest.abort();
    const request = new AbortController();
    pointsRequest = request;
    const params = periodParams();
    params.set('bbox', currentBbox());
    params.set('limit', '1000');
    let collection;
    try {
      const response = await fetch(`/api/v1/reports?${params}`, {
        headers: { Accept: 'application/geo+json' },
        signal: request.signal,
      });
      if (!response.ok) throw new Error(String(response.status));
      collection = await response.json();
    } catch (error) {
      if (error.name !== 'AbortError') say('Bildirimler yüklenemedi · Could not load the reports.');
      return;
    }
    const features = collection.features || [];
    const wanted = new Set(features.map((f) => f.properties.public_id));
    pointsById.forEach((layer, id) => {
      if (!wanted.has(id)) {
        points.removeLayer(layer);
        pointsById.delete(id);
      }
    });
    features.filter((f) => !pointsById.has(f.properties.public_id)).forEach((feature) => {
      const p = feature.properties;
      const [lon, lat] = feature.geometry.coordinates;
      const group = GROUPS[p.category_group] || GROUPS.other;
      const layer = L.circleMarker([lat, lon], {
        pane: 'reports', className: 'mh-report', radius: 7, weight: 2,
        color: '#ffffff', fillColor: group.colour, fillOpacity: 0.95,
      }).bindPopup(() => reportPopup(p), { maxWidth: 260 });
      pointsById.set(p.public_id, layer);
      points.addLayer(layer);
    });
    debug.reports = pointsById.size;
    mapEl.dataset.reports = String(debug.reports);
    const matched = collection.numberMatched;
    say(matched > debug.reports
      ? `${debug.reports} / ${matched} bildirim gösteriliyor; yakınlaştırın · showing ${debug.reports} of ${matched}; zoom in.`
      : '');
  }

  $('period').addEventListener('change', () => {
    loadIndicators();
    loadReports();
  });
  map.on('moveend', loadReports);
  const legend = $('legend');
  const legendControl = L.control({ position: 'bottomright' });
  legendControl.onAdd = () => legend;
  legendControl.addTo(map);
  L.DomEvent.disableClickPropagation(legend);
  L.DomEvent.disableScrollPropagation(legend);
  legend.open = window.matchMedia('(min-width: 48rem)').matches;
  renderPointLegend();

  // --- the report form ----------------------------------------------------------------------
  const panel = $('report-panel');
  const form = $('report-form');
  const errors = $('form-errors');
  const openButton = $('open-report');
  let reporting = false;
  let marker = null;
  let categoriesLoaded = false;

  function setLocation(latlng) {
    if (!marker) {
      marker = L.marker(latlng, { draggable: true, autoPan: true, title: 'Bildirilen yer · Reported place' });
      marker.on('dragend', () => setLocation(marker.getLatLng()));
      marker.addTo(map);
    } else {
      marker.setLatLng(latlng);
    }
    $('location-status').textContent = 'Yer seçildi ✓ · Place chosen';
    $('location-status').classList.add('location-status--set');
  }

  function clearLocation() {
    if (marker) marker.remove();
    marker = null;
    $('location-status').textContent = 'Yer seçilmedi · No place chosen';
    $('location-status').classList.remove('location-status--set');
  }

  map.on('click', (event) => {
    if (reporting) setLocation(event.latlng);
  });

  async function loadCategories() {
    if (categoriesLoaded) return;
    try {
      const response = await fetch('/api/v1/categories', { headers: { Accept: 'application/json' } });
      if (!response.ok) throw new Error(String(response.status));
      const categories = await response.json();
      const select = $('category');
      const groups = new Map();
      categories.forEach((c) => {
        if (!groups.has(c.group)) {
          const label = (GROUPS[c.group] || GROUPS.other).label;
          groups.set(c.group, el('optgroup', { label }));
        }
        const option = el('option', { value: c.code }, `${c.labels.tr} · ${c.labels.en}`);
        option.dataset.sensitive = String(Boolean(c.sensitive));
        groups.get(c.group).append(option);
      });
      select.append(...groups.values());
      categoriesLoaded = true;
    } catch (error) {
      showErrors(['Kategoriler yüklenemedi; sayfayı yenileyin. · Could not load the categories; reload the page.']);
    }
  }

  function openPanel() {
    reporting = true;
    panel.hidden = false;
    document.body.classList.add('is-reporting');
    openButton.setAttribute('aria-expanded', 'true');
    map.closePopup();
    map.invalidateSize();
    loadCategories();
    $('report-title').focus();
  }

  function closePanel() {
    reporting = false;
    panel.hidden = true;
    document.body.classList.remove('is-reporting');
    openButton.setAttribute('aria-expanded', 'false');
    $('tracking-code').textContent = '';
    $('report-mahalle').textContent = '';
    $('report-done').hidden = true;
    form.hidden = false;
    form.reset();
    resetWhen();
    clearLocation();
    showErrors([]);
    map.invalidateSize();
    openButton.focus();
  }

  function resetWhen() {
    const date = $('occurred-on');
    const today = new Date();
    const earliest = new Date();
    earliest.setDate(earliest.getDate() - 730);
    date.max = isoDate(today);
    date.min = isoDate(earliest);
    date.value = isoDate(today);
    toggleWhen();
  }

  function toggleWhen() {
    const now = $('happening-now').checked;
    $('when-earlier').hidden = now;
    $('occurred-on').disabled = now;
    $('time-band').disabled = now;
  }

  function showErrors(messages, fields) {
    form.querySelectorAll('[aria-invalid]').forEach((node) => node.removeAttribute('aria-invalid'));
    (fields || []).forEach((field) => {
      const control = FIELD_CONTROLS[field] && $(FIELD_CONTROLS[field]);
      if (control) control.setAttribute('aria-invalid', 'true');
    });
    if (!messages.length) {
      errors.replaceChildren();
      return;
    }
    errors.replaceChildren(
      el('p', { class: 'form-errors__title' }, 'Lütfen düzeltin · Please correct:'),
      el('ul', null, messages.map((m) => el('li', null, m))),
    );
    errors.focus();
  }

  /** The API's 422 body as lines: our Turkish wording, then the API's own message. */
  function errorLines(body) {
    const error = (body && body.error) || {};
    let fields = error.fields || [];
    if (!fields.length && error.field) fields = [{ field: error.field, message: error.message }];
    if (!fields.length) return { lines: [error.message || 'Gönderilemedi · Could not send.'], names: [] };
    const lines = fields.map((f) => {
      const name = String(f.field || '').split('.')[0];
      const turkish = error.code === 'outside_deployment_area'
        ? 'Yer · Place: bu yer haritanın kapsadığı alanın dışında.'
        : FIELD_MESSAGES[name];
      return turkish ? `${turkish} · ${f.message}` : `${f.field}: ${f.message}`;
    });
    return { lines, names: fields.map((f) => String(f.field || '').split('.')[0]) };
  }

  function payload() {
    const now = $('happening-now').checked;
    const safety = form.querySelector('input[name="perceived_safety"]:checked');
    const where = marker.getLatLng();
    return {
      category: $('category').value,
      location: { lon: Number(where.lng.toFixed(6)), lat: Number(where.lat.toFixed(6)) },
      happening_now: now,
      occurred_on: now ? null : $('occurred-on').value || null,
      time_band: now ? null : $('time-band').value || null,
      perceived_safety: safety ? Number(safety.value) : null,
      text: $('report-text').value,
      reporter_gender: $('reporter-gender').value || null,
      reporter_age_band: $('reporter-age-band').value || null,
      consent: $('consent').checked,
    };
  }

  async function submitReport(event) {
    event.preventDefault();
    if (!marker) {
      showErrors(['Yer · Place: haritaya dokunarak bir yer seçin. · Tap the map to choose the place.']);
      return;
    }
    const button = $('submit-report');
    button.disabled = true;
    try {
      const response = await fetch('/api/v1/reports', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(payload()),
      });
      const body = await response.json().catch(() => null);
      if (response.status === 201 && body) {
        showDone(body);
      } else {
        const { lines, names } = errorLines(body);
        showErrors(lines, names);
      }
    } catch (error) {
      showErrors(['Bağlantı kurulamadı; tekrar deneyin. · Could not connect; please try again.']);
    } finally {
      button.disabled = false;
    }
  }

  function showDone(created) {
    form.reset();
    resetWhen();
    clearLocation();
    showErrors([]);
    form.hidden = true;
    $('tracking-code').textContent = created.tracking_code;
    $('report-mahalle').textContent = created.mahalle ? `Mahalle: ${created.mahalle}` : '';
    $('report-mahalle').hidden = !created.mahalle;
    const done = $('report-done');
    done.hidden = false;
    panel.scrollTop = 0;
    done.focus({ preventScroll: true });
  }

  openButton.addEventListener('click', openPanel);
  $('cancel-report').addEventListener('click', closePanel);
  $('done-close').addEventListener('click', closePanel);
  $('happening-now').addEventListener('change', toggleWhen);
  $('category').addEventListener('change', (event) => {
    const option = event.target.selectedOptions[0];
    $('category-note').hidden = !(option && option.dataset.sensitive === 'true');
  });
  $('use-location').addEventListener('click', () => {
    if (!navigator.geolocation) {
      $('location-status').textContent = 'Konum kullanılamıyor · Location is not available';
      return;
    }
    $('location-status').textContent = 'Konum alınıyor… · Getting your location…';
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const latlng = L.latLng(position.coords.latitude, position.coords.longitude);
        map.setView(latlng, Math.max(map.getZoom(), 16));
        setLocation(latlng);
      },
      () => {
        $('location-status').textContent = 'Konum alınamadı; haritaya dokunun. · Could not get your location; tap the map.';
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 },
    );
  });
  form.addEventListener('submit', submitReport);
  resetWhen();

  loadIndicators();
  loadReports();
})();
