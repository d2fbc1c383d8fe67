// Draws the page from the state: the sidebar's lists, the open timeline and its messages with
// their actions and inline editor, the typing line. A new message at the end is appended; other
// changes redraw the list they touch. Every piece of user text goes in as text (dom.js, format.js).

import { el } from './dom.js';
import { renderText } from './format.js';
import { renderFiles } from './uploads.js';
import * as notifications from './notify.js';
import {
  me, settings, rooms, conversations, view, isActive, activeTarget, mentionsMe, deletable, unreadTotal,
} from './state.js';

const $ = (id) => document.getElementById(id);

/**
 * @param actions.open(kind, id) opens a room ('room') or a private conversation ('dm')
 * @param actions.change(type, message, text?) sends an edit or a delete; returns false when it could not
 * @param actions.composer(target) updates the composer for the open room or conversation
 * @param actions.older() asks for the page of messages before those shown
 */
export function createView(actions) {
  const typingTimers = new Map();
  const typingNames = new Map();
  let keepPlace = false;
  const olderButton = $('load-older');
  const olderItem = el('li', 'older');
  olderItem.appendChild(olderButton);
  olderButton.hidden = false;
  olderButton.addEventListener('click', actions.older);

  $('messages').addEventListener('scroll', () => { if (isAtBottom($('messages'))) $('jump-new').hidden = true; });
  $('jump-new').addEventListener('click', () => toBottom($('messages')));

  function all() { roomList(); conversationList(); messages(); members(); }

  function listItem(label, unread, active, onClick, mentions) {
    const li = el('li', active ? 'active' : '');
    li.appendChild(el('span', 'name', label));
    if (mentions) li.appendChild(el('span', 'mention-badge', '@' + countLabel(mentions)));
    li.appendChild(el('span', 'badge', countLabel(unread)));
    li.addEventListener('click', onClick);
    return li;
  }

  function roomList() {
    $('room-list').replaceChildren(...[...rooms.entries()].map(([slug, r]) => {
      const li = listItem('# ' + r.name, r.unread, isActive('room', slug), () => actions.open('room', slug), r.mentions);
      li.dataset.room = slug;
      return li;
    }));
    unreadTotalShown();
  }

  function conversationList() {
    $('conversation-list').replaceChildren(...[...conversations.entries()].map(([id, c]) =>
      listItem('@ ' + c.name, c.unread, isActive('dm', id), () => actions.open('dm', id))));
    unreadTotalShown();
  }

  // Unread messages anywhere show in the tab's title and icon, and on the menu button where the lists are hidden.
  function unreadTotalShown() {
    const total = unreadTotal();
    document.title = total ? '(' + countLabel(total) + ') Parley' : 'Parley';
    notifications.showUnread(total);
    $('unread-total').textContent = countLabel(total);
  }

  /** The rooms this user could join and has not, from GET /api/rooms: name, member count and topic. */
  function openRooms(list, onJoin) {
    const joinable = list.filter((r) => !rooms.has(r.slug));
    $('open-rooms').replaceChildren(...joinable.map((r) => {
      const li = el('li');
      li.dataset.room = r.slug;
      li.appendChild(el('span', 'name', (r.private ? '🔒 ' : '# ') + r.name));
      li.appendChild(el('span', 'count', r.members === 1 ? '1 member' : r.members.toLocaleString() + ' members'));
      if (r.topic) li.appendChild(el('span', 'topic', r.topic));
      li.addEventListener('click', () => onJoin(r));
      return li;
    }));
    $('no-open-rooms').hidden = joinable.length > 0;
  }

  /** Rooms the user was invited to and has not joined yet. */
  function invitations(invites, onJoin) {
    $('invitations-title').hidden = invites.size === 0;
    $('invitations').replaceChildren(...[...invites.values()].map(({ room: r, by }) => {
      const li = el('li');
      li.dataset.room = r.slug;
      li.appendChild(el('span', 'name', (r.private ? '🔒 ' : '# ') + r.name));
      li.appendChild(el('span', 'count', 'from ' + by.name));
      li.addEventListener('click', () => onJoin(r));
      return li;
    }));
  }

  function messages() {
    const target = activeTarget();
    const kind = view.active.kind;
    $('conversation-title').textContent = target ? (kind === 'room' ? (target.private ? '🔒 ' : '# ') : '@ ') + target.name : '';
    $('conversation-topic').textContent = target && kind === 'room' ? target.topic || '' : '';
    roomActions(kind === 'room' ? target : undefined);
    notificationControls();
    actions.composer(target);
    const list = $('messages');
    const atBottom = isAtBottom(list);
    const fromBottom = list.scrollHeight - list.scrollTop;
    const wasEditing = document.activeElement && document.activeElement.classList.contains('edit-input');
    // inside the list, so that its going does not move what the reader sees
    const older = target && target.olderDone !== true && target.messages.length > 0;
    list.replaceChildren(...(older ? [olderItem] : []), ...timeline(target ? target.messages : []));
    if (atBottom) toBottom(list);
    else if (keepPlace) list.scrollTop = list.scrollHeight - fromBottom;
    keepPlace = false;
    if (wasEditing) focusEditor();
  }

  /** The next redraw keeps what the reader sees where it is: older messages arrive above it. */
  function olderArriving() { keepPlace = true; }

  function isAtBottom(list) {
    return list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  }

  function toBottom(list) {
    list.scrollTop = list.scrollHeight;
    $('jump-new').hidden = true;
  }

  /** The messages with a line for each day, and each author's run of messages shown as one group. */
  function timeline(list) {
    const nodes = [];
    list.forEach((m, i) => {
      const before = list[i - 1];
      if (!before || dayOf(before.ts) !== dayOf(m.ts)) nodes.push(daySeparator(m.ts));
      nodes.push(message(m, before));
    });
    return nodes;
  }

  /**
   * A new message: appended when it is the last of the open timeline, which is otherwise redrawn.
   * A reader scrolled up stays where they are, told by a button that something new came.
   */
  function added(target, m) {
    if (target !== activeTarget()) return;
    const list = $('messages');
    const n = target.messages.length;
    const before = target.messages[n - 2];
    const shownLast = list.lastElementChild;
    if (target.messages[n - 1] !== m || view.editing !== null
        || (before ? !shownLast || shownLast.dataset.id !== before.id : shownLast !== null)) {
      messages();
      return;
    }
    const atBottom = isAtBottom(list);
    if (!before || dayOf(before.ts) !== dayOf(m.ts)) list.appendChild(daySeparator(m.ts));
    list.appendChild(message(m, before));
    if (atBottom || m.from.id === me.id) toBottom(list);
    else $('jump-new').hidden = false;
  }

  function message(m, before) {
    const li = el('li', m.system ? 'system' : 'message');
    li.dataset.id = m.id;
    if (m.system) {
      li.appendChild(el('span', 'text', m.text));
      li.appendChild(el('span', 'time', timeOf(m.ts)));
      return li;
    }
    const continued = continues(before, m) && !m.announcement;
    if (continued) li.classList.add('continued');
    if (m.announcement) li.classList.add('announcement');
    if (mentionsMe(m)) li.classList.add('mentions-me');
    li.appendChild(avatar(m.from));
    const body = el('div', 'body');
    if (!continued) body.appendChild(meta(m));
    if (view.editing === m.id) body.appendChild(editor(m));
    else {
      const text = el('span', 'text');
      text.appendChild(renderText(m.text, { mentions: m.mentions, me: me.id }));
      body.appendChild(text);
    }
    if (m.files && m.files.length) body.appendChild(renderFiles(m.files));
    if (m.edited) {
      const marker = el('span', 'edited', '(edited)');
      marker.title = 'edited ' + new Date(m.edited).toLocaleString();
      body.appendChild(marker);
    }
    if (continued) body.appendChild(el('span', 'time hover-time', timeOf(m.ts)));
    if (view.editing !== m.id && deletable(m)) body.appendChild(messageActions(m, m.from.id === me.id && m.text));
    li.appendChild(body);
    return li;
  }

  function meta(m) {
    const line = el('div', 'meta');
    line.appendChild(el('span', 'from', m.from.name));
    if (m.announcement) line.appendChild(el('span', 'announcement-badge', 'announcement'));
    else if (m.from.bot) line.appendChild(el('span', 'bot-badge', 'bot'));
    const time = el('span', 'time', timeOf(m.ts));
    time.title = new Date(m.ts).toLocaleString();
    line.appendChild(time);
    return line;
  }

  // Shown on hover, and always where there is no hover (touch screens): see parley.css.
  function messageActions(m, editable) {
    const box = el('span', 'message-actions');
    if (view.confirmingDelete === m.id) {
      box.appendChild(button('Delete for everyone', 'confirm-delete', () => { view.confirmingDelete = null; actions.change('delete', m); }));
      box.appendChild(button('Keep', 'cancel-delete', () => { view.confirmingDelete = null; messages(); }));
      return box;
    }
    if (editable) {
      box.appendChild(button('Edit', 'edit', () => {
        Object.assign(view, { editing: m.id, editDraft: null, confirmingDelete: null });
        messages();
        focusEditor();
      }));
    }
    box.appendChild(button('Delete', 'delete', () => { view.confirmingDelete = m.id; messages(); }));
    return box;
  }

  function button(label, className, onClick) {
    const b = el('button', className, label);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  }

  // The message keeps its text until the edited event comes back, on every device alike.
  function editor(m) {
    const form = el('form', 'edit-form');
    const box = el('textarea', 'edit-input');
    box.value = view.editDraft !== null ? view.editDraft : m.text;
    box.rows = Math.min(6, box.value.split('\n').length + 1);
    box.addEventListener('input', () => { view.editDraft = box.value; });
    form.appendChild(box);
    form.appendChild(button('Save', 'save-edit', () => form.requestSubmit()));
    form.appendChild(button('Cancel', 'cancel-edit', stopEditing));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = box.value.trim();
      if (!text || text === m.text) { stopEditing(); return; }
      if (Array.from(text).length > settings.textLimit) {
        error('The text is longer than ' + settings.textLimit + ' characters.');
        return;
      }
      actions.change('edit', m, text);
    });
    box.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
      if (event.key === 'Escape') stopEditing();
    });
    return form;
  }

  function stopEditing() {
    view.editing = null;
    messages();
  }

  function focusEditor() {
    const box = document.querySelector('#messages .edit-input');
    if (box) { box.focus(); box.setSelectionRange(box.value.length, box.value.length); }
  }

  // Leaving is any member's; inviting the owner's and the moderators' (the server checks it again).
  function roomActions(r) {
    $('leave-room').hidden = !r;
    $('invite').hidden = !(r && r.moderator);
    $('toggle-members').hidden = !r;
    if (!r || !r.moderator) $('invite-box').hidden = true;
  }

  // A room's online members; a private conversation has no such list, so the panel goes.
  function members() {
    const inRoom = view.active.kind === 'room';
    $('members').hidden = !inRoom;
    const r = inRoom ? rooms.get(view.active.id) : null;
    $('online-count').textContent = r ? r.online.toLocaleString() : '';
    $('more-members').hidden = !r || !r.membersNext;
    $('member-list').replaceChildren(...(r ? [...r.members.values()] : []).map((u) => {
      const li = listItem(u.name + (u.guest ? ' (guest)' : ''), 0, false, () => {
        if (u.id !== me.id) actions.open('dm', u.id, u);
      });
      li.dataset.user = u.id;
      return li;
    }));
  }

  function notificationControls() {
    const toggle = $('notifications-toggle');
    toggle.hidden = !notifications.supported;
    toggle.textContent = notifications.label();
    toggle.setAttribute('aria-pressed', String(notifications.enabled()));
    const inRoom = view.active.kind === 'room';
    const mute = $('room-mute');
    mute.hidden = !inRoom || !notifications.enabled();
    const muted = inRoom && notifications.roomMuted(view.active.id);
    mute.textContent = muted ? 'Unmute room notifications' : 'Mute room notifications';
    mute.setAttribute('aria-pressed', String(muted));
  }

  /** Someone typing in the open room: shown for three seconds after each typing event. */
  function typing(user) {
    clearTimeout(typingTimers.get(user.id));
    typingTimers.set(user.id, setTimeout(() => { typingTimers.delete(user.id); typingLine(); }, 3000));
    typingNames.set(user.id, user.name);
    typingLine();
  }

  // Whoever's message arrives has stopped typing it.
  function stoppedTyping(userId) {
    if (!typingTimers.has(userId)) return;
    clearTimeout(typingTimers.get(userId));
    typingTimers.delete(userId);
    typingLine();
  }

  function noOneTyping() {
    typingTimers.forEach((timer) => clearTimeout(timer));
    typingTimers.clear();
    typingLine();
  }

  function typingLine() {
    const names = [...typingTimers.keys()].map((id) => typingNames.get(id));
    $('typing').textContent = names.length ? names.join(', ') + (names.length > 1 ? ' are' : ' is') + ' typing…' : '';
  }

  /** A line under the timeline for five seconds: an error, or with kind 'info' news such as an invitation sent. */
  /** The admins' announcements to everyone that are still showing, each until the reader dismisses it. */
  function announcements(showing, onDismiss) {
    $('announcements').replaceChildren(...showing.map((a) => {
      const li = el('li');
      li.dataset.ts = String(a.ts);
      li.appendChild(el('span', 'label', 'From the admins'));
      li.appendChild(el('span', 'text', a.text));
      const dismiss = el('button', 'link dismiss', 'Dismiss');
      dismiss.type = 'button';
      dismiss.addEventListener('click', () => onDismiss(a));
      li.appendChild(dismiss);
      return li;
    }));
  }

  function error(text, kind = 'error') {
    const box = $('error');
    box.textContent = text;
    box.classList.toggle('error', kind === 'error');
    box.hidden = false;
    clearTimeout(box.hideTimer);
    box.hideTimer = setTimeout(() => { box.hidden = true; }, 5000);
  }

  function status(text) { $('connection-status').textContent = text; }

  return {
    all, roomList, conversationList, openRooms, invitations, announcements, messages, olderArriving, added, members,
    notificationControls,
    typing, stoppedTyping, noOneTyping, error, status,
  };
}

const GROUP_GAP_MS = 5 * 60 * 1000;

/** A message shows as part of the one before when the same person sent both, the same day, minutes apart. */
function continues(before, m) {
  return Boolean(before) && !before.system && before.from.id === m.from.id && dayOf(before.ts) === dayOf(m.ts)
    && m.ts - before.ts < GROUP_GAP_MS;
}

function dayOf(ts) {
  return new Date(ts).toDateString();
}

function timeOf(ts) {
  return new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function daySeparator(ts) {
  const li = el('li', 'day');
  li.setAttribute('role', 'separator');
  const day = new Date(ts);
  const today = new Date();
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  let label = day.toLocaleDateString([], { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  if (day.toDateString() === today.toDateString()) label = 'Today';
  else if (day.toDateString() === yesterday.toDateString()) label = 'Yesterday';
  li.appendChild(el('span', 'label', label));
  return li;
}

/** Initials on a colour that comes from the user's id, the same on every device. */
function avatar(user) {
  const box = el('span', 'avatar', initials(user.name));
  box.setAttribute('aria-hidden', 'true');
  let hash = 0;
  for (const c of user.id) hash = (hash * 31 + c.codePointAt(0)) >>> 0;
  box.style.backgroundColor = 'hsl(' + (hash % 360) + ', 55%, 42%)';
  return box;
}

function initials(name) {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[1]].map((w) => Array.from(w)[0]) : Array.from(words[0] || '?').slice(0, 2);
  return letters.join('').toUpperCase();
}

/** An unread count as badges show it: nothing for none, 99+ past 99. */
export function countLabel(count) {
  if (!count) return '';
  return count >= 100 ? '99+' : String(count);
}
