// Interface strings for the browser scripts: t('English id') returns the current language's
// text from the catalogue the server put in the #config block (English ids need none).
// Numbers and dates are formatted with the page's locale (Intl).
(function () {
  'use strict';
  const config = JSON.parse(document.getElementById('config').textContent);
  const messages = config.messages || {};
  const locale = config.locale || document.documentElement.lang || 'tr';

  // t('Hello {name}', {name: 'Ayşe'}): translation with {placeholders} filled in.
  function t(id, values) {
    const text = messages[id] || id;
    if (!values) return text;
    return text.replace(/\{(\w+)\}/g, (m, key) => (key in values ? String(values[key]) : m));
  }

  // tn('{n} report', '{n} reports', n): Turkish has one form; English two.
  function tn(singular, plural, n, values) {
    const id = n === 1 ? singular : plural;
    return t(id, Object.assign({ n: formatNumber(n) }, values || {}));
  }

  function formatNumber(value, options) {
    return new Intl.NumberFormat(locale, options).format(value);
  }

  function formatDate(value, options) {
    const date = value instanceof Date ? value : new Date(value);
    return new Intl.DateTimeFormat(locale, options || { dateStyle: 'medium' }).format(date);
  }

  window.MH = Object.assign(window.MH || {}, { t, tn, locale, formatNumber, formatDate });
})();
