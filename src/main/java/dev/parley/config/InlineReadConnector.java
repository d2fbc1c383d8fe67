package dev.parley.config;

import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executor;

import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Jetty's connector, except that a connection may ask for its reads to run on the selector thread
 * that saw them ready ({@link #readOnSelector}). Jetty otherwise treats every read as blocking and
 * hands it to a pool thread: per WebSocket frame that costs a thread wake-up to take over selecting
 * and another to re-arm the read interest from the pool thread, a large share of a core at
 * thousands of frames a second (docs/benchmarks.md). A connection that asks must never block while
 * it reads: whatever could wait goes to another thread.
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

		InlineReadEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler) {
			super(channel, selector, key, scheduler);
		}

		@Override
		public void fillInterested(Callback callback) {
			super.fillInterested(inline ? nonBlocking(callback) : callback);
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
