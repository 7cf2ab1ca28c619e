// The audit walk page: record a walk (offline too) and moderate submitted walks.
import { wireRecording } from '../audits/record.js';
import { loadReview } from '../audits/review.js';
import { leavingNow } from '../lib/quick-exit.js';
import { wireStaffNav } from '../lib/staff-nav.js';

wireStaffNav();
wireRecording();
loadReview();

// Offline: sw.js keeps this page (as the server gave it to her) and its modules, so a walk can
// be started and recorded without a connection; lib/staff-nav.js deletes the copy at log-out.
if ('serviceWorker' in navigator && !leavingNow()) {
  navigator.serviceWorker.register('/sw.js', { scope: '/' })
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => registration.active && registration.active.postMessage('keep-walk-page'))
    .catch(() => {
      // No offline copy (private mode, blocked): the page works online all the same.
    });
}
