/* global fetch, setTimeout, clearTimeout */
// The "@" autocomplete of a post form: while someone types "@" and the start of a name, the
// group's names that begin with it are offered in a list under the field (a listbox the field
// controls: up and down choose, Enter or Tab take the name, Escape closes it; a status region
// says how many match). Only names come back from the server (GET /g/:slug/names?q=), as the
// group's member list shows them. Without this script the field is a plain text field.
(() => {
  const mentionBefore = /(?:^|[^\p{L}\p{N}_])@"?([\p{L}\p{N}][\p{L}\p{N} ._()'-]{0,39})?$/u;
  let made = 0;

  const setUp = (wrapper) => {
    const field = wrapper.querySelector('textarea');
    if (!field || wrapper.dataset.ready) return;
    wrapper.dataset.ready = '1';
    made += 1;
    const listId = `mention-list-${made}`;
    const list = document.createElement('ul');
    list.id = listId;
    list.className = 'mention-list';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', wrapper.dataset.listLabel || '');
    list.hidden = true;
    const status = document.createElement('p');
    status.className = 'visually-hidden';
    status.setAttribute('role', 'status');
    wrapper.append(list, status);
    field.setAttribute('aria-autocomplete', 'list');
    field.setAttribute('aria-controls', listId);

    let names = [];
    let active = -1;
    let start = -1;
    let timer = 0;
    let asked = '';

    const close = () => {
      list.hidden = true;
      list.textContent = '';
      names = [];
      active = -1;
      field.removeAttribute('aria-activedescendant');
    };

    const say = (count) => {
      if (count === 0) status.textContent = wrapper.dataset.none || '';
      else if (count === 1) status.textContent = wrapper.dataset.foundOne || '';
      else status.textContent = (wrapper.dataset.foundOther || '').replace('{count}', String(count));
    };

    const highlight = (index) => {
      active = index;
      [...list.children].forEach((item, i) => item.setAttribute('aria-selected', i === index ? 'true' : 'false'));
      if (index >= 0) field.setAttribute('aria-activedescendant', `${listId}-${index}`);
      else field.removeAttribute('aria-activedescendant');
    };

    const choose = (index) => {
      const name = names[index];
      if (name === undefined || start < 0) return;
      const caret = field.selectionStart;
      const text = `@${name} `;
      field.value = field.value.slice(0, start) + text + field.value.slice(caret);
      const at = start + text.length;
      field.setSelectionRange(at, at);
      close();
      field.focus();
    };

    const show = (found) => {
      names = found;
      list.textContent = '';
      found.forEach((name, i) => {
        const item = document.createElement('li');
        item.id = `${listId}-${i}`;
        item.setAttribute('role', 'option');
        item.setAttribute('aria-selected', 'false');
        item.textContent = name;
        // Chosen on mousedown, before the field loses focus and the list closes.
        item.addEventListener('mousedown', (event) => {
          event.preventDefault();
          choose(i);
        });
        list.append(item);
      });
      list.hidden = found.length === 0;
      highlight(found.length > 0 ? 0 : -1);
      say(found.length);
    };

    const ask = async (query) => {
      asked = query;
      try {
        const answer = await fetch(`${wrapper.dataset.names}?q=${encodeURIComponent(query)}`, {
          headers: { accept: 'application/json' },
          credentials: 'same-origin',
        });
        if (!answer.ok) return close();
        const body = await answer.json();
        // Typing went on meanwhile: only the latest question's answer is shown.
        if (asked === query) show(Array.isArray(body.names) ? body.names.slice(0, 10) : []);
      } catch {
        close();
      }
    };

    field.addEventListener('input', () => {
      const before = field.value.slice(0, field.selectionStart);
      const found = mentionBefore.exec(before);
      clearTimeout(timer);
      if (!found || !found[1]) {
        start = -1;
        return close();
      }
      start = before.lastIndexOf('@');
      const query = found[1];
      timer = setTimeout(() => ask(query), 150);
    });

    field.addEventListener('keydown', (event) => {
      if (list.hidden || names.length === 0) return;
      if (event.key === 'ArrowDown') {
        event.preventDefault();
        highlight((active + 1) % names.length);
      } else if (event.key === 'ArrowUp') {
        event.preventDefault();
        highlight((active - 1 + names.length) % names.length);
      } else if ((event.key === 'Enter' || event.key === 'Tab') && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === 'Escape') {
        event.preventDefault();
        close();
      }
    });

    field.addEventListener('blur', () => setTimeout(close, 150));
  };

  const setUpAll = () => document.querySelectorAll('.mentions-field[data-names]').forEach(setUp);
  setUpAll();
  // A reply form htmx puts back after posting is a new field.
  document.addEventListener('htmx:afterSettle', setUpAll);
})();
