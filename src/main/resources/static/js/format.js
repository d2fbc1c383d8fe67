// A message's text as DOM nodes: links, **bold**, _italic_, `code`, fenced code blocks, line breaks
// and @mentions. Nodes are built from the text (createElement, textContent); nothing goes through
// innerHTML, so markup in a message shows as the characters it is. Anything else stays literal.

import { el } from './dom.js';

const FENCE = /```(?:[A-Za-z0-9+#.-]*\n)?([\s\S]*?)```/g;

// one inline element at a time, leftmost first: code, bold, italic, a link, a mention
const INLINE = new RegExp([
  '`([^`\\n]+)`',
  '\\*\\*(?=\\S)([^\\n]*?\\S)\\*\\*',
  '(?<![A-Za-z0-9_])_(?=\\S)([^_\\n]*?\\S)_(?![A-Za-z0-9_])',
  '\\b((?:https?://|mailto:)[^\\s<>"]+)',
  '(?<![A-Za-z0-9._@-])@([A-Za-z0-9._-]*[A-Za-z0-9])',
].join('|'), 'g');

const SCHEMES = new Set(['http:', 'https:', 'mailto:']);

// bold and italic may hold the others, once: deeper markers stay as they are
const MAX_DEPTH = 2;

/**
 * @param text the message's text
 * @param options {mentions: user ids the server found mentioned, me: this user's id}
 * @returns a DocumentFragment
 */
export function renderText(text, options = {}) {
  const fragment = document.createDocumentFragment();
  let last = 0;
  for (const fence of text.matchAll(FENCE)) {
    appendLines(fragment, text.slice(last, fence.index), options);
    const pre = el('pre', 'code-block');
    pre.appendChild(el('code', null, fence[1].replace(/\n$/, '')));
    fragment.appendChild(pre);
    last = fence.index + fence[0].length;
  }
  appendLines(fragment, text.slice(last), options);
  return fragment;
}

function appendLines(parent, text, options) {
  text.split('\n').forEach((line, i) => {
    if (i > 0) parent.appendChild(document.createElement('br'));
    appendInline(parent, line, options, 0);
  });
}

function appendInline(parent, text, options, depth) {
  let last = 0;
  for (const match of text.matchAll(INLINE)) {
    const [whole, code, bold, italic, url, mention] = match;
    let node = null;
    let consumed = whole;
    if (code !== undefined) node = el('code', null, code);
    else if ((bold !== undefined || italic !== undefined) && depth < MAX_DEPTH) {
      node = el(bold !== undefined ? 'strong' : 'em');
      appendInline(node, bold !== undefined ? bold : italic, options, depth + 1);
    }
    else if (url !== undefined) {
      consumed = url.replace(/[.,;:!?)\]']+$/, '');
      node = link(consumed);
    }
    else if (mention !== undefined) node = mentionNode(mention, options);
    if (!node) continue;
    parent.appendChild(document.createTextNode(text.slice(last, match.index)));
    parent.appendChild(node);
    last = match.index + consumed.length;
    if (consumed.length < whole.length) {
      // the punctuation after a link is text again, and may start nothing new
      parent.appendChild(document.createTextNode(whole.slice(consumed.length)));
      last = match.index + whole.length;
    }
  }
  parent.appendChild(document.createTextNode(text.slice(last)));
}

function link(address) {
  let url;
  try {
    url = new URL(address);
  }
  catch (e) {
    return null;
  }
  if (!SCHEMES.has(url.protocol)) return null;
  const a = el('a', null, address);
  a.href = url.href;
  a.rel = 'noopener noreferrer';
  a.target = '_blank';
  return a;
}

function mentionNode(id, options) {
  const lower = id.toLowerCase();
  const mentioned = (options.mentions || []).includes(lower);
  if (!mentioned) return null;
  return el('span', lower === options.me ? 'mention mention-me' : 'mention', '@' + id);
}

/** The `@word` being typed just before the caret, or null: what the mention autocomplete completes. */
export function mentionAt(value, caret) {
  const before = value.slice(0, caret);
  const match = /(?:^|[^A-Za-z0-9._@-])@([A-Za-z0-9._-]*)$/.exec(before);
  return match ? { prefix: match[1].toLowerCase(), start: caret - match[1].length - 1 } : null;
}
