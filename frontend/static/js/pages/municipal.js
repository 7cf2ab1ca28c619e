// Moderators and planners record the municipal response: forwarded, in progress, resolved or
// declined, each with a public note the reporter reads through her tracking code.
import { api, errorMessage } from '../lib/api.js';
import { $ } from '../lib/dom.js';
import { formatDate, formatNumber, localName, t } from '../lib/i18n.js';
import { MUNICIPAL_STATUS, duty } from '../lib/municipal-status.js';
import { wireStaffNav } from '../lib/staff-nav.js';

const PAGE = 50;
// The next step a volunteer most likely records, chosen in the form.
const NEXT = { none: 'forwarded', forwarded: 'in_progress', in_progress: 'resolved' };
let offset = 0;

function when(value) {
  return value ? formatDate(value) : '—';
}

function render(item) {
  const node = $('municipal-item').content.firstElementChild.cloneNode(true);
  node.dataset.publicId = item.public_id;
  node.querySelector('.queue-item__category').textContent = `${localName(item.category_labels, item.category)} · ${item.public_id}`;
  node.querySelector('.queue-item__meta').textContent = [
    t('Status: {status}', { status: MUNICIPAL_STATUS[item.municipal_status] || item.municipal_status }),
    item.responsible ? t('Responsible: {name}', { name: duty(item.responsible) }) : '',
    t('Published: {date}', { date: when(item.published_at) }),
    t('Forwarded: {date}', { date: when(item.forwarded_at) }),
    t('Resolved: {date}', { date: when(item.resolved_at) }),
  ].filter(Boolean).join(' · ');
  const form = node.querySelector('.js-municipal');
  form.hidden = !(item.municipal_status in NEXT);
  if (NEXT[item.municipal_status]) form.elements.status.value = NEXT[item.municipal_status];
  form.elements.department.value = item.municipal_department || '';
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const f = form.elements;
    const json = { status: f.status.value, note: f.note.value.trim(), department: f.department.value.trim() || null };
    const result = await api(`/api/v1/municipal/reports/${encodeURIComponent(item.public_id)}/status`, { json });
    if (result.status === 201) {
      $('page-status').textContent = t('Municipal response recorded: {id}', { id: item.public_id });
      load();
    } else {
      node.querySelector('.queue-item__status').textContent = errorMessage(result, t('The action failed.'));
    }
  });
  return node;
}

async function load() {
  const params = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
  if ($('municipal-status').value) params.set('municipal_status', $('municipal-status').value);
  const result = await api(`/api/v1/municipal/reports?${params}`);
  if (result.status !== 200) {
    $('page-status').textContent = errorMessage(result, t('Could not load the queue.'));
    return;
  }
  const { items, total } = result.body;
  $('municipal-list').replaceChildren(...items.map(render));
  $('page-info').textContent = total
    ? t('{first}–{last} of {total}', { first: formatNumber(offset + 1), last: formatNumber(offset + items.length), total: formatNumber(total) })
    : t('No reports here.');
  $('prev').disabled = offset === 0;
  $('next').disabled = offset + PAGE >= total;
}

$('municipal-status').addEventListener('change', () => { offset = 0; load(); });
$('prev').addEventListener('click', () => { offset = Math.max(0, offset - PAGE); load(); });
$('next').addEventListener('click', () => { offset += PAGE; load(); });
wireStaffNav();
load();
