// What the page knows, as the server told it: the user, the settings the server put on the page,
// the rooms and private conversations with their messages, and what the reader has open.

const page = document.body.dataset;

export const me = { id: page.userId, name: page.userName, guest: page.guest === 'true' };

/** The server's settings, so that the page checks what the server checks and pings as it expects. */
export const settings = {
  textLimit: Number(page.textLimit) || 4000,
  fileLimit: Number(page.fileLimit) || 10 * 1024 * 1024,
  joinLimit: Number(page.joinLimit) || 50,
  heartbeatMs: Number(page.heartbeatInterval) || 25000,
  silenceMs: Number(page.heartbeatTimeout) || 60000,
  bot: page.bot,                  // the bot's username; absent when it is off
};

// mark: the id to resume after (everything up to it is held); synced: live messages since the join
// reply continue from the mark, so they may move it; moderator: may delete anyone's message there,
// and invite to it; online: how many members are online (members holds the pages loaded of them,
// membersNext the id to ask the next page after, null when all are loaded); olderDone: the oldest kept message is loaded, so "load older" goes
export const rooms = new Map();          // slug -> { name, topic, private, open, unread, mentions, messages, ids, members, mark, synced, moderator }
export const conversations = new Map();  // user id -> { name, unread, messages, ids, loaded }
export const invitations = new Map();    // slug -> { room: { slug, name, topic, private, members }, by: user }

/** What the reader has open, and the message being edited or whose delete waits for a second click. */
export const view = {
  active: { kind: 'room', id: 'lobby' },
  editing: null,
  editDraft: null,               // the edit's text as typed so far, kept across redraws
  confirmingDelete: null,
};

export function room(slug, name) {
  if (!rooms.has(slug)) {
    rooms.set(slug, { name: name || slug, topic: '', private: false, open: true, unread: 0, mentions: 0, messages: [], ids: new Set(),
      members: new Map(), online: 0, membersNext: null, mark: undefined, synced: false, moderator: false });
  }
  const r = rooms.get(slug);
  if (name) r.name = name;
  return r;
}

export function conversation(user) {
  if (!conversations.has(user.id)) {
    conversations.set(user.id, { name: user.name, unread: 0, messages: [], ids: new Set(), loaded: false });
  }
  return conversations.get(user.id);
}

export function isActive(kind, id) {
  return view.active.kind === kind && view.active.id === id;
}

/** The open room or conversation, undefined when it is gone. */
export function activeTarget() {
  return view.active.kind === 'room' ? rooms.get(view.active.id) : conversations.get(view.active.id);
}

/** Adds the messages not held yet, in id order; returns how many were new. */
export function addMessages(target, messages) {
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

export function newestId(target) {
  for (let i = target.messages.length - 1; i >= 0; i--) {
    if (!target.messages[i].system) return target.messages[i].id;
  }
  return undefined;
}

export function oldestId(target) {
  const oldest = target.messages.find((m) => !m.system);
  return oldest && oldest.id;
}

/**
 * An edit or a delete, live or from joined.changes: applying one twice does what applying it once
 * did. Returns the message as it was before, or null when it is not held.
 */
export function applyChange(target, change) {
  const i = target.messages.findIndex((m) => m.id === change.id && !m.system);
  if (i < 0) return null;
  const before = { ...target.messages[i] };
  if (change.type === 'deleted') target.messages.splice(i, 1);
  else Object.assign(target.messages[i], { text: change.text, edited: change.edited, mentions: change.mentions });
  if (view.editing === change.id) view.editing = null;
  return before;
}

export function mentionsMe(m) {
  return (m.mentions || []).includes(me.id);
}

/** Whether this user may delete the message: their own, or anyone's in a room they moderate. */
export function deletable(m) {
  if (m.from.id === me.id) return true;
  const r = m.room && rooms.get(m.room);
  return Boolean(r && r.moderator);
}

export function unreadTotal() {
  return [...rooms.values(), ...conversations.values()].reduce((sum, t) => sum + t.unread, 0);
}

/** Who could be mentioned in a room: its members online now and the authors of what is loaded. */
export function mentionable(r) {
  const people = new Map(r.members);
  r.messages.forEach((m) => { if (!m.system) people.set(m.from.id, m.from); });
  people.delete(me.id);
  return [...people.values()];
}
