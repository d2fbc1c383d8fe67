package dev.parley.chat;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.parley.config.ParleyProperties;
import dev.parley.user.User;

/**
 * One WebSocket connection and its bounded write queue. Frames are queued by any thread (the Redis
 * listener included) and written by one drain at a time, on a send-executor thread: the drain hands
 * Jetty every queued frame as one batch, so frames queued together leave in one socket write.
 * Jetty's writes are asynchronous: no thread ever blocks on a slow socket. A frame counts against
 * the connection's buffer until Jetty reports it written; a client whose buffer overflows is closed
 * with {@link #SLOW_CONSUMER}, so a reader that stalls never holds up others.
 */
public class Client {

	/** Close code for a connection that did not read fast enough to keep its send buffer bounded. */
	public static final CloseStatus SLOW_CONSUMER = new CloseStatus(4002, "send buffer overflow");

	/** Close code for a connection from which nothing arrived within the heartbeat timeout. */
	public static final CloseStatus IDLE = new CloseStatus(4001, "idle");

	/** Close code when the send executor itself is saturated. */
	public static final CloseStatus OVERLOADED = new CloseStatus(CloseStatus.TRY_AGAIN_LATER, "server overloaded");

	private static final CloseStatus WRITE_FAILED = new CloseStatus(CloseStatus.SERVER_ERROR, "write failed");

	private static final Logger log = LoggerFactory.getLogger(Client.class);

	private final String id;

	private final User user;

	private final Executor executor;

	private final ParleyProperties.Send limits;

	private final Set<String> rooms = ConcurrentHashMap.newKeySet();

	private final RateLimiter rateLimiter;

	private final ConcurrentLinkedQueue<OutboundFrame> queue = new ConcurrentLinkedQueue<>();

	/** Replies, written ahead of {@link #queue} and in the order they were given. */
	private final ConcurrentLinkedQueue<OutboundFrame> replies = new ConcurrentLinkedQueue<>();

	private final AtomicInteger queuedFrames = new AtomicInteger();

	private final AtomicLong queuedBytes = new AtomicLong();

	private final AtomicInteger holds = new AtomicInteger(1);

	private final AtomicBoolean draining = new AtomicBoolean();

	private final AtomicBoolean closed = new AtomicBoolean();

	private final CoreSession core;

	private volatile long lastHeard = System.nanoTime();

	private volatile long lastWritten = System.nanoTime();

	/** Set while this client is on a fan-out's list of connections to flush. */
	private final AtomicBoolean flushPending = new AtomicBoolean();

	public Client(String id, User user, CoreSession core, Executor executor, ParleyProperties properties) {
		this.id = id;
		this.user = user;
		this.executor = executor;
		this.limits = properties.send();
		this.rateLimiter = new RateLimiter(properties.limits().ratePerSecond(), properties.limits().rateBurst());
		this.core = core;
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

	/** Anything arrived from the client: a frame or a pong. */
	public void heard() {
		lastHeard = System.nanoTime();
	}

	public long nanosSinceHeard() {
		return System.nanoTime() - lastHeard;
	}

	public long nanosSinceWritten() {
		return System.nanoTime() - lastWritten;
	}

	/** A WebSocket ping; clients answer with a pong, which counts as hearing from them. */
	public void ping() {
		if (!closed.get()) {
			lastWritten = System.nanoTime();
			core.sendFrame(new Frame(OpCode.PING), Callback.NOOP, false);
		}
	}

	public boolean tryAcquireFrame() {
		return rateLimiter.tryAcquire();
	}

	/** Queues a frame behind everything already queued. */
	public void send(OutboundFrame frame) {
		if (closed.get()) {
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
		if (closed.get()) {
			return false;
		}
		queue.offer(frame);
		return account(frame) && flushPending.compareAndSet(false, true);
	}

	/**
	 * For a fan-out pass: queues a held reply's frames like {@link #sendFirst} and lifts the
	 * {@link #hold()}, without writing.
	 *
	 * @return true when the caller must {@link #flush()} this client once it has queued everything
	 */
	boolean answer(OutboundFrame... frames) {
		boolean open = queueReplies(frames);
		holds.decrementAndGet();
		return open && flushPending.compareAndSet(false, true);
	}

	/** Writes what is queued, on the calling send-executor thread (writes never block). */
	void flush() {
		flushPending.set(false);
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
		if (closed.get()) {
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
		holds.incrementAndGet();
	}

	public void release() {
		holds.decrementAndGet();
		scheduleDrain();
	}

	/**
	 * Closes after writing everything already queued: the close frame goes out behind them. For
	 * shutdown, where clients will resume elsewhere with {@code since}.
	 */
	public void closeAfterQueued(CloseStatus status) {
		runOnExecutorOrHere(() -> {
			holds.set(0);
			drain();
			close(status);
		});
	}

	/** The connection is gone already: drops what is queued, sends nothing. */
	public void closed() {
		closed.set(true);
		clearQueues();
	}

	private void clearQueues() {
		replies.clear();
		queue.clear();
	}

	public void close(CloseStatus status) {
		if (!closed.compareAndSet(false, true)) {
			return;
		}
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
		if (holds.get() > 0 || closed.get() || (replies.isEmpty() && queue.isEmpty())
				|| !draining.compareAndSet(false, true)) {
			return;
		}
		try {
			executor.execute(this::writeQueued);
		}
		catch (RejectedExecutionException ex) {
			draining.set(false);
			close(OVERLOADED);
		}
	}

	private void drain() {
		if (draining.compareAndSet(false, true)) {
			writeQueued();
		}
	}

	/**
	 * Runs while holding {@code draining}. Every frame but the last goes into Jetty's batch; the last
	 * is sent unbatched, which writes the batch and itself in one go.
	 */
	private void writeQueued() {
		try {
			OutboundFrame frame = nextWritable();
			if (frame != null) {
				lastWritten = System.nanoTime();
			}
			while (frame != null) {
				OutboundFrame next = nextWritable();
				core.sendFrame(new Frame(OpCode.TEXT, frame.payload()), new Written(frame.length()), next != null);
				frame = next;
			}
		}
		catch (RuntimeException ex) {
			log.debug("Write to {} failed", id, ex);
			close(WRITE_FAILED);
		}
		finally {
			draining.set(false);
		}
		scheduleDrain();
	}

	private OutboundFrame nextWritable() {
		if (holds.get() > 0 || closed.get()) {
			return null;
		}
		OutboundFrame reply = replies.poll();
		return reply != null ? reply : queue.poll();
	}

	/** Releases a frame's share of the send buffer once Jetty has written it. */
	private final class Written implements Callback {

		private final int length;

		Written(int length) {
			this.length = length;
		}

		@Override
		public void succeeded() {
			queuedFrames.decrementAndGet();
			queuedBytes.addAndGet(-length);
		}

		@Override
		public void failed(Throwable cause) {
			succeeded();
			log.debug("Write to {} failed", id, cause);
			close(WRITE_FAILED);
		}

	}

}
