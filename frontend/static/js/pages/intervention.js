// An intervention's page: its place and the area counted as near it, on a small map.
import { config } from '../lib/config.js';

const data = JSON.parse(document.getElementById('intervention-data').textContent);
const container = document.getElementById('intervention-map');
const map = L.map(container, { center: config.center, zoom: config.zoom, maxZoom: 19 });
if (config.tile_url) {
  L.tileLayer(config.tile_url, { attribution: config.tile_attribution, maxZoom: 19 }).addTo(map);
}
map.attributionControl.addAttribution(config.osm_attribution);
const near = L.geoJSON(data.near, { style: { color: '#6a2c91', weight: 1, fillOpacity: 0.15 } }).addTo(map);
if (data.place) {
  L.geoJSON(data.place, {
    style: { color: '#3b0a57', weight: 4 },
    pointToLayer: (feature, latlng) => L.circleMarker(latlng, { radius: 6, color: '#3b0a57', fillOpacity: 0.9 }),
  }).addTo(map);
}
map.fitBounds(near.getBounds(), { padding: [16, 16] });
container.dataset.ready = 'true';
