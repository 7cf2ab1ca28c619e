// "Me too": while she chooses the place and the category, published reports of the same kind
// nearby are offered (GET /api/v1/reports/nearby; the server compares displaced locations
// only). Choosing one lets the form send a confirmation instead of a duplicate report.
import { api } from '../lib/api.js';
import { $, el } from '../lib/dom.js';
import { formatDate, formatNumber, t, tn } from '../lib/i18n.js';
import { scoped } from '../lib/municipality.js';

// The one radius: the search and the sentence that tells her about it.
export const METOO_RADIUS_M = 150;

let lastQuery = '';
let chosen = null; // the nearby report she chose to confirm instead of a new report
let onChoose = () => {};

function month(period) {
  const [year, m] = String(period || '').split('-').map(Number);
  if (!year || !m) return '';
  return formatDate(new Date(year, m - 1, 1), { year: 'numeric', month: 'long' });
}

/** Take the offers away (no place, no category, or a mahalle instead of a point). */
export function clearMetoo() {
  lastQuery = '';
  $('metoo-list').replaceChildren();
  $('metoo').hidden = true;
  $('metoo-live').textContent = '';
}

function item(report, label) {
  const button = el('button', { type: 'button', class: 'button', 'data-public-id': report.public_id },
    t('Me too: this is the same place'));
  button.addEventListener('click', () => {
    chosen = report;
    onChoose(report);
  });
  return el('li', { class: 'metoo__item', 'data-public-id': report.public_id },
    el('p', { class: 'metoo__title' }, label),
    el('p', { class: 'hint' },
      report.distance_m < 10 ? t('Less than 10 m away')
        : t('About {m} m away', { m: formatNumber(report.distance_m) }),
      ' · ', month(report.period), ' · ',
      report.confirmations_suppressed ? t('A few people said "me too"')
        : tn('{n} person said "me too"', '{n} people said "me too"', report.confirmations || 0)),
    report.text ? el('blockquote', null, report.text) : null,
    button);
}

/** Look for published reports of `category` near (lat, lon); show them if there are any. */
export async function checkMetoo(lat, lon, category, label) {
  if (!category || lat === null || lat === undefined) {
    clearMetoo();
    return [];
  }
  const params = new URLSearchParams({ lat: lat.toFixed(6), lon: lon.toFixed(6), category, radius_m: String(METOO_RADIUS_M) });
  const query = scoped('/api/v1/reports/nearby', params); // the chosen municipality's reports
  if (query === lastQuery) return null;
  lastQuery = query;
  const result = await api(query).catch(() => ({ status: 0 }));
  if (query !== lastQuery) return null; // a newer question was asked meanwhile
  const items = (result.status === 200 && result.body && result.body.items) || [];
  $('metoo-list').replaceChildren(...items.map((report) => item(report, label)));
  $('metoo-radius').textContent = t('Reports of this kind whose point on the map is within {m} m of your pin. Points on the map are moved 50–200 m from the true place, so the same place can look a little apart.', { m: formatNumber(METOO_RADIUS_M) });
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

/** Run `fn(report)` when she chooses a report to confirm. */
export function onMetooChosen(fn) {
  onChoose = fn;
}

/** The report she chose to confirm, or null. */
export function metooChoice() {
  return chosen;
}

/** Forget the choice: she goes back to making a report of her own. */
export function forgetMetooChoice() {
  chosen = null;
}
