// The moderation queue's small map of exact locations (staff only): a marker per report, and
// "move the point": the next click on the map gives the report its new place.
import { config } from '../lib/config.js';
import { $ } from '../lib/dom.js';

let map = null;
let markers = null;
let moving = null; // the report whose point the next map click moves
let candidates = null; // the originals offered for a merge

/** Draw the map once; `onMove(node, latlng)` gets the click that moves a report's point. */
export function ensureMap(onMove) {
  if (map) return;
  map = L.map('preview-map', { center: config.center, zoom: config.zoom });
  if (config.tile_url) {
    L.tileLayer(config.tile_url, { attribution: config.tile_attribution, maxZoom: 19 }).addTo(map);
  }
  map.attributionControl.addAttribution(config.osm_attribution);
  markers = L.layerGroup().addTo(map);
  map.on('click', (event) => {
    if (!moving) return;
    const node = moving;
    moving = null;
    $('preview-map').classList.remove('is-moving');
    onMove(node, event.latlng);
  });
}

/** A marker at the report's exact place, kept on its queue item as `node.marker`. */
export function placeMarker(node, item) {
  const latlng = L.latLng(item.location.lat, item.location.lon);
  node.marker = L.circleMarker(latlng, { radius: 7, color: '#54278f', fillOpacity: 0.8 })
    .bindTooltip(item.public_id)
    .addTo(markers);
}

export function clearMarkers() {
  markers.clearLayers();
}

/** Show every marker (no closer than zoom 15). */
export function fitMarkers() {
  const placed = markers.getLayers();
  if (placed.length) map.fitBounds(L.featureGroup(placed).getBounds().pad(0.2), { maxZoom: 15 });
}

/** Centre the map on a queue item's report. */
export function focusMap(node) {
  if (!node || !node.marker) return;
  map.setView(node.marker.getLatLng(), 16);
  node.marker.openTooltip();
}

/** The next click on the map moves this item's point. */
export function startMoving(node) {
  moving = node;
  focusMap(node);
  $('preview-map').classList.add('is-moving');
}

/** The originals offered for a merge around the duplicate `node`, numbered as in its list. */
export function showCandidates(node, list) {
  if (!map) return;
  if (!candidates) candidates = L.layerGroup().addTo(map);
  candidates.clearLayers();
  const placed = list.map((c, i) => L.circleMarker(L.latLng(c.location.lat, c.location.lon), {
    radius: 9, color: '#b45309', weight: 3, fillOpacity: 0.35,
  }).bindTooltip(`${i + 1}: ${c.public_id}`, { permanent: true, direction: 'right' }).addTo(candidates));
  const all = node.marker ? [node.marker, ...placed] : placed;
  if (all.length) map.fitBounds(L.featureGroup(all).getBounds().pad(0.3), { maxZoom: 17 });
}

/** Take the merge candidates off the map. */
export function clearCandidates() {
  if (candidates) candidates.clearLayers();
}
