// How the planners' dashboard names and shows indicator values: class and group names, the
// hot/cold colours, "withheld" below k, percentages and estimates.
import { config } from '../lib/config.js';
import { formatNumber, t } from '../lib/i18n.js';

export const HOT_COLD = {
  hot_99: '#b2182b',
  hot_95: '#ef8a62',
  hot_90: '#fddbc7',
  not_significant: '#f7f7f7',
  cold_90: '#d1e5f0',
  cold_95: '#67a9cf',
  cold_99: '#2166ac',
};
export const CLASS_NAMES = {
  hot_99: t('Hot spot, 99% confidence'),
  hot_95: t('Hot spot, 95% confidence'),
  hot_90: t('Hot spot, 90% confidence'),
  not_significant: t('Not significant'),
  cold_90: t('Cold spot, 90% confidence'),
  cold_95: t('Cold spot, 95% confidence'),
  cold_99: t('Cold spot, 99% confidence'),
};
export const GROUP_NAMES = {
  lighting: t('Lighting'),
  transport: t('Transport'),
  harassment: t('Harassment and personal safety'),
  environment: t('Built environment'),
  infrastructure: t('Infrastructure'),
  other: t('Other'),
};
export const BAND_NAMES = {
  day: t('Day (06–18)'),
  evening: t('Evening (18–22)'),
  night: t('Night (22–06)'),
};
export const WITHHELD = t('withheld');

/** The indicator definitions by code (from the #config block). */
export const indicators = Object.fromEntries(config.indicators.map((i) => [i.code, i]));

/** True when the server withheld indicator `c` of mahalle properties `p` (below k). */
export const isSuppressed = (p, c) => p[`${c}_suppressed`] === true;

/** The unit of indicator `c` to show beside its name ("per 1,000 women", "metres"); '' for
 * counts and classes, whose name says what they count. */
export function unitLabel(c) {
  const item = indicators[c];
  if (!item || item.kind === 'class' || item.unit === 'count') return '';
  return item.unit_name || item.unit;
}

/** The indicator's name with its unit: "Reports per 1,000 women (per 1,000 women)". */
export function nameWithUnit(c) {
  const unit = unitLabel(c);
  const name = indicators[c] ? indicators[c].name : c;
  return unit ? `${name} (${unit})` : name;
}

/** Indicator `c` of mahalle properties `p` as the table, tooltips and detail show it. */
export function valueText(p, c) {
  if (isSuppressed(p, c)) return `${WITHHELD} (< ${config.k})`;
  const value = p[c];
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return CLASS_NAMES[value] || value;
  const item = indicators[c];
  const digits = item && item.unit.startsWith('share') ? { style: 'percent', maximumFractionDigits: 1 } : { maximumFractionDigits: 2 };
  let text = formatNumber(value, digits);
  if (item && item.unit === 'metres') text = formatNumber(value, { style: 'unit', unit: 'meter', maximumFractionDigits: 0 });
  return item && item.estimate && p.women_is_estimate ? `≈ ${text}` : text;
}
