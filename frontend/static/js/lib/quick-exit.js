// Quick exit, on every page (base.html loads this module on its own, so it works even when a
// page's other scripts fail): the link in the header, or the Esc key pressed twice.
// The page is hidden at once; what the site left in the browser goes (the service worker's
// cache and the worker itself, the session's language cookie, any web storage), and a neutral
// site replaces the page with location.replace(), so the back button does not come back here.
//
// The site also keeps to one history entry, so there is no earlier page of it to go back to:
// links within the site replace the entry (location.replace), and in-page links
// (#main) move the focus with history.replaceState, never a new entry.
//
// A report waiting in the offline outbox (IndexedDB `mh-outbox`, report-form/outbox.js) is
// kept: deleting it would lose her report without a word. The page says it is there, and it
// is sent on her next visit (docs/citizen-frontend.md, "Safety on the device").
const ESC_WINDOW_MS = 1500;
// Clean-up may take this long at most: leaving at once matters more than a tidy browser.
const CLEANUP_MS = 400;
const LANGUAGE_COOKIE = 'mh_lang';
const link = document.getElementById('quick-exit');
let lastEscape = 0;
let leaving = false;

async function forgetThisSite() {
  const work = [];
  if (window.caches) {
    work.push(caches.keys().then((keys) => Promise.all(keys.map((key) => caches.delete(key)))));
  }
  if (navigator.serviceWorker && navigator.serviceWorker.controller) {
    navigator.serviceWorker.controller.postMessage('forget'); // no late answer refills it
  }
  if (navigator.serviceWorker) {
    // Safe for the outbox: it lives in IndexedDB and is sent by the page, not by the worker.
    work.push(navigator.serviceWorker.getRegistrations()
      .then((registrations) => Promise.all(registrations.map((r) => r.unregister()))));
  }
  document.cookie = `${LANGUAGE_COOKIE}=; Max-Age=0; Path=/; SameSite=Lax`;
  try {
    window.localStorage.clear(); // the site writes none; whatever a script left goes
    window.sessionStorage.clear();
  } catch {
    // Storage disabled: nothing there to clear.
  }
  await Promise.allSettled(work);
}

/** True once quick exit has begun: nothing may be set up for the site after that. */
export function leavingNow() {
  return leaving;
}

function leave() {
  if (leaving) return;
  leaving = true;
  document.body.hidden = true;
  document.title = '';
  try {
    // A neutral entry in place of this page (same origin only), then away.
    window.history.replaceState(null, '', '/');
  } catch {
    // Not allowed in this context: location.replace still replaces the entry.
  }
  const away = () => window.location.replace(link.href);
  Promise.race([forgetThisSite(), new Promise((resolve) => { setTimeout(resolve, CLEANUP_MS); })])
    .then(away, away);
}

// One history entry for the whole site: a link of the site replaces the page; an in-page link
// scrolls and focuses without adding an entry.
function stayInOneEntry(event) {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = event.target.closest('a[href]');
  if (!anchor || anchor === link || anchor.target || anchor.hasAttribute('download')) return;
  const url = new URL(anchor.href, window.location.href);
  if (url.origin !== window.location.origin) return;
  event.preventDefault();
  const samePage = url.pathname === window.location.pathname && url.search === window.location.search;
  if (samePage && url.hash) {
    const target = document.getElementById(decodeURIComponent(url.hash.slice(1)));
    window.history.replaceState(window.history.state, '', url.href);
    if (target) {
      target.scrollIntoView();
      target.focus({ preventScroll: true });
    }
    return;
  }
  window.location.replace(url.href);
}

document.addEventListener('click', stayInOneEntry);

if (link) {
  link.addEventListener('click', (event) => {
    event.preventDefault();
    leave();
  });

  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' && event.key !== 'Esc') return;
    const now = Date.now();
    if (now - lastEscape <= ESC_WINDOW_MS) {
      leave();
    } else {
      lastEscape = now;
    }
  });
}
