// The published report points in view as a plain list, for keyboard and screen reader users:
// one Tab stop (the <details> summary) instead of one per marker. Opened, it asks the public
// API for the points in the map's box (the same displaced points the map shows) and follows
// the map as it moves; closed, it asks nothing.
import { config } from '../lib/config.js';
import { $, el } from '../lib/dom.js';
import { formatMonth, t, tn } from '../lib/i18n.js';
import { scoped } from '../lib/municipality.js';
import { categoryLabel, groupLabel } from './categories.js';
import { fmt, periodParams } from './public-map.js';

const LIMIT = 50;
const labels = config.labels || {};

function item(p) {
  const band = (labels.time_bands && labels.time_bands[p.time_band]) || '';
  const when = [formatMonth(p.occurred_month), band].filter(Boolean).join(' · ');
  const parts = [groupLabel(p.category_group), p.mahalle, when,
    t('Felt safety: {n} of 5', { n: p.perceived_safety }),
    tn('{n} “me too”', '{n} “me too”', p.confirmations || 0)].filter(Boolean);
  return el('li', { class: 'report-list__item', 'data-public-id': p.public_id },
    el('strong', null, categoryLabel(p)), ` — ${parts.join(', ')}`,
    p.text ? el('blockquote', null, p.text) : null);
}

/** The list in `details` (#report-list) for the public map `view`. */
export function addReportList(view, details) {
  const { map } = view;
  const status = $('report-list-status');
  const list = $('report-list-items');
  let latest = null;

  async function load() {
    if (!details.open) return;
    const request = {};
    latest = request;
    const b = map.getBounds();
    const clamp = (v, limit) => Math.max(-limit, Math.min(limit, v)).toFixed(6);
    const params = periodParams();
    params.set('bbox', [clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)].join(','));
    params.set('limit', String(LIMIT));
    let collection;
    try {
      const response = await fetch(scoped('/api/v1/reports', params), { headers: { Accept: 'application/geo+json' } });
      if (!response.ok) throw new Error(String(response.status));
      collection = await response.json();
    } catch {
      if (latest === request) status.textContent = t('Could not load the reports.');
      return;
    }
    if (latest !== request) return;
    const features = collection.features || [];
    list.replaceChildren(...features.map((f) => item(f.properties)));
    const total = collection.numberMatched ?? features.length;
    status.textContent = total > features.length
      ? t('Showing {shown} of {total} reports; zoom in to see more.', { shown: fmt(features.length), total: fmt(total) })
      : tn('{n} report in this part of the map.', '{n} reports in this part of the map.', features.length);
  }

  details.addEventListener('toggle', load);
  map.on('moveend', load);
  return { load };
}
