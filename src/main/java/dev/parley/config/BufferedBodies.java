package dev.parley.config;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
		if (request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) > limit.bytes()) {
			Response.writeError(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, "the body is too large");
			return true;
		}
		new Body(request, response, callback, limit).read();
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
			while (!settled.get()) {
				Content.Chunk chunk = request.read();
				if (chunk == null) {
					request.demand(this);
					return;
				}
				if (Content.Chunk.isFailure(chunk)) {
					// its status where it has one: 413 past the size limit, 400 for a malformed chunk
					if (settle()) {
						Response.writeError(request, response, callback, chunk.getFailure());
					}
					return;
				}
				boolean last = chunk.isLast();
				if (bytes.size() + chunk.getByteBuffer().remaining() > maxBytes) {
					chunk.release();
					refuse(HttpStatus.PAYLOAD_TOO_LARGE_413, "the body is too large");
					return;
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

		private boolean keep(ByteBuffer content) {
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
			refuse(HttpStatus.REQUEST_TIMEOUT_408, "the request body came too slowly");
		}

		private void refuse(int status, String reason) {
			if (settle()) {
				Response.writeError(request, response, callback, status, reason);
			}
		}

		private boolean settle() {
			if (!settled.compareAndSet(false, true)) {
				return false;
			}
			timer.cancel();
			buffered.addAndGet(-bytes.size());
			return true;
		}

		/** On a pool thread: the application may block, and this may be Jetty's selector calling back. */
		private void handOn() {
			if (!settle()) {
				return;
			}
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
