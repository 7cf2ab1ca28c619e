// The staff log-in page and the password change (login.html, modes login / account / forbidden).
import { api, errorMessage } from '../lib/api.js';
import { config } from '../lib/config.js';
import { $ } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { wireStaffNav } from '../lib/staff-nav.js';

function wireLogin(form) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = $('login-error');
    error.textContent = '';
    const result = await api('/api/v1/auth/login', {
      json: { email: $('login-email').value.trim(), password: $('login-password').value },
    });
    $('login-password').value = '';
    if (result.status === 200) {
      window.location.assign(config.next || '/moderation');
      return;
    }
    if (result.status === 401) error.textContent = t('Wrong e-mail or password.');
    else if (result.status === 429) error.textContent = t('Too many failed attempts. Wait a few minutes and try again.');
    else error.textContent = errorMessage(result, t('Could not log in.'));
  });
}

function wirePasswordChange(form) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    $('password-error').textContent = '';
    $('password-done').textContent = '';
    const result = await api('/api/v1/auth/password', {
      json: {
        current_password: $('current-password').value,
        new_password: $('new-password').value,
      },
    });
    if (result.status === 204) {
      form.reset();
      $('password-done').textContent = t('Password changed. Your other sessions have ended.');
    } else if (result.status === 422 && result.body && result.body.error) {
      const field = (result.body.error.fields || [])[0];
      $('password-error').textContent = field && field.field === 'current_password'
        ? t('The current password is not right.')
        : t('This password cannot be used: at least 10 characters, not a common password.');
    } else {
      $('password-error').textContent = errorMessage(result, t('The password was not changed.'));
    }
  });
}

wireStaffNav();
if ($('login-form')) wireLogin($('login-form'));
if ($('password-form')) wirePasswordChange($('password-form'));
