// The report panel beside (on a phone, over) the map: opened by "Report a place", closed by
// cancelling or after the result; closing forgets everything she entered.
import { $ } from '../lib/dom.js';
import { clearResult, renderResult } from './result.js';
import { finishForm } from './steps.js';
import { loadCategories } from './what.js';
import { loadArea, refreshMap, setReporting } from './where.js';

const panel = $('report-panel');
const openButton = $('open-report');

/** Open the panel (focusing its title unless `focus` is false). */
export function openPanel(focus) {
  panel.hidden = false;
  document.body.classList.add('is-reporting');
  openButton.setAttribute('aria-expanded', 'true');
  setReporting(true);
  refreshMap();
  loadArea();
  loadCategories();
  if (focus !== false) $('report-title').focus();
}

export function closePanel() {
  setReporting(false);
  finishForm();
  panel.hidden = true;
  document.body.classList.remove('is-reporting');
  delete document.body.dataset.step;
  openButton.setAttribute('aria-expanded', 'false');
  clearResult();
  refreshMap();
  openButton.focus();
}

/** True while she is writing a report (the panel is open on the form, not on a result). */
export function isWriting() {
  return !panel.hidden && !$('report-form').hidden;
}

/** The result of a report, in the panel (opened for it if she had closed it). */
export function showResult(kind, created) {
  openPanel(false);
  renderResult(kind, created);
}
