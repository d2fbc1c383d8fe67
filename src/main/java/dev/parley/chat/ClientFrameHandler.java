package dev.parley.chat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;

import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Utf8StringBuilder;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.user.User;

/**
 * One connection as Jetty's core WebSocket layer sees it: reassembles text messages, answers
 * pings, and hands messages and lifecycle events to {@link ChatWebSocketHandler}. A connection's
 * frames are handled one at a time, in order: the next is demanded once the last is handled.
 */
final class ClientFrameHandler implements FrameHandler {

	private static final Logger log = LoggerFactory.getLogger(ClientFrameHandler.class);

	private final ChatWebSocketHandler handler;

	private final User user;

	private final int maxMessageBytes;

	private CoreSession session;

	private Client client;

	/** The text message being reassembled from fragments; null between messages. */
	private Utf8StringBuilder text;

	private long textBytes;

	/** True while the fragments of a binary message arrive. */
	private boolean binary;

	ClientFrameHandler(ChatWebSocketHandler handler, User user, int maxMessageBytes) {
		this.handler = handler;
		this.user = user;
		this.maxMessageBytes = maxMessageBytes;
	}

	@Override
	public void onOpen(CoreSession session, Callback callback) {
		this.session = session;
		try {
			client = handler.opened(user, session);
			callback.succeeded();
			session.demand();
		}
		catch (RuntimeException ex) {
			log.warn("Could not open a connection for {}", user.id(), ex);
			callback.failed(ex);
		}
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
		session.demand();
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

	private void handle(String message) {
		try {
			handler.text(client, message);
		}
		catch (RuntimeException ex) {
			log.warn("Closing {} of {}: a frame could not be handled", client.id(), user.id(), ex);
			client.close(new CloseStatus(CloseStatus.SERVER_ERROR, "server error"));
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

	/** Must complete the callback exactly once and never throw: Jetty would complete it again. */
	@Override
	public void onClosed(CloseStatus status, Callback callback) {
		try {
			if (client != null) {
				handler.closed(client);
			}
		}
		catch (RuntimeException ex) {
			log.warn("Cleaning up {} of {} failed: {}", client.id(), user.id(), ex.toString());
		}
		callback.succeeded();
	}

}
