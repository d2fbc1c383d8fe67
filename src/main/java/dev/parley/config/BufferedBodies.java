package dev.parley.config;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * {@code parley.files.upload-timeout} to arrive. An upload waits in a temporary file, not in memory:
 * many large uploads arrive at once, each for minutes on a slow link, and the heap holds none of
 * them; {@link #MAX_SPOOLED} bytes of them at once, on disk, until each exchange ends.
 */
final class BufferedBodies extends Handler.Wrapper {

	private static final Logger log = LoggerFactory.getLogger(BufferedBodies.class);

	/** The path whose bodies are files, with a limit and a time of their own. */
	static final String UPLOADS = "/api/files";

	/** All the incomplete bodies held at once, across requests, so that many slow ones cannot fill the heap. */
	static final long MAX_BUFFERED = 64L * 1024 * 1024;

	/** All the uploads' bytes held in temporary files at once, from their first byte to their exchange's end. */
	static final long MAX_SPOOLED = 2L * 1024 * 1024 * 1024;

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

	private final AtomicLong spooled = new AtomicLong();

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
		boolean upload = UPLOADS.equals(Request.getPathInContext(request));
		Limit limit = upload ? uploads : requests;
		long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
		if (declared > limit.bytes() + MAX_DISCARDED) {
			Response.writeError(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, TOO_LARGE);
			return true;
		}
		Sink sink;
		try {
			sink = upload ? new FileSink() : new MemorySink();
		}
		catch (IOException ex) {
			Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
					"no room for the upload, try again");
			return true;
		}
		Body body = new Body(request, response, callback, limit, sink);
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

		private final Sink sink;

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

		Body(Request request, Response response, Callback callback, Limit limit, Sink sink) {
			this.request = request;
			this.response = response;
			this.callback = Callback.from(callback, sink::release);
			this.sink = sink;
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
				if (!discarding && sink.size() + size > maxBytes && !answerTooLarge()) {
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
			discarded = sink.size();
			sink.release();
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

		/** Not once the request's fate is decided: what the sink holds then is given back. */
		private synchronized boolean keep(ByteBuffer content) {
			try {
				return !settled.get() && sink.keep(content);
			}
			catch (IOException ex) {
				log.warn("Writing an upload to its temporary file failed", ex);
				return false;
			}
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

		/** Decides the request's fate once; what its body held is given back with the exchange's end. */
		private synchronized boolean settle() {
			return settled.compareAndSet(false, true);
		}

		/** On a pool thread: the application may block, and this may be Jetty's selector calling back. */
		private void handOn() {
			if (!settle()) {
				return;
			}
			timer.cancel();
			Request whole;
			try {
				whole = new WholeBody(request, sink.whole());
			}
			catch (IOException ex) {
				Response.writeError(request, response, callback, ex);
				return;
			}
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

	/** Where a body waits until it is complete. */
	private interface Sink {

		/** False when there is no room for {@code content}: it was not kept. */
		boolean keep(ByteBuffer content) throws IOException;

		long size();

		/** The whole body, to be read once. */
		Content.Source whole() throws IOException;

		/** Gives back what the body held: called when the body is dropped, and again at the exchange's end. */
		void release();

	}

	/** A request body, on the heap: at most {@code parley.limits.request-body}, counted in {@link #MAX_BUFFERED}. */
	private final class MemorySink implements Sink {

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		private long counted;

		@Override
		public synchronized boolean keep(ByteBuffer content) {
			int size = content.remaining();
			if (buffered.addAndGet(size) > MAX_BUFFERED) {
				buffered.addAndGet(-size);
				return false;
			}
			counted += size;
			byte[] copy = new byte[size];
			content.get(copy);
			bytes.write(copy, 0, size);
			return true;
		}

		@Override
		public synchronized long size() {
			return bytes.size();
		}

		/** The heap the body takes is the application's from here: it no longer counts. */
		@Override
		public synchronized Content.Source whole() {
			ByteBuffer body = ByteBuffer.wrap(bytes.toByteArray());
			release();
			return Content.Source.from(body);
		}

		@Override
		public synchronized void release() {
			buffered.addAndGet(-counted);
			counted = 0;
			bytes.reset();
		}

	}

	/**
	 * An upload, in a temporary file, counted in {@link #MAX_SPOOLED} until the exchange ends. Written
	 * as it arrives: a write to the page cache, with no wait for the disk.
	 */
	private final class FileSink implements Sink {

		private final Path file = Files.createTempFile("parley-upload-", ".part");

		private final FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);

		private long counted;

		private long size;

		private boolean released;

		FileSink() throws IOException {
		}

		@Override
		public synchronized boolean keep(ByteBuffer content) throws IOException {
			int length = content.remaining();
			if (released || spooled.addAndGet(length) > MAX_SPOOLED) {
				spooled.addAndGet(-length);
				return false;
			}
			counted += length;
			while (content.hasRemaining()) {
				channel.write(content);
			}
			size += length;
			return true;
		}

		@Override
		public synchronized long size() {
			return size;
		}

		@Override
		public synchronized Content.Source whole() throws IOException {
			channel.close();
			return Content.Source.from(file);
		}

		@Override
		public synchronized void release() {
			if (released) {
				return;
			}
			released = true;
			spooled.addAndGet(-counted);
			try {
				channel.close();
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				log.warn("Removing the temporary file of an upload, {}, failed", file, ex);
			}
		}

	}

	/** The request, with its body read already: read from where it waited, then the end. */
	private static final class WholeBody extends Request.Wrapper {

		private final Content.Source body;

		WholeBody(Request request, Content.Source body) {
			super(request);
			this.body = body;
		}

		@Override
		public Content.Chunk read() {
			return body.read();
		}

		@Override
		public void demand(Runnable demandCallback) {
			body.demand(demandCallback);
		}

		@Override
		public void fail(Throwable failure) {
			body.fail(failure);
		}

		@Override
		public boolean consumeAvailable() {
			for (Content.Chunk chunk = body.read(); chunk != null; chunk = body.read()) {
				chunk.release();
				if (chunk.isLast()) {
					return true;
				}
			}
			return false;
		}

	}

}
