// The OGC API pages' small map: the page's features (GeoJSON in #ogc-data) over the tiles.
import { config } from '../lib/config.js';

const L = window.L;
const block = document.getElementById('ogc-data');
const element = document.getElementById('ogc-map');

if (L && block && element) {
  const data = JSON.parse(block.textContent);
  const map = L.map(element, { scrollWheelZoom: false });
  if (config.tile_url) {
    L.tileLayer(config.tile_url, { attribution: config.tile_attribution, maxZoom: 19 }).addTo(map);
  }
  map.attributionControl.addAttribution(config.osm_attribution);
  const layer = L.geoJSON(data, {
    pointToLayer: (feature, latlng) => L.circleMarker(latlng, { radius: 5, weight: 1 }),
  }).addTo(map);
  const bounds = layer.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 16, padding: [10, 10] });
  else map.setView(config.center, config.zoom);
}
