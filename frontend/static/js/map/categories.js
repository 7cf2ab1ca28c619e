// Report categories on the public map page (points, legend, report form): the list from the
// API, fetched once; labels in the page's language; one colour per category group.
import { api } from '../lib/api.js';
import { config } from '../lib/config.js';
import { localName } from '../lib/i18n.js';

export const GROUP_COLOURS = {
  lighting: '#b45309',
  transport: '#1d4ed8',
  harassment: '#be123c',
  environment: '#15803d',
  infrastructure: '#57534e',
  other: '#6b7280',
};

const labels = config.labels || {};

export function groupLabel(group) {
  return (labels.groups && labels.groups[group]) || group;
}

export function groupColour(group) {
  return GROUP_COLOURS[group] || GROUP_COLOURS.other;
}

/** A category's label in the page's language (the API gives Turkish and English). */
export function categoryLabel(category) {
  const names = (category && (category.labels || category.category_labels)) || {};
  return localName(names, (category && (category.code || category.category)) || '');
}

let categoriesPromise = null;

/** The active categories (GET /api/v1/categories), fetched once per page. */
export function categories() {
  if (!categoriesPromise) {
    categoriesPromise = api('/api/v1/categories').then((result) => {
      if (result.status !== 200 || !Array.isArray(result.body)) {
        categoriesPromise = null;
        throw new Error(String(result.status));
      }
      return result.body;
    });
  }
  return categoriesPromise;
}
