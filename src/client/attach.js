/* global fetch, FormData */
// Photos and files for a post's or message's form, as soon as they are chosen, dropped on the form
// or pasted into it: each is uploaded at once (POST /uploads) and shown in the form with its own
// description field and a "Remove" button; the form then sends only the uploads' ids. Without
// this script the file input goes with the form, and the server does the same on submit.
(() => {
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (m, key) => (key in values ? values[key] : m));

  const setUp = (fieldset) => {
    const form = fieldset.closest('form');
    const input = fieldset.querySelector('input[type=file]');
    const list = fieldset.querySelector('.attach-list');
    if (!form || !input || !list || fieldset.dataset.ready) return;
    fieldset.dataset.ready = '1';
    const d = fieldset.dataset;
    const max = Number(d.max) || 4;
    // Each upload gets its own description, asked beside it.
    const newAlt = fieldset.querySelector('.attach-new-alt');
    if (newAlt) newAlt.hidden = true;

    const count = () => list.querySelectorAll('input[name=attachment]').length;

    const say = (item, text) => {
      item.textContent = '';
      const p = document.createElement('p');
      p.className = 'error';
      p.setAttribute('role', 'alert');
      p.textContent = text;
      const dismiss = document.createElement('button');
      dismiss.type = 'button';
      dismiss.className = 'link-button';
      dismiss.textContent = d.removeLabel;
      dismiss.addEventListener('click', () => item.remove());
      item.append(p, dismiss);
    };

    const show = (item, file) => {
      item.textContent = '';
      const id = document.createElement('input');
      id.type = 'hidden';
      id.name = 'attachment';
      id.value = file.publicId;
      item.append(id);
      if (file.thumbUrl) {
        const img = document.createElement('img');
        img.src = file.thumbUrl;
        img.alt = '';
        img.width = 80;
        img.height = 80;
        item.append(img);
      }
      const name = document.createElement('span');
      name.textContent = file.name;
      item.append(name);
      if (file.kind === 'image') {
        const field = document.createElement('div');
        field.className = 'field';
        const label = document.createElement('label');
        label.htmlFor = `alt-${file.publicId}`;
        label.textContent = d.altLabel;
        const alt = document.createElement('input');
        alt.type = 'text';
        alt.id = label.htmlFor;
        alt.name = `alt-${file.publicId}`;
        alt.maxLength = 1000;
        alt.required = true;
        field.append(label, alt);
        item.append(field);
        alt.focus();
      }
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'link-button';
      remove.textContent = `${d.removeLabel} (${file.name})`;
      remove.addEventListener('click', () => {
        item.remove();
        input.focus();
      });
      item.append(remove);
    };

    const upload = async (file) => {
      const item = document.createElement('li');
      item.className = 'attach-item';
      list.append(item);
      if (count() >= max) {
        say(item, fill(d.failed, { name: file.name, reason: '' }).replace(/:\s*$/, ''));
        return;
      }
      item.textContent = fill(d.uploading, { name: file.name });
      const body = new FormData();
      body.append('file', file, file.name);
      try {
        const res = await fetch(d.attach, { method: 'POST', body, headers: { 'x-csrf-token': d.csrf } });
        const answer = await res.json().catch(() => ({}));
        if (!res.ok) return say(item, fill(d.failed, { name: file.name, reason: answer.detail || res.statusText }));
        show(item, answer);
      } catch {
        say(item, fill(d.failed, { name: file.name, reason: '' }));
      }
    };

    const take = (files) => {
      for (const file of Array.from(files || [])) void upload(file);
    };

    input.addEventListener('change', () => {
      take(input.files);
      // Sent already: the form must not carry them a second time.
      input.value = '';
    });
    form.addEventListener('dragover', (event) => {
      if (!event.dataTransfer || !Array.from(event.dataTransfer.types).includes('Files')) return;
      event.preventDefault();
      form.classList.add('attach-dropping');
    });
    form.addEventListener('dragleave', () => form.classList.remove('attach-dropping'));
    form.addEventListener('drop', (event) => {
      if (!event.dataTransfer || event.dataTransfer.files.length === 0) return;
      event.preventDefault();
      form.classList.remove('attach-dropping');
      take(event.dataTransfer.files);
    });
    form.addEventListener('paste', (event) => {
      const files = event.clipboardData ? event.clipboardData.files : null;
      if (!files || files.length === 0) return;
      event.preventDefault();
      take(files);
    });
  };

  const setUpAll = () => document.querySelectorAll('fieldset.attach-fields[data-attach]').forEach(setUp);
  setUpAll();
  // A form htmx puts back after posting is a new form.
  document.addEventListener('htmx:afterSettle', setUpAll);
})();
