// The choice of municipality in the map bar: the list from GET /api/v1/municipalities (each
// metropolitan municipality followed by its districts), the map fitted to the chosen one's own
// view or its area, and the language switch showing only the languages it offers.
import { api } from '../lib/api.js';
import { config } from '../lib/config.js';
import { el } from '../lib/dom.js';
import { chooseMunicipality, currentMunicipality } from '../lib/municipality.js';

/** Parents before their children (a metropolitan municipality, then its districts), each
 * level in Turkish alphabetical order. */
function treeOrder(items) {
  const codes = new Set(items.map((m) => m.code));
  const children = new Map();
  items.forEach((m) => {
    const parent = m.parent && codes.has(m.parent) ? m.parent : '';
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(m);
  });
  const ordered = [];
  const seen = new Set();
  const visit = (parent) => {
    const level = (children.get(parent) || []).sort((a, b) => a.name.localeCompare(b.name, 'tr'));
    level.forEach((m) => {
      if (seen.has(m.code)) return;
      seen.add(m.code);
      ordered.push(m);
      visit(m.code);
    });
  };
  visit('');
  return ordered;
}

/** Show the municipality `m` (null: the whole area): its own view, else its area's box. */
export function fitTo(map, m) {
  if (m && m.map_view) {
    map.setView([m.map_view.lat, m.map_view.lon], m.map_view.zoom || map.getZoom(), { animate: false });
  } else if (m && m.bbox) {
    const [west, south, east, north] = m.bbox;
    map.fitBounds([[south, west], [north, east]], { animate: false });
  } else {
    map.setView(config.center, config.zoom, { animate: false });
  }
}

/** The language switch: only the languages `m` offers (all without a list); links keep it. */
function showLanguages(m) {
  const offered = m && m.languages && m.languages.length ? m.languages : null;
  document.querySelectorAll('.language__link').forEach((link) => {
    link.hidden = Boolean(offered) && !offered.includes(link.lang);
    const url = new URL(link.href, window.location.href);
    if (m) url.searchParams.set('municipality', m.code);
    else url.searchParams.delete('municipality');
    link.setAttribute('href', url.search);
  });
}

/**
 * The choice in `select` for the public map `view`: the map shows the municipality of the
 * address at once; choosing another fits the map to it and tells the layers (through
 * lib/municipality.js, which keeps it in the address only).
 */
export function addMunicipalityChoice(view, select) {
  if (config.municipality) fitTo(view.map, config.municipality);
  let municipalities = [];

  select.addEventListener('change', () => {
    const chosen = municipalities.find((m) => m.code === select.value) || null;
    chooseMunicipality(chosen ? chosen.code : '');
    fitTo(view.map, chosen);
    showLanguages(chosen);
  });

  api('/api/v1/municipalities').then((result) => {
    if (result.status !== 200 || !result.body) return; // the choice made by the address stays
    municipalities = result.body.items || [];
    const code = currentMunicipality();
    const options = treeOrder(municipalities).map((m) =>
      el('option', { value: m.code, selected: m.code === code }, m.name));
    select.replaceChildren(select.options[0], ...options);
    select.value = municipalities.some((m) => m.code === code) ? code : '';
    // One municipality and no other choice: nothing to choose.
    select.closest('.municipality-choice').hidden = municipalities.length < 2 && !code;
    // Offline, the cached page may not know the municipality of the address: now it does.
    const known = municipalities.find((m) => m.code === code);
    if (!config.municipality && known) {
      fitTo(view.map, known);
      showLanguages(known);
    }
  }).catch(() => {
    // No list (offline, never loaded): the address still decides what the map shows.
  });
}
