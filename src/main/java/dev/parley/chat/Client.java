package dev.parley.chat;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.config.ParleyProperties;
import dev.parley.user.User;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * One WebSocket connection and its bounded write queue. Frames are queued by any thread (the Redis
 * listener included) and written by one drain task at a time on the send executor, which writes
 * everything queued and flushes once. A client whose queue overflows is closed with
 * {@link #SLOW_CONSUMER}, so a reader that stalls never holds up the others.
 */
public class Client {

	/** Close code for a connection that did not read fast enough to keep its send buffer bounded. */
	public static final CloseStatus SLOW_CONSUMER = new CloseStatus(4002, "send buffer overflow");

	/** Close code when the send executor itself is saturated. */
	public static final CloseStatus OVERLOADED = new CloseStatus(1013, "server overloaded");

	private static final Logger log = LoggerFactory.getLogger(Client.class);

	private final String id;

	private final User user;

	private final WebSocketSession session;

	private final Executor executor;

	private final ParleyProperties.Send limits;

	private final Set<String> rooms = ConcurrentHashMap.newKeySet();

	private final RateLimiter rateLimiter;

	private final ConcurrentLinkedDeque<OutboundFrame> queue = new ConcurrentLinkedDeque<>();

	private final AtomicInteger queuedFrames = new AtomicInteger();

	private final AtomicLong queuedBytes = new AtomicLong();

	private final AtomicInteger holds = new AtomicInteger(1);

	private final AtomicBoolean draining = new AtomicBoolean();

	private final AtomicBoolean closed = new AtomicBoolean();

	/** The container's own endpoint when there is one: it can batch frames and flush once. */
	private final RemoteEndpoint.Basic remote;

	public Client(String id, User user, WebSocketSession session, Executor executor, ParleyProperties properties) {
		this.id = id;
		this.user = user;
		this.session = session;
		this.executor = executor;
		this.limits = properties.send();
		this.rateLimiter = new RateLimiter(properties.limits().ratePerSecond(), properties.limits().rateBurst());
		this.remote = batchingRemote(session, limits);
	}

	/** Coalesces the frames of one drain into as few socket writes as fit, and bounds a blocked write. */
	private static RemoteEndpoint.Basic batchingRemote(WebSocketSession session, ParleyProperties.Send limits) {
		if (!(session instanceof NativeWebSocketSession nativeSession)
				|| nativeSession.getNativeSession(Session.class) == null) {
			return null;
		}
		Session container = nativeSession.getNativeSession(Session.class);
		container.getUserProperties()
			.put("org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT", limits.timeLimit().toMillis());
		try {
			container.getBasicRemote().setBatchingAllowed(true);
			return container.getBasicRemote();
		}
		catch (IOException ex) {
			log.debug("Batching not available", ex);
			return null;
		}
	}

	public String id() {
		return id;
	}

	public User user() {
		return user;
	}

	public Set<String> rooms() {
		return rooms;
	}

	public boolean tryAcquireFrame() {
		return rateLimiter.tryAcquire();
	}

	public boolean isOpen() {
		return !closed.get() && session.isOpen();
	}

	/** Queues a frame behind everything already queued. */
	public void send(OutboundFrame frame) {
		if (closed.get()) {
			return;
		}
		queue.offerLast(frame);
		if (account(frame)) {
			scheduleDrain();
		}
	}

	/** Queues frames ahead of everything queued, in the given order: replies that must precede broadcasts. */
	public void sendFirst(OutboundFrame... frames) {
		if (closed.get()) {
			return;
		}
		for (int i = frames.length - 1; i >= 0; i--) {
			queue.offerFirst(frames[i]);
			if (!account(frames[i])) {
				return;
			}
		}
		scheduleDrain();
	}

	/**
	 * Pauses writing while a reply is being prepared, so that a broadcast caused by a frame is not
	 * written before that frame's own reply. Frames still queue meanwhile.
	 */
	public void hold() {
		holds.incrementAndGet();
	}

	public void release() {
		holds.decrementAndGet();
		scheduleDrain();
	}

	public void close(CloseStatus status) {
		if (!closed.compareAndSet(false, true)) {
			return;
		}
		queue.clear();
		Runnable close = () -> {
			try {
				session.close(status);
			}
			catch (IOException | RuntimeException ex) {
				log.debug("Closing {} failed", id, ex);
			}
		};
		try {
			executor.execute(close);
		}
		catch (RejectedExecutionException ex) {
			close.run();
		}
	}

	private boolean account(OutboundFrame frame) {
		int frames = queuedFrames.incrementAndGet();
		long bytes = queuedBytes.addAndGet(frame.length());
		if (frames > limits.bufferMessages() || bytes > limits.bufferBytes()) {
			log.info("Closing {} of {}: send buffer overflow ({} frames, {} bytes)", id, user.id(), frames, bytes);
			close(SLOW_CONSUMER);
			return false;
		}
		return true;
	}

	private void scheduleDrain() {
		if (holds.get() > 0 || closed.get() || queue.isEmpty() || !draining.compareAndSet(false, true)) {
			return;
		}
		try {
			executor.execute(this::drain);
		}
		catch (RejectedExecutionException ex) {
			draining.set(false);
			close(OVERLOADED);
		}
	}

	private void drain() {
		try {
			writeQueued();
		}
		catch (IOException | RuntimeException ex) {
			log.debug("Write to {} failed", id, ex);
			close(CloseStatus.SESSION_NOT_RELIABLE);
		}
		finally {
			draining.set(false);
		}
		scheduleDrain();
	}

	private void writeQueued() throws IOException {
		boolean wrote = false;
		OutboundFrame frame;
		while (holds.get() == 0 && !closed.get() && (frame = queue.pollFirst()) != null) {
			queuedFrames.decrementAndGet();
			queuedBytes.addAndGet(-frame.length());
			if (remote != null) {
				remote.sendText(frame.json());
			}
			else {
				session.sendMessage(new TextMessage(frame.json()));
			}
			wrote = true;
		}
		if (wrote && remote != null && session.isOpen()) {
			remote.flushBatch();
		}
	}

}
