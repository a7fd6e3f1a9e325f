/* global SimpleWebAuthnBrowser, fetch, location */
/*
 * Passkeys: adding one on the account's security page, and logging in with one. Buttons carry
 * data-passkey="register" or "login" and stay hidden until this script finds a browser that
 * can use passkeys. Messages go to the element named by data-passkey-status, which is read out;
 * data-csrf holds the page's CSRF token.
 */
(function () {
  const { browserSupportsWebAuthn, startRegistration, startAuthentication } = SimpleWebAuthnBrowser;
  // Each button carries the page's CSRF token (visitors' pages have no htmx headers to take it from).
  async function post(url, csrfToken, body) {
    const response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
      body: JSON.stringify(body ?? {}),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.message || '');
    return data;
  }

  function wire(button) {
    const status = document.getElementById(button.dataset.passkeyStatus);
    const csrf = button.dataset.csrf;
    const say = (text) => {
      if (status) status.textContent = text;
    };
    button.hidden = false;
    button.addEventListener('click', async () => {
      button.disabled = true;
      say(button.dataset.waiting);
      try {
        if (button.dataset.passkey === 'register') {
          const { options } = await post('/account/passkeys/options', csrf);
          const credential = await startRegistration({ optionsJSON: options });
          const done = await post('/account/passkeys', csrf, credential);
          location.assign(done.redirect);
        } else {
          const { options } = await post('/login/passkey/options', csrf);
          const credential = await startAuthentication({ optionsJSON: options });
          const next = button.dataset.next ? `?next=${encodeURIComponent(button.dataset.next)}` : '';
          const done = await post(`/login/passkey${next}`, csrf, credential);
          location.assign(done.redirect);
        }
      } catch (error) {
        say(error && error.message ? error.message : button.dataset.failed);
        button.disabled = false;
      }
    });
  }

  if (!browserSupportsWebAuthn()) return;
  for (const button of document.querySelectorAll('[data-passkey]')) wire(button);
})();
