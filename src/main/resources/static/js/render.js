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
 */
export function createView(actions) {
  const typingTimers = new Map();
  const typingNames = new Map();

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
    const wasEditing = document.activeElement && document.activeElement.classList.contains('edit-input');
    list.replaceChildren(...(target ? target.messages : []).map(message));
    if (atBottom) list.scrollTop = list.scrollHeight;
    if (wasEditing) focusEditor();
  }

  function isAtBottom(list) {
    return list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  }

  /** A new message: appended when it is the last of the open timeline, which is otherwise redrawn. */
  function added(target, m) {
    if (target !== activeTarget()) return;
    const list = $('messages');
    const last = target.messages[target.messages.length - 1];
    if (last !== m || view.editing !== null || list.children.length !== target.messages.length - 1) {
      messages();
      return;
    }
    const atBottom = isAtBottom(list);
    list.appendChild(message(m));
    if (atBottom) list.scrollTop = list.scrollHeight;
  }

  function message(m) {
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
    if (view.editing === m.id) li.appendChild(editor(m));
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
    if (view.editing !== m.id && deletable(m)) li.appendChild(messageActions(m, m.from.id === me.id && m.text));
    return li;
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
    all, roomList, conversationList, openRooms, invitations, messages, added, members, notificationControls,
    typing, stoppedTyping, noOneTyping, error, status,
  };
}

/** An unread count as badges show it: nothing for none, 99+ past 99. */
export function countLabel(count) {
  if (!count) return '';
  return count >= 100 ? '99+' : String(count);
}
