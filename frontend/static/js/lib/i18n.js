// Interface strings: t('English id') returns the page language's text from the catalogue the
// server put in the #config block (English ids need none); a plural id maps to its forms by
// CLDR category (Arabic has six). Numbers and dates are formatted with the page's locale
// (Intl), in Latin digits like the codes and phone numbers around them. Strings are found for
// translators by `make messages`, which extracts t(...) and tn(...) calls from every script
// under static/js.
import { config } from './config.js';

const messages = config.messages || {};

/** The page's language: 'tr', 'en', 'ar' or 'ku'. */
export const locale = config.locale || document.documentElement.lang || 'tr';

/** Whether the page reads right to left (Arabic): map controls mirror with it. */
export const isRtl = document.documentElement.dir === 'rtl';

// Latin digits in every language (tracking codes, phone numbers and addresses use them).
// Chromium's Intl has no Kurmanji: a locale it lacks borrows the layout of en-GB (day, month,
// year) and takes its month names and separators from the server (Babel's CLDR data).
const formats = config.formats || {};
const hasIntl = Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0;
const intlLocale = hasIntl ? `${locale}-u-nu-latn` : 'en-GB-u-nu-latn';
const plurals = new Intl.PluralRules(locale); // Chromium has Kurmanji's plural rule

/** t('Hello {name}', {name: 'Ayşe'}): the translation with {placeholders} filled in. */
export function t(id, values) {
  const found = messages[id];
  return fill(typeof found === 'string' && found ? found : id, values);
}

/** tn('{n} report', '{n} reports', n): the form of the page language's plural rule for n. */
export function tn(singular, plural, n, values) {
  const forms = messages[singular];
  let text = n === 1 ? singular : plural;
  if (forms && typeof forms === 'object') text = forms[plurals.select(n)] || forms.other || text;
  return fill(text, Object.assign({ n: formatNumber(n) }, values || {}));
}

function fill(text, values) {
  if (!values) return text;
  return text.replace(/\{(\w+)\}/g, (m, key) => (key in values ? String(values[key]) : m));
}

export function formatNumber(value, options) {
  const number = new Intl.NumberFormat(intlLocale, options);
  if (hasIntl || !formats.decimal) return number.format(value);
  const ours = { group: formats.group, decimal: formats.decimal };
  return number.formatToParts(value).map((p) => ours[p.type] || p.value).join('');
}

export function formatDate(value, options) {
  const date = value instanceof Date ? value : new Date(value);
  const wanted = options || { dateStyle: 'medium' };
  if (hasIntl || !formats.months) return new Intl.DateTimeFormat(intlLocale, wanted).format(date);
  const { dateStyle, timeStyle, ...parts } = wanted;
  if (dateStyle) Object.assign(parts, { day: 'numeric', month: 'long', year: 'numeric' });
  if (timeStyle) Object.assign(parts, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const named = parts.month === 'long' || parts.month === 'short';
  return new Intl.DateTimeFormat(intlLocale, parts)
    .formatToParts(date)
    .map((p) => (p.type === 'month' && named ? formats.months[date.getMonth()] : p.value))
    .join('');
}

/** The local calendar day of `date` as YYYY-MM-DD (the API's dates). */
export function isoDate(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A name given per language ({tr, en, ar?, ku?}) in the page's language, else Turkish, else `fallback`. */
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
