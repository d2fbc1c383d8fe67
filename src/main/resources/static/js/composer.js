// The message box: its text leaves only once the server acknowledged the message; a refused or
// unsent message keeps it, with the reason beside it. Also the length counter, the files attached
// (picked, pasted or dropped), the @ autocomplete of a room's members and the typing events.

import { el } from './dom.js';
import { mentionAt } from './format.js';
import { attachments } from './uploads.js';
import { settings, rooms, view, mentionable } from './state.js';

const $ = (id) => document.getElementById(id);
const TYPING_EVERY_MS = 2000;

/** @param send sends a frame; returns its ref, or null when not connected */
export function createComposer(send) {
  const input = $('message-input');
  let pending = null;               // { ref, text, files } of the message on its way
  let lastTypingSent = 0;
  let suggestions = [];
  let suggested = 0;

  const attached = attachments($('attachments'), settings.fileLimit, () => {
    $('send').disabled = !attached.settled() || closedRoomOpen();
  });

  function closedRoomOpen() {
    const r = view.active.kind === 'room' ? rooms.get(view.active.id) : undefined;
    return r !== undefined && !r.open;
  }

  function submit(event) {
    event.preventDefault();
    if (pending) return;
    const text = input.value.trim();
    if (!attached.settled()) { error('Wait for the files to finish uploading.'); return; }
    const files = attached.ids();
    if (!text && !files.length) return;
    if (Array.from(text).length > settings.textLimit) {
      error('Too long: at most ' + settings.textLimit + ' characters. Shorten it to send it.');
      return;
    }
    const { kind, id } = view.active;
    const frame = kind === 'room' ? { type: 'message', room: id, text } : { type: 'private', to: id, text };
    if (files.length) frame.files = files;
    const ref = send(frame);
    if (!ref) { error('Not connected: your message is still here, send it again once online.'); return; }
    pending = { ref, text: input.value, files: files.length > 0 };
    error('');
    renderState();
  }

  function error(text) {
    const box = $('composer-error');
    box.textContent = text;
    box.hidden = !text;
  }

  // While a message is on its way the box keeps it and takes no second send; a counter shows near the limit.
  function renderState() {
    const length = Array.from(input.value).length;
    const counter = $('char-count');
    counter.hidden = length < settings.textLimit * 0.9;
    counter.textContent = length + ' / ' + settings.textLimit;
    counter.classList.toggle('over', length > settings.textLimit);
    $('composer').classList.toggle('sending', pending !== null);
  }

  function typed() {
    renderState();
    renderSuggestions();
    const now = Date.now();
    if (now - lastTypingSent > TYPING_EVERY_MS && input.value.trim()) {
      lastTypingSent = now;
      send(view.active.kind === 'room' ? { type: 'typing', room: view.active.id } : { type: 'typing', to: view.active.id });
    }
  }

  function renderSuggestions() {
    const at = view.active.kind === 'room' ? mentionAt(input.value, input.selectionStart) : null;
    const r = rooms.get(view.active.id);
    suggestions = at && r
      ? mentionable(r).filter((u) => u.id.startsWith(at.prefix) || u.name.toLowerCase().startsWith(at.prefix)).slice(0, 8)
      : [];
    suggested = Math.min(suggested, Math.max(0, suggestions.length - 1));
    const list = $('mention-suggestions');
    list.hidden = suggestions.length === 0;
    list.replaceChildren(...suggestions.map((u, i) => {
      const li = el('li', i === suggested ? 'active' : '');
      li.appendChild(el('span', 'name', u.name));
      li.appendChild(el('span', 'id', '@' + u.id));
      li.dataset.user = u.id;
      li.addEventListener('mousedown', (event) => { event.preventDefault(); complete(u); });
      return li;
    }));
  }

  function suggestionKey(event) {
    if (!suggestions.length) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      suggested = (suggested + (event.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length;
    }
    else if (event.key === 'Enter' || event.key === 'Tab') complete(suggestions[suggested]);
    else if (event.key === 'Escape') suggestions = [];
    else return false;
    event.preventDefault();
    if (suggestions.length) renderSuggestions(); else $('mention-suggestions').hidden = true;
    return true;
  }

  function complete(user) {
    const at = mentionAt(input.value, input.selectionStart);
    if (!at) return;
    const after = input.value.slice(input.selectionStart);
    input.value = input.value.slice(0, at.start) + '@' + user.id + ' ' + after;
    const caret = at.start + user.id.length + 2;
    input.setSelectionRange(caret, caret);
    input.focus();
    suggestions = [];
    $('mention-suggestions').hidden = true;
    renderState();
  }

  function listenForFiles() {
    $('attach').addEventListener('click', () => $('file-input').click());
    $('file-input').addEventListener('change', (event) => { attached.add(event.target.files); event.target.value = ''; });
    input.addEventListener('paste', (event) => {
      const files = event.clipboardData && event.clipboardData.files;
      if (files && files.length) { event.preventDefault(); attached.add(files); }
    });
    const dropZone = document.querySelector('.conversation');
    dropZone.addEventListener('dragover', (event) => {
      if ([...event.dataTransfer.types].includes('Files')) { event.preventDefault(); dropZone.classList.add('dropping'); }
    });
    dropZone.addEventListener('dragleave', () => dropZone.classList.remove('dropping'));
    dropZone.addEventListener('drop', (event) => {
      dropZone.classList.remove('dropping');
      if (event.dataTransfer.files.length) { event.preventDefault(); attached.add(event.dataTransfer.files); }
    });
  }

  $('composer').addEventListener('submit', submit);
  input.addEventListener('keydown', (event) => {
    if (suggestionKey(event)) return;
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      $('composer').requestSubmit();
    }
  });
  input.addEventListener('input', typed);
  listenForFiles();

  return {
    /** The server took the message: the box empties, unless the user already typed something else. */
    acked(ref) {
      if (!pending || ref !== pending.ref) return;
      if (input.value === pending.text) input.value = '';
      if (pending.files) attached.clear();
      pending = null;
      lastTypingSent = 0; // the others' typing line ended with the message: the next one is told at once
      error('');
      renderState();
    },
    /** The server refused the message: it stays, with the reason. Returns whether the error was the message's. */
    refused(ref, reason) {
      if (!pending || ref !== pending.ref) return false;
      pending = null;
      renderState();
      error('Not sent: ' + reason);
      return true;
    },
    disconnected() {
      if (!pending) return;
      pending = null;
      error('Not sent: the connection was lost. Send it again once online.');
      renderState();
    },
    /** A closed room takes no messages, so its box is off rather than answering each with an error. */
    show(target) {
      const closed = view.active.kind === 'room' && target !== undefined && !target.open;
      input.disabled = closed;
      $('send').disabled = closed || !attached.settled();
      input.placeholder = closed ? 'This room is closed: no new messages' : placeholder(target);
    },
  };
}

// In a room, the one place the bot is announced: it answers there when mentioned.
function placeholder(target) {
  if (!target) return 'Write a message';
  if (view.active.kind !== 'room') return 'Message @ ' + target.name;
  return 'Message # ' + target.name + (settings.bot ? ' (@' + settings.bot + ' help: what the bot can do)' : '');
}
