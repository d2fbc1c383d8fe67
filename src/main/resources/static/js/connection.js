// The page's one WebSocket to /ws: opens it, numbers the frames it sends (ref), reconnects after a
// close with exponential backoff and jitter, and pings so that a dead path (a proxy, a sleeping
// laptop) shows as silence and is replaced, instead of waiting for TCP to notice.

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 15000;

/**
 * @param options.heartbeatMs how often to ping (the server's parley.ws.heartbeat-interval)
 * @param options.silenceMs after how long without a frame the connection is given up (parley.ws.heartbeat-timeout)
 * @param options.onFrame called with each frame received, parsed
 * @param options.onOpen called when a connection opens
 * @param options.onClose called with the close event; return false to stop reconnecting (a ban)
 */
export function connection({ heartbeatMs, silenceMs, onFrame, onOpen, onClose }) {
  let socket = null;
  let backoff = FIRST_RETRY_MS;
  let refSeq = 0;
  let lastFrameAt = Date.now();

  function open() {
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    socket = new WebSocket(scheme + location.host + '/ws');
    socket.onopen = () => { backoff = FIRST_RETRY_MS; lastFrameAt = Date.now(); onOpen(); };
    socket.onmessage = (event) => { lastFrameAt = Date.now(); onFrame(JSON.parse(event.data)); };
    socket.onclose = (event) => {
      if (onClose(event) === false) return;
      const delay = Math.min(backoff, MAX_RETRY_MS) * (0.75 + Math.random() / 2);
      backoff = Math.min(backoff * 2, MAX_RETRY_MS);
      setTimeout(open, delay);
    };
  }

  setInterval(() => {
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

  return { open, send, lastRef: () => String(refSeq) };
}
