// The staff menu (staff_nav.html) on every staff page: the log-out button. Logging out also
// deletes what this phone kept for the volunteer (sw.js's copy of the audit walk page, the
// walk being recorded and its unsent points), so the next user of the phone finds none of it.
import { forgetOutbox, waitingPoints, waitingWalks } from '../audits/outbox.js';
import { api } from './api.js';
import { $ } from './dom.js';
import { t, tn } from './i18n.js';

const STAFF_CACHE = 'staff-v1'; // as in sw.js
const ACTIVE_WALK = 'mh-audit-walk'; // as in audits/record.js

/** Ask the service worker to delete its copy, and wait (up to 2 s) until it says it has. */
function forgetInWorker() {
  const worker = navigator.serviceWorker && navigator.serviceWorker.controller;
  if (!worker) return Promise.resolve();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    setTimeout(resolve, 2000);
    worker.postMessage('forget-staff', [channel.port2]);
  });
}

async function forgetStaffCopies() {
  await forgetInWorker();
  if (window.caches) await caches.delete(STAFF_CACHE).catch(() => false);
  localStorage.removeItem(ACTIVE_WALK);
  await forgetOutbox().catch(() => null);
}

/** Make the menu's log-out button work, where the page shows one. */
export function wireStaffNav() {
  const logout = $('logout');
  if (!logout) return;
  logout.addEventListener('click', async () => {
    const waiting = (await waitingPoints().catch(() => [])).length + (await waitingWalks().catch(() => [])).length;
    if (waiting && !window.confirm(tn(
      '{n} walk entry is not sent yet and will be deleted from this phone. Log out anyway?',
      '{n} walk entries are not sent yet and will be deleted from this phone. Log out anyway?', waiting))) return;
    await forgetStaffCopies();
    // Without an answer the session lives on: she must not believe she has logged out.
    const result = await api('/api/v1/auth/logout', { json: {} }).catch(() => null);
    const ended = result && (result.status < 300 || result.status === 401); // 401: none to end
    if (!ended) {
      window.alert(t('Could not log out. Check the connection and press "Log out" again.'));
      return;
    }
    window.location.assign('/login');
  });
}
