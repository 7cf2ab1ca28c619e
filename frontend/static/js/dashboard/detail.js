// One mahalle's detail on the planners' dashboard: its indicators, reports by category, the
// trend by month and the municipal response, with the same filters as the map.
import { api, errorMessage } from '../lib/api.js';
import { config } from '../lib/config.js';
import { $, el } from '../lib/dom.js';
import { formatNumber, t } from '../lib/i18n.js';
import { WITHHELD, isSuppressed, nameWithUnit, valueText } from './values.js';

const FACTS = ['reports', 'confirmations', 'reports_per_1000_women', 'reports_per_1000_women_eb', 'share_evening_night',
  'mean_perceived_safety', 'change_reports', 'distance_counselling_m', 'distance_police_m', 'distance_health_m', 'hotspot_class'];
const RESPONSE = ['forwarded_reports', 'share_forwarded', 'resolved_reports', 'share_resolved', 'median_days_to_resolution'];

function facts(p, codes) {
  return el('dl', { class: 'detail__facts' },
    ...codes.flatMap((c) => [el('dt', null, nameWithUnit(c)), el('dd', { class: isSuppressed(p, c) ? 'is-withheld' : null }, valueText(p, c))]));
}

/** Show the detail of `mahalleCode` in #detail; true once shown. `onClose` runs on "Close". */
export async function showDetailBox(mahalleCode, params, onClose) {
  const box = $('detail');
  box.hidden = false;
  box.parentElement.classList.add('has-detail');
  box.replaceChildren(el('p', null, t('Loading…')));
  const result = await api(`/api/v1/planner/mahalle/${encodeURIComponent(mahalleCode)}?${params}`);
  if (result.status !== 200) {
    box.replaceChildren(el('p', { role: 'alert' }, errorMessage(result, t('Could not load this mahalle.'))));
    return false;
  }
  const d = result.body;
  const p = d.indicators;
  const cellText = (c) => (c.reports_suppressed ? `${WITHHELD} (< ${config.k})` : formatNumber(c.reports));
  const max = Math.max(1, ...d.months.map((m) => m.reports || 0));
  const close = () => {
    box.hidden = true;
    box.parentElement.classList.remove('has-detail');
    onClose();
  };
  box.replaceChildren(
    el('button', { type: 'button', class: 'button detail__close no-print', onclick: close }, t('Close')),
    el('h2', null, d.name),
    el('p', { class: 'detail__sub' }, d.district),
    facts(p, FACTS),
    el('h3', null, t('Reports by category')),
    el('table', { class: 'detail__table' }, el('tbody', null,
      d.categories.map((c) => el('tr', null, el('th', { scope: 'row' }, c.label || c.key), el('td', { class: c.reports_suppressed ? 'num is-withheld' : 'num' }, cellText(c)))))),
    el('h3', null, t('Trend by month')),
    el('ul', { class: 'trend' }, d.months.map((m) => el('li', null,
      el('span', { class: 'trend__month' }, m.key),
      el('span', { class: 'trend__bar', style: `width:${Math.round(((m.reports || 0) / max) * 100)}%` }),
      el('span', { class: m.reports_suppressed ? 'is-withheld' : null }, cellText(m))))),
    el('h3', null, t('Municipal response')),
    facts(p, RESPONSE),
  );
  return true;
}
