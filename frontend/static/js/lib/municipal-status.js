// The municipal response states as staff read them (moderation queue, municipal page).
import { t } from './i18n.js';

export const MUNICIPAL_STATUS = {
  none: t('not forwarded'),
  forwarded: t('forwarded'),
  in_progress: t('in progress'),
  resolved: t('resolved'),
  declined: t('declined'),
};

/** Who acts on a report: the municipality, and its department when known. */
export function duty(responsible) {
  return responsible.department ? `${responsible.name} (${responsible.department})` : responsible.name;
}
