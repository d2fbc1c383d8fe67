// Parley chat page. Every piece of user text goes through textContent, never innerHTML.
import { renderText, mentionAt } from './format.js';
import * as notifications from './notify.js';
import { attachments as attachmentList, renderFiles } from './uploads.js';
import { connection } from './connection.js';
import { el } from './dom.js';

(function () {
  'use strict';

  const me = { id: document.body.dataset.userId, name: document.body.dataset.userName };
  const bot = document.body.dataset.bot;            // the bot's username; absent when it is off
  // mark: the id to resume after (everything up to it is held); synced: live messages since the join
  // reply continue from the mark, so they may move it
  const rooms = new Map();          // slug -> { name, open, unread, mentions, messages: [], ids: Set, members: Map, mark, synced }
  const conversations = new Map();  // user id -> { name, unread, messages: [], ids: Set }
  let active = { kind: 'room', id: 'lobby' };
  let linkedRoom = document.body.dataset.openRoom;  // from a shared room link, joined once
  let linkedJoin = null;                             // { slug, ref } of that join until it is answered
  let lastTypingSent = 0;
  const typingTimers = new Map();
  const TEXT_LIMIT = Number(document.body.dataset.textLimit) || 4000;
  const FILE_LIMIT = Number(document.body.dataset.fileLimit) || 10 * 1024 * 1024;
  // the composer's text leaves the box only once the server acknowledged it
  let pendingSend = null;           // { ref, text } of the message on its way
  let editing = null;               // id of the message being edited in place
  let editDraft = null;             // its text as typed so far, kept across redraws
  let confirmingDelete = null;      // id of the message whose delete waits for a second click

  const $ = (id) => document.getElementById(id);

  function room(slug, name) {
    if (!rooms.has(slug)) {
      rooms.set(slug, { name: name || slug, open: true, unread: 0, mentions: 0, messages: [], ids: new Set(),
        members: new Map(), mark: undefined, synced: false });
    }
    const r = rooms.get(slug);
    if (name) r.name = name;
    return r;
  }

  function conversation(user) {
    if (!conversations.has(user.id)) {
      conversations.set(user.id, { name: user.name, unread: 0, messages: [], ids: new Set(), loaded: false });
    }
    return conversations.get(user.id);
  }

  // The server's heartbeat settings, so that the page pings as often as the server expects.
  const ws = connection({
    heartbeatMs: Number(document.body.dataset.heartbeatInterval) || 25000,
    silenceMs: Number(document.body.dataset.heartbeatTimeout) || 60000,
    onFrame: (frame) => handle(frame),
    onOpen: () => setStatus('online'),
    onClose: (event) => {
      setStatus('reconnecting…');
      if (pendingSend) { composerError('Not sent: the connection was lost. Send it again once online.'); pendingSend = null; renderComposerState(); }
      if (event.code === 1008) { setStatus('banned'); return false; }
      return true;
    },
  });

  // Returns the frame's ref once sent, null when not connected.
  function send(frame) { return ws.send(frame); }

  function setStatus(text) { $('connection-status').textContent = text; }

  function handle(frame) {
    switch (frame.type) {
      case 'welcome': return onWelcome(frame);
      case 'joined': return onJoined(frame);
      case 'left': rooms.delete(frame.room); if (active.kind === 'room' && active.id === frame.room) activate('room', 'lobby'); return renderAll();
      case 'message': return onMessage(frame);
      case 'private': return onPrivate(frame);
      case 'edited': return onEdited(frame);
      case 'deleted': return onDeleted(frame);
      case 'history': return onHistory(frame);
      case 'presence': return onPresence(frame);
      case 'typing': return onTyping(frame);
      case 'kicked': rooms.delete(frame.room); showError('You were removed from ' + frame.room + (frame.reason ? ': ' + frame.reason : '')); activate('room', 'lobby'); return renderAll();
      case 'system': return onSystem(frame);
      case 'room': if (rooms.has(frame.room)) room(frame.room, frame.name).open = frame.open; return renderAll();
      case 'push': return;
      case 'error': return onError(frame);
      case 'ack': return onAck(frame);
      default: return;
    }
  }

  function onWelcome(frame) {
    frame.rooms.forEach((r) => {
      Object.assign(room(r.slug, r.name), { unread: r.unread, mentions: r.mentions || 0, open: r.open !== false });
    });
    if (!rooms.has('lobby') && frame.rooms.length === 0) room('lobby', 'Lobby');
    if (linkedRoom) {
      room(linkedRoom, document.body.dataset.openRoomName);
      active = { kind: 'room', id: linkedRoom };
    }
    rooms.forEach((r, slug) => {
      // live messages that came after the last join but before its reply do not move the mark
      r.synced = false;
      send(r.mark ? { type: 'join', room: slug, since: r.mark } : { type: 'join', room: slug });
      if (slug === linkedRoom) linkedJoin = { slug, ref: ws.lastRef() };
    });
    linkedRoom = undefined;
    renderAll();
  }

  // A shared link to a room this user may not join (closed to newcomers) leaves no empty room behind.
  function onError(frame) {
    // Redis is away or the server is overloaded: the connection stays, messages are refused until it is back
    if (frame.code === 'unavailable') setStatus('online, but messages cannot be sent right now');
    if (pendingSend && frame.ref === pendingSend.ref) {
      pendingSend = null;
      renderComposerState();
      composerError('Not sent: ' + (frame.message || frame.code));
      return;
    }
    if (linkedJoin && frame.ref === linkedJoin.ref) {
      rooms.delete(linkedJoin.slug);
      linkedJoin = null;
      activate('room', 'lobby');
    }
    showError(frame.message || frame.code);
  }

  function onJoined(frame) {
    if (linkedJoin && frame.ref === linkedJoin.ref) linkedJoin = null;
    const r = room(frame.room);
    r.members = new Map(frame.members.map((u) => [u.id, u]));
    addMessages(r, frame.history);
    (frame.changes || []).forEach((change) => applyChange(r, change));
    resumed(frame.room, r, frame.history, frame.more);
    if (active.kind === 'room' && active.id === frame.room) markRead();
    renderAll();
  }

  // A resume after a long gap comes a page at a time: ask for the next one until there is no more.
  function resumed(slug, r, page, more) {
    if (more && page.length) {
      r.mark = page[page.length - 1].id;
      send({ type: 'history', room: slug, after: r.mark, limit: 100 });
      return;
    }
    r.synced = true;
    r.mark = newestId(r) || r.mark;
  }

  function newestId(target) {
    for (let i = target.messages.length - 1; i >= 0; i--) {
      if (!target.messages[i].system) return target.messages[i].id;
    }
    return undefined;
  }

  function addMessages(target, messages) {
    let added = 0;
    messages.forEach((m) => {
      if (target.ids.has(m.id)) return;
      target.ids.add(m.id);
      target.messages.push(m);
      added++;
    });
    target.messages.sort((a, b) => compareIds(a.id, b.id));
    return added;
  }

  function compareIds(a, b) {
    const [am, as] = a.split('-').map(Number);
    const [bm, bs] = b.split('-').map(Number);
    return am - bm || as - bs;
  }

  function onMessage(m) {
    const r = room(m.room);
    if (!addMessages(r, [m])) return;
    if (r.synced) r.mark = newestId(r);
    if (active.kind === 'room' && active.id === m.room) stopTyping(m.from.id);
    if (active.kind === 'room' && active.id === m.room && !document.hidden) markRead();
    else if (m.from.id !== me.id) {
      r.unread++;
      if (mentionsMe(m)) r.mentions++;
    }
    if (m.from.id !== me.id && mentionsMe(m)) {
      notifications.notify({ title: m.from.name + ' in # ' + r.name, body: m.text, tag: m.id, room: m.room },
        () => activate('room', m.room));
    }
    renderRooms();
    showNew(active.kind === 'room' && active.id === m.room, r, m);
  }

  // A new message at the end of the open conversation is appended; anything else redraws it.
  function showNew(isActive, target, m) {
    if (!isActive) return;
    const list = $('messages');
    const last = target.messages[target.messages.length - 1];
    if (last !== m || editing !== null || list.children.length !== target.messages.length - 1) {
      renderMessages();
      return;
    }
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.appendChild(renderMessage(m));
    if (atBottom) list.scrollTop = list.scrollHeight;
  }

  function mentionsMe(m) { return (m.mentions || []).includes(me.id); }

  function onAck(frame) {
    setStatus('online');
    if (pendingSend && frame.ref === pendingSend.ref) {
      const input = $('message-input');
      if (input.value === pendingSend.text) input.value = '';
      if (pendingSend.files) attached.clear();
      pendingSend = null;
      composerError('');
      renderComposerState();
    }
  }

  function changeTarget(frame) {
    return frame.with ? conversations.get(frame.with) : rooms.get(frame.room);
  }

  function onEdited(frame) {
    const target = changeTarget(frame);
    if (target && applyChange(target, frame)) renderMessages();
  }

  function onDeleted(frame) {
    const target = changeTarget(frame);
    if (target && applyChange(target, frame)) renderMessages();
  }

  // An edit or a delete, live or from joined.changes: applying one twice does what applying it once did.
  function applyChange(target, change) {
    const i = target.messages.findIndex((m) => m.id === change.id && !m.system);
    if (i < 0) return false;
    if (change.type === 'deleted') target.messages.splice(i, 1);
    else Object.assign(target.messages[i], { text: change.text, edited: change.edited, mentions: change.mentions });
    if (editing === change.id) editing = null;
    return true;
  }

  function onPrivate(m) {
    const other = m.from.id === me.id ? m.to : m.from;
    const c = conversation(other);
    if (!addMessages(c, [m])) return;
    if (!(active.kind === 'dm' && active.id === other.id) && m.from.id !== me.id) c.unread++;
    if (m.from.id !== me.id) {
      notifications.notify({ title: m.from.name, body: m.text, tag: m.id }, () => activate('dm', other.id));
    }
    renderConversations();
    showNew(active.kind === 'dm' && active.id === other.id, c, m);
  }

  function onHistory(frame) {
    const target = frame.with ? conversation({ id: frame.with, name: frame.with }) : room(frame.room);
    addMessages(target, frame.messages);
    if (frame.more !== undefined) resumed(frame.room, target, frame.messages, frame.more);
    else $('load-older').hidden = frame.messages.length === 0;
    renderMessages();
  }

  function onPresence(frame) {
    const r = rooms.get(frame.room);
    if (!r) return;
    if (frame.event === 'join' || frame.event === 'online') r.members.set(frame.user.id, frame.user);
    else r.members.delete(frame.user.id);
    renderMembers();
  }

  function onTyping(frame) {
    if (!(active.kind === 'room' && active.id === frame.room)) return;
    clearTimeout(typingTimers.get(frame.user.id));
    typingTimers.set(frame.user.id, setTimeout(() => { typingTimers.delete(frame.user.id); renderTyping(); }, 3000));
    typingNames.set(frame.user.id, frame.user.name);
    renderTyping();
  }

  // Whoever's message arrives has stopped typing it.
  function stopTyping(userId) {
    if (!typingTimers.has(userId)) return;
    clearTimeout(typingTimers.get(userId));
    typingTimers.delete(userId);
    renderTyping();
  }

  const typingNames = new Map();
  function renderTyping() {
    const names = [...typingTimers.keys()].map((id) => typingNames.get(id));
    $('typing').textContent = names.length ? names.join(', ') + (names.length > 1 ? ' are' : ' is') + ' typing…' : '';
  }

  function onSystem(frame) {
    const target = frame.room ? room(frame.room) : (rooms.get(active.id) || room('lobby'));
    target.messages.push({ id: String(frame.ts) + '-0', system: true, text: frame.text, ts: frame.ts });
    renderMessages();
  }

  function markRead() {
    const r = rooms.get(active.id);
    if (!r) return;
    r.unread = 0;
    r.mentions = 0;
    const last = [...r.messages].reverse().find((m) => !m.system);
    if (last) send({ type: 'read', room: active.id, id: last.id });
  }

  function activate(kind, id) {
    active = { kind, id };
    typingTimers.clear();
    renderTyping();
    $('load-older').hidden = false;
    if (kind === 'room') markRead();
    else {
      const c = conversations.get(id);
      c.unread = 0;
      if (!c.loaded) { c.loaded = true; send({ type: 'history', with: id, limit: 50 }); }
    }
    $('sidebar').classList.remove('open');
    renderAll();
  }

  function renderAll() { renderRooms(); renderConversations(); renderMessages(); renderMembers(); }

  function listItem(label, unread, isActive, onClick, mentions) {
    const li = el('li', isActive ? 'active' : '');
    li.appendChild(el('span', 'name', label));
    if (mentions) li.appendChild(el('span', 'mention-badge', '@' + countLabel(mentions)));
    li.appendChild(el('span', 'badge', countLabel(unread)));
    li.addEventListener('click', onClick);
    return li;
  }

  function renderRooms() {
    const list = $('room-list');
    list.replaceChildren(...[...rooms.entries()].map(([slug, r]) =>
      listItem('# ' + r.name, r.unread, active.kind === 'room' && active.id === slug, () => activate('room', slug),
        r.mentions)));
    list.querySelectorAll('li').forEach((li, i) => { li.dataset.room = [...rooms.keys()][i]; });
    renderUnreadTotal();
  }

  function renderConversations() {
    $('conversation-list').replaceChildren(...[...conversations.entries()].map(([id, c]) =>
      listItem('@ ' + c.name, c.unread, active.kind === 'dm' && active.id === id, () => activate('dm', id))));
    renderUnreadTotal();
  }

  // Unread messages anywhere show in the tab's title, and on the menu button where the lists are hidden.
  function renderUnreadTotal() {
    const total = [...rooms.values(), ...conversations.values()].reduce((sum, t) => sum + t.unread, 0);
    document.title = total ? '(' + countLabel(total) + ') Parley' : 'Parley';
    notifications.showUnread(total);
    $('unread-total').textContent = countLabel(total);
  }

  // An unread count as badges show it: nothing for none, 99+ past 99.
  function countLabel(count) {
    if (!count) return '';
    return count >= 100 ? '99+' : String(count);
  }

  function renderMessages() {
    const target = active.kind === 'room' ? rooms.get(active.id) : conversations.get(active.id);
    $('conversation-title').textContent = target ? (active.kind === 'room' ? '# ' : '@ ') + target.name : '';
    renderNotificationControls();
    renderComposer(target);
    const list = $('messages');
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    const wasEditing = document.activeElement && document.activeElement.classList.contains('edit-input');
    list.replaceChildren(...(target ? target.messages : []).map(renderMessage));
    if (atBottom) list.scrollTop = list.scrollHeight;
    if (wasEditing) focusEditor();
  }

  // A closed room takes no messages, so its box is off rather than answering each with an error.
  function renderComposer(target) {
    const closed = active.kind === 'room' && target !== undefined && !target.open;
    $('message-input').disabled = closed;
    $('send').disabled = closed;
    $('message-input').placeholder = closed ? 'This room is closed: no new messages' : placeholder(target);
  }

  // In a room, the one place the bot is announced: it answers there when mentioned.
  function placeholder(target) {
    if (!target) return 'Write a message';
    if (active.kind !== 'room') return 'Message @ ' + target.name;
    return 'Message # ' + target.name + (bot ? ' (@' + bot + ' help: what the bot can do)' : '');
  }

  function renderMessage(m) {
    const li = el('li', m.system ? 'system' : 'message');
    li.dataset.id = m.id;
    if (m.system) {
      li.appendChild(el('span', 'text', m.text));
      li.appendChild(el('span', 'time', new Date(m.ts).toLocaleTimeString()));
      return li;
    }
    if (mentionsMe(m)) li.classList.add('mentions-me');
    li.appendChild(el('span', 'from', m.from.name));
    if (m.from.bot) li.appendChild(el('span', 'bot-badge', 'bot'));
    if (editing === m.id) li.appendChild(editor(m));
    else {
      const text = el('span', 'text');
      text.appendChild(renderText(m.text, { mentions: m.mentions, me: me.id }));
      li.appendChild(text);
    }
    if (m.files && m.files.length) li.appendChild(renderFiles(m.files));
    if (m.edited) {
      const marker = el('span', 'edited', '(edited)');
      marker.title = 'edited ' + new Date(m.edited).toLocaleString();
      li.appendChild(marker);
    }
    li.appendChild(el('span', 'time', new Date(m.ts).toLocaleTimeString()));
    if (m.from.id === me.id && editing !== m.id && m.text) li.appendChild(actions(m));
    else if (m.from.id === me.id && editing !== m.id) li.appendChild(actions(m, false));
    return li;
  }

  // Shown on hover, and always where there is no hover (touch screens): see parley.css.
  function actions(m, editable = true) {
    const box = el('span', 'message-actions');
    if (confirmingDelete === m.id) {
      box.appendChild(button('Delete for everyone', 'confirm-delete', () => { confirmingDelete = null; changeFrame('delete', m); }));
      box.appendChild(button('Keep', 'cancel-delete', () => { confirmingDelete = null; renderMessages(); }));
      return box;
    }
    if (editable) box.appendChild(button('Edit', 'edit', () => { editing = m.id; editDraft = null; confirmingDelete = null; renderMessages(); focusEditor(); }));
    box.appendChild(button('Delete', 'delete', () => { confirmingDelete = m.id; renderMessages(); }));
    return box;
  }

  function button(label, className, onClick) {
    const b = el('button', className, label);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  }

  function editor(m) {
    const form = el('form', 'edit-form');
    const box = el('textarea', 'edit-input');
    box.value = editDraft !== null ? editDraft : m.text;
    box.rows = Math.min(6, box.value.split('\n').length + 1);
    box.addEventListener('input', () => { editDraft = box.value; });
    form.appendChild(box);
    form.appendChild(button('Save', 'save-edit', () => form.requestSubmit()));
    form.appendChild(button('Cancel', 'cancel-edit', () => { editing = null; renderMessages(); }));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = box.value.trim();
      if (!text || text === m.text) { editing = null; renderMessages(); return; }
      if (Array.from(text).length > TEXT_LIMIT) { showError('The text is longer than ' + TEXT_LIMIT + ' characters.'); return; }
      if (!changeFrame('edit', m, text)) return;
    });
    box.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
      if (event.key === 'Escape') { editing = null; renderMessages(); }
    });
    return form;
  }

  function focusEditor() {
    const box = document.querySelector('#messages .edit-input');
    if (box) { box.focus(); box.setSelectionRange(box.value.length, box.value.length); }
  }

  // The message keeps its text until the edited (or deleted) event comes back, on every device alike.
  function changeFrame(type, m, text) {
    const frame = { type, id: m.id };
    if (m.room) frame.room = m.room; else frame.with = m.from.id === me.id ? m.to.id : m.from.id;
    if (text !== undefined) frame.text = text;
    const ref = send(frame);
    if (!ref) showError('Not connected: try again once online.');
    return ref;
  }

  // A room's online members; a private conversation has no such list, so the panel goes.
  function renderMembers() {
    $('members').hidden = active.kind !== 'room';
    const r = active.kind === 'room' ? rooms.get(active.id) : null;
    const members = r ? [...r.members.values()] : [];
    $('member-list').replaceChildren(...members.map((u) => {
      const li = listItem(u.name + (u.guest ? ' (guest)' : ''), 0, false, () => {
        if (u.id === me.id) return;
        conversation(u);
        activate('dm', u.id);
      });
      li.dataset.user = u.id;
      return li;
    }));
  }

  function showError(text) {
    const box = $('error');
    box.textContent = text;
    box.hidden = false;
    setTimeout(() => { box.hidden = true; }, 5000);
  }

  function loadOpenRooms() {
    fetch('/api/rooms', { credentials: 'same-origin' })
      .then((res) => res.ok ? res.json() : [])
      .then((list) => {
        $('open-rooms').replaceChildren(...list.filter((r) => !rooms.has(r.slug)).map((r) =>
          listItem('# ' + r.name, 0, false, () => { room(r.slug, r.name); send({ type: 'join', room: r.slug }); activate('room', r.slug); })));
      });
  }

  // Earlier private conversations, newest first: the socket brings only new messages.
  function loadConversations() {
    fetch('/api/conversations', { credentials: 'same-origin' })
      .then((res) => res.ok ? res.json() : [])
      .then((list) => { list.forEach((c) => conversation(c.with)); renderConversations(); });
  }

  $('composer').addEventListener('submit', (event) => {
    event.preventDefault();
    if (pendingSend) return;
    const input = $('message-input');
    const text = input.value.trim();
    if (!attached.settled()) { composerError('Wait for the files to finish uploading.'); return; }
    const files = attached.ids();
    if (!text && !files.length) return;
    if (Array.from(text).length > TEXT_LIMIT) {
      composerError('Too long: at most ' + TEXT_LIMIT + ' characters. Shorten it to send it.');
      return;
    }
    const frame = active.kind === 'room' ? { type: 'message', room: active.id, text } : { type: 'private', to: active.id, text };
    if (files.length) frame.files = files;
    const ref = send(frame);
    if (!ref) { composerError('Not connected: your message is still here, send it again once online.'); return; }
    pendingSend = { ref, text: input.value, files: files.length > 0 };
    composerError('');
    renderComposerState();
  });

  const attached = attachmentList($('attachments'), FILE_LIMIT, () => {
    $('send').disabled = !attached.settled() || (active.kind === 'room' && rooms.get(active.id) && !rooms.get(active.id).open);
  });
  $('attach').addEventListener('click', () => $('file-input').click());
  $('file-input').addEventListener('change', (event) => { attached.add(event.target.files); event.target.value = ''; });
  $('message-input').addEventListener('paste', (event) => {
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

  function composerError(text) {
    const box = $('composer-error');
    box.textContent = text;
    box.hidden = !text;
  }

  // While a message is on its way the box keeps it and takes no second send; a counter shows near the limit.
  function renderComposerState() {
    const input = $('message-input');
    const length = Array.from(input.value).length;
    const counter = $('char-count');
    counter.hidden = length < TEXT_LIMIT * 0.9;
    counter.textContent = length + ' / ' + TEXT_LIMIT;
    counter.classList.toggle('over', length > TEXT_LIMIT);
    $('composer').classList.toggle('sending', pendingSend !== null);
  }

  $('message-input').addEventListener('keydown', (event) => {
    if (suggestionKey(event)) return;
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      $('composer').requestSubmit();
    }
  });

  $('message-input').addEventListener('input', () => {
    renderComposerState();
    renderSuggestions();
    const now = Date.now();
    if (active.kind === 'room' && now - lastTypingSent > 2000) {
      lastTypingSent = now;
      send({ type: 'typing', room: active.id });
    }
  });

  // @ in a room offers its members (online now, and the authors of what is loaded), by id or name.
  let suggestions = [];
  let suggested = 0;
  function renderSuggestions() {
    const input = $('message-input');
    const at = active.kind === 'room' ? mentionAt(input.value, input.selectionStart) : null;
    const r = rooms.get(active.id);
    suggestions = [];
    if (at && r) {
      const people = new Map(r.members);
      r.messages.forEach((m) => { if (!m.system) people.set(m.from.id, m.from); });
      people.delete(me.id);
      suggestions = [...people.values()]
        .filter((u) => u.id.startsWith(at.prefix) || u.name.toLowerCase().startsWith(at.prefix))
        .slice(0, 8);
    }
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
    const input = $('message-input');
    const at = mentionAt(input.value, input.selectionStart);
    if (!at) return;
    const after = input.value.slice(input.selectionStart);
    input.value = input.value.slice(0, at.start) + '@' + user.id + ' ' + after;
    const caret = at.start + user.id.length + 2;
    input.setSelectionRange(caret, caret);
    input.focus();
    suggestions = [];
    $('mention-suggestions').hidden = true;
    renderComposerState();
  }

  $('load-older').addEventListener('click', () => {
    const target = active.kind === 'room' ? rooms.get(active.id) : conversations.get(active.id);
    const oldest = target && target.messages.find((m) => !m.system);
    const frame = { type: 'history', limit: 50 };
    if (active.kind === 'room') frame.room = active.id; else frame.with = active.id;
    if (oldest) frame.before = oldest.id;
    send(frame);
  });

  function renderNotificationControls() {
    const toggle = $('notifications-toggle');
    toggle.hidden = !notifications.supported;
    toggle.textContent = notifications.label();
    toggle.setAttribute('aria-pressed', String(notifications.enabled()));
    const mute = $('room-mute');
    mute.hidden = active.kind !== 'room' || !notifications.enabled();
    const muted = active.kind === 'room' && notifications.roomMuted(active.id);
    mute.textContent = muted ? 'Unmute room notifications' : 'Mute room notifications';
    mute.setAttribute('aria-pressed', String(muted));
  }

  $('notifications-toggle').addEventListener('click', () => notifications.toggle().then(renderNotificationControls));
  $('room-mute').addEventListener('click', () => {
    if (active.kind !== 'room') return;
    notifications.setRoomMuted(active.id, !notifications.roomMuted(active.id));
    renderNotificationControls();
  });

  $('toggle-sidebar').addEventListener('click', () => $('sidebar').classList.toggle('open'));
  $('more-rooms').addEventListener('toggle', loadOpenRooms);
  document.addEventListener('visibilitychange', () => { if (!document.hidden && active.kind === 'room') { markRead(); renderRooms(); } });

  loadConversations();
  setStatus('connecting…');
  ws.open();
})();
