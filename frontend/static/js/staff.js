// Shared by the staff pages: log-in form, log-out button, password change.
(function () {
  'use strict';

  const config = JSON.parse(document.getElementById('config').textContent);
  const $ = (id) => document.getElementById(id);
  const { api, t } = window.MH;

  function message(result, fallback) {
    return window.MH.errorMessage(result, fallback);
  }

  // The quick exit (link and Esc twice) is quick-exit.js, loaded by base.html on every page.

  const logout = $('logout');
  if (logout) {
    logout.addEventListener('click', async () => {
      await api('/api/v1/auth/logout', { json: {} });
      window.location.assign('/login');
    });
  }

  const loginForm = $('login-form');
  if (loginForm) {
    loginForm.addEventListener('submit', async (event) => {
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
      else error.textContent = message(result, t('Could not log in.'));
    });
  }

  const passwordForm = $('password-form');
  if (passwordForm) {
    passwordForm.addEventListener('submit', async (event) => {
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
        passwordForm.reset();
        $('password-done').textContent = t('Password changed. Your other sessions have ended.');
      } else if (result.status === 422 && result.body && result.body.error) {
        const field = (result.body.error.fields || [])[0];
        $('password-error').textContent = field && field.field === 'current_password'
          ? t('The current password is not right.')
          : t('This password cannot be used: at least 10 characters, not a common password.');
      } else {
        $('password-error').textContent = message(result, t('The password was not changed.'));
      }
    });
  }
})();
