/* global navigator, Element */
// On /groups: sends the browser's time zone with the form, so "evenings" means the visitor's
// evenings, and offers "Use my location" where the browser can share it. The page works without it.
(() => {
  const form = () => document.getElementById('directory-form');

  const prepare = () => {
    const f = form();
    if (!f) return;
    const zone = f.querySelector('input[data-zone]');
    if (zone && !zone.value) {
      try {
        zone.value = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
      } catch {
        zone.value = '';
      }
    }
    const locate = f.querySelector('button[data-locate]');
    if (locate && navigator.geolocation) locate.hidden = false;
  };

  const hidden = (f, name, value) => {
    let input = f.querySelector(`input[type=hidden][name=${name}]`);
    if (!input) {
      input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      f.append(input);
    }
    input.value = value;
  };

  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[data-locate]') : null;
    const f = form();
    if (!button || !f) return;
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        // Rounded to about 100 m: enough to sort by distance, less than an exact address.
        hidden(f, 'lat', position.coords.latitude.toFixed(3));
        hidden(f, 'lon', position.coords.longitude.toFixed(3));
        const near = f.querySelector('input[name=near]');
        if (near) near.value = '';
        button.disabled = false;
        f.requestSubmit();
      },
      () => {
        button.disabled = false;
      },
      { maximumAge: 600000, timeout: 15000 },
    );
  });

  // The place field is called "near" in the directory's address; /places looks for "q".
  document.addEventListener('htmx:configRequest', (event) => {
    const detail = event.detail;
    if (detail.path === '/places' && detail.elt && detail.elt.id === 'directory-near') {
      detail.parameters.q = detail.elt.value;
    }
  });

  document.addEventListener('htmx:load', prepare);
  prepare();
})();
