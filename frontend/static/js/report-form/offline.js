// Reports without a connection: kept in the outbox (outbox.js) and sent on the `online` event
// and on the next load. A tracking code is always shown on screen, never stored.
import { $ } from '../lib/dom.js';
import { isoDate, t } from '../lib/i18n.js';
import { showErrors } from './errors.js';
import { addToOutbox, outboxEntries, refreshOutboxStatus, removeFromOutbox } from './outbox.js';
import { isWriting, showResult } from './panel.js';
import { retryDelay, send, serverProblems } from './send.js';
import { finishForm } from './steps.js';

/** Day 06–18, evening 18–22, night 22–06 (local time), as the server reckons "now". */
function timeBandAt(moment) {
  const hour = moment.getHours();
  if (hour >= 6 && hour < 18) return 'day';
  if (hour >= 18 && hour < 22) return 'evening';
  return 'night';
}

/** A "happening now" report kept for later keeps the moment it was made, not when it is sent. */
function asKept(body) {
  if (!body.happening_now) return body;
  const now = new Date();
  return { ...body, happening_now: false, occurred_on: isoDate(now), time_band: timeBandAt(now) };
}

/** Keep the report on this phone until it can be sent, and say so; with `retryAfter`
 * (seconds, the server's answer to wait), try again then, else when the connection returns. */
export async function keepOffline(body, blobs, retryAfter) {
  try {
    await addToOutbox({ report: JSON.stringify(asKept(body)), photos: blobs });
  } catch {
    showErrors([{ field: null, message: t('There is no connection and the report could not be kept on this phone. Please try again later.') }]);
    return;
  }
  finishForm();
  showResult('queued');
  if (retryAfter) retryLater(retryAfter); // online, but the server could not take it yet
}

let flushing = false;
let retryTimer = null;

function retryLater(seconds) {
  if (retryTimer) return;
  retryTimer = setTimeout(() => {
    retryTimer = null;
    flushOutbox();
  }, seconds * 1000);
}

/** Send the reports kept on this phone, one by one, while the connection holds. */
export async function flushOutbox() {
  if (flushing || navigator.onLine === false) return;
  flushing = true;
  try {
    const entries = await outboxEntries().catch(() => []);
    for (const entry of entries) {
      let result;
      try {
        result = await send(JSON.parse(entry.report), entry.photos);
      } catch {
        retryLater(30); // still no connection: try again when it returns, or in a while
        break;
      }
      if (result.status === 201 && result.body) {
        await removeFromOutbox(entry.id);
        if (isWriting()) {
          // She is writing another report: do not replace it; show the code above instead.
          const codes = $('outbox-codes');
          codes.textContent = [codes.textContent, result.body.tracking_code].filter(Boolean).join('\n');
          $('outbox-sent').hidden = false;
        } else {
          showResult('sent', result.body);
        }
      } else if (result.status >= 400 && result.status < 500 && result.status !== 429) {
        // Refused for good (e.g. no longer valid): say so, and do not keep it on the phone.
        await removeFromOutbox(entry.id);
        const [first] = serverProblems(result);
        $('queue-status').hidden = false;
        $('queue-status').textContent = t('A report kept on this phone was not accepted: {reason}', { reason: first.message });
      } else {
        retryLater(retryDelay(result)); // the server is busy or failing (429, 503): later
        break;
      }
    }
  } finally {
    flushing = false;
  }
}

/** Send what waits now (if anything does) and whenever the connection returns. */
export function wireOutbox() {
  window.addEventListener('online', flushOutbox);
  $('outbox-sent-close').addEventListener('click', () => {
    $('outbox-codes').textContent = '';
    $('outbox-sent').hidden = true;
  });
  refreshOutboxStatus().then((n) => (n ? flushOutbox() : null));
}
