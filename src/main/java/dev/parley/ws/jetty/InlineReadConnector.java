package dev.parley.ws.jetty;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Jetty's connector, except that a connection may ask for its reads to run on the selector thread
 * that saw them ready ({@link #readOnSelector}). Jetty otherwise treats every read as blocking and
 * hands it to a pool thread: per WebSocket frame that costs a thread wake-up to take over selecting
 * and another to re-arm the read interest from the pool thread, a large share of a core at
 * thousands of frames a second (docs/benchmarks.md). A connection that asks must never block while
 * it reads: whatever could wait goes to another thread.
 * <p>
 * Its endpoints also take writes from more than one writer ({@link #sharedWrites}): a write made
 * while another is in progress waits for it instead of failing with a {@code WritePendingException}.
 * So a connection can write whole frames, encoded once per broadcast, next to Jetty's own frame
 * flusher (pings, pongs, the close frame), each writer keeping at most one write in progress.
 */
public class InlineReadConnector extends ServerConnector {

	InlineReadConnector(Server server, Executor executor, Scheduler scheduler, ByteBufferPool bufferPool,
			int acceptors, int selectors, ConnectionFactory... factories) {
		super(server, executor, scheduler, bufferPool, acceptors, selectors, factories);
	}

	/**
	 * From now on the endpoint's reads run on its selector thread, if this connector accepted it
	 * (with {@code server.ssl} another does, and they go to a pool thread as before).
	 */
	public static void readOnSelector(EndPoint endPoint) {
		if (endPoint instanceof InlineReadEndPoint inline) {
			inline.inline = true;
		}
	}

	/**
	 * The endpoint itself if this connector accepted it, so that writes of whole frames may be made to
	 * it while Jetty writes its own; null otherwise (then frames must go through Jetty's session).
	 */
	public static EndPoint sharedWrites(EndPoint endPoint) {
		return endPoint instanceof InlineReadEndPoint ? endPoint : null;
	}

	@Override
	protected SocketChannelEndPoint newEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key) {
		SocketChannelEndPoint endPoint = new InlineReadEndPoint(channel, selector, key, getScheduler());
		endPoint.setIdleTimeout(getIdleTimeout());
		return endPoint;
	}

	private static final class InlineReadEndPoint extends SocketChannelEndPoint {

		private volatile boolean inline;

		/** The connection passes the same read callback on every call: its wrapper is made once. */
		private volatile NonBlockingRead nonBlocking;

		/** Writes that wait for the one in progress. */
		private final Queue<PendingWrite> waiting = new ArrayDeque<>(2);

		/** True while a write is in progress; guarded by {@link #waiting}, as the two below. */
		private boolean writing;

		/** True while {@link #writeNext} starts waiting writes, one after the other. */
		private boolean chaining;

		private boolean completedWhileChaining;

		/**
		 * Set by a read that left room in the buffer: the socket had nothing more then. Reads are
		 * serialized by Jetty's fill interest, which also orders this field between threads.
		 */
		private boolean drained;

		InlineReadEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler) {
			super(channel, selector, key, scheduler);
		}

		/**
		 * After a read that drained the socket, the next read, which would nearly always find nothing,
		 * reports nothing without asking the kernel: the caller then waits for the selector, which
		 * sees at once any bytes that came meanwhile. That saves a system call per frame read.
		 */
		@Override
		public int fill(ByteBuffer buffer) throws IOException {
			if (drained) {
				drained = false;
				return 0;
			}
			int filled = super.fill(buffer);
			drained = inline && filled > 0 && BufferUtil.space(buffer) > 0;
			return filled;
		}

		@Override
		public void fillInterested(Callback callback) {
			super.fillInterested(inline ? nonBlocking(callback) : callback);
		}

		/**
		 * One write at a time reaches Jetty's write flusher; the others wait here in order. Each writer
		 * keeps at most one write in progress, so this holds at most one per writer.
		 */
		@Override
		public void write(Callback callback, ByteBuffer... buffers) {
			synchronized (waiting) {
				if (writing) {
					waiting.add(new PendingWrite(callback, buffers));
					return;
				}
				writing = true;
			}
			super.write(new ThenNext(callback), buffers);
		}

		/**
		 * After a write completed: starts the next one waiting. A write that completes at once, inside
		 * {@code super.write}, only flags it, and the loop here starts the next, so that a chain of
		 * such writes does not deepen the stack.
		 */
		private void writeNext() {
			synchronized (waiting) {
				if (chaining) {
					completedWhileChaining = true;
					return;
				}
				chaining = true;
			}
			PendingWrite next;
			do {
				synchronized (waiting) {
					completedWhileChaining = false;
					next = waiting.poll();
					if (next == null) {
						writing = false;
						chaining = false;
						return;
					}
				}
				super.write(new ThenNext(next.callback()), next.buffers());
			}
			while (completedMeanwhile());
		}

		/** Whether the write just started has completed already; if not, its completion goes on. */
		private boolean completedMeanwhile() {
			synchronized (waiting) {
				chaining = completedWhileChaining;
				return chaining;
			}
		}

		/** Completes a write, then starts the next one waiting (after a failure too: it fails at once). */
		private final class ThenNext implements Callback {

			private final Callback callback;

			ThenNext(Callback callback) {
				this.callback = callback;
			}

			@Override
			public void succeeded() {
				try {
					callback.succeeded();
				}
				finally {
					writeNext();
				}
			}

			@Override
			public void failed(Throwable cause) {
				try {
					callback.failed(cause);
				}
				finally {
					writeNext();
				}
			}

			@Override
			public InvocationType getInvocationType() {
				return callback.getInvocationType();
			}

		}

		private Callback nonBlocking(Callback callback) {
			NonBlockingRead wrapper = nonBlocking;
			if (wrapper == null || wrapper.read() != callback) {
				wrapper = new NonBlockingRead(callback);
				nonBlocking = wrapper;
			}
			return wrapper;
		}

	}

	private record PendingWrite(Callback callback, ByteBuffer[] buffers) {
	}

	private record NonBlockingRead(Callback read) implements Callback {

		@Override
		public void succeeded() {
			read.succeeded();
		}

		@Override
		public void failed(Throwable cause) {
			read.failed(cause);
		}

		@Override
		public InvocationType getInvocationType() {
			return InvocationType.NON_BLOCKING;
		}

	}

}
