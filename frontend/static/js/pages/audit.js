// Administrators: the audit log with filters, paging and a CSV export of the same filters.
import { api, errorMessage } from '../lib/api.js';
import { $, cell } from '../lib/dom.js';
import { formatDate, formatNumber, t } from '../lib/i18n.js';
import { wireStaffNav } from '../lib/staff-nav.js';

const PAGE = 50;
const form = $('audit-filters');
let offset = 0;
let total = 0;

function params() {
  const p = new URLSearchParams();
  ['actor', 'action', 'since', 'until', 'report'].forEach((name) => {
    const value = form.elements[name].value.trim();
    if (value) p.set(name, value);
  });
  return p;
}

function json(value) {
  return value ? JSON.stringify(value) : '';
}

// A merge can be undone from its event: the duplicate's status and confirmations come back
// (POST .../unmerge, itself audited); nothing is deleted from the log.
async function unmerge(e, button) {
  button.disabled = true;
  const result = await api(`/api/v1/moderation/reports/${encodeURIComponent(e.report)}/unmerge`, { json: {} });
  if (result.status !== 200) {
    button.disabled = false;
    $('page-status').textContent = errorMessage(result, t('The action failed.'));
    return;
  }
  $('page-status').textContent = t('Merge undone: {id} is its own report again.', { id: e.report });
  load();
}

function actionCell(e) {
  const td = cell(e.action);
  if (e.action === 'report.merge' && e.report) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'button button--small js-unmerge';
    button.textContent = t('Undo this merge');
    button.addEventListener('click', () => unmerge(e, button));
    td.append(' ', button);
  }
  return td;
}

async function load() {
  const p = params();
  $('csv-link').href = `/api/v1/admin/audit.csv?${p.toString()}`;
  p.set('limit', String(PAGE));
  p.set('offset', String(offset));
  const result = await api(`/api/v1/admin/audit?${p.toString()}`);
  if (result.status !== 200) {
    $('page-status').textContent = errorMessage(result, t('Could not load the audit log.'));
    return;
  }
  total = result.body.total;
  const rows = result.body.items.map((e) => {
    const tr = document.createElement('tr');
    tr.append(
      cell(formatDate(e.created_at, { dateStyle: 'short', timeStyle: 'medium' })),
      cell(e.actor || t('(system)')),
      actionCell(e),
      cell([e.report, e.target_user].filter(Boolean).join(' ')),
      cell([e.reason, e.note].filter(Boolean).join(': ')),
      cell(json(e.before), 'json'),
      cell(json(e.after), 'json'),
    );
    return tr;
  });
  document.querySelector('#audit tbody').replaceChildren(...rows);
  const last = Math.min(offset + PAGE, total);
  $('page-info').textContent = total
    ? t('{first}–{last} of {total}', { first: formatNumber(offset + 1), last: formatNumber(last), total: formatNumber(total) })
    : t('No events match.');
  $('prev').disabled = offset === 0;
  $('next').disabled = offset + PAGE >= total;
}

form.addEventListener('submit', (event) => { event.preventDefault(); offset = 0; load(); });
$('prev').addEventListener('click', () => { offset = Math.max(0, offset - PAGE); load(); });
$('next').addEventListener('click', () => { offset += PAGE; load(); });
wireStaffNav();
load();
