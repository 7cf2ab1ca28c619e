// The staff menu (staff_nav.html) on every staff page: the log-out button.
import { api } from './api.js';
import { $ } from './dom.js';

/** Make the menu's log-out button work, where the page shows one. */
export function wireStaffNav() {
  const logout = $('logout');
  if (!logout) return;
  logout.addEventListener('click', async () => {
    await api('/api/v1/auth/logout', { json: {} });
    window.location.assign('/login');
  });
}
