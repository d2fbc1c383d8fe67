// Browser notifications for private messages and mentions while the tab is hidden. Permission is
// asked only from the visible control, never on load; the choice and each room's mute are
// remembered in this browser (localStorage).

const ENABLED = 'parley.notifications';
const MUTED_ROOMS = 'parley.muted-rooms';

function stored(key, fallback) {
  try {
    const value = localStorage.getItem(key);
    return value === null ? fallback : JSON.parse(value);
  }
  catch (e) {
    return fallback;
  }
}

function store(key, value) {
  try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: not remembered */ }
}

export const supported = typeof window.Notification === 'function';

/** On when this browser allows it and the user turned it on here: an allowance alone turns nothing on. */
export function enabled() {
  return supported && Notification.permission === 'granted' && stored(ENABLED, false);
}

/** The control's label for the state now. */
export function label() {
  if (!supported) return '';
  if (Notification.permission === 'denied') return 'Notifications blocked';
  return enabled() ? 'Notifications on' : 'Turn on notifications';
}

/** The control's click: asks for permission the first time, then turns notifications on and off. */
export async function toggle() {
  if (!supported) return;
  if (Notification.permission === 'default') {
    const answer = await Notification.requestPermission();
    store(ENABLED, answer === 'granted');
    return;
  }
  if (Notification.permission === 'granted') store(ENABLED, !stored(ENABLED, false));
}

export function roomMuted(slug) {
  return stored(MUTED_ROOMS, []).includes(slug);
}

export function setRoomMuted(slug, muted) {
  const rooms = stored(MUTED_ROOMS, []).filter((room) => room !== slug);
  if (muted) rooms.push(slug);
  store(MUTED_ROOMS, rooms);
}

/**
 * Shows one notification, unless the tab is visible, notifications are off, or the room is muted.
 * @param onOpen called when the user clicks it, after the tab is focused
 */
export function notify({ title, body, tag, room }, onOpen) {
  if (!document.hidden || !enabled() || (room && roomMuted(room))) return;
  try {
    const shown = new Notification(title, { body: body.length > 140 ? body.slice(0, 139) + '…' : body, tag });
    shown.onclick = () => { window.focus(); onOpen(); shown.close(); };
  }
  catch (e) {
    // a browser that allows notifications only from a service worker: the title and favicon still tell
  }
}

/** The favicon carries the unread count, as the title does. */
export function showUnread(total) {
  const icon = document.querySelector('link[rel="icon"]');
  const href = total ? countedIcon(total) : '/favicon.svg';
  if (icon && icon.getAttribute('href') !== href) icon.setAttribute('href', href);
}

// The page's icon with a red badge; the label is digits only, so it goes into the markup as it is.
function countedIcon(total) {
  const label = total > 99 ? '99+' : String(total);
  const size = [14, 12, 9][label.length - 1];
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
    + '<rect width="32" height="32" rx="7" fill="#2f5fd0"/>'
    + '<path d="M8 8h16a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2h-9l-5 4v-4H8a2 2 0 0 1-2-2v-9a2 2 0 0 1 2-2z" fill="#fff"/>'
    + '<circle cx="21" cy="11" r="11" fill="#d0342c"/>'
    + '<text x="21" y="' + (11 + size * 0.36) + '" font-family="sans-serif" font-weight="bold" font-size="' + size
    + '" fill="#fff" text-anchor="middle">' + label + '</text></svg>';
  return 'data:image/svg+xml,' + encodeURIComponent(svg);
}
