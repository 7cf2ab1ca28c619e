// The "report a place" flow: when, where (pin, phone position or a mahalle from a list), what
// (category, "me too", safety, text, photos), about you and consent; then the tracking code,
// the nearest services and the emergency numbers. Reports made offline go to the outbox
// (offline.js) and are sent when the connection returns. Nothing is kept on the device once
// a report is sent: no localStorage, no sessionStorage, no cookie, and the outbox entry is
// removed.
(function () {
  'use strict';

  const config = JSON.parse(document.getElementById('config').textContent);
  const { t, el, mapView } = window.MH;
  const map = mapView.map;
  const $ = (id) => document.getElementById(id);
  const labels = config.labels || {};

  const STEPS = ['when', 'place', 'what', 'consent'];
  const STEP_TITLES = {
    when: () => t('When?'),
    place: () => t('Where?'),
    what: () => t('What is it?'),
    consent: () => t('About you, and your consent'),
  };
  // Where each field the API may name is asked, and the control that gets aria-invalid.
  const FIELDS = {
    happening_now: ['when', 'when-now'],
    occurred_on: ['when', 'occurred-on'],
    time_band: ['when', 'time-band'],
    location: ['place', 'pin-centre'],
    mahalle_code: ['place', 'mahalle-select'],
    place_description: ['place', 'place-description'],
    category: ['what', null],
    perceived_safety: ['what', 'safety-1'],
    text: ['what', 'report-text'],
    photos: ['what', 'photos'],
    reporter_gender: ['consent', 'reporter-gender'],
    reporter_age_band: ['consent', 'reporter-age-band'],
    consent: ['consent', 'consent'],
  };
  const FIELD_NAMES = {
    happening_now: () => t('When'),
    occurred_on: () => t('Date'),
    time_band: () => t('Time of day'),
    location: () => t('Place'),
    mahalle_code: () => t('Neighbourhood (mahalle)'),
    place_description: () => t('Place'),
    category: () => t('Category'),
    perceived_safety: () => t('Felt safety'),
    text: () => t('Description'),
    photos: () => t('Photos'),
    reporter_gender: () => t('Gender'),
    reporter_age_band: () => t('Age'),
    consent: () => t('Consent'),
  };

  const panel = $('report-panel');
  const form = $('report-form');
  const errors = $('form-errors');
  const openButton = $('open-report');
  const locationStatus = $('location-status');

  let step = 0;
  let marker = null;
  let lastGood = null; // the last pin inside the area, for a drag that leaves it
  let area = null; // the deployment area's geometry (GeoJSON), when the API gave it
  let noMap = false;
  let mahalleList = null;
  let photos = []; // {blob, url}
  let metooTarget = null; // a nearby report she chose to confirm instead of a new report
  let categoriesReady = false;
  let sentCodes = 0;
  const categoryByCode = new Map();

  // --- steps ------------------------------------------------------------------------------------
  function showStep(index, focus) {
    step = index;
    const name = STEPS[index];
    form.querySelectorAll('fieldset.step').forEach((node) => {
      node.hidden = node.dataset.step !== name;
    });
    const counter = $('step-counter');
    counter.textContent = t('Step {n} of {total}: {title}', { n: index + 1, total: STEPS.length, title: STEP_TITLES[name]() });
    $('step-back').hidden = index === 0;
    $('step-next').hidden = index === STEPS.length - 1;
    $('submit-report').hidden = index !== STEPS.length - 1;
    $('submit-report').textContent = metooTarget ? t('Send my "me too"') : t('Send report');
    $('metoo-chosen').hidden = !metooTarget;
    document.body.dataset.step = name;
    if (name === 'place') {
      $('geolocation-box').hidden = !happeningNow();
      setTimeout(() => map.invalidateSize(), 0);
    }
    if (name === 'what') loadCategories().then(checkMetoo);
    if (focus !== false) {
      counter.setAttribute('tabindex', '-1');
      counter.focus({ preventScroll: false });
    }
  }

  function happeningNow() {
    const chosen = form.querySelector('input[name="when"]:checked');
    return Boolean(chosen && chosen.value === 'now');
  }

  /** Problems with the current step: [{message, field}], empty when she may go on. */
  function problems(name) {
    const found = [];
    const add = (field, message) => found.push({ field, message });
    if (name === 'when') {
      const chosen = form.querySelector('input[name="when"]:checked');
      if (!chosen) add('happening_now', t('When: choose whether it is happening now or happened earlier.'));
      if (chosen && chosen.value === 'earlier') {
        const day = $('occurred-on').value;
        if (!day) add('occurred_on', t('Date: enter the day it happened.'));
        else if (day > window.MH.isoDate(new Date())) add('occurred_on', t('Date: the day cannot be in the future.'));
        if (!$('time-band').value) add('time_band', t('Time of day: choose day, evening or night.'));
      }
    } else if (name === 'place') {
      if (noMap) {
        if (!$('mahalle-select').value) add('mahalle_code', t('Mahalle: choose the mahalle from the list.'));
        if (!$('place-description').value.trim()) add('place_description', t('Place: describe the place in words.'));
      } else if (!marker) {
        add('location', t('Place: tap the map, use your location, or choose a mahalle from the list.'));
      }
    } else if (name === 'what') {
      if (!selectedCategory()) add('category', t('Category: choose what it is.'));
      if (!form.querySelector('input[name="perceived_safety"]:checked')) {
        add('perceived_safety', t('Felt safety: choose how safe you felt, from 1 to 5.'));
      }
    } else if (name === 'consent') {
      if (!$('consent').checked) add('consent', t('Consent: tick the box to agree, or cancel.'));
    }
    return found;
  }

  function showErrors(list) {
    form.querySelectorAll('[aria-invalid]').forEach((node) => node.removeAttribute('aria-invalid'));
    list.forEach(({ field }) => {
      const id = FIELDS[field] && FIELDS[field][1];
      const control = id ? $(id) : (field === 'category' ? form.querySelector('input[name="category"]') : null);
      if (control) control.setAttribute('aria-invalid', 'true');
    });
    if (!list.length) {
      errors.replaceChildren();
      return;
    }
    errors.replaceChildren(
      el('p', { class: 'form-errors__title' }, t('Please correct:')),
      el('ul', null, list.map((item) => el('li', null, item.message))),
    );
    errors.focus();
  }

  function next() {
    const found = problems(STEPS[step]);
    showErrors(found);
    if (found.length) return;
    showStep(step + 1);
  }

  function back() {
    showErrors([]);
    showStep(step - 1);
  }

  // --- when ---------------------------------------------------------------------------------------
  function resetWhen() {
    const date = $('occurred-on');
    const today = new Date();
    const earliest = new Date();
    earliest.setDate(earliest.getDate() - 730);
    date.max = window.MH.isoDate(today);
    date.min = window.MH.isoDate(earliest);
    date.value = '';
    toggleWhen();
  }

  function toggleWhen() {
    const chosen = form.querySelector('input[name="when"]:checked');
    const earlier = Boolean(chosen && chosen.value === 'earlier');
    $('when-earlier').hidden = !earlier;
    $('occurred-on').disabled = !earlier;
    $('time-band').disabled = !earlier;
  }

  // --- where: the deployment area ----------------------------------------------------------------
  async function loadArea() {
    if (area) return;
    const result = await window.MH.api('/api/v1/area').catch(() => ({ status: 0 }));
    if (result.status === 200 && result.body) area = result.body.geometry || result.body;
  }

  function inRing(lon, lat, ring) {
    let inside = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if ((yi > lat) !== (yj > lat) && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }

  function inPolygon(lon, lat, rings) {
    return inRing(lon, lat, rings[0]) && !rings.slice(1).some((hole) => inRing(lon, lat, hole));
  }

  /** True when (lat, lon) is inside the area the map covers (or the area is not known). */
  function insideArea(lat, lon) {
    if (!area || !area.type) return true; // the server checks again in any case
    if (area.type === 'Polygon') return inPolygon(lon, lat, area.coordinates);
    if (area.type === 'MultiPolygon') return area.coordinates.some((rings) => inPolygon(lon, lat, rings));
    return true;
  }

  function sayPlace(message, good) {
    locationStatus.textContent = message;
    locationStatus.classList.toggle('location-status--set', Boolean(good));
    locationStatus.classList.toggle('location-status--bad', good === false);
  }

  function outsideMessage() {
    return t('This place is outside the area this map covers, so it cannot be reported here. Choose a place inside the area, or a mahalle from the list.');
  }

  // --- where: pin, position --------------------------------------------------------------------------
  function setLocation(latlng) {
    if (!insideArea(latlng.lat, latlng.lng)) {
      if (marker && lastGood) marker.setLatLng(lastGood);
      sayPlace(outsideMessage(), false);
      showErrors([{ field: 'location', message: outsideMessage() }]);
      return false;
    }
    if (!marker) {
      marker = L.marker(latlng, { draggable: true, autoPan: true, title: t('Reported place'), alt: t('Reported place'), keyboard: true });
      marker.on('dragend', () => setLocation(marker.getLatLng()));
      marker.addTo(map);
    } else {
      marker.setLatLng(latlng);
    }
    lastGood = L.latLng(latlng.lat, latlng.lng);
    showErrors([]);
    sayPlace(t('Place chosen ✓'), true);
    checkMetoo();
    return true;
  }

  function clearLocation() {
    if (marker) marker.remove();
    marker = null;
    lastGood = null;
    sayPlace(t('No place chosen'), null);
  }

  map.on('click', (event) => {
    if (mapView.reporting && !noMap && STEPS[step] === 'place') setLocation(event.latlng);
  });

  $('pin-centre').addEventListener('click', () => setLocation(map.getCenter()));

  $('use-location').addEventListener('click', () => {
    if (!navigator.geolocation) {
      sayPlace(t('Your location is not available on this phone; tap the map instead.'), false);
      return;
    }
    sayPlace(t('Getting your location…'), null);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const latlng = L.latLng(position.coords.latitude, position.coords.longitude);
        if (setLocation(latlng)) map.setView(latlng, Math.max(map.getZoom(), 16));
      },
      () => sayPlace(t('Could not get your location; tap the map instead.'), false),
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 },
    );
  });

  // --- where: without the map (mahalle list + words) -----------------------------------------------
  /** Lower case, Turkish-aware, without diacritics: "Çankaya" and "cankaya" match. */
  function fold(text) {
    return String(text || '')
      .toLocaleLowerCase('tr')
      .replace(/[çğıöşüâîû]/g, (c) => ({ ç: 'c', ğ: 'g', ı: 'i', ö: 'o', ş: 's', ü: 'u', â: 'a', î: 'i', û: 'u' }[c]))
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '');
  }

  async function loadMahalle() {
    if (mahalleList) return;
    const result = await window.MH.api('/api/v1/mahalle').catch(() => ({ status: 0 }));
    if (result.status !== 200 || !result.body) {
      showErrors([{ field: 'mahalle_code', message: t('Could not load the list of mahalle; check the connection and try again.') }]);
      return;
    }
    mahalleList = (result.body.items || []).map((m) => ({ ...m, key: fold(`${m.name} ${m.district || ''}`) }));
    filterMahalle();
  }

  function filterMahalle() {
    if (!mahalleList) return;
    const select = $('mahalle-select');
    const chosen = select.value;
    const words = fold($('mahalle-search').value).split(/\s+/).filter(Boolean);
    const shown = mahalleList.filter((m) => words.every((w) => m.key.includes(w)));
    select.replaceChildren(...shown.map((m) => el('option', { value: m.code, selected: m.code === chosen },
      m.district ? `${m.name} (${m.district})` : m.name)));
    $('mahalle-count').textContent = window.MH.tn('{n} mahalle found', '{n} mahalle found', shown.length);
  }

  function setNoMap(on) {
    noMap = on;
    document.body.classList.toggle('no-map-mode', on); // the map gives way to the list
    $('no-map').hidden = !on;
    $('place-on-map').hidden = on;
    const toggle = $('no-map-toggle');
    toggle.setAttribute('aria-expanded', String(on));
    toggle.textContent = on ? t('Use the map instead') : t('Choose a mahalle from a list instead of the map');
    if (on) {
      clearLocation();
      window.MH.metoo.clear(); // a mahalle is not a point: no "me too" by distance
      sayPlace(t('Choose the mahalle and describe the place.'), null);
      loadMahalle().then(() => $('mahalle-search').focus());
    } else {
      sayPlace(t('No place chosen'), null);
    }
    setTimeout(() => map.invalidateSize(), 0);
  }

  $('no-map-toggle').addEventListener('click', () => setNoMap(!noMap));
  $('mahalle-search').addEventListener('input', filterMahalle);

  // --- what: categories as grouped, labelled icons ---------------------------------------------------
  const ICONS = {
    lighting: 'M12 2a6 6 0 0 0-3.5 10.9V16h7v-3.1A6 6 0 0 0 12 2zM9 18h6v2H9zm1 3h4v1h-4z',
    transport: 'M6 3h12a2 2 0 0 1 2 2v11a2 2 0 0 1-1 1.7V20h-3v-2H8v2H5v-2.3A2 2 0 0 1 4 16V5a2 2 0 0 1 2-2zm0 3v5h12V6zm1 8a1 1 0 1 0 2 0 1 1 0 0 0-2 0zm8 0a1 1 0 1 0 2 0 1 1 0 0 0-2 0z',
    harassment: 'M12 2 2 20h20zm-1 6h2v6h-2zm0 8h2v2h-2z',
    environment: 'M12 2 5 12h4l-4 6h6v4h2v-4h6l-4-6h4z',
    infrastructure: 'M3 18h18v3H3zm2-6h14v4H5zm3-6h8v4H8z',
    other: 'M5 10a2 2 0 1 0 0 4 2 2 0 0 0 0-4zm7 0a2 2 0 1 0 0 4 2 2 0 0 0 0-4zm7 0a2 2 0 1 0 0 4 2 2 0 0 0 0-4z',
  };

  function icon(group) {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('class', 'category__icon');
    const path = document.createElementNS(ns, 'path');
    path.setAttribute('d', ICONS[group] || ICONS.other);
    path.setAttribute('fill', window.MH.groupColour(group));
    svg.append(path);
    return svg;
  }

  async function loadCategories() {
    if (categoriesReady) return;
    let list;
    try {
      list = await window.MH.categories();
    } catch (error) {
      showErrors([{ field: 'category', message: t('Could not load the categories; check the connection and try again.') }]);
      return;
    }
    const groups = new Map();
    list.forEach((category) => {
      categoryByCode.set(category.code, category);
      if (!groups.has(category.group)) groups.set(category.group, []);
      groups.get(category.group).push(category);
    });
    const container = $('category-groups');
    container.replaceChildren(...[...groups.entries()].map(([group, items]) => {
      const headingId = `category-group-${group}`;
      return el('div', { class: 'category-group', role: 'group', 'aria-labelledby': headingId },
        el('h3', { id: headingId, class: 'category-group__title' }, icon(group), window.MH.groupLabel(group)),
        el('div', { class: 'category-group__items' }, items.map((category) => {
          const id = `category-${category.code}`;
          const input = el('input', { type: 'radio', name: 'category', id, value: category.code, class: 'category__input' });
          input.addEventListener('change', onCategory);
          return el('div', { class: 'category' }, input,
            el('label', { for: id, class: 'category__label' }, icon(group), el('span', null, window.MH.categoryLabel(category))));
        })));
    }));
    categoriesReady = true;
  }

  function selectedCategory() {
    const input = form.querySelector('input[name="category"]:checked');
    return input ? categoryByCode.get(input.value) || { code: input.value } : null;
  }

  function onCategory() {
    const category = selectedCategory();
    $('category-note').hidden = !(category && category.sensitive);
    checkMetoo();
  }

  function checkMetoo() {
    const category = selectedCategory();
    if (!marker || noMap || !category || category.sensitive) {
      window.MH.metoo.clear();
      return;
    }
    const where = marker.getLatLng();
    window.MH.metoo.check(where.lat, where.lng, category.code, window.MH.categoryLabel(category));
  }

  window.MH.metoo.onChoose((report) => {
    metooTarget = report;
    showErrors([]);
    showStep(STEPS.indexOf('consent'));
  });

  $('metoo-cancel').addEventListener('click', () => {
    metooTarget = null;
    showStep(STEPS.indexOf('what'));
  });

  // --- what: text counter -------------------------------------------------------------------------------
  function updateCounter() {
    const used = $('report-text').value.length;
    $('text-counter').textContent = t('{used} of {max} characters', {
      used: window.MH.formatNumber(used), max: window.MH.formatNumber(config.max_text_length),
    });
  }
  $('report-text').addEventListener('input', updateCounter);

  // --- what: photos, made smaller on the phone ---------------------------------------------------------
  async function downscale(file) {
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    const scale = Math.min(1, config.photo_max_side / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    if (bitmap.close) bitmap.close();
    // Drawn pixels only: the JPEG made here carries none of the original's metadata.
    return new Promise((resolve, reject) => {
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('encode'))), 'image/jpeg', 0.82);
    });
  }

  function renderPhotos() {
    $('photo-list').replaceChildren(...photos.map((photo, i) => {
      const remove = el('button', { type: 'button', class: 'button button--quiet' }, t('Remove photo {n}', { n: i + 1 }));
      remove.addEventListener('click', () => {
        URL.revokeObjectURL(photo.url);
        photos = photos.filter((p) => p !== photo);
        renderPhotos();
        $('photos').focus();
      });
      return el('li', { class: 'photo' }, el('img', { src: photo.url, alt: t('Photo {n}', { n: i + 1 }) }), remove);
    }));
    $('photos').disabled = photos.length >= config.max_photos;
  }

  $('photos').addEventListener('change', async (event) => {
    const files = [...event.target.files];
    event.target.value = '';
    const messages = [];
    const room = config.max_photos - photos.length;
    if (files.length > room) messages.push({ field: 'photos', message: t('At most {n} photos; the others were left out.', { n: config.max_photos }) });
    for (const [i, file] of files.slice(0, Math.max(0, room)).entries()) {
      try {
        const blob = await downscale(file);
        photos.push({ blob, url: URL.createObjectURL(blob) });
      } catch (error) {
        messages.push({ field: 'photos', message: t('Photo {n} could not be read: choose a JPEG, PNG or WebP image.', { n: photos.length + i + 1 }) });
      }
    }
    renderPhotos();
    showErrors(messages);
  });

  // --- sending ----------------------------------------------------------------------------------------
  function payload() {
    const now = happeningNow();
    const safety = form.querySelector('input[name="perceived_safety"]:checked');
    const category = selectedCategory();
    const body = {
      category: category ? category.code : '',
      happening_now: now,
      occurred_on: now ? null : $('occurred-on').value || null,
      time_band: now ? null : $('time-band').value || null,
      perceived_safety: safety ? Number(safety.value) : null,
      text: $('report-text').value,
      reporter_gender: $('reporter-gender').value || null,
      reporter_age_band: $('reporter-age-band').value || null,
      consent: $('consent').checked,
    };
    if (noMap) {
      body.mahalle_code = $('mahalle-select').value;
      body.place_description = $('place-description').value.trim();
    } else if (marker) {
      const where = marker.getLatLng();
      body.location = { lon: Number(where.lng.toFixed(6)), lat: Number(where.lat.toFixed(6)) };
    }
    return body;
  }

  /** POST the report: JSON, or multipart (field `report` + files `photos`) with photos. */
  function send(body, blobs) {
    if (!blobs || !blobs.length) return window.MH.api('/api/v1/reports', { json: body });
    const data = new FormData();
    data.append('report', JSON.stringify(body));
    blobs.forEach((blob, i) => data.append('photos', blob, `photo-${i + 1}.jpg`));
    return window.MH.api('/api/v1/reports', { method: 'POST', body: data });
  }

  /** The API's 422 body as lines on the page, and the step to go back to. */
  // The server explains refusals in English; other languages get a translated message for the
  // kind of refusal (its code), with the field named in the page's language.
  const REFUSALS = {
    invalid_input: () => t('This was not accepted; please check it.'),
    payload_too_large: () => t('The photos are too large; please choose smaller ones.'),
    length_required: () => t('The report could not be sent; please try again.'),
    too_many_attempts: () => t('Too many attempts; please wait a few minutes and try again.'),
  };

  function refusal(code, serverMessage) {
    if (window.MH.locale === 'en' && serverMessage) return serverMessage;
    return (REFUSALS[code] || REFUSALS.invalid_input)();
  }

  function serverProblems(result) {
    const error = (result.body && result.body.error) || {};
    let fields = error.fields || [];
    if (!fields.length && error.field) fields = [{ field: error.field, message: error.message }];
    if (!fields.length) {
      const fallback = t('The report could not be sent; please try again.');
      return [{ field: null, message: error.code ? refusal(error.code, error.message) : fallback }];
    }
    return fields.map((f) => {
      const name = String(f.field || '').split('.')[0];
      const ours = FIELD_NAMES[name] ? FIELD_NAMES[name]() : f.field;
      if (error.code === 'outside_deployment_area') return { field: 'location', message: outsideMessage() };
      return { field: name, message: `${ours}: ${refusal(error.code, f.message)}` };
    });
  }

  /** Day 06–18, evening 18–22, night 22–06 (local time), as the server reckons "now". */
  function timeBandAt(moment) {
    const hour = moment.getHours();
    if (hour >= 6 && hour < 18) return 'day';
    if (hour >= 18 && hour < 22) return 'evening';
    return 'night';
  }

  /** A "happening now" report kept for later keeps the moment it was made, not when it is sent. */
  function asKept(body) {
    if (!body.happening_now) return body;
    const now = new Date();
    return { ...body, happening_now: false, occurred_on: window.MH.isoDate(now), time_band: timeBandAt(now) };
  }

  async function keepOffline(body, blobs) {
    try {
      await window.MH.outbox.add({ report: JSON.stringify(asKept(body)), photos: blobs });
    } catch (error) {
      showErrors([{ field: null, message: t('There is no connection and the report could not be kept on this phone. Please try again later.') }]);
      return;
    }
    finishForm();
    showDone('queued');
  }

  async function submitReport(event) {
    event.preventDefault();
    const found = problems('consent');
    if (found.length) {
      showErrors(found);
      return;
    }
    const button = $('submit-report');
    button.disabled = true;
    try {
      if (metooTarget) {
        await sendMetoo();
        return;
      }
      const body = payload();
      const blobs = photos.map((p) => p.blob);
      if (navigator.onLine === false) {
        await keepOffline(body, blobs);
        return;
      }
      let result;
      try {
        result = await send(body, blobs);
      } catch (error) {
        await keepOffline(body, blobs); // the network failed: keep it and send it later
        return;
      }
      if (result.status === 201 && result.body) {
        finishForm();
        showDone('sent', result.body);
      } else {
        const list = serverProblems(result);
        const first = list.find((p) => p.field && FIELDS[p.field]);
        if (first) showStep(STEPS.indexOf(FIELDS[first.field][0]), false);
        showErrors(list);
      }
    } finally {
      button.disabled = false;
    }
  }

  async function sendMetoo() {
    const body = {
      consent: $('consent').checked,
      consent_version: config.consent_version,
      reporter_gender: $('reporter-gender').value || null,
      reporter_age_band: $('reporter-age-band').value || null,
    };
    let result;
    try {
      result = await window.MH.api(`/api/v1/reports/${encodeURIComponent(metooTarget.public_id)}/confirmations`, { json: body });
    } catch (error) {
      showErrors([{ field: null, message: t('Could not connect; please try again.') }]);
      return;
    }
    if (result.status === 201) {
      finishForm();
      showDone('metoo', result.body);
    } else {
      showErrors(serverProblems(result));
    }
  }

  // --- after sending --------------------------------------------------------------------------------
  function serviceItem(s) {
    const names = s.kind_label || {};
    const kind = names[window.MH.locale] || (labels.service_kinds && labels.service_kinds[s.kind]) || s.kind;
    return el('li', { class: 'service' },
      el('p', { class: 'service__name' }, s.name),
      el('p', { class: 'hint' }, kind,
        s.distance_m !== undefined && s.distance_m !== null
          ? ' · ' + t('about {m} m', { m: window.MH.formatNumber(s.distance_m) }) : ''),
      s.address ? el('p', null, s.address) : null,
      s.hours ? el('p', { class: 'hint' }, s.hours) : null,
      s.phone ? el('a', { class: 'button', href: `tel:${String(s.phone).replace(/[^0-9+]/g, '')}` }, t('Call {phone}', { phone: s.phone })) : null);
  }

  /** The result: `sent` (tracking code), `queued` (kept offline) or `metoo`. */
  function showDone(kind, created) {
    openPanel(false);
    form.hidden = true;
    $('step-counter').hidden = true;
    const done = $('report-done');
    $('done-queued').hidden = kind !== 'queued';
    $('done-metoo').hidden = kind !== 'metoo';
    if (kind === 'sent') {
      sentCodes += 1;
      const code = $('tracking-code');
      if (done.hidden || $('done-sent').hidden || !code.textContent) {
        code.textContent = created.tracking_code;
        $('done-sent').querySelectorAll('.tracking-code--extra').forEach((node) => node.remove());
      } else {
        // Several reports kept offline were sent together: every code is shown.
        code.after(el('p', { class: 'tracking-code tracking-code--extra' }, created.tracking_code));
      }
      $('done-sent').hidden = false;
      $('report-mahalle').textContent = created.mahalle ? t('Neighbourhood (mahalle): {name}', { name: created.mahalle }) : '';
      $('report-mahalle').hidden = !created.mahalle;
      $('copy-status').textContent = '';
    } else if (!$('tracking-code').textContent) {
      $('done-sent').hidden = true;
    }
    const nearest = (created && created.nearest_services) || [];
    $('nearest-services').replaceChildren(...nearest.map(serviceItem));
    $('nearest-services').hidden = nearest.length === 0;
    done.hidden = false;
    panel.scrollTop = 0;
    done.focus({ preventScroll: true });
  }

  $('copy-code').addEventListener('click', async () => {
    const code = [...document.querySelectorAll('#report-done .tracking-code')].map((n) => n.textContent).join('\n');
    let copied = false;
    try {
      await navigator.clipboard.writeText(code);
      copied = true;
    } catch (error) {
      const range = document.createRange();
      range.selectNodeContents($('tracking-code'));
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      copied = document.execCommand && document.execCommand('copy');
    }
    $('copy-status').textContent = copied ? t('Copied.') : t('Could not copy: select the code and copy it by hand.');
  });

  // --- the outbox: reports made offline ----------------------------------------------------------------
  let flushing = false;
  async function flushOutbox() {
    if (flushing || navigator.onLine === false || !window.MH.outbox) return;
    flushing = true;
    try {
      const entries = await window.MH.outbox.all().catch(() => []);
      for (const entry of entries) {
        let result;
        try {
          result = await send(JSON.parse(entry.report), entry.photos);
        } catch (error) {
          break; // still no connection: try again when it returns
        }
        if (result.status === 201 && result.body) {
          await window.MH.outbox.remove(entry.id);
          if (!panel.hidden && !form.hidden) {
            // She is writing another report: do not replace it; show the code above instead.
            const codes = $('outbox-codes');
            codes.textContent = [codes.textContent, result.body.tracking_code].filter(Boolean).join('\n');
            $('outbox-sent').hidden = false;
          } else {
            showDone('sent', result.body);
          }
        } else if (result.status >= 400 && result.status < 500 && result.status !== 429) {
          // Refused for good (e.g. no longer valid): say so, and do not keep it on the phone.
          await window.MH.outbox.remove(entry.id);
          const [first] = serverProblems(result);
          $('queue-status').hidden = false;
          $('queue-status').textContent = t('A report kept on this phone was not accepted: {reason}', { reason: first.message });
        } else {
          break; // the server is busy or failing: try again later
        }
      }
    } finally {
      flushing = false;
    }
  }

  window.addEventListener('online', flushOutbox);
  $('outbox-sent-close').addEventListener('click', () => {
    $('outbox-codes').textContent = '';
    $('outbox-sent').hidden = true;
  });

  // --- opening, closing, resetting ----------------------------------------------------------------
  function openPanel(focus) {
    mapView.reporting = true;
    panel.hidden = false;
    document.body.classList.add('is-reporting');
    openButton.setAttribute('aria-expanded', 'true');
    map.closePopup();
    setTimeout(() => map.invalidateSize(), 0);
    loadArea();
    loadCategories();
    if (focus !== false) $('report-title').focus();
  }

  /** Forget everything she entered (after sending, keeping offline, or cancelling). */
  function finishForm() {
    form.reset();
    photos.forEach((p) => URL.revokeObjectURL(p.url));
    photos = [];
    renderPhotos();
    metooTarget = null;
    window.MH.metoo.clear();
    if (noMap) setNoMap(false);
    $('mahalle-search').value = '';
    filterMahalle();
    clearLocation();
    resetWhen();
    updateCounter();
    $('category-note').hidden = true;
    showErrors([]);
    showStep(0, false);
  }

  function closePanel() {
    mapView.reporting = false;
    finishForm();
    panel.hidden = true;
    document.body.classList.remove('is-reporting');
    delete document.body.dataset.step;
    openButton.setAttribute('aria-expanded', 'false');
    $('tracking-code').textContent = '';
    $('done-sent').querySelectorAll('.tracking-code--extra').forEach((node) => node.remove());
    $('report-mahalle').textContent = '';
    $('copy-status').textContent = '';
    $('nearest-services').replaceChildren();
    $('report-done').hidden = true;
    $('step-counter').hidden = false;
    form.hidden = false;
    setTimeout(() => map.invalidateSize(), 0);
    openButton.focus();
  }

  openButton.addEventListener('click', () => {
    openPanel();
    showStep(0, false);
  });
  $('cancel-report').addEventListener('click', closePanel);
  $('done-close').addEventListener('click', closePanel);
  $('step-next').addEventListener('click', next);
  $('step-back').addEventListener('click', back);
  form.querySelectorAll('input[name="when"]').forEach((input) => input.addEventListener('change', toggleWhen));
  form.addEventListener('submit', submitReport);
  resetWhen();
  updateCounter();
  showStep(0, false);

  window.MH.outbox.refreshStatus().then((n) => (n ? flushOutbox() : null));
  window.MH.reportForm = { flushOutbox, insideArea };
})();
