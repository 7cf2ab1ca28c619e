// Interface strings: t('English id') returns the page language's text from the catalogue the
// server put in the #config block (English ids need none). Numbers and dates are formatted
// with the page's locale (Intl). Strings are found for translators by `make messages`, which
// extracts t(...) and tn(...) calls from every script under static/js.
import { config } from './config.js';

const messages = config.messages || {};

/** The page's language: 'tr' or 'en'. */
export const locale = config.locale || document.documentElement.lang || 'tr';

/** t('Hello {name}', {name: 'Ayşe'}): the translation with {placeholders} filled in. */
export function t(id, values) {
  const text = messages[id] || id;
  if (!values) return text;
  return text.replace(/\{(\w+)\}/g, (m, key) => (key in values ? String(values[key]) : m));
}

/** tn('{n} report', '{n} reports', n): Turkish has one form; English two. */
export function tn(singular, plural, n, values) {
  const id = n === 1 ? singular : plural;
  return t(id, Object.assign({ n: formatNumber(n) }, values || {}));
}

export function formatNumber(value, options) {
  return new Intl.NumberFormat(locale, options).format(value);
}

export function formatDate(value, options) {
  const date = value instanceof Date ? value : new Date(value);
  return new Intl.DateTimeFormat(locale, options || { dateStyle: 'medium' }).format(date);
}

/** The local calendar day of `date` as YYYY-MM-DD (the API's dates). */
export function isoDate(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A name given in both languages ({tr, en}) in the page's language, else Turkish, else `fallback`. */
export function localName(names, fallback) {
  return (names && (names[locale] || names.tr)) || fallback;
}

/** A month given as 'YYYY-MM' in words ("Mayıs 2026", "May 2026"); '' for none. */
export function formatMonth(yearMonth) {
  const match = /^(\d{4})-(\d{2})$/.exec(String(yearMonth || ''));
  if (!match) return yearMonth || '';
  const day = new Date(Number(match[1]), Number(match[2]) - 1, 1);
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric' }).format(day);
}
