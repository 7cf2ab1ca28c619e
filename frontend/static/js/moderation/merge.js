// Merging a duplicate in the moderation queue: the originals nearby of the same category group
// (GET .../merge-candidates, listed and drawn on the preview map), the two side by side, and
// the merge once she confirms. A reason is asked for an id typed by hand (the server needs one
// across category groups or over 500 m, and says so).
import { apiOrOffline } from '../lib/api.js';
import { el } from '../lib/dom.js';
import { formatDate, formatNumber, localName, t, tn } from '../lib/i18n.js';
import { clearCandidates, showCandidates } from './preview-map.js';

function summary(r) {
  const parts = [
    `${localName(r.category_labels, r.category)} · ${r.public_id}`,
    r.mahalle || '',
    formatDate(r.created_at),
    tn('{n} "me too"', '{n} "me too"s', r.confirmations || 0),
  ].filter(Boolean);
  return [el('strong', null, parts.join(' · ')), el('br'), r.redacted_text ?? r.text ?? ''];
}

/** Wire the merge section of a queue item `node` (its report `item`); `on.act` merges. */
export function wireMerge(node, item, on) {
  const section = node.querySelector('.merge');
  const status = section.querySelector('.js-merge-status');
  const box = section.querySelector('.merge__candidates');
  const list = section.querySelector('.js-candidates');
  const compare = section.querySelector('.merge__compare');
  const form = section.querySelector('.js-merge');
  const reason = section.querySelector('.js-merge-reason');
  let offered = [];

  function choose(candidate) {
    form.elements.into.value = candidate ? candidate.public_id : '';
    compare.hidden = !candidate;
    if (!candidate) return;
    section.querySelector('.js-this').replaceChildren(...summary(item));
    section.querySelector('.js-original').replaceChildren(...summary(candidate),
      el('br'), t('{m} m away', { m: formatNumber(Math.round(candidate.distance_m)) }));
    reason.hidden = true;
  }

  section.querySelector('.js-find-original').addEventListener('click', async () => {
    status.textContent = t('Looking for reports nearby…');
    const id = encodeURIComponent(item.public_id);
    const result = await apiOrOffline(`/api/v1/moderation/reports/${id}/merge-candidates`);
    if (result.status !== 200 || !Array.isArray(result.body)) {
      status.textContent = (result.body && result.body.error && result.body.error.message) || t('The action failed.');
      return;
    }
    offered = result.body;
    status.textContent = offered.length
      ? tn('{n} report of the same kind within 500 m.', '{n} reports of the same kind within 500 m.', offered.length)
      : t('No report of the same kind within 500 m. Type the id of the original if you are sure.');
    box.hidden = !offered.length;
    list.replaceChildren(...offered.map((c, i) => {
      const inputId = `merge-${item.public_id}-${c.public_id}`;
      const input = el('input', { type: 'radio', name: `merge-${item.public_id}`, id: inputId, value: c.public_id });
      input.addEventListener('change', () => choose(c));
      return el('div', { class: 'check merge__candidate' }, input,
        el('label', { for: inputId }, `${i + 1}. `, ...summary(c), ` (${t('{m} m away', { m: formatNumber(Math.round(c.distance_m)) })})`));
    }));
    showCandidates(node, offered);
  });

  form.elements.into.addEventListener('input', () => {
    const typed = form.elements.into.value.trim();
    const known = offered.find((c) => c.public_id === typed);
    compare.hidden = !known;
    reason.hidden = Boolean(known) || !typed;
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const into = form.elements.into.value.trim();
    if (!into) {
      status.textContent = t('Choose the original first.');
      return;
    }
    const why = form.elements.reason.value.trim();
    const done = await on.act(node, 'merge', why ? { into, reason: why } : { into },
      t('Merged into {id}', { id: into }), true);
    if (done) clearCandidates();
    else reason.hidden = false; // the server may want a reason: say it there
  });
}
