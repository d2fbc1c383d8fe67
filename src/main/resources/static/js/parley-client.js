// parley-client.js: Parley's WebSocket protocol (docs/protocol.md) for any web page, as one ES module
// with no dependencies; docs/client.md shows its use. The chat page runs on its transport.
//
//   import { ParleyClient } from 'https://chat.example/js/parley-client.js';
//   const client = new ParleyClient({ url: 'wss://chat.example/ws', token });
//   client.on('message', (message) => show(message));
//   await client.connect();
//   await client.join('lobby');
//   await client.send({ type: 'message', room: 'lobby', text: 'hello' });

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 15000;
const HEARTBEAT_MS = 25000;
const SILENCE_MS = 60000;
// closes after which trying again cannot help: a ban, a logout or password reset, a deleted account
const FINAL_CLOSES = new Set([1008, 4004, 4005]);
// the since of a room joined while it had no message: every message it holds is after it
const BEFORE_ANY_MESSAGE = '0-0';

/** Where the page's own server has its socket. */
function sameOriginUrl() {
  return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
}

/**
 * One WebSocket to /ws, kept open: numbers the frames it sends (ref), reconnects after a close with
 * exponential backoff and full jitter (docs/protocol.md, "Reconnecting"), and pings so that a dead
 * path (a proxy, a sleeping laptop) shows as silence and is replaced instead of waiting for TCP.
 *
 * @param options.url the socket's URL (the page's own server when not given)
 * @param options.heartbeatMs how often to ping (the server's parley.ws.heartbeat-interval)
 * @param options.silenceMs after how long without a frame the connection is given up (parley.ws.heartbeat-timeout)
 * @param options.onFrame called with each frame received, parsed
 * @param options.onOpen called when a connection opens
 * @param options.onClose called with the close event and whether that connection had opened;
 *        returns (or resolves to) false to stop reconnecting (a ban, a session that ended)
 * @param options.onRetry called with the time (epoch ms) of the next attempt once one is planned
 */
export function transport({ url, heartbeatMs = HEARTBEAT_MS, silenceMs = SILENCE_MS, onFrame, onOpen, onClose, onRetry }) {
  let socket = null;
  let failures = 0;
  let refSeq = 0;
  let lastFrameAt = Date.now();
  let retryTimer = null;
  let stopped = false;

  function open() {
    clearTimeout(retryTimer);
    retryTimer = null;
    stopped = false;
    let opened = false;
    socket = new WebSocket(typeof url === 'function' ? url() : (url || sameOriginUrl()));
    socket.onopen = () => { opened = true; failures = 0; lastFrameAt = Date.now(); onOpen(); };
    socket.onmessage = (event) => { lastFrameAt = Date.now(); onFrame(JSON.parse(event.data)); };
    socket.onclose = async (event) => {
      if (stopped || await onClose(event, opened) === false) return;
      // full jitter: anywhere from now to the capped exponential delay, so that clients dropped
      // together by one restart do not come back together
      const delay = Math.random() * Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** failures);
      failures++;
      retryTimer = setTimeout(open, delay);
      onRetry(Date.now() + delay);
    };
  }

  const heartbeat = setInterval(() => {
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    if (Date.now() - lastFrameAt > silenceMs) { socket.close(); return; }
    send({ type: 'ping' });
  }, heartbeatMs);

  /** Sends a frame with the next ref; returns the ref, or null when not connected. */
  function send(frame) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return null;
    frame.ref = String(++refSeq);
    socket.send(JSON.stringify(frame));
    return frame.ref;
  }

  /** The user's "retry now": the planned attempt happens at once. */
  function retryNow() {
    if (retryTimer !== null) open();
  }

  /** Closes for good: no retry, no heartbeat. */
  function stop() {
    stopped = true;
    clearTimeout(retryTimer);
    clearInterval(heartbeat);
    if (socket) socket.close(1000);
  }

  return { open, send, retryNow, stop, lastRef: () => String(refSeq) };
}

/** A refused frame, as its error frame says: code (bad_request, forbidden, rate_limited...) and message. */
export class ParleyError extends Error {
  constructor(frame) {
    super(frame.message || frame.code);
    this.code = frame.code;
    this.frame = frame;
  }
}

/**
 * A Parley connection for an application: a token (from /api/auth/token or /api/auth/guest) or the
 * page's session cookie, frames sent with a promise of their answer, and events for what the server
 * sends. After a reconnect it joins its rooms again with {@code since}, so that the messages missed
 * meanwhile come as {@code message} events, each once.
 *
 * Events ({@link #on}): every frame type the server sends (welcome, message, edited, deleted, private,
 * presence, typing, push, system, kicked...), plus 'state' ('connecting', 'online', 'offline' with
 * the time of the next try, 'closed' with the close code) and 'frame' for every frame.
 */
export class ParleyClient {

  /**
   * @param options.url the socket's URL (the page's own server when not given)
   * @param options.token a bearer token, sent as ?token= (browsers cannot set headers on a WebSocket);
   *        without one the page's session cookie is used
   * @param options.heartbeatMs, options.silenceMs as the server's heartbeat settings (25 s, 60 s)
   */
  constructor({ url, token, heartbeatMs, silenceMs } = {}) {
    this.listeners = new Map();
    this.pending = new Map();
    this.lastSeen = new Map();
    // room -> { since, held } while a join with since and its history pages are on their way (see replay)
    this.resuming = new Map();
    this.welcome = null;
    this.welcomed = null;
    this.transport = transport({
      url: () => {
        const base = url || sameOriginUrl();
        return token ? base + (base.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token) : base;
      },
      heartbeatMs,
      silenceMs,
      onFrame: (frame) => this.received(frame),
      onOpen: () => this.emit('state', { state: 'connecting' }),
      onClose: (event) => this.closed(event),
      onRetry: (at) => this.emit('state', { state: 'offline', retryAt: at }),
    });
  }

  /** Calls fn with each frame of this type ('message', 'push'...), or with each state change ('state'). */
  on(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(fn);
    return () => this.listeners.get(type).delete(fn);
  }

  /** Opens the connection; resolves with the first welcome. */
  connect() {
    const first = new Promise((resolve, reject) => { this.welcomed = { resolve, reject }; });
    this.transport.open();
    return first;
  }

  /**
   * Sends a frame; resolves with its answer (ack, joined, history, members...), rejects with a
   * ParleyError for its error frame, or with code 'disconnected' when the connection dropped first
   * (a message then may or may not have been stored: sending it again may show it twice).
   */
  send(frame) {
    const copy = { ...frame };
    const ref = this.transport.send(copy);
    if (ref === null) return Promise.reject(new ParleyError({ code: 'disconnected', message: 'not connected' }));
    return new Promise((resolve, reject) => this.pending.set(ref, { resolve, reject }));
  }

  /** Joins a room, or opens it again: with since, only what came after the last message seen. */
  join(room) {
    const since = this.lastSeen.get(room);
    if (!since) return this.send({ type: 'join', room });
    const resumed = { since, held: new Map() };
    this.resuming.set(room, resumed);
    const answer = this.send({ type: 'join', room, since });
    answer.catch(() => this.finish(room, resumed));
    return answer;
  }

  /** Closes for good. */
  close() {
    this.transport.stop();
  }

  received(frame) {
    let held = false;
    if (frame.type === 'welcome') this.welcomedAgain(frame);
    else if (frame.type === 'message' && frame.room && frame.id) held = this.saw(frame);
    else if (frame.type === 'joined') this.replay(frame);
    const waiting = frame.ref !== undefined ? this.pending.get(frame.ref) : undefined;
    if (waiting) {
      this.pending.delete(frame.ref);
      if (frame.type === 'error') waiting.reject(new ParleyError(frame));
      else waiting.resolve(frame);
    }
    this.emit('frame', frame);
    if (!held) this.emit(frame.type, frame);
  }

  /**
   * A join's reply. Resuming (docs/protocol.md, "Resuming without loss"): its changes to messages the
   * client holds, then the messages missed, page after page, then the live ones that came meanwhile
   * and were not among them. The room's mark moves page by page, so that a drop in between resumes
   * where the pages stopped.
   */
  replay(joined) {
    const resumed = this.resuming.get(joined.room);
    if (!resumed) {
      // a room joined while empty resumes from its start: what came while away is all it holds
      if (!this.lastSeen.has(joined.room)) this.lastSeen.set(joined.room, BEFORE_ANY_MESSAGE);
      (joined.history || []).forEach((message) => this.mark(joined.room, message.id));
      return;
    }
    (joined.changes || []).forEach((change) => this.emit(change.type, change));
    this.page(joined.room, resumed, joined.history || [], joined.more);
  }

  page(room, resumed, messages, more) {
    if (this.resuming.get(room) !== resumed) return;
    messages.forEach((message) => {
      resumed.held.delete(message.id);
      if (newer(message.id, resumed.since)) {
        this.emit('message', { ...message, type: 'message', room });
        resumed.since = message.id;
        this.mark(room, message.id);
      }
    });
    if (more && messages.length > 0) {
      this.send({ type: 'history', room, after: resumed.since })
        .then((reply) => this.page(room, resumed, reply.messages || [], reply.more))
        .catch(() => this.finish(room, resumed));
      return;
    }
    this.finish(room, resumed);
  }

  /** The resume is over, or cannot go on: the live messages it held and did not replay, in order. */
  finish(room, resumed) {
    if (this.resuming.get(room) !== resumed) return;
    this.resuming.delete(room);
    resumed.held.forEach((message, id) => {
      if (newer(id, resumed.since)) {
        this.emit('message', message);
        this.mark(room, id);
      }
    });
  }

  /** A live room message: held while its room resumes (it comes after what was missed), else marked seen. */
  saw(message) {
    const resumed = this.resuming.get(message.room);
    if (resumed) {
      resumed.held.set(message.id, message);
      return true;
    }
    this.mark(message.room, message.id);
    return false;
  }

  mark(room, id) {
    const seen = this.lastSeen.get(room);
    if (!seen || newer(id, seen)) this.lastSeen.set(room, id);
  }

  welcomedAgain(welcome) {
    const resumed = this.welcome !== null;
    this.welcome = welcome;
    this.emit('state', { state: 'online' });
    if (this.welcomed) { this.welcomed.resolve(welcome); this.welcomed = null; }
    if (!resumed) return;
    // the rooms it had open: joined again after what was seen, so that nothing missed is lost
    welcome.rooms.filter((room) => this.lastSeen.has(room.slug)).forEach((room) => this.join(room.slug).catch(() => {}));
  }

  closed(event) {
    const dropped = new ParleyError({ code: 'disconnected', message: 'the connection closed' });
    this.pending.forEach((waiting) => waiting.reject(dropped));
    this.pending.clear();
    this.resuming.clear();
    if (FINAL_CLOSES.has(event.code)) {
      this.emit('state', { state: 'closed', code: event.code, reason: event.reason });
      if (this.welcomed) { this.welcomed.reject(new ParleyError({ code: 'closed', message: event.reason })); this.welcomed = null; }
      return false;
    }
    return true;
  }

  emit(type, payload) {
    (this.listeners.get(type) || []).forEach((fn) => fn(payload));
  }
}

/** Stream ids (ms-seq) compared as numbers: '9-0' is older than '10-0'. */
function newer(id, than) {
  const [ms, seq] = id.split('-').map(Number);
  const [thanMs, thanSeq] = than.split('-').map(Number);
  return ms > thanMs || (ms === thanMs && seq > thanSeq);
}
