// The tracking page: the reporter enters her code, sees the status and the timeline, adds a
// comment or deletes her report. The code lives only in this script's memory: it is never put
// in a URL, in storage or in a cookie, and the form fields have autocomplete off.
import { api } from '../lib/api.js';
import { $ } from '../lib/dom.js';
import { formatDate, formatNumber, localName, t } from '../lib/i18n.js';

const STATUS = {
  pending: () => t('Waiting for a volunteer to review it'),
  published: () => t('Published on the map'),
  rejected: () => t('Not published'),
  hidden: () => t('Taken off the map for now'),
  merged: () => t('Merged with a similar report'),
  deleted: () => t('Deleted by you'),
};
const MUNICIPAL = {
  none: () => t('Not forwarded to the municipality'),
  forwarded: () => t('Forwarded to the municipality'),
  in_progress: () => t('The municipality is working on it'),
  resolved: () => t('Resolved by the municipality'),
  declined: () => t('Declined by the municipality'),
};
// Why a volunteer did not publish it: the reason code in plain words, with what she can do.
const REJECTION = {
  spam: () => t('It looked like advertising or an automatic message, not a report about a place.'),
  off_topic: () => t('It was not about feeling unsafe in a place in the city.'),
  personal_data: () => t('It contained personal information (such as a name or a phone number) that cannot be published. You can send a new report without it.'),
  duplicate: () => t('The same place had already been reported by someone else.'),
  abusive: () => t('It contained insulting or abusive words.'),
  other: () => t('It could not be published for another reason. You can add information below.'),
};
const AUTHOR = {
  reporter: () => t('You'),
  moderator: () => t('Volunteer'),
  municipality: () => t('Municipality'),
};
const MAX_COMMENT = 1000;

let code = null; // the code of the report on screen, in memory only
const categoryLabels = {};

function show(element, visible) {
  element.hidden = !visible;
}

function setError(box, input, message) {
  box.textContent = message || '';
  if (input) {
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
}

function say(message) {
  $('track-status').textContent = message || '';
}

function statusText(value, table) {
  return table[value] ? table[value]() : value;
}

function categoryLabel(codeValue) {
  return localName(categoryLabels[codeValue], codeValue);
}

async function loadCategories() {
  try {
    const result = await api('/api/v1/categories');
    if (result.status === 200 && Array.isArray(result.body)) {
      for (const category of result.body) categoryLabels[category.code] = category.labels;
    }
  } catch {
    // Without labels the page shows category codes; tracking still works.
  }
}

function timelineItem(entry) {
  const item = document.createElement('li');
  const when = document.createElement('span');
  when.className = 'timeline__when';
  when.textContent = formatDate(entry.at, { dateStyle: 'medium', timeStyle: 'short' });
  const who = document.createElement('span');
  who.className = 'timeline__who';
  who.textContent = statusText(entry.author, AUTHOR);
  const text = document.createElement('p');
  text.className = 'timeline__text';
  if (entry.kind === 'status') {
    text.textContent = t('Status: {status}', { status: statusText(entry.text, STATUS) });
  } else if (entry.kind === 'municipal' && entry.municipal_status) {
    const label = statusText(entry.municipal_status, MUNICIPAL);
    text.textContent = entry.text ? label + ': ' + entry.text : label;
  } else {
    text.textContent = entry.text;
  }
  item.append(when, who, text);
  return item;
}

function render(view) {
  $('report-status').textContent = statusText(view.status, STATUS);
  const why = view.rejection_reason && REJECTION[view.rejection_reason];
  $('report-reason').textContent = why ? t('Why: {reason}', { reason: why() }) : '';
  $('report-reason').hidden = !why;
  $('report-category').textContent = categoryLabel(view.category);
  $('report-created').textContent = formatDate(view.created_at + 'T12:00:00');
  $('report-municipal').textContent = statusText(view.municipal_status, MUNICIPAL);
  const merged = $('report-merged');
  merged.textContent = view.merged_into
    ? t('Your report was merged with a similar one that says the same; it is counted there.')
    : '';
  show(merged, Boolean(view.merged_into));
  const list = $('timeline');
  list.replaceChildren(...view.timeline.map(timelineItem));
  show($('comment-form'), view.can_comment);
  show($('delete-area'), view.can_delete);
  show($('delete-confirm'), false);
  show($('delete-start'), true);
  show($('report'), true);
}

function apiFailure(result, box, input) {
  if (result.status === 404) {
    setError(box, input, t('This code does not match a report. Check it and try again.'));
  } else if (result.status === 429) {
    setError(box, input, t('Too many wrong codes from this device. Wait 15 minutes, then try again.'));
  } else if (result.status === 409) {
    setError(box, null, t('This report has already been deleted.'));
  } else if (result.status === 422) {
    setError(box, input, t('Please check what you entered and try again.'));
  } else {
    setError(box, input, t('Something went wrong. Please try again.'));
  }
}

async function call(path, body) {
  try {
    return await api(path, { json: body });
  } catch {
    return { status: 0, body: null };
  }
}

function offline(result, box) {
  if (result.status !== 0) return false;
  setError(box, null, t('No connection. Try again when you are online.'));
  return true;
}

async function lookUp(event) {
  event.preventDefault();
  const input = $('track-code');
  const box = $('track-error');
  const entered = input.value.trim();
  setError(box, input, '');
  if (!entered) {
    setError(box, input, t('Enter your tracking code.'));
    input.focus();
    return;
  }
  say(t('Looking up your report…'));
  const result = await call('/api/v1/track', { code: entered });
  await categoriesLoaded;
  say('');
  if (result.status === 200) {
    code = entered;
    render(result.body);
    say(t('Your report was found.'));
    $('report-title').focus();
    return;
  }
  code = null;
  show($('report'), false);
  if (!offline(result, box)) apiFailure(result, box, input);
  input.focus();
}

async function refresh() {
  const result = await call('/api/v1/track', { code });
  if (result.status === 200) render(result.body);
}

function updateCount() {
  const used = $('comment-body').value.length;
  $('comment-count').textContent = t('{used} of {max} characters', {
    used: formatNumber(used),
    max: formatNumber(MAX_COMMENT),
  });
}

async function sendComment(event) {
  event.preventDefault();
  const input = $('comment-body');
  const box = $('comment-error');
  const body = input.value.trim();
  setError(box, input, '');
  if (!body) {
    setError(box, input, t('Write your comment first.'));
    input.focus();
    return;
  }
  const result = await call('/api/v1/track/comments', { code, body });
  if (result.status === 201) {
    input.value = '';
    updateCount();
    await refresh();
    say(t('Your comment was sent.'));
    input.focus();
    return;
  }
  if (!offline(result, box)) apiFailure(result, box, input);
  input.focus();
}

function askDelete() {
  show($('delete-start'), false);
  show($('delete-confirm'), true);
  $('delete-question').focus();
}

function cancelDelete() {
  show($('delete-confirm'), false);
  show($('delete-start'), true);
  $('delete-start').focus();
}

async function confirmDelete() {
  const box = $('delete-error');
  setError(box, null, '');
  const result = await call('/api/v1/track/delete', { code });
  if (result.status === 200) {
    await refresh();
    say(t('Your report was deleted. It is no longer on the map or in the figures.'));
    $('report-title').focus();
    return;
  }
  if (!offline(result, box)) apiFailure(result, box, null);
}

$('track-form').addEventListener('submit', lookUp);
$('comment-form').addEventListener('submit', sendComment);
$('comment-body').addEventListener('input', updateCount);
$('delete-start').addEventListener('click', askDelete);
$('delete-no').addEventListener('click', cancelDelete);
$('delete-yes').addEventListener('click', confirmDelete);
// Leaving the page (or the back/forward cache) must not keep the code on screen.
window.addEventListener('pagehide', () => {
  code = null;
  $('track-code').value = '';
});
updateCount();
const categoriesLoaded = loadCategories();
