package dev.parley.ws;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Utf8StringBuilder;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.WebSocketCoreSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.delivery.Client;
import dev.parley.user.User;
import dev.parley.ws.jetty.InlineReadConnector;

/**
 * One connection as Jetty's core WebSocket layer sees it: reassembles text messages, answers
 * pings, and hands messages and lifecycle events to {@link ChatWebSocketHandler}. A connection's
 * frames are handled one at a time, in order: the next is demanded once the last is handled. With
 * {@code parley.ws.read-on-selector} they are read on the selector thread, which many connections
 * share, so whatever waits for Redis (some frames, the cleanup after a close) runs on Jetty's pool.
 */
final class ClientFrameHandler implements FrameHandler {

	private static final Logger log = LoggerFactory.getLogger(ClientFrameHandler.class);

	private final ChatWebSocketHandler handler;

	private final User user;

	private final int maxMessageBytes;

	private final boolean readOnSelector;

	private CoreSession session;

	/** Where the work that may wait runs: Jetty's pool, off the selector thread that may be reading. */
	private Executor waiting;

	/** Set once the connection is open, before its first frame is demanded. */
	private volatile Client client;

	/** The text message being reassembled from fragments; null between messages. */
	private Utf8StringBuilder text;

	private long textBytes;

	/** True while the fragments of a binary message arrive. */
	private boolean binary;

	private final Handshake handshake;

	/** The user's rooms as the handshake found them, until the connection opens with them. */
	private List<String> memberships;

	ClientFrameHandler(ChatWebSocketHandler handler, User user, List<String> memberships, Handshake handshake,
			int maxMessageBytes, boolean readOnSelector) {
		this.handler = handler;
		this.user = user;
		this.memberships = memberships;
		this.handshake = handshake;
		this.maxMessageBytes = maxMessageBytes;
		this.readOnSelector = readOnSelector;
	}

	@Override
	public void onOpen(CoreSession session, Callback callback) {
		this.session = session;
		this.waiting = session.getWebSocketComponents().getExecutor();
		if (readOnSelector && session instanceof WebSocketCoreSession core) {
			InlineReadConnector.readOnSelector(core.getConnection().getEndPoint());
		}
		List<String> rooms = memberships;
		memberships = null;
		handler.opened(user, rooms, handshake, session, waiting).whenComplete((opened, failure) -> {
			if (failure != null) {
				// Redis failed or could not confirm the subscriptions: the client may try again at once
				log.warn("Could not open a connection for {}: {}", user.id(), failure.toString());
				log.debug("Opening the connection failed", failure);
				session.close(Client.UNAVAILABLE, Callback.NOOP);
				callback.failed(failure);
				return;
			}
			client = opened;
			callback.succeeded();
			session.demand();
		});
	}

	@Override
	public void onFrame(Frame frame, Callback callback) {
		client.heard();
		switch (frame.getOpCode()) {
			case OpCode.TEXT -> startText(frame, callback);
			case OpCode.CONTINUATION -> continueMessage(frame, callback);
			case OpCode.BINARY -> startBinary(frame, callback);
			case OpCode.PING -> pong(frame, callback);
			case OpCode.CLOSE -> callback.succeeded();
			default -> next(callback);
		}
	}

	private void startText(Frame frame, Callback callback) {
		text = new Utf8StringBuilder(frame.getPayloadLength());
		textBytes = 0;
		continueMessage(frame, callback);
	}

	private void startBinary(Frame frame, Callback callback) {
		binary = true;
		continueMessage(frame, callback);
	}

	private void continueMessage(Frame frame, Callback callback) {
		if (binary) {
			binary = !frame.isFin();
			callback.succeeded();
			if (frame.isFin()) {
				handler.binary(client);
			}
			session.demand();
			return;
		}
		if (text == null) {
			callback.failed(new IllegalStateException("continuation without a message"));
			return;
		}
		textBytes += frame.getPayloadLength();
		if (textBytes > maxMessageBytes) {
			callback.succeeded();
			session.close(CloseStatus.MESSAGE_TOO_LARGE, "message larger than " + maxMessageBytes + " bytes",
					Callback.NOOP);
			return;
		}
		if (frame.hasPayload()) {
			text.append(frame.getPayload());
		}
		if (!frame.isFin()) {
			next(callback);
			return;
		}
		String message = utf8(text);
		text = null;
		callback.succeeded();
		if (message == null) {
			session.close(CloseStatus.BAD_PAYLOAD, "text is not valid UTF-8", Callback.NOOP);
			return;
		}
		handle(message);
	}

	/** The text, or null when it is not valid UTF-8. */
	private static String utf8(Utf8StringBuilder text) {
		try {
			return text.build();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

	/**
	 * The next frame is demanded once this one is handled, so a part that waits for Redis runs on
	 * Jetty's pool and demands when done, and the frames after it wait meanwhile.
	 */
	private void handle(String message) {
		Runnable rest = textHandled(message);
		if (rest == null) {
			session.demand();
			return;
		}
		offload(() -> {
			try {
				rest.run();
			}
			catch (RuntimeException ex) {
				closeOnFailure(ex);
			}
			session.demand();
		}, () -> client.close(Client.OVERLOADED));
	}

	private Runnable textHandled(String message) {
		try {
			return handler.text(client, message);
		}
		catch (RuntimeException ex) {
			closeOnFailure(ex);
			return null;
		}
	}

	private void closeOnFailure(RuntimeException ex) {
		log.warn("Closing {} of {}: a frame could not be handled", client.id(), user.id(), ex);
		client.close(new CloseStatus(CloseStatus.SERVER_ERROR, "server error"));
	}

	private void offload(Runnable task, Runnable refused) {
		try {
			waiting.execute(task);
		}
		catch (RejectedExecutionException ex) {
			refused.run();
		}
	}

	private void pong(Frame ping, Callback callback) {
		ByteBuffer payload = ping.hasPayload() ? BufferUtil.copy(ping.getPayload()) : BufferUtil.EMPTY_BUFFER;
		callback.succeeded();
		session.sendFrame(new Frame(OpCode.PONG).setPayload(payload), Callback.NOOP, false);
		session.demand();
	}

	private void next(Callback callback) {
		callback.succeeded();
		session.demand();
	}

	@Override
	public void onError(Throwable cause, Callback callback) {
		log.debug("Transport error on {} of {}", client == null ? "-" : client.id(), user.id(), cause);
		callback.succeeded();
	}

	/**
	 * Must complete the callback exactly once and never throw: Jetty would complete it again. The
	 * cleanup waits for Redis without holding a thread, so it starts here, on whichever thread read
	 * the close (the selector's, with {@code parley.ws.read-on-selector}).
	 */
	@Override
	public void onClosed(CloseStatus status, Callback callback) {
		if (client == null) {
			callback.succeeded();
			return;
		}
		handler.closed(client).whenComplete((done, failure) -> {
			if (failure != null) {
				log.warn("Cleaning up {} of {} failed: {}", client.id(), user.id(), failure.toString());
			}
			callback.succeeded();
		});
	}

}
