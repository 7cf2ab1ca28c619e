// Step 3, what: categories as grouped, labelled radio tiles with an icon per group (a note when
// a category is shown only as counts), the "me too" offers, felt safety, an optional text with
// a character counter; up to config.max_photos photos, each decoded with createImageBitmap
// (EXIF orientation applied), drawn no larger than config.photo_max_side and re-encoded as
// JPEG, so the upload carries none of the original's metadata even before the server
// re-encodes it.
import { config } from '../lib/config.js';
import { $, el, svgEl } from '../lib/dom.js';
import { formatNumber, t } from '../lib/i18n.js';
import { categories, categoryLabel, groupColour, groupLabel } from '../map/categories.js';
import { showErrors } from './errors.js';
import { checkMetoo, clearMetoo } from './metoo.js';
import { chosenPoint } from './where.js';

const ICONS = {
  lighting: 'M12 2a6 6 0 0 0-3.5 10.9V16h7v-3.1A6 6 0 0 0 12 2zM9 18h6v2H9zm1 3h4v1h-4z',
  transport: 'M6 3h12a2 2 0 0 1 2 2v11a2 2 0 0 1-1 1.7V20h-3v-2H8v2H5v-2.3A2 2 0 0 1 4 16V5a2 2 0 0 1 2-2zm0 3v5h12V6zm1 8a1 1 0 1 0 2 0 1 1 0 0 0-2 0zm8 0a1 1 0 1 0 2 0 1 1 0 0 0-2 0z',
  harassment: 'M12 2 2 20h20zm-1 6h2v6h-2zm0 8h2v2h-2z',
  environment: 'M12 2 5 12h4l-4 6h6v4h2v-4h6l-4-6h4z',
  infrastructure: 'M3 18h18v3H3zm2-6h14v4H5zm3-6h8v4H8z',
  other: 'M5 10a2 2 0 1 0 0 4 2 2 0 0 0 0-4zm7 0a2 2 0 1 0 0 4 2 2 0 0 0 0-4zm7 0a2 2 0 1 0 0 4 2 2 0 0 0 0-4z',
};

const form = $('report-form');
const categoryByCode = new Map();
let categoriesReady = false;

function icon(group) {
  const svg = svgEl('svg', { viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false', class: 'category__icon' });
  svg.append(svgEl('path', { d: ICONS[group] || ICONS.other, fill: groupColour(group) }));
  return svg;
}

/** Draw the category tiles once (GET /api/v1/categories, cached by the service worker). */
export async function loadCategories() {
  if (categoriesReady) return;
  let list;
  try {
    list = await categories();
  } catch {
    showErrors([{ field: 'category', message: t('Could not load the categories; check the connection and try again.') }]);
    return;
  }
  const groups = new Map();
  list.forEach((category) => {
    categoryByCode.set(category.code, category);
    if (!groups.has(category.group)) groups.set(category.group, []);
    groups.get(category.group).push(category);
  });
  $('category-groups').replaceChildren(...[...groups.entries()].map(([group, items]) => {
    const headingId = `category-group-${group}`;
    return el('div', { class: 'category-group', role: 'group', 'aria-labelledby': headingId },
      el('h3', { id: headingId, class: 'category-group__title' }, icon(group), groupLabel(group)),
      el('div', { class: 'category-group__items' }, items.map((category) => {
        const id = `category-${category.code}`;
        const input = el('input', { type: 'radio', name: 'category', id, value: category.code, class: 'category__input' });
        input.addEventListener('change', onCategory);
        return el('div', { class: 'category' }, input,
          el('label', { for: id, class: 'category__label' }, icon(group), el('span', null, categoryLabel(category))));
      })));
  }));
  categoriesReady = true;
}

function selectedCategory() {
  const input = form.querySelector('input[name="category"]:checked');
  return input ? categoryByCode.get(input.value) || { code: input.value } : null;
}

function onCategory() {
  const category = selectedCategory();
  $('category-note').hidden = !(category && category.sensitive);
  offerMetoo();
}

/** Offer nearby reports of the chosen category at the pin (none for sensitive categories). */
export function offerMetoo() {
  const category = selectedCategory();
  const where = chosenPoint();
  if (!where || !category || category.sensitive) {
    clearMetoo();
    return;
  }
  checkMetoo(where.lat, where.lng, category.code, categoryLabel(category));
}

function updateCounter() {
  const used = $('report-text').value.length;
  $('text-counter').textContent = t('{used} of {max} characters', {
    used: formatNumber(used), max: formatNumber(config.max_text_length),
  });
}

export function wireWhat() {
  $('report-text').addEventListener('input', updateCounter);
  $('photos').addEventListener('change', addPhotos);
}

/** After form.reset(): no photos, the counter and the category note as for an empty form. */
export function resetWhat() {
  resetPhotos();
  updateCounter();
  $('category-note').hidden = true;
  $('what-more').open = false;
}

/** Problems with this step: [{field, message}]. */
export function whatProblems() {
  const found = [];
  if (!selectedCategory()) found.push({ field: 'category', message: t('Category: choose what it is.') });
  if (!form.querySelector('input[name="perceived_safety"]:checked')) {
    found.push({ field: 'perceived_safety', message: t('Felt safety: choose how safe you felt, from 1 to 5.') });
  }
  return found;
}

/** This step's part of the report (the photos are sent beside it). */
export function whatFields() {
  const safety = form.querySelector('input[name="perceived_safety"]:checked');
  const category = selectedCategory();
  return {
    category: category ? category.code : '',
    perceived_safety: safety ? Number(safety.value) : null,
    text: $('report-text').value,
  };
}

// --- photos, made smaller on the phone -----------------------------------------------------------
let photos = []; // {blob, url}

async function downscale(file) {
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  const scale = Math.min(1, config.photo_max_side / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  if (bitmap.close) bitmap.close();
  // Drawn pixels only: the JPEG made here carries none of the original's metadata.
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('encode'))), 'image/jpeg', 0.82);
  });
}

function renderPhotos() {
  $('photo-list').replaceChildren(...photos.map((photo, i) => {
    const remove = el('button', { type: 'button', class: 'button button--quiet' }, t('Remove photo {n}', { n: i + 1 }));
    remove.addEventListener('click', () => {
      URL.revokeObjectURL(photo.url);
      photos = photos.filter((p) => p !== photo);
      renderPhotos();
      $('photos').focus();
    });
    return el('li', { class: 'photo' }, el('img', { src: photo.url, alt: t('Photo {n}', { n: i + 1 }) }), remove);
  }));
  $('photos').disabled = photos.length >= config.max_photos;
}

async function addPhotos(event) {
  const files = [...event.target.files];
  event.target.value = '';
  const messages = [];
  const room = config.max_photos - photos.length;
  if (files.length > room) messages.push({ field: 'photos', message: t('At most {n} photos; the others were left out.', { n: config.max_photos }) });
  for (const [i, file] of files.slice(0, Math.max(0, room)).entries()) {
    try {
      const blob = await downscale(file);
      photos.push({ blob, url: URL.createObjectURL(blob) });
    } catch {
      messages.push({ field: 'photos', message: t('Photo {n} could not be read: choose a JPEG, PNG or WebP image.', { n: photos.length + i + 1 }) });
    }
  }
  renderPhotos();
  showErrors(messages);
}

/** The photos made so far, ready to send. */
export function photoBlobs() {
  return photos.map((p) => p.blob);
}

/** Forget the photos and their previews (the object URLs are revoked). */
function resetPhotos() {
  photos.forEach((p) => URL.revokeObjectURL(p.url));
  photos = [];
  renderPhotos();
}
