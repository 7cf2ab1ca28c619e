// The result: the tracking code once (with a copy button), or "kept on this phone", or "me
// too" counted; then the nearest support services from the response.
import { config } from '../lib/config.js';
import { $, el } from '../lib/dom.js';
import { formatNumber, locale, t } from '../lib/i18n.js';
import { telHref } from '../map/services.js';

const labels = config.labels || {};

function serviceItem(s) {
  const names = s.kind_label || {};
  const kind = names[locale] || (labels.service_kinds && labels.service_kinds[s.kind]) || s.kind;
  return el('li', { class: 'service' },
    el('p', { class: 'service__name' }, s.name),
    el('p', { class: 'hint' }, kind,
      s.distance_m !== undefined && s.distance_m !== null
        ? ' · ' + t('about {m} m', { m: formatNumber(s.distance_m) }) : ''),
    s.address ? el('p', null, s.address) : null,
    s.hours ? el('p', { class: 'hint' }, s.hours) : null,
    s.phone ? el('a', { class: 'button', href: telHref(s.phone) }, t('Call {phone}', { phone: s.phone })) : null);
}

/** Show the result in the open panel: `sent` (tracking code), `queued` (kept offline) or `metoo`. */
export function renderResult(kind, created) {
  $('report-form').hidden = true;
  $('step-counter').hidden = true;
  const done = $('report-done');
  $('done-queued').hidden = kind !== 'queued';
  $('done-metoo').hidden = kind !== 'metoo';
  if (kind === 'sent') {
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
  $('report-panel').scrollTop = 0;
  done.focus({ preventScroll: true });
}

/** Take the result away (the codes shown leave the page) and give the form back. */
export function clearResult() {
  $('tracking-code').textContent = '';
  $('done-sent').querySelectorAll('.tracking-code--extra').forEach((node) => node.remove());
  $('report-mahalle').textContent = '';
  $('copy-status').textContent = '';
  $('nearest-services').replaceChildren();
  $('report-done').hidden = true;
  $('step-counter').hidden = false;
  $('report-form').hidden = false;
}

async function copyCodes() {
  const code = [...document.querySelectorAll('#report-done .tracking-code')].map((n) => n.textContent).join('\n');
  let copied = false;
  try {
    await navigator.clipboard.writeText(code);
    copied = true;
  } catch {
    const range = document.createRange();
    range.selectNodeContents($('tracking-code'));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    copied = document.execCommand && document.execCommand('copy');
  }
  $('copy-status').textContent = copied ? t('Copied.') : t('Could not copy: select the code and copy it by hand.');
}

export function wireResult() {
  $('copy-code').addEventListener('click', copyCodes);
}
