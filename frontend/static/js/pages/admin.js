// Administrators: staff accounts and their municipalities, the municipalities themselves,
// and the responsibility table. Each section is its own module under admin/.
import { initAccounts } from '../admin/accounts.js';
import { initMunicipalities } from '../admin/municipalities.js';
import { initResponsibility } from '../admin/responsibility.js';
import { loadMunicipalities } from '../admin/shared.js';
import { errorMessage } from '../lib/api.js';
import { $ } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { wireStaffNav } from '../lib/staff-nav.js';

wireStaffNav();
initAccounts();
initMunicipalities();
initResponsibility();
loadMunicipalities().then((result) => {
  if (result.status !== 200) $('municipality-status').textContent = errorMessage(result, t('Could not load the municipalities.'));
});
