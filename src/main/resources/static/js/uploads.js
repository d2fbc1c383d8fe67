// Files attached to the message being written: each uploads at once (POST /api/files) with its
// progress shown, and the message carries those that finished. Picked, pasted or dropped alike.

import { el } from './dom.js';

const MAX_PER_MESSAGE = 10;

export function sizeLabel(bytes) {
  if (bytes < 1024) return bytes + ' B';
  if (bytes < 1024 * 1024) return Math.round(bytes / 1024) + ' KB';
  return (bytes / (1024 * 1024)).toFixed(1) + ' MB';
}

/**
 * @param list the element that shows the attachments
 * @param maxBytes the server's limit per file
 * @param onChange called whenever an attachment is added, progresses, finishes, fails or goes
 */
export function attachments(list, maxBytes, onChange) {
  let items = [];          // { file, progress, uploaded: {id,…} | null, error, request }

  function render() {
    list.hidden = items.length === 0;
    list.replaceChildren(...items.map((item) => {
      const li = el('li', 'attachment' + (item.error ? ' failed' : '') + (item.uploaded ? ' done' : ''));
      li.appendChild(el('span', 'name', item.file.name || 'pasted file'));
      li.appendChild(el('span', 'size', sizeLabel(item.file.size)));
      if (item.error) li.appendChild(el('span', 'error', item.error));
      else if (!item.uploaded) {
        const bar = el('progress');
        bar.max = 100;
        bar.value = item.progress;
        li.appendChild(bar);
      }
      const remove = el('button', 'remove', '×');
      remove.type = 'button';
      remove.setAttribute('aria-label', 'Remove ' + (item.file.name || 'file'));
      remove.addEventListener('click', () => drop(item));
      li.appendChild(remove);
      return li;
    }));
    onChange();
  }

  function drop(item) {
    if (item.request) item.request.abort();
    items = items.filter((other) => other !== item);
    render();
  }

  function upload(item) {
    const form = new FormData();
    form.append('file', item.file, item.file.name || 'pasted');
    const request = new XMLHttpRequest();
    item.request = request;
    request.open('POST', '/api/files');
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) { item.progress = Math.round(100 * event.loaded / event.total); render(); }
    };
    request.onload = () => {
      item.request = null;
      let body = {};
      try { body = JSON.parse(request.responseText); } catch (e) { /* an error page */ }
      if (request.status === 201) item.uploaded = body.file;
      else item.error = body.error || (request.status === 413 ? 'too large' : 'not uploaded (' + request.status + ')');
      render();
    };
    request.onerror = () => { item.request = null; item.error = 'not uploaded: the connection failed'; render(); };
    request.send(form);
  }

  return {
    add(files) {
      for (const file of files) {
        if (items.length >= MAX_PER_MESSAGE) break;
        const item = { file, progress: 0, uploaded: null, error: null, request: null };
        items.push(item);
        if (file.size > maxBytes) item.error = 'too large: at most ' + sizeLabel(maxBytes);
        else upload(item);
      }
      render();
    },
    /** The ids of the finished uploads, for the message. */
    ids() { return items.filter((item) => item.uploaded).map((item) => item.uploaded.id); },
    /** Whether a message may go now: no upload is still on its way. */
    settled() { return items.every((item) => item.uploaded || item.error); },
    clear() { items = []; render(); },
  };
}

/** A message's files in the timeline: images as previews that open full size, others as download chips. */
export function renderFiles(files) {
  const box = el('span', 'files');
  files.forEach((file) => {
    const link = el('a', file.type.startsWith('image/') ? 'image' : 'file-chip');
    link.href = file.url;
    link.rel = 'noopener noreferrer';
    if (file.type.startsWith('image/')) {
      link.target = '_blank';
      const image = el('img');
      image.src = file.thumbnail || file.url;
      image.alt = file.name;
      image.loading = 'lazy';
      link.appendChild(image);
    }
    else {
      link.download = file.name;
      link.appendChild(el('span', 'name', file.name));
      link.appendChild(el('span', 'size', sizeLabel(file.size)));
    }
    box.appendChild(link);
  });
  return box;
}
