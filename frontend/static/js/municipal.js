// Moderators and planners record the municipal response: forwarded, in progress, resolved or
// declined, each with a public note the reporter reads through her tracking code.
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const { api, t, formatDate, formatNumber } = window.MH;
  const lang = window.MH.locale === 'en' ? 'en' : 'tr';
  const PAGE = 50;
  const STATUS = {
    none: t('not forwarded'),
    forwarded: t('forwarded'),
    in_progress: t('in progress'),
    resolved: t('resolved'),
    declined: t('declined'),
  };
  // The next step a volunteer most likely records, chosen in the form.
  const NEXT = { none: 'forwarded', forwarded: 'in_progress', in_progress: 'resolved' };
  let offset = 0;

  function when(value) {
    return value ? formatDate(value) : '—';
  }

  function render(item) {
    const node = $('municipal-item').content.firstElementChild.cloneNode(true);
    node.dataset.publicId = item.public_id;
    const labels = item.category_labels || {};
    node.querySelector('.queue-item__category').textContent = `${labels[lang] || labels.tr || item.category} · ${item.public_id}`;
    node.querySelector('.queue-item__meta').textContent = [
      t('Status: {status}', { status: STATUS[item.municipal_status] || item.municipal_status }),
      item.municipal_department ? t('Department: {name}', { name: item.municipal_department }) : '',
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
        node.querySelector('.queue-item__status').textContent = window.MH.errorMessage(result, t('The action failed.'));
      }
    });
    return node;
  }

  async function load() {
    const params = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
    if ($('municipal-status').value) params.set('municipal_status', $('municipal-status').value);
    const result = await api(`/api/v1/municipal/reports?${params}`);
    if (result.status !== 200) {
      $('page-status').textContent = window.MH.errorMessage(result, t('Could not load the queue.'));
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
  load();
})();
