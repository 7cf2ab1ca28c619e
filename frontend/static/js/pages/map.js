// The public map page: the mahalle choropleth, published report points (clustered), support
// services, filters and legend, and the "report a place" flow. Data comes from the JSON API;
// settings and interface strings from the #config block. Nothing about a report is written to
// any storage on the device except the outbox of reports not yet sent (report-form/outbox.js).
import { $ } from '../lib/dom.js';
import { isRtl } from '../lib/i18n.js';
import { onMunicipalityChange } from '../lib/municipality.js';
import { leavingNow } from '../lib/quick-exit.js';
import { addAuditToggle } from '../map/audits.js';
import { addChoropleth } from '../map/choropleth.js';
import { addMunicipalityChoice } from '../map/municipality-choice.js';
import { addReportPoints, renderPointLegend } from '../map/points.js';
import { addReportList } from '../map/report-list.js';
import { createPublicMap } from '../map/public-map.js';
import { addServicesToggle } from '../map/services.js';
import { startReportForm } from '../report-form.js';

const view = createPublicMap($('map'), $('map-notice'));
const { map } = view;
// Test and debugging hook (the browser tests move the map with it): public figures only.
// eslint-disable-next-line no-restricted-syntax -- the one global of our own, for the tests
window.__mh = view.debug;

// The municipality of the address (/?municipality=CODE), and the choice of another: kept in
// the address only, passed to every public API call (lib/municipality.js).
addMunicipalityChoice(view, $('municipality'));
const areas = addChoropleth(view);
const points = addReportPoints(view);
const reportList = addReportList(view, $('report-list'));
addServicesToggle(view, $('show-services'));
addAuditToggle(view, $('show-audits'));
onMunicipalityChange(() => {
  areas.load();
  points.load();
  reportList.load();
});

// --- filters and legend --------------------------------------------------------------------------
$('period').addEventListener('change', () => {
  areas.load();
  points.load();
  reportList.load();
});
$('filter-group').addEventListener('change', () => {
  areas.load();
  points.load();
});
$('filter-time-band').addEventListener('change', points.load);
map.on('moveend', points.load);
const legend = $('legend');
const legendControl = L.control({ position: isRtl ? 'bottomleft' : 'bottomright' }); // with the attribution
legendControl.onAdd = () => legend;
legendControl.addTo(map);
L.DomEvent.disableClickPropagation(legend);
L.DomEvent.disableScrollPropagation(legend);
legend.open = window.matchMedia('(min-width: 48rem)').matches;
renderPointLegend();

// --- offline: the app shell (sw.js caches it, never API answers but the reference lists) ---------
if ('serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    if (leavingNow()) return; // quick exit has just unregistered it: not again
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
      // No offline shell (private mode, blocked): the page works online all the same.
    });
  });
}

// Back online: load again, so a "could not load" notice goes with the next good answer.
window.addEventListener('online', () => {
  areas.load();
  points.load();
  reportList.load();
});

startReportForm(view);
areas.load();
points.load();
