// The page's settings and interface strings, handed over by the server in the #config block
// (`{{ config|tojson }}` in base.html): read once, shared by every module of the page.
const block = document.getElementById('config');

export const config = block ? JSON.parse(block.textContent) : {};
