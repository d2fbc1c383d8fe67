// Parley chat page: what each server frame does to the state, and the page's own actions. The
// parts: parley-client.js's transport (the socket, backoff, heartbeat), state.js, render.js, composer.js,
// notify.js, uploads.js and format.js.

import { transport } from './parley-client.js';
import * as notifications from './notify.js';
import { createComposer } from './composer.js';
import { createView } from './render.js';
import { peoplePicker } from './people.js';
import { el } from './dom.js';
import {
  me, settings, rooms, conversations, invitations, view, room, conversation, isActive, activeTarget, addMessages,
  newestId, oldestId, applyChange, mentionsMe,
} from './state.js';

const $ = (id) => document.getElementById(id);
const page = document.body.dataset;
const PAGE = 50;                  // messages per "load older"

let linkedRoom = page.openRoom;   // from a shared room link, joined once
let linkedJoin = null;            // { slug, ref } of that join until it is answered
const invitesSent = new Map();    // ref -> the name of whom an invite frame on its way invites

const ws = transport({
  heartbeatMs: settings.heartbeatMs,
  silenceMs: settings.silenceMs,
  onFrame: (frame) => handle(frame),
  onOpen: () => { ui.status('online'); offline.hidden(); },
  onClose: closed,
  onRetry: (at) => offline.retryingAt(at),
});
const send = (frame) => ws.send(frame);
const offline = offlineBanner();
const composer = createComposer(send);
const ui = createView({ open, change: changeFrame, composer: (target) => composer.show(target), older: loadOlder });

/**
 * A closed connection: a ban ends the page's tries, with the admin's reason (a live one comes with
 * the close; a refused handshake's is asked of GET /ws, which a browser's WebSocket never shows);
 * an ended session goes to the login; anything else is retried.
 */
async function closed(event, opened) {
  ui.status('reconnecting…');
  composer.disconnected();
  if (event.code === 1008) { banned(event.reason); return false; }
  // the account was deleted, or its password reset: this session is over
  if (event.code === 4005 || event.code === 4004) { location.assign('/login'); return false; }
  if (opened) return true;
  try {
    const refused = await fetch('/ws', { credentials: 'same-origin' });
    if (refused.status === 401) { location.assign('/login'); return false; }
    if (refused.status === 403) {
      const body = await refused.json();
      if (body.error === 'banned') { banned(body.reason); return false; }
    }
  }
  catch (e) {
    // the server cannot be reached at all: retried like any other failure
  }
  return true;
}

function banned(reason) {
  offline.hidden();
  ui.status('banned');
  const box = $('banned-banner');
  box.textContent = 'You are banned from this chat' + (reason ? ': ' + reason : '.');
  box.hidden = false;
  $('message-input').disabled = true;
  $('send').disabled = true;
}

// While disconnected: when the next try is, counting down, and a "retry now".
function offlineBanner() {
  let timer = null;
  return {
    retryingAt(at) {
      clearInterval(timer);
      const show = () => {
        const seconds = Math.max(0, Math.ceil((at - Date.now()) / 1000));
        $('offline-text').textContent = 'Offline: trying again ' + (seconds ? 'in ' + seconds + ' s' : 'now') + '.';
      };
      show();
      timer = setInterval(show, 1000);
      $('offline-banner').hidden = false;
    },
    hidden() {
      clearInterval(timer);
      $('offline-banner').hidden = true;
    },
  };
}

/**
 * A push from the push API: one whose data has a title or body shows as a notice (and a browser
 * notification while the tab is hidden); every push is also handed to embedding code as a
 * 'parley:push' event on window, its detail the frame (docs/protocol.md, "The chat page's events").
 */
function onPush(frame) {
  window.dispatchEvent(new CustomEvent('parley:push', { detail: frame }));
  const data = frame.data;
  if (!data || typeof data !== 'object' || (typeof data.title !== 'string' && typeof data.body !== 'string')) return;
  const title = typeof data.title === 'string' ? data.title : 'Notice';
  const body = typeof data.body === 'string' ? data.body : '';
  const item = el('li', 'push');
  item.appendChild(el('span', 'title', title));
  if (body) item.appendChild(el('span', 'body', body));
  item.addEventListener('click', () => item.remove());
  $('pushes').appendChild(item);
  setTimeout(() => item.remove(), 15000);
  notifications.notify({ title, body, tag: 'push-' + frame.ts }, () => {});
}

function handle(frame) {
  switch (frame.type) {
    case 'welcome': return onWelcome(frame);
    case 'joined': return onJoined(frame);
    case 'left': return gone(frame.room);
    case 'kicked':
      ui.error('You were removed from ' + frame.room + (frame.reason ? ': ' + frame.reason : ''));
      return gone(frame.room);
    case 'message': return onMessage(frame);
    case 'private': return onPrivate(frame);
    case 'edited':
    case 'deleted': return onChange(frame);
    case 'history': return onHistory(frame);
    case 'presence': return onPresence(frame);
    case 'members': return onMembers(frame);
    case 'typing': if (frame.with ? isActive('dm', frame.with) : isActive('room', frame.room)) ui.typing(frame.user); return undefined;
    case 'system': return onSystem(frame);
    case 'room': return onRoomChanged(frame);
    case 'invited': return onInvited(frame);
    case 'push': return onPush(frame);
    case 'error': invitesSent.delete(frame.ref); return onError(frame);
    case 'ack': return onAck(frame);
    default: return undefined;
  }
}

function onWelcome(frame) {
  frame.rooms.forEach((r) => {
    Object.assign(room(r.slug, r.name), { topic: r.topic || '', private: r.private === true, unread: r.unread,
      mentions: r.mentions || 0, open: r.open !== false });
  });
  if (!rooms.has('lobby') && frame.rooms.length === 0) room('lobby', 'Lobby');
  if (linkedRoom) {
    room(linkedRoom, page.openRoomName);
    view.active = { kind: 'room', id: linkedRoom };
  }
  rooms.forEach((r, slug) => {
    // live messages that came after the last join but before its reply do not move the mark
    r.synced = false;
    send(r.mark ? { type: 'join', room: slug, since: r.mark } : { type: 'join', room: slug });
    if (slug === linkedRoom) linkedJoin = { slug, ref: ws.lastRef() };
  });
  linkedRoom = undefined;
  ui.all();
}

function onError(frame) {
  // Redis is away or the server is overloaded: the connection stays, messages are refused until it is back
  if (frame.code === 'unavailable') ui.status('online, but messages cannot be sent right now');
  if (composer.refused(frame.ref, frame.message || frame.code)) return;
  // a shared link to a room this user may not join (closed to newcomers) leaves no empty room behind
  if (linkedJoin && frame.ref === linkedJoin.ref) {
    rooms.delete(linkedJoin.slug);
    linkedJoin = null;
    open('room', 'lobby');
  }
  ui.error(frame.message || frame.code);
}

function onAck(frame) {
  ui.status('online');
  if (invitesSent.has(frame.ref)) {
    ui.error('Invitation sent to ' + invitesSent.get(frame.ref) + '.', 'info');
    invitesSent.delete(frame.ref);
    return;
  }
  composer.acked(frame.ref);
}

function onRoomChanged(frame) {
  if (!rooms.has(frame.room)) return;
  Object.assign(room(frame.room, frame.name), { topic: frame.topic || '', open: frame.open });
  ui.all();
}

function onInvited(frame) {
  if (rooms.has(frame.room.slug)) return;
  invitations.set(frame.room.slug, { room: frame.room, by: frame.by });
  notifications.notify({ title: frame.by.name + ' invited you', body: '# ' + frame.room.name, tag: 'invite-' + frame.room.slug },
    () => joinListed(frame.room));
  ui.invitations(invitations, joinListed);
}

/** Joins a room from the browser, an invitation or a room just made, and opens it. */
function joinListed(r) {
  Object.assign(room(r.slug, r.name), { topic: r.topic || '', private: r.private === true });
  invitations.delete(r.slug);
  ui.invitations(invitations, joinListed);
  send({ type: 'join', room: r.slug });
  open('room', r.slug);
}

function onJoined(frame) {
  if (linkedJoin && frame.ref === linkedJoin.ref) linkedJoin = null;
  const r = room(frame.room);
  r.members = new Map(frame.members.map((u) => [u.id, u]));
  r.online = frame.online !== undefined ? frame.online : frame.members.length;
  r.membersNext = r.members.size < r.online && frame.members.length ? frame.members[frame.members.length - 1].id : null;
  r.moderator = frame.moderator === true;
  if (frame.more === undefined && frame.history.length < settings.joinLimit) r.olderDone = true;
  addMessages(r, frame.history);
  (frame.changes || []).forEach((change) => applyChange(r, change));
  resumed(frame.room, r, frame.history, frame.more);
  if (isActive('room', frame.room)) markRead();
  ui.all();
}

// A resume after a long gap comes a page at a time: ask for the next one until there is no more.
function resumed(slug, r, messages, more) {
  if (more && messages.length) {
    r.mark = messages[messages.length - 1].id;
    send({ type: 'history', room: slug, after: r.mark, limit: 100 });
    return;
  }
  r.synced = true;
  r.mark = newestId(r) || r.mark;
}

function gone(slug) {
  rooms.delete(slug);
  if (isActive('room', slug)) open('room', 'lobby');
  else ui.all();
}

function onMessage(m) {
  const r = room(m.room);
  if (!addMessages(r, [m])) return;
  if (r.synced) r.mark = newestId(r);
  const reading = isActive('room', m.room);
  if (reading) ui.stoppedTyping(m.from.id);
  if (reading && !document.hidden) markRead();
  else if (m.from.id !== me.id) {
    r.unread++;
    if (mentionsMe(m)) r.mentions++;
  }
  if (m.from.id !== me.id && mentionsMe(m)) notifyMention(m, r);
  ui.roomList();
  ui.added(r, m);
}

function notifyMention(m, r) {
  notifications.notify({ title: m.from.name + ' in # ' + r.name, body: m.text, tag: m.id, room: m.room },
    () => open('room', m.room));
}

function onPrivate(m) {
  const other = m.from.id === me.id ? m.to : m.from;
  const c = conversation(other);
  if (!addMessages(c, [m])) return;
  if (m.from.id !== me.id) {
    if (isActive('dm', other.id)) ui.stoppedTyping(m.from.id);
    else c.unread++;
    notifications.notify({ title: m.from.name, body: m.text, tag: m.id }, () => open('dm', other.id));
  }
  ui.conversationList();
  ui.added(c, m);
}

// An edit that newly mentions the reader, in a room not being read, counts and notifies as a mention would.
function onChange(frame) {
  const target = frame.with ? conversations.get(frame.with) : rooms.get(frame.room);
  if (!target) return;
  const before = applyChange(target, frame);
  if (!before) return;
  if (frame.type === 'edited' && frame.room && !mentionsMe(before) && mentionsMe(frame) && frame.by.id !== me.id) {
    if (!isActive('room', frame.room) || document.hidden) target.mentions++;
    notifyMention({ ...before, ...frame, from: frame.by }, target);
    ui.roomList();
  }
  if (target === activeTarget()) ui.messages();
}

// A page of older messages (or a conversation's first): fewer than asked for means none are older.
function onHistory(frame) {
  const target = frame.with ? conversation({ id: frame.with, name: frame.with }) : room(frame.room);
  addMessages(target, frame.messages);
  if (frame.more !== undefined) resumed(frame.room, target, frame.messages, frame.more);
  else {
    if (frame.messages.length < PAGE) target.olderDone = true;
    ui.olderArriving();
  }
  if (target === activeTarget()) ui.messages();
}

// In a large room a count event replaces the single ones: only the number changes then.
function onPresence(frame) {
  const r = rooms.get(frame.room);
  if (!r) return;
  if (frame.event === 'count') r.online = frame.online;
  else if (frame.event === 'join' || frame.event === 'online') {
    if (!r.members.has(frame.user.id)) r.online++;
    r.members.set(frame.user.id, frame.user);
  }
  // one not in a partly loaded list was online all the same
  else if (r.members.delete(frame.user.id) || r.membersNext) r.online = Math.max(0, r.online - 1);
  ui.members();
}

function onMembers(frame) {
  const r = rooms.get(frame.room);
  if (!r) return;
  frame.members.forEach((u) => r.members.set(u.id, u));
  r.online = frame.online;
  r.membersNext = frame.next;
  ui.members();
}

function moreMembers() {
  const r = view.active.kind === 'room' ? rooms.get(view.active.id) : undefined;
  if (r && r.membersNext) send({ type: 'members', room: view.active.id, after: r.membersNext });
}

// An announcement to everyone that is kept (until) shows above the page, once per browser until
// dismissed; any other system notice goes into the open timeline.
function onSystem(frame) {
  if (frame.until) {
    if (frame.until > Date.now() && !dismissed().includes(frame.ts) && !showing.some((a) => a.ts === frame.ts)) {
      showing.push(frame);
      ui.announcements(showing, dismiss);
    }
    return;
  }
  const target = frame.room ? room(frame.room) : (rooms.get(view.active.id) || room('lobby'));
  const id = String(frame.ts) + '-0';
  if (target.ids.has(id)) return;
  target.ids.add(id);
  target.messages.push({ id, system: true, text: frame.text, ts: frame.ts });
  if (target === activeTarget()) ui.messages();
}

const DISMISSED = 'parley.dismissed-announcements';
const showing = [];

function dismissed() {
  try { return JSON.parse(localStorage.getItem(DISMISSED) || '[]'); } catch (e) { return []; }
}

function dismiss(announcement) {
  const kept = dismissed().filter((ts) => ts > Date.now() - 8 * 24 * 3600 * 1000).concat(announcement.ts);
  try { localStorage.setItem(DISMISSED, JSON.stringify(kept)); } catch (e) { /* private mode: not remembered */ }
  showing.splice(showing.indexOf(announcement), 1);
  ui.announcements(showing, dismiss);
}

function markRead() {
  const r = rooms.get(view.active.id);
  if (!r) return;
  r.unread = 0;
  r.mentions = 0;
  const last = newestId(r);
  if (last) send({ type: 'read', room: view.active.id, id: last });
}

/** Opens a room, or a private conversation (with user, one that may not be listed yet). */
function open(kind, id, user) {
  if (user) conversation(user);
  view.active = { kind, id };
  ui.noOneTyping();
  if (kind === 'room') markRead();
  else {
    const c = conversations.get(id);
    c.unread = 0;
    if (!c.loaded) { c.loaded = true; send({ type: 'history', with: id, limit: PAGE }); }
  }
  $('sidebar').classList.remove('open');
  $('members').classList.remove('open');
  ui.all();
}

// The message keeps its text until the edited (or deleted) event comes back, on every device alike.
function changeFrame(type, m, text) {
  const frame = { type, id: m.id };
  if (m.room) frame.room = m.room; else frame.with = m.from.id === me.id ? m.to.id : m.from.id;
  if (text !== undefined) frame.text = text;
  const ref = send(frame);
  if (!ref) ui.error('Not connected: try again once online.');
  return ref !== null;
}

function loadOlder() {
  const target = activeTarget();
  const frame = { type: 'history', limit: PAGE };
  if (view.active.kind === 'room') frame.room = view.active.id; else frame.with = view.active.id;
  const oldest = target && oldestId(target);
  if (oldest) frame.before = oldest;
  send(frame);
}

function loadOpenRooms() {
  fetch('/api/rooms', { credentials: 'same-origin' })
    .then((res) => res.ok ? res.json() : [])
    .then((list) => ui.openRooms(list, joinListed));
}

// A room's address comes from its name: lower-case letters, digits and dashes.
function slugOf(name) {
  const slug = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return slug.replace(/-+$/, '') || 'room-' + Date.now().toString(36);
}

async function createRoom(event) {
  event.preventDefault();
  const name = $('new-room-name').value.trim();
  if (!name) return;
  const body = { slug: slugOf(name), name, topic: $('new-room-topic').value.trim(), private: $('new-room-private').checked };
  const res = await fetch('/api/rooms', {
    method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  const answer = await res.json().catch(() => ({}));
  const problem = $('new-room-error');
  if (res.status !== 201) {
    problem.textContent = res.status === 409 ? 'There is a room called that already: pick another name.'
      : answer.error || 'The room could not be made (' + res.status + ').';
    problem.hidden = false;
    return;
  }
  problem.hidden = true;
  $('new-room').reset();
  $('more-rooms').open = false;
  joinListed(answer);
}

function leaveRoom() {
  if (view.active.kind !== 'room') return;
  if (!send({ type: 'leave', room: view.active.id })) ui.error('Not connected: try again once online.');
}

function invite(user) {
  const ref = send({ type: 'invite', room: view.active.id, user: user.id });
  if (!ref) { ui.error('Not connected: try again once online.'); return; }
  invitesSent.set(ref, user.name);
  $('invite-box').hidden = true;
}

// Earlier private conversations, newest first: the socket brings only new messages.
function loadConversations() {
  fetch('/api/conversations', { credentials: 'same-origin' })
    .then((res) => res.ok ? res.json() : [])
    .then((list) => { list.forEach((c) => conversation(c.with)); ui.conversationList(); });
}

$('retry-now').addEventListener('click', () => ws.retryNow());
$('more-members').addEventListener('click', moreMembers);
// a guest who logs out cannot come back as the same user: said before it happens
$('logout').addEventListener('click', (event) => {
  if (!me.guest) return;
  event.preventDefault();
  $('guest-logout-warning').hidden = false;
  $('logout-anyway').focus();
});
$('stay-logged-in').addEventListener('click', () => { $('guest-logout-warning').hidden = true; });
if ($('new-room')) $('new-room').addEventListener('submit', createRoom);
$('leave-room').addEventListener('click', leaveRoom);
$('invite').addEventListener('click', () => { $('invite-box').hidden = !$('invite-box').hidden; $('invite-search').focus(); });
$('toggle-members').addEventListener('click', () => $('members').classList.toggle('open'));
$('close-members').addEventListener('click', () => $('members').classList.remove('open'));
peoplePicker($('invite-search'), $('invite-results'), invite);
peoplePicker($('people-search'), $('people-results'), (user) => { $('find-people').open = false; open('dm', user.id, user); });
$('notifications-toggle').addEventListener('click', () => notifications.toggle().then(ui.notificationControls));
$('room-mute').addEventListener('click', () => {
  if (view.active.kind !== 'room') return;
  notifications.setRoomMuted(view.active.id, !notifications.roomMuted(view.active.id));
  ui.notificationControls();
});
$('toggle-sidebar').addEventListener('click', () => $('sidebar').classList.toggle('open'));
$('more-rooms').addEventListener('toggle', loadOpenRooms);
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && view.active.kind === 'room') { markRead(); ui.roomList(); }
});

loadConversations();
ui.status('connecting…');
ws.open();
