// The municipality the public map is about, kept only in the address (/?municipality=CODE):
// never in localStorage, sessionStorage, IndexedDB or a cookie, so a shared phone does not
// remember where she looked. Every public API call of the page passes it on (`scoped`).
import { config } from './config.js';

const PARAM = 'municipality';
const listeners = [];
// The server checked the code in the address (an unknown one is a 404 page); offline, the
// cached page may know none, and the address still says which.
let current = (config.municipality && config.municipality.code)
  || new URLSearchParams(window.location.search).get(PARAM) || '';

/** The chosen municipality's code; '' for the whole area of the deployment. */
export function currentMunicipality() {
  return current;
}

/** `path` with `params` (URLSearchParams or an object) and, when one is chosen, ?municipality=. */
export function scoped(path, params) {
  const query = new URLSearchParams(params || {});
  if (current) query.set(PARAM, current);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** Choose `code` ('' for the whole area): the address says so, without a new history entry. */
export function chooseMunicipality(code) {
  if (code === current) return;
  current = code;
  const url = new URL(window.location.href);
  if (code) url.searchParams.set(PARAM, code);
  else url.searchParams.delete(PARAM);
  window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  listeners.forEach((listener) => listener(code));
}

/** Run `listener(code)` whenever another municipality is chosen. */
export function onMunicipalityChange(listener) {
  listeners.push(listener);
}
