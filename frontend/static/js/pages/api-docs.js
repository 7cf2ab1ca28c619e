// Starts the API documentation viewer of api_docs.html (Swagger UI or ReDoc, classic scripts
// from /vendor/ that bring their own global): the page's CSP allows no inline script.
const root = document.getElementById('api-docs');
const spec = root.dataset.spec;

if (root.dataset.viewer === 'swagger') {
  window.SwaggerUIBundle({
    url: spec,
    domNode: root,
    deepLinking: false, // the fragment would add history entries
    validatorUrl: null, // no call to an outside validator
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
} else {
  // Search runs in a Web Worker made from a blob: URL, which the CSP refuses: without it.
  window.Redoc.init(spec, { disableSearch: true, hideDownloadButton: false }, root);
}
