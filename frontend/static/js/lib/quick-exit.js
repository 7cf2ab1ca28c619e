// Quick exit, on every page (base.html loads this module on its own, so it works even when a
// page's other scripts fail): the link in the header, or the Esc key pressed twice.
// The page is hidden at once and replaced by a neutral site with location.replace(), so the
// back button does not come back here; the history entry is made neutral first where allowed.
const ESC_WINDOW_MS = 1500;
const link = document.getElementById('quick-exit');
let lastEscape = 0;
let leaving = false;

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
  window.location.replace(link.href);
}

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
