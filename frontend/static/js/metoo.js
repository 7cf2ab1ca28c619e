// "Me too": while she chooses the place and the category, published reports of the same kind
// nearby are offered (GET /api/v1/reports/nearby; the server compares displaced locations
// only). Choosing one lets the form send a confirmation instead of a duplicate report.
(function () {
  'use strict';

  const { t, tn, el } = window.MH;
  const $ = (id) => document.getElementById(id);
  let lastQuery = '';
  let onChoose = () => {};

  function month(period) {
    const [year, m] = String(period || '').split('-').map(Number);
    if (!year || !m) return '';
    return window.MH.formatDate(new Date(year, m - 1, 1), { year: 'numeric', month: 'long' });
  }

  function clear() {
    lastQuery = '';
    $('metoo-list').replaceChildren();
    $('metoo').hidden = true;
    $('metoo-live').textContent = '';
  }

  function item(report, label) {
    const button = el('button', { type: 'button', class: 'button', 'data-public-id': report.public_id },
      t('Me too: this is the same place'));
    button.addEventListener('click', () => onChoose(report));
    return el('li', { class: 'metoo__item', 'data-public-id': report.public_id },
      el('p', { class: 'metoo__title' }, label),
      el('p', { class: 'hint' },
        report.distance_m < 10 ? t('Less than 10 m away')
          : t('About {m} m away', { m: window.MH.formatNumber(report.distance_m) }),
        ' · ', month(report.period), ' · ',
        tn('{n} person said "me too"', '{n} people said "me too"', report.confirmations || 0)),
      report.text ? el('blockquote', null, report.text) : null,
      button);
  }

  /** Look for published reports of `category` near (lat, lon); show them if there are any. */
  async function check(lat, lon, category, label) {
    if (!category || lat === null || lat === undefined) {
      clear();
      return [];
    }
    const params = new URLSearchParams({ lat: lat.toFixed(6), lon: lon.toFixed(6), category, radius_m: '150' });
    const query = params.toString();
    if (query === lastQuery) return null;
    lastQuery = query;
    const result = await window.MH.api(`/api/v1/reports/nearby?${query}`).catch(() => ({ status: 0 }));
    if (query !== lastQuery) return null; // a newer question was asked meanwhile
    const items = (result.status === 200 && result.body && result.body.items) || [];
    $('metoo-list').replaceChildren(...items.map((report) => item(report, label)));
    const section = $('metoo');
    const wasHidden = section.hidden;
    section.hidden = items.length === 0;
    $('metoo-live').textContent = items.length
      ? tn('{n} report like this nearby: you can say "me too" below.',
        '{n} reports like this nearby: you can say "me too" below.', items.length)
      : '';
    // On a phone the list is below the categories: bring it into view once, when it appears.
    if (items.length && wasHidden && section.scrollIntoView) section.scrollIntoView({ block: 'nearest' });
    return items;
  }

  window.MH = Object.assign(window.MH || {}, {
    metoo: { check, clear, onChoose: (fn) => { onChoose = fn; } },
  });
})();
