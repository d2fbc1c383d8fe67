package dev.parley.delivery;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.WebSocketCoreSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.config.ParleyProperties;
import dev.parley.user.User;
import dev.parley.ws.Handshake;
import dev.parley.ws.jetty.InlineReadConnector;

/**
 * One WebSocket connection and its bounded write queue. Frames are queued by any thread (the Redis
 * listener included) and written by one drain at a time, on a send-executor thread: frames queued
 * together leave in one socket write. The drain writes them straight to the connection's endpoint
 * when it takes shared writes ({@link InlineReadConnector#sharedWrites}), as bytes encoded once per
 * broadcast: Jetty's per-frame path (its session, frame flusher and a header generated for each
 * recipient) took 14 % of the JVM's time at 16,000 room messages a second (bench/notes.md). Otherwise
 * (a connector Boot made, as with {@code server.ssl}) it hands Jetty's session the frames as one
 * batch. Writes are asynchronous: no thread ever blocks on a slow socket. A frame counts against
 * the connection's buffer until it is written, and the next write starts only then; a client whose
 * buffer overflows is closed with {@link #SLOW_CONSUMER}, so a reader that stalls never holds up others.
 */
public class Client {

	/** Close code for a connection that did not read fast enough to keep its send buffer bounded. */
	public static final CloseStatus SLOW_CONSUMER = new CloseStatus(4002, "send buffer overflow");

	/** Close code for a connection from which nothing arrived within the heartbeat timeout. */
	public static final CloseStatus IDLE = new CloseStatus(4001, "idle");

	/**
	 * Close code for the connections of a channel whose subscription was interrupted and that missed
	 * more than can be replayed: their clients reconnect and resume with {@code since}.
	 */
	public static final CloseStatus RESUME = new CloseStatus(4003, "missed events: resume");

	/** Close code for a connection that could not be opened because Redis failed meanwhile. */
	public static final CloseStatus UNAVAILABLE = new CloseStatus(CloseStatus.TRY_AGAIN_LATER, "unavailable, try again");

	/** Close code for the connections of a browser session that logged out. */
	public static final CloseStatus LOGGED_OUT = new CloseStatus(4004, "logged out");

	/** Close code when the send executor itself is saturated. */
	public static final CloseStatus OVERLOADED = new CloseStatus(CloseStatus.TRY_AGAIN_LATER, "server overloaded");

	private static final CloseStatus WRITE_FAILED = new CloseStatus(CloseStatus.SERVER_ERROR, "write failed");

	private static final Logger log = LoggerFactory.getLogger(Client.class);

	private static final VarHandle ROOMS;

	private static final AtomicIntegerFieldUpdater<Client> QUEUED_FRAMES = AtomicIntegerFieldUpdater
		.newUpdater(Client.class, "queuedFrames");

	private static final AtomicLongFieldUpdater<Client> QUEUED_BYTES = AtomicLongFieldUpdater.newUpdater(Client.class,
			"queuedBytes");

	private static final AtomicIntegerFieldUpdater<Client> HOLDS = AtomicIntegerFieldUpdater.newUpdater(Client.class,
			"holds");

	private static final VarHandle DRAINING;

	private static final VarHandle CLOSED;

	private static final VarHandle FLUSH_PENDING;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			ROOMS = lookup.findVarHandle(Client.class, "rooms", Set.class);
			DRAINING = lookup.findVarHandle(Client.class, "draining", boolean.class);
			CLOSED = lookup.findVarHandle(Client.class, "closed", boolean.class);
			FLUSH_PENDING = lookup.findVarHandle(Client.class, "flushPending", boolean.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final String id;

	private final User user;

	private final Handshake handshake;

	private final Executor executor;

	private final ParleyProperties.Send limits;

	/** Immutable, replaced on each change: rooms change seldom, and most connections have few or none. */
	private volatile Set<String> rooms = Set.of();

	private final RateLimiter rateLimiter;

	private final ConcurrentLinkedQueue<OutboundFrame> queue = new ConcurrentLinkedQueue<>();

	/** Replies, written ahead of {@link #queue} and in the order they were given. */
	private final ConcurrentLinkedQueue<OutboundFrame> replies = new ConcurrentLinkedQueue<>();

	// fields behind field updaters and VarHandles rather than atomic objects: six objects fewer per connection
	private volatile int queuedFrames;

	private volatile long queuedBytes;

	private volatile int holds = 1;

	private volatile boolean draining;

	private volatile boolean closed;

	private final CoreSession core;

	/** Where frames are written as bytes, or null when they go through {@link #core}. */
	private final EndPoint wire;

	private final int maxFragment;

	private volatile long lastHeard = System.nanoTime();

	private volatile long lastWritten = System.nanoTime();

	/** Set by {@link #closeAfterQueued}: the close to make once everything queued is written. */
	private volatile CloseStatus closing;

	/** Set while this client is on a fan-out's list of connections to flush. */
	private volatile boolean flushPending;

	private final Closes closes;

	public Client(String id, User user, Handshake handshake, CoreSession core, Executor executor,
			ParleyProperties properties, Closes closes) {
		this.id = id;
		this.closes = closes;
		this.user = user;
		this.handshake = handshake;
		this.executor = executor;
		this.limits = properties.send();
		this.rateLimiter = new RateLimiter(properties.limits().ratePerSecond(), properties.limits().rateBurst());
		this.core = core;
		this.wire = core instanceof WebSocketCoreSession session
				? InlineReadConnector.sharedWrites(session.getConnection().getEndPoint()) : null;
		this.maxFragment = properties.limits().frameSize();
	}

	public String id() {
		return id;
	}

	public User user() {
		return user;
	}

	/** Whether the browser session with this key (the SHA-256 of its id) opened this connection. */
	public boolean openedBy(String sessionKey) {
		return sessionKey.equals(handshake.sessionKey());
	}

	public String address() {
		return handshake.address();
	}

	/** The rooms whose events this connection receives: a snapshot, which later joins and leaves do not change. */
	public Set<String> rooms() {
		return rooms;
	}

	/** Returns false when the connection was in the room already. */
	boolean enterRoom(String room) {
		return changeRooms(rooms -> !rooms.contains(room), rooms -> CopyOnWriteSets.with(rooms, List.of(room)));
	}

	/** For a new connection: all its rooms at once, rather than a copy of the set per room. */
	void enterRooms(Collection<String> entered) {
		changeRooms(rooms -> !entered.isEmpty(), rooms -> CopyOnWriteSets.with(rooms, entered));
	}

	/** Returns false when the connection was not in the room. */
	boolean leaveRoom(String room) {
		return changeRooms(rooms -> rooms.contains(room), rooms -> CopyOnWriteSets.without(rooms, room));
	}

	/** Replaces the rooms by {@code change} of them, unless {@code applies} says it does not; returns whether it did. */
	private boolean changeRooms(Predicate<Set<String>> applies, UnaryOperator<Set<String>> change) {
		Set<String> before;
		do {
			before = rooms;
			if (!applies.test(before)) {
				return false;
			}
		}
		while (!ROOMS.compareAndSet(this, before, change.apply(before)));
		return true;
	}

	/** Anything arrived from the client: a frame or a pong. */
	public void heard() {
		lastHeard = System.nanoTime();
	}

	public long nanosSinceHeard() {
		return System.nanoTime() - lastHeard;
	}

	/** Frames queued or being written: not yet handed to the kernel. */
	int queuedFrames() {
		return queuedFrames;
	}

	public long nanosSinceWritten() {
		return System.nanoTime() - lastWritten;
	}

	/** A WebSocket ping; clients answer with a pong, which counts as hearing from them. */
	public void ping() {
		if (!closed) {
			lastWritten = System.nanoTime();
			core.sendFrame(new Frame(OpCode.PING), Callback.NOOP, false);
		}
	}

	public boolean tryAcquireFrame() {
		return rateLimiter.tryAcquire();
	}

	/** Queues a frame behind everything already queued. */
	public void send(OutboundFrame frame) {
		if (closed) {
			return;
		}
		queue.offer(frame);
		if (account(frame)) {
			scheduleDrain();
		}
	}

	/**
	 * Queues a frame for a fan-out that flushes afterwards.
	 *
	 * @return true when the caller must {@link #flush()} this client once it has queued everything
	 */
	boolean enqueue(OutboundFrame frame) {
		if (closed) {
			return false;
		}
		queue.offer(frame);
		return account(frame) && FLUSH_PENDING.compareAndSet(this, false, true);
	}

	/**
	 * For a fan-out pass: queues a held reply's frames like {@link #sendFirst} and lifts the
	 * {@link #hold()}, without writing.
	 *
	 * @return true when the caller must {@link #flush()} this client once it has queued everything
	 */
	boolean answer(OutboundFrame... frames) {
		boolean open = queueReplies(frames);
		HOLDS.decrementAndGet(this);
		return open && FLUSH_PENDING.compareAndSet(this, false, true);
	}

	/** Writes what is queued, on the calling send-executor thread (writes never block). */
	void flush() {
		flushPending = false;
		drain();
	}

	/**
	 * Queues replies ahead of every broadcast queued, behind the replies queued before them: a
	 * client that sends several frames without waiting gets their replies in the order it sent them.
	 */
	public void sendFirst(OutboundFrame... frames) {
		if (queueReplies(frames)) {
			scheduleDrain();
		}
	}

	/** Returns false when the client is closed, or was closed for the overflow these frames caused. */
	private boolean queueReplies(OutboundFrame... frames) {
		if (closed) {
			return false;
		}
		for (OutboundFrame frame : frames) {
			replies.offer(frame);
			if (!account(frame)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Pauses writing while a reply is being prepared, so that a broadcast caused by a frame is not
	 * written before that frame's own reply. Frames still queue meanwhile.
	 */
	public void hold() {
		HOLDS.incrementAndGet(this);
	}

	public void release() {
		HOLDS.decrementAndGet(this);
		scheduleDrain();
	}

	/**
	 * Closes after writing everything already queued: the close frame goes out behind them. For
	 * shutdown, where clients will resume elsewhere with {@code since}. A write in progress finishes
	 * first: the drain that follows it closes once nothing is left.
	 */
	public void closeAfterQueued(CloseStatus status) {
		runOnExecutorOrHere(() -> {
			closing = status;
			holds = 0;
			drain();
		});
	}

	/** The connection is gone already: drops what is queued, sends nothing. */
	public void closed() {
		closed = true;
		clearQueues();
	}

	private void clearQueues() {
		replies.clear();
		queue.clear();
	}

	public void close(CloseStatus status) {
		if (!CLOSED.compareAndSet(this, false, true)) {
			return;
		}
		closes.closed(status);
		clearQueues();
		runOnExecutorOrHere(() -> {
			core.close(status, Callback.from(() -> {
			}, failure -> core.abort()));
			CompletableFuture.delayedExecutor(limits.timeLimit().toMillis(), TimeUnit.MILLISECONDS)
				.execute(core::abort);
		});
	}

	/** Closing must happen even when the executor is saturated: then it runs on the caller's thread. */
	private void runOnExecutorOrHere(Runnable task) {
		try {
			executor.execute(task);
		}
		catch (RejectedExecutionException ex) {
			task.run();
		}
	}

	private boolean account(OutboundFrame frame) {
		int frames = QUEUED_FRAMES.incrementAndGet(this);
		long bytes = QUEUED_BYTES.addAndGet(this, frame.length());
		if (frames > limits.bufferMessages() || bytes > limits.bufferBytes()) {
			log.info("Closing {} of {}: send buffer overflow ({} frames, {} bytes)", id, user.id(), frames, bytes);
			close(SLOW_CONSUMER);
			return false;
		}
		return true;
	}

	private void scheduleDrain() {
		if (holds > 0 || closed || (replies.isEmpty() && queue.isEmpty() && closing == null)
				|| !DRAINING.compareAndSet(this, false, true)) {
			return;
		}
		try {
			executor.execute(this::writeQueued);
		}
		catch (RejectedExecutionException ex) {
			draining = false;
			close(OVERLOADED);
		}
	}

	private void drain() {
		if (DRAINING.compareAndSet(this, false, true)) {
			writeQueued();
		}
	}

	/**
	 * Runs while holding {@code draining}, which a write to the endpoint keeps until it completes:
	 * then the next drain writes what queued meanwhile.
	 */
	private void writeQueued() {
		boolean writing = false;
		try {
			OutboundFrame first = nextWritable();
			if (first != null) {
				lastWritten = System.nanoTime();
				writing = wire != null ? writeToWire(first) : writeThroughJetty(first);
			}
			else if (closing != null) {
				close(closing);
			}
		}
		catch (RuntimeException ex) {
			log.debug("Write to {} failed", id, ex);
			close(WRITE_FAILED);
		}
		finally {
			if (!writing) {
				draining = false;
			}
		}
		if (!writing) {
			scheduleDrain();
		}
	}

	/**
	 * Every frame queued, in one write. After Jetty has queued its close frame nothing more may
	 * follow it: the session's state says so until the close reaches this client.
	 *
	 * @return whether a write was started (its completion releases {@code draining})
	 */
	private boolean writeToWire(OutboundFrame first) {
		List<ByteBuffer> buffers = new ArrayList<>(2);
		long bytes = 0;
		for (OutboundFrame frame = first; frame != null; frame = nextWritable()) {
			buffers.add(frame.wire(maxFragment));
			bytes += frame.length();
		}
		WireWritten written = new WireWritten(buffers.size(), bytes);
		if (!core.isOutputOpen()) {
			written.release();
			return false;
		}
		wire.write(written, buffers.toArray(ByteBuffer[]::new));
		return true;
	}

	/** Every frame but the last goes into Jetty's batch; the last, unbatched, writes them all. */
	private boolean writeThroughJetty(OutboundFrame first) {
		OutboundFrame frame = first;
		while (frame != null) {
			OutboundFrame next = nextWritable();
			core.sendFrame(new Frame(OpCode.TEXT, frame.payload()), new Written(frame.length()), next != null);
			frame = next;
		}
		return false;
	}

	private OutboundFrame nextWritable() {
		if (holds > 0 || closed) {
			return null;
		}
		OutboundFrame reply = replies.poll();
		return reply != null ? reply : queue.poll();
	}

	/** Releases the frames' share of the send buffer once they are written, and lets the next drain write. */
	private final class WireWritten implements Callback {

		private final int frames;

		private final long bytes;

		WireWritten(int frames, long bytes) {
			this.frames = frames;
			this.bytes = bytes;
		}

		void release() {
			QUEUED_FRAMES.addAndGet(Client.this, -frames);
			QUEUED_BYTES.addAndGet(Client.this, -bytes);
		}

		@Override
		public void succeeded() {
			release();
			draining = false;
			scheduleDrain();
		}

		@Override
		public void failed(Throwable cause) {
			release();
			draining = false;
			log.debug("Write to {} failed", id, cause);
			close(WRITE_FAILED);
		}

		/** Completing only queues work for the send executor: the selector thread may run it. */
		@Override
		public InvocationType getInvocationType() {
			return InvocationType.NON_BLOCKING;
		}

	}

	/** Releases a frame's share of the send buffer once Jetty has written it. */
	private final class Written implements Callback {

		private final int length;

		Written(int length) {
			this.length = length;
		}

		@Override
		public void succeeded() {
			QUEUED_FRAMES.decrementAndGet(Client.this);
			QUEUED_BYTES.addAndGet(Client.this, -length);
		}

		@Override
		public void failed(Throwable cause) {
			succeeded();
			log.debug("Write to {} failed", id, cause);
			close(WRITE_FAILED);
		}

	}

}
