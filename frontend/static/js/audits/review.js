// Moderating walks: the submitted walks of the volunteer's municipalities, each with its
// points' scores and notes (personal-data hints flagged), approved or rejected with a reason.
import { api, errorMessage } from '../lib/api.js';
import { config } from '../lib/config.js';
import { $, el } from '../lib/dom.js';
import { t, tn } from '../lib/i18n.js';

const REASONS = () => [
  ['incomplete', t('Incomplete')],
  ['duplicate', t('Duplicate')],
  ['personal_data', t('Contains personal data')],
  ['not_a_walk', t('Not an audit walk')],
  ['other', t('Other')],
];

function pointLine(point) {
  const scores = config.parameters.map((p) => `${p.name} ${point.scores[p.code]}`).join(' · ');
  return el('li', null, scores,
    point.note ? el('p', { class: 'audits__note' }, point.note) : null,
    point.note_hints.length ? el('p', { class: 'audits__hint' }, t('Personal data in the note: {kinds}', { kinds: point.note_hints.join(', ') })) : null);
}

async function decide(walk, action, item) {
  const body = action === 'reject' ? { reason: item.querySelector('select').value } : {};
  const result = await api(`/api/v1/audits/walks/${walk.id}/${action}`, { json: body });
  const line = item.querySelector('.audits__result');
  if (result.status === 200) {
    line.textContent = action === 'approve' ? t('Approved.') : t('Rejected.');
    item.querySelectorAll('button, select').forEach((n) => { n.disabled = true; });
  } else {
    line.textContent = errorMessage(result, t('That did not work.'));
  }
}

function walkItem(walk) {
  const reasonId = `reason-${walk.id}`;
  const item = el('li', { class: 'audits__walk' },
    el('h3', null, `${walk.mahalle} · ${walk.walked_on}`),
    walk.is_example ? el('p', { class: 'audits__example' }, t('Example walk (demo data)')) : null,
    el('p', null, tn('{n} point', '{n} points', walk.points), ' · ', t('recorded by {who}', { who: walk.recorded_by || '—' })),
    el('ul', { class: 'audits__points' }, walk.point_list.map(pointLine)),
    el('div', { class: 'audits__actions' },
      el('button', { type: 'button', class: 'button button--primary', onclick: () => decide(walk, 'approve', item) }, t('Approve')),
      el('label', { for: reasonId }, t('Reason')),
      el('select', { id: reasonId }, REASONS().map(([v, name]) => el('option', { value: v }, name))),
      el('button', { type: 'button', class: 'button', onclick: () => decide(walk, 'reject', item) }, t('Reject'))),
    el('p', { class: 'audits__result', role: 'status' }));
  return item;
}

export async function loadReview() {
  const list = $('review-list');
  const result = await api('/api/v1/audits/walks?status=submitted').catch(() => null);
  list.replaceChildren();
  if (!result || result.status !== 200) return;
  if (!result.body.walks.length) list.append(el('li', null, t('No walk is waiting for review.')));
  for (const walk of result.body.walks) list.append(walkItem(walk));
}
