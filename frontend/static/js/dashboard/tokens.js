// Personal API tokens on the planners' dashboard (for QGIS and scripts): list, create (the
// token is shown once), revoke.
import { api, errorMessage } from '../lib/api.js';
import { $, el } from '../lib/dom.js';
import { t } from '../lib/i18n.js';

async function loadTokens() {
  const result = await api('/api/v1/tokens');
  if (result.status !== 200) return;
  $('token-list').replaceChildren(...result.body.map((tok) => el('li', null,
    `${tok.name} (${tok.prefix}…) `,
    tok.revoked_at ? el('em', null, t('revoked')) : el('button', { type: 'button', class: 'button', onclick: () => revoke(tok.id) }, t('Revoke')))));
}

async function revoke(id) {
  const result = await api(`/api/v1/tokens/${id}`, { method: 'DELETE' });
  if (result.status !== 204) $('status').textContent = errorMessage(result, t('Could not revoke the token.'));
  loadTokens();
}

/** Wire the token form and list the tokens. */
export function startTokens() {
  $('token-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const result = await api('/api/v1/tokens', { json: { name: $('token-name').value } });
    if (result.status !== 201) {
      $('status').textContent = errorMessage(result, t('Could not create the token.'));
      return;
    }
    const box = $('token-new');
    box.hidden = false;
    box.replaceChildren(t('Your new token (copy it now, it is not shown again):'), ' ', el('code', null, result.body.token));
    $('token-name').value = '';
    loadTokens();
  });
  loadTokens();
}
