// The municipal response states as staff read them (moderation queue, municipal page).
import { t } from './i18n.js';

export const MUNICIPAL_STATUS = {
  none: t('not forwarded'),
  forwarded: t('forwarded'),
  in_progress: t('in progress'),
  resolved: t('resolved'),
  declined: t('declined'),
};
