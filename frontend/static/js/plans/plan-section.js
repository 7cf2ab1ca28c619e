// The equality unit's plan section of the work page: the plan's state, its details, a new
// item, an indicator on a target (computed from the map's indicators, or entered) and a new
// reporting period. One API call per form, so a refusal leaves nothing half-saved.
import { t } from '../lib/i18n.js';
import { call, fields } from './forms.js';

const PLAN_DETAILS = ['council_decision_no', 'council_decision_date', 'coordinating_unit'];

/** Show the fieldset of the chosen source; a hidden one is disabled, so it is not sent. */
function wireSource(form) {
  const source = form.querySelector('[name=source]');
  const unit = form.querySelector('[name=unit]');
  const computed = form.querySelector('[name=computed_code]');
  const sync = () => {
    for (const set of form.querySelectorAll('[data-source]')) {
      const on = set.dataset.source.split(' ').includes(source.value);
      set.hidden = !on;
      set.disabled = !on;
    }
  };
  source.addEventListener('change', sync);
  computed.addEventListener('change', () => {
    const chosen = computed.selectedOptions[0];
    if (chosen && !unit.value.trim()) unit.value = chosen.dataset.unit || '';
  });
  sync();
}

export function wirePlanSection(base) {
  for (const button of document.querySelectorAll('.js-plan-state')) {
    button.addEventListener('click', () => call(
      button.closest('section'), `${base}/state`, { state: button.dataset.state }, 200, t('Plan state changed.'),
    ));
  }
  const details = document.querySelector('.js-plan-details');
  details?.addEventListener('submit', (event) => {
    event.preventDefault();
    const json = fields(details, [], [], true);
    for (const name of PLAN_DETAILS) if (!(name in json)) json[name] = null;
    call(details, base, json, 200, t('Plan details saved.'), 'PATCH');
  });
  const item = document.querySelector('.js-item');
  item?.addEventListener('submit', (event) => {
    event.preventDefault();
    const json = fields(item, ['budget_planned_try', 'weight'], ['mahalle', 'report_category_groups']);
    call(item, `${base}/items`, json, 201, t('Item added.'));
  });
  const indicator = document.querySelector('.js-indicator');
  if (indicator) {
    wireSource(indicator);
    indicator.addEventListener('submit', (event) => {
      event.preventDefault();
      const json = fields(
        indicator,
        ['baseline_value', 'baseline_period', 'target_value', 'target_period'],
        ['computed_groups', 'computed_time_bands'],
      );
      call(indicator, `${base}/indicators`, json, 201, t('Indicator added.'));
    });
  }
  const period = document.querySelector('.js-new-period');
  period?.addEventListener('submit', (event) => {
    event.preventDefault();
    call(period, `${base}/periods`, fields(period, []), 201, t('Period added.'));
  });
}
