// eslint for the browser modules (make lint). No build step: what is written here is what the
// browser runs, so mistakes an eslint run finds would otherwise reach a phone.
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['node_modules/'] },
  js.configs.recommended,
  {
    files: ['static/js/**/*.js'],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      // The browser's globals and Leaflet's `L` (a classic script from /vendor/); nothing else.
      globals: { ...globals.browser, L: 'readonly' },
    },
  },
  {
    // The service worker is a classic script (registered without type: 'module').
    files: ['static/sw.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'script', globals: globals.serviceworker },
  },
  {
    files: ['eslint.config.js', 'scripts/**/*.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: globals.node },
  },
  {
    rules: {
      'no-unused-vars': ['error', { args: 'after-used', caughtErrors: 'all' }],
      'no-var': 'error',
      'prefer-const': 'error',
      eqeqeq: ['error', 'always'],
      // No globals of our own: modules share through import/export (lib/ for every page).
      'no-restricted-syntax': ['error', {
        selector: 'AssignmentExpression > MemberExpression.left[object.name=/^(window|self|globalThis)$/]',
        message: 'No globals: export it from a module (static/js/lib/ for what the pages share).',
      }],
    },
  },
];
