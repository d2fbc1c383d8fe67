// The page's one WebSocket to /ws: opens it, numbers the frames it sends (ref), reconnects after a
// close with exponential backoff and full jitter (docs/protocol.md, "Reconnecting"), and pings so
// that a dead path (a proxy, a sleeping laptop) shows as silence and is replaced, instead of
// waiting for TCP to notice.

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 15000;

/**
 * @param options.heartbeatMs how often to ping (the server's parley.ws.heartbeat-interval)
 * @param options.silenceMs after how long without a frame the connection is given up (parley.ws.heartbeat-timeout)
 * @param options.onFrame called with each frame received, parsed
 * @param options.onOpen called when a connection opens
 * @param options.onClose called with the close event and whether that connection had opened;
 *        returns (or resolves to) false to stop reconnecting (a ban, a session that ended)
 * @param options.onRetry called with the time (epoch ms) of the next attempt once one is planned
 */
export function connection({ heartbeatMs, silenceMs, onFrame, onOpen, onClose, onRetry }) {
  let socket = null;
  let failures = 0;
  let refSeq = 0;
  let lastFrameAt = Date.now();
  let retryTimer = null;

  function open() {
    clearTimeout(retryTimer);
    retryTimer = null;
    let opened = false;
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    socket = new WebSocket(scheme + location.host + '/ws');
    socket.onopen = () => { opened = true; failures = 0; lastFrameAt = Date.now(); onOpen(); };
    socket.onmessage = (event) => { lastFrameAt = Date.now(); onFrame(JSON.parse(event.data)); };
    socket.onclose = async (event) => {
      if (await onClose(event, opened) === false) return;
      // full jitter: anywhere from now to the capped exponential delay, so that clients dropped
      // together by one restart do not come back together
      const delay = Math.random() * Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** failures);
      failures++;
      retryTimer = setTimeout(open, delay);
      onRetry(Date.now() + delay);
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

  /** The user's "retry now": the planned attempt happens at once. */
  function retryNow() {
    if (retryTimer !== null) open();
  }

  return { open, send, retryNow, lastRef: () => String(refSeq) };
}
