// DOM helpers shared by every page.

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

/**
 * Build an element. Attributes: `class`, `on<event>` (a listener), `true` for an empty
 * attribute; null, undefined and false leave it out. Children are strings (as text, never
 * HTML) or nodes; null, undefined and false are skipped, arrays are flattened.
 */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

const SVG = 'http://www.w3.org/2000/svg';

/** Build an SVG element with these attributes. */
export function svgEl(tag, attrs) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  return node;
}

/** A table cell holding `text` (empty when there is none). */
export function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text || '';
  if (className) td.className = className;
  return td;
}
