package dev.parley.config;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a request's whole body before the application sees it, without a thread: Jetty asks for
 * the bytes as they come and no thread waits meanwhile. A servlet reading a body blocks its thread
 * until the last byte, so a few clients trickling bodies in could hold every thread of Jetty's small
 * pool, and with it every page, handshake and health check. A body not complete within
 * {@code parley.limits.body-timeout} gets {@code 408}; while this instance already holds
 * {@link #MAX_BUFFERED} bytes of bodies not yet complete, a new one gets {@code 503}. A body past its
 * limit gets {@code 413}: {@code parley.limits.request-body}, or for a file upload
 * ({@code /api/files}) {@code parley.files.max-size} and the multipart envelope, which may also take
 * {@code parley.files.upload-timeout} to arrive.
 */
final class BufferedBodies extends Handler.Wrapper {

	/** The path whose bodies are files, with a limit and a time of their own. */
	static final String UPLOADS = "/api/files";

	/** All the incomplete bodies held at once, across requests, so that many slow ones cannot fill the heap. */
	static final long MAX_BUFFERED = 64L * 1024 * 1024;

	/**
	 * How much more than its limit a body is read, and dropped, after the 413 (see
	 * {@link Body#answerTooLarge()}); past that, or declared larger, the connection is closed.
	 */
	static final long MAX_DISCARDED = 4L * 1024 * 1024;

	private static final String TOO_LARGE = "the body is too large";

	private static final byte[] TOO_LARGE_JSON = ("{\"error\":\"" + TOO_LARGE + "\"}").getBytes(StandardCharsets.UTF_8);

	/** A limit on one kind of body: its size, and the time it may take to arrive. */
	record Limit(long bytes, Duration timeout) {
	}

	private final Limit requests;

	private final Limit uploads;

	private final AtomicLong buffered = new AtomicLong();

	BufferedBodies(Handler next, Limit requests, Limit uploads) {
		super(next);
		this.requests = requests;
		this.uploads = uploads;
	}

	@Override
	public boolean handle(Request request, Response response, Callback callback) throws Exception {
		if (!hasBody(request)) {
			return super.handle(request, response, callback);
		}
		Limit limit = UPLOADS.equals(Request.getPathInContext(request)) ? uploads : requests;
		long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
		if (declared > limit.bytes() + MAX_DISCARDED) {
			Response.writeError(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, TOO_LARGE);
			return true;
		}
		Body body = new Body(request, response, callback, limit);
		if (declared <= limit.bytes() || body.answerTooLarge()) {
			body.read();
		}
		return true;
	}

	private static boolean hasBody(Request request) {
		return request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)
				|| request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) > 0;
	}

	/** One body on its way in: read as it arrives, then handed on with the request. */
	private final class Body implements Runnable {

		private final Request request;

		private final Response response;

		private final Callback callback;

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		/** Set once the request is handed on or answered: whichever of the body and the timer comes first. */
		private final AtomicBoolean settled = new AtomicBoolean();

		private final Scheduler.Task timer;

		private final long maxBytes;

		/** Answered 413: what still arrives is read and dropped, so that the client reads the answer. */
		private volatile boolean discarding;

		/** The bytes of the body read so far, once discarding. */
		private long discarded;

		/** Once discarding: set when the body has ended, grown past what is read or timed out. */
		private final AtomicBoolean drained = new AtomicBoolean();

		/** Once discarding: the answer written and the body drained, the two that end the exchange. */
		private final AtomicInteger toEnd = new AtomicInteger(2);

		Body(Request request, Response response, Callback callback, Limit limit) {
			this.request = request;
			this.response = response;
			this.callback = callback;
			this.maxBytes = limit.bytes();
			this.timer = request.getComponents().getScheduler().schedule(this::timedOut, limit.timeout().toMillis(),
					TimeUnit.MILLISECONDS);
		}

		@Override
		public void run() {
			read();
		}

		void read() {
			while (discarding ? !drained.get() : !settled.get()) {
				Content.Chunk chunk = request.read();
				if (chunk == null) {
					request.demand(this);
					return;
				}
				if (Content.Chunk.isFailure(chunk)) {
					failed(chunk.getFailure());
					return;
				}
				boolean last = chunk.isLast();
				int size = chunk.getByteBuffer().remaining();
				if (!discarding && bytes.size() + size > maxBytes && !answerTooLarge()) {
					chunk.release();
					return;
				}
				if (discarding) {
					chunk.release();
					discarded += size;
					if (last || discarded > maxBytes + MAX_DISCARDED) {
						drained();
					}
					continue;
				}
				boolean kept = keep(chunk.getByteBuffer());
				chunk.release();
				if (!kept) {
					refuse(HttpStatus.SERVICE_UNAVAILABLE_503, "too many request bodies arriving at once, try again");
					return;
				}
				if (last) {
					handOn();
					return;
				}
			}
		}

		/**
		 * Answers {@code 413} while the body is still arriving, and goes on reading it: a server that
		 * answers and closes with bytes unread resets the client's socket, and the client may see the
		 * reset instead of the answer. The exchange ends once the answer is out and the body drained.
		 */
		boolean answerTooLarge() {
			if (!settle()) {
				return false;
			}
			discarded = bytes.size();
			bytes.reset();
			discarding = true;
			response.setStatus(HttpStatus.PAYLOAD_TOO_LARGE_413);
			response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
			response.write(true, ByteBuffer.wrap(TOO_LARGE_JSON), Callback.from(this::oneToEnd, this::failed));
			return true;
		}

		private void drained() {
			if (drained.compareAndSet(false, true)) {
				timer.cancel();
				oneToEnd();
			}
		}

		private void oneToEnd() {
			if (toEnd.decrementAndGet() == 0) {
				callback.succeeded();
			}
		}

		/** The body broke off, or the answer could not be written: its status where it has one, 400 for a malformed chunk. */
		private void failed(Throwable failure) {
			if (discarding) {
				if (drained.compareAndSet(false, true)) {
					timer.cancel();
					callback.failed(failure);
				}
			}
			else if (settle()) {
				timer.cancel();
				Response.writeError(request, response, callback, failure);
			}
		}

		private synchronized boolean keep(ByteBuffer content) {
			int size = content.remaining();
			if (buffered.addAndGet(size) > MAX_BUFFERED) {
				buffered.addAndGet(-size);
				return false;
			}
			byte[] copy = new byte[size];
			content.get(copy);
			bytes.write(copy, 0, size);
			return true;
		}

		private void timedOut() {
			if (discarding) {
				drained();
			}
			else {
				refuse(HttpStatus.REQUEST_TIMEOUT_408, "the request body came too slowly");
			}
		}

		private void refuse(int status, String reason) {
			if (settle()) {
				timer.cancel();
				Response.writeError(request, response, callback, status, reason);
			}
		}

		/** Decides the request's fate once, and gives back what its body held. */
		private synchronized boolean settle() {
			if (!settled.compareAndSet(false, true)) {
				return false;
			}
			buffered.addAndGet(-bytes.size());
			return true;
		}

		/** On a pool thread: the application may block, and this may be Jetty's selector calling back. */
		private void handOn() {
			if (!settle()) {
				return;
			}
			timer.cancel();
			Request whole = new WholeBody(request, ByteBuffer.wrap(bytes.toByteArray()));
			request.getContext().execute(() -> {
				try {
					if (!getHandler().handle(whole, response, callback)) {
						Response.writeError(whole, response, callback, HttpStatus.NOT_FOUND_404);
					}
				}
				catch (Throwable failure) {
					Response.writeError(whole, response, callback, failure);
				}
			});
		}

	}

	/** The request, with its body read already: one chunk, then the end. */
	private static final class WholeBody extends Request.Wrapper {

		private Content.Chunk next;

		WholeBody(Request request, ByteBuffer body) {
			super(request);
			this.next = Content.Chunk.from(body, true);
		}

		@Override
		public synchronized Content.Chunk read() {
			Content.Chunk chunk = next;
			next = Content.Chunk.EOF;
			return chunk;
		}

		@Override
		public void demand(Runnable demandCallback) {
			demandCallback.run();
		}

		@Override
		public boolean consumeAvailable() {
			read();
			return true;
		}

	}

}
