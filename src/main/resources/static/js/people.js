// Finding people by the start of their name or username (GET /api/users?q=), online or not: to
// start a private conversation with them, or to invite them to a room.

import { el } from './dom.js';
import { me } from './state.js';

const PAUSE_MS = 200;

/**
 * @param input the search box
 * @param list where the people found are listed
 * @param onPick called with the user picked
 */
export function peoplePicker(input, list, onPick) {
  let timer = null;
  let asked = 0;

  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(search, PAUSE_MS); });

  async function search() {
    const q = input.value.trim();
    const mine = ++asked;
    if (!q) { list.replaceChildren(); return; }
    const res = await fetch('/api/users?q=' + encodeURIComponent(q), { credentials: 'same-origin' });
    const found = res.ok ? await res.json() : [];
    if (mine !== asked) return; // a later search is on its way: its answer is the one to show
    const people = found.filter((u) => u.id !== me.id);
    list.replaceChildren(...(people.length ? people.map(item) : [el('li', 'hint', 'No one by that name')]));
  }

  function item(u) {
    const li = el('li');
    li.dataset.user = u.id;
    li.appendChild(el('span', 'name', u.name + (u.guest ? ' (guest)' : '')));
    li.appendChild(el('span', 'count', '@' + u.id));
    li.addEventListener('click', () => { clear(); onPick(u); });
    return li;
  }

  function clear() {
    input.value = '';
    list.replaceChildren();
  }

  return { clear };
}
